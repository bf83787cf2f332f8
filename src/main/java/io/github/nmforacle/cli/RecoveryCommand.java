package io.github.nmforacle.cli;

import io.github.nmforacle.audit.Recovery;
import io.github.nmforacle.io.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recovery}: AND's semi-synthetic feature-recovery experiment against other solvers. */
@Command(name = "recovery", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"AND's semi-synthetic experiment (Li & Liang 2017): ground-truth features, correlated non-negative"
                + " weights, noise; every solver starts from the perturbed truth; prints the column-wise recovery error of the"
                + " features after matching and scaling, and writes recovery.csv with --out."})
public final class RecoveryCommand implements Callable<Integer> {
    @Option(names = "--algorithm", defaultValue = "and,mu,hals,anls-bpp", split = ",", description = "solvers (default: ${DEFAULT-VALUE})")
    List<String> algorithms;

    @Option(names = "--n", defaultValue = "100", description = "rows of Y (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--m", defaultValue = "400", description = "samples (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = {"-r", "--rank"}, defaultValue = "5", description = "features, at most 8 (default: ${DEFAULT-VALUE})")
    int r;

    @Option(names = "--seeds", defaultValue = "5", description = "problems (seeds 1..S) (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--max-iter", defaultValue = "500", description = "iterations per solver (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--out", paramLabel = "DIR", description = "write recovery.csv here (created if missing)")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (r < 1 || r > 8 || n < r || m < r || seeds < 1 || iterations < 1) {
            throw new IllegalArgumentException("recovery: need 1 <= r <= 8, r <= n, r <= m, seeds >= 1, max-iter >= 1");
        }
        List<Recovery.Result> res = Recovery.run(algorithms, n, m, r, seeds, iterations);
        Map<String, List<Recovery.Result>> by = new LinkedHashMap<>();
        for (Recovery.Result x : res) {
            by.computeIfAbsent(x.algorithm(), k -> new ArrayList<>()).add(x);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "recovery: Y %dx%d, r = %d, %d seeds, %d iterations from the perturbed truth%n", n, m, r, seeds, iterations);
        o.printf(Locale.ROOT, "%-14s %16s %16s %14s %10s%n", "algorithm", "mean col. error", "worst col. error", "rel. residual", "seconds");
        for (var e : by.entrySet()) {
            double mean = 0, worst = 0, rel = 0, sec = 0;
            for (Recovery.Result x : e.getValue()) {
                mean += x.meanColumnError() / e.getValue().size();
                worst = Math.max(worst, x.maxColumnError());
                rel += x.relativeError() / e.getValue().size();
                sec += x.seconds() / e.getValue().size();
            }
            o.printf(Locale.ROOT, "%-14s %16.4f %16.4f %14.4e %10.3f%n", e.getKey(), mean, worst, rel, sec);
        }
        if (out != null) {
            try {
                Files.createDirectories(out);
                StringBuilder sb = new StringBuilder("algorithm,seed,mean_column_error,max_column_error,relative_error,seconds\n");
                for (Recovery.Result x : res) {
                    sb.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%s%n", x.algorithm(), x.seed(), x.meanColumnError(),
                            x.maxColumnError(), x.relativeError(), x.seconds()));
                }
                Files.writeString(out.resolve("recovery.csv"), sb.toString());
            } catch (IOException e) {
                throw new InputException(out + ": cannot write: " + e.getMessage());
            }
        }
        return Main.EXIT_OK;
    }
}
