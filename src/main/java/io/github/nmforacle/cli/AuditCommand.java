package io.github.nmforacle.cli;

import io.github.nmforacle.audit.Audit;
import io.github.nmforacle.audit.AuditInstance;
import io.github.nmforacle.audit.AuditOutput;
import io.github.nmforacle.certify.Tolerances;
import io.github.nmforacle.escape.SaddleEscape;
import io.github.nmforacle.io.InputException;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.Solvers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit}: where does each solver end, certified. */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run solvers from several starts on instance families, certify every output (float mode) and"
                + " tabulate: SOSP holds / FOSP only (saddle) / not FOSP / undecided, final objective, iterations, time.",
                "Writes runs.csv, summary.csv and audit.png into --out. Exit 0 when the audit ran, 2 on bad input."})
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--algorithm", split = ",", paramLabel = "A[,B...]", description = "solvers, e.g. mwu-adaptive,mu,hals; 'all' for every one")
    List<String> algorithms;

    @CommandLine.Mixin
    ExternalSolverOptions externalSolver = new ExternalSolverOptions();

    @Option(names = "--instances", defaultValue = "planted", paramLabel = "SPEC",
            description = "comma-separated: planted[:n:m:r], noisy[:n:m:r], overparam[:n:m:r0:r], digits[:r], file:PATH:r (default: ${DEFAULT-VALUE})")
    String instances;

    @Option(names = "--starts", defaultValue = "5", description = "starts per solver and instance (default: ${DEFAULT-VALUE})")
    int starts;

    @Option(names = "--seed", defaultValue = "1", description = "seed of instances and starts (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-iter", defaultValue = "2000", description = "iterations per run (default: ${DEFAULT-VALUE})")
    int maxIter;

    @Option(names = "--tol", defaultValue = "1e-9", description = "relative objective change that stops a run (default: ${DEFAULT-VALUE})")
    double tol;

    @Option(names = "--tol-first-order", defaultValue = "1e-6", description = "certificate first-order tolerance (default: ${DEFAULT-VALUE})")
    double tolFirst;

    @Option(names = "--init", defaultValue = "random", paramLabel = "KIND",
            description = "starts: random (one per --starts) or nndsvd / nndsvda (deterministic: every start is the same) (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--escape", description = "run each solver wrapped in the certified saddle escape (named <solver>+escape):"
            + " from a certified saddle, step along the verified negative-curvature witness and continue")
    boolean escape;

    @Option(names = "--max-escapes", paramLabel = "K", description = "with --escape: at most K escapes per run, K >= 1"
            + " (default: " + SaddleEscape.DEFAULT_MAX_ESCAPES + ")")
    Integer maxEscapes;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created if missing)")
    Path out;

    @Option(names = "--threads", defaultValue = "0", description = "threads, 0 = one per core, at most " + Inputs.MAX_THREADS + " (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Inputs.threads("--threads", threads);
        List<Solver> solvers = new ArrayList<>();
        Solver external = externalSolver.solver(algorithms != null);
        if (external != null) {
            solvers.add(external);
        } else if (algorithms == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--algorithm A[,B...] or --solver-command CMD is required");
        } else {
            for (String a : algorithms.contains("all") ? Solvers.names() : algorithms) {
                solvers.add(Solvers.byName(a.trim()));
            }
        }
        if (!List.of("random", "nndsvd", "nndsvda").contains(init)) {
            throw new InputException("--init: unknown start '" + init + "', expected random, nndsvd or nndsvda");
        }
        if (starts < 1) {
            throw new InputException("--starts must be at least 1, got " + starts);
        }
        if (maxIter < 1) {
            throw new InputException("--max-iter must be at least 1, got " + maxIter);
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new InputException("--tol must be a finite number >= 0, got " + tol);
        }
        Inputs.firstOrderTolerance("--tol-first-order", tolFirst);
        int escapes = Inputs.escapes(escape, maxEscapes);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException(out + ": exists and is not a folder");
        }
        List<String> skipped = new ArrayList<>();
        List<AuditInstance> inst = AuditInstance.parse(instances, seed, skipped);
        for (String msg : skipped) {
            spec.commandLine().getErr().println("nmf-oracle: " + msg);
        }
        if (inst.isEmpty()) {
            throw new IllegalArgumentException("--instances: nothing to audit (" + String.join("; ", skipped) + ")");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new InputException(out + ": cannot create the --out folder"
                    + (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? ": " + fse.getReason() : ""));
        }
        if (!init.equals("random")) {
            List<AuditInstance> with = new ArrayList<>();
            for (AuditInstance a : inst) {
                var start = SolveCommand.namedStart(init, a.v(), a.rank());
                with.add(new AuditInstance(a.name() + " " + init, a.v(), a.rank(), s -> start));
            }
            inst = with;
        }
        Audit.Options o = new Audit.Options(starts, seed, maxIter, tol, Tolerances.DEFAULT.withFirstOrder(tolFirst), threads,
                escapes);
        int total = inst.size() * solvers.size() * starts;
        List<Audit.Run> runs;
        if (!quiet && System.console() != null) {
            try (ProgressBar pb = new ProgressBarBuilder().setTaskName("audit").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                runs = Audit.run(solvers, inst, o, pb::stepTo);
            }
        } else {
            runs = Audit.run(solvers, inst, o, null);
        }
        List<Audit.Summary> sum = Audit.summarize(runs);
        AuditOutput.writeRuns(runs, out.resolve("runs.csv"));
        AuditOutput.writeSummary(sum, out.resolve("summary.csv"));
        AuditOutput.writeChart(sum, out.resolve("audit.png"));
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(AuditOutput.table(sum));
        pw.println("written: " + out.resolve("runs.csv") + ", " + out.resolve("summary.csv") + ", " + out.resolve("audit.png"));
        return Main.EXIT_OK;
    }
}
