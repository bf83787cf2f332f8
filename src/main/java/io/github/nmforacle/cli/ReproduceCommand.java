package io.github.nmforacle.cli;

import io.github.nmforacle.reproduce.Fig1;
import io.github.nmforacle.reproduce.Fig2;
import io.github.nmforacle.reproduce.OutputFolder;
import io.github.nmforacle.reproduce.ScalarExample;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reproduce fig1|fig2|example-2-1 --out DIR}: the paper's experiments (Section 6, Figures 1–2) and the
 * example of Section 2.1 as CSV, PNG and text/markdown files. The logic lives in {@code io.github.nmforacle.reproduce}.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Reproduce the paper's experiments as files: CSV + PNG (+ a printed table).",
                "  fig1         iterations to 1%% of the initial error on random rank-r matrices (Section 6, Figure 1)",
                "  fig2         concurrent vs alternating Lee-Seung on Example 1 (Section 6, Figure 2)",
                "  example-2-1  the example of Section 2.1: printed vs derived FOSP/SOSP sets, certifier verdicts",
                "Exit 0 on success, 2 on bad usage or an unusable --out."},
        subcommands = {ReproduceCommand.Fig1Command.class, ReproduceCommand.Fig2Command.class,
                ReproduceCommand.ExampleCommand.class})
public final class ReproduceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "reproduce: say what to reproduce: fig1, fig2 or example-2-1 (try 'reproduce --help')");
    }

    /** Options every reproduction has. */
    static final class Common {
        @Option(names = "--out", paramLabel = "DIR", required = true,
                description = "output folder (created if missing; refused if it is a file); only the files named above are written")
        Path out;

        @Option(names = {"-q", "--quiet"}, description = "no progress lines on stderr (the result table is still printed)")
        boolean quiet;
    }

    private static void wrote(PrintWriter out, List<Path> files) {
        for (Path p : files) {
            out.println("wrote " + p);
        }
    }

    @Command(name = "fig1", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Figure 1: iterations to 1%% of the initial error, per algorithm, over a grid of n and r.",
                    "Counts the iterations until ||V - WH||_F <= 1%% of its value at iteration 0 of the same run, on",
                    "V = W0*H0 / max(W0*H0) (n x n, rank r, W0 and H0 uniform in [0,1) from SplittableRandom(seed));",
                    "every algorithm gets the same instance and start seed.",
                    "Writes fig1.csv, fig1.png and fig1.txt (the printed report) into --out.",
                    "Algorithms not registered (e.g. hals before it exists) are skipped with a printed line."})
    static final class Fig1Command implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--budget", defaultValue = "" + Fig1.DEFAULT_BUDGET,
                description = "iterations per run (default: ${DEFAULT-VALUE})")
        int budget;

        @Option(names = "--seed", defaultValue = "" + Fig1.DEFAULT_FIRST_SEED,
                description = "first seed; the runs use seed, seed+1, ... (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--seeds", defaultValue = "" + Fig1.DEFAULT_SEED_COUNT,
                description = "number of seeds per (n, r) (default: ${DEFAULT-VALUE}); the table shows median and max")
        int seeds;

        @Option(names = "--n", split = ",", paramLabel = "N", defaultValue = "20,50,100,200",
                description = "sizes n, comma-separated (default: ${DEFAULT-VALUE})")
        List<Integer> ns;

        @Option(names = {"-r", "--rank"}, split = ",", paramLabel = "R", defaultValue = "2,5,10",
                description = "ranks r, comma-separated (default: ${DEFAULT-VALUE})")
        List<Integer> ranks;

        @Option(names = {"-a", "--algorithms"}, split = ",", paramLabel = "A", defaultValue = "mwu,mwu-adaptive,mu,hals",
                description = "algorithms, comma-separated (default: ${DEFAULT-VALUE})")
        List<String> algorithms;

        @Option(names = "--jobs", defaultValue = "0",
                description = "runs at the same time, 0 = one per core, at most " + Inputs.MAX_THREADS + " (default: ${DEFAULT-VALUE});"
                        + " results do not depend on it")
        int jobs;

        @Option(names = "--threads", defaultValue = "1",
                description = "threads per run, 0 = one per core, at most " + Inputs.MAX_THREADS + " (default: ${DEFAULT-VALUE})")
        int threads;

        @Option(names = "--target-relative-error", paramLabel = "E", defaultValue = "0",
                description = "0 = the paper's target, error <= 1%% of the error at iteration 0 (default); E > 0: the same"
                        + " fixed target ||V - WH||/||V|| <= E for every algorithm")
        double target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (seeds < 1 || seeds > 1000) {
                throw new IllegalArgumentException("--seeds must be in [1, 1000], got " + seeds);
            }
            Inputs.threads("--jobs", jobs);
            Inputs.threads("--threads", threads);
            Fig1.Config c = new Fig1.Config(ns, ranks, Fig1.Config.seeds(seed, seeds), budget, algorithms, threads, target);
            OutputFolder folder = OutputFolder.prepare(common.out);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int j = jobs == 0 ? Runtime.getRuntime().availableProcessors() : jobs;
            Fig1.Result res = Fig1.run(c, j, common.quiet ? null : line -> {
                err.println(line);
                err.flush();
            });
            List<Path> files = Fig1.write(res, folder);
            out.print(Fig1.report(res));
            wrote(out, files);
            return Main.EXIT_OK;
        }
    }

    @Command(name = "fig2", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Figure 2 (Example 1): concurrent vs alternating Lee-Seung, error per iteration.",
                    "V = I2, W0 = H0 = all-ones 2x2; the error ||V - WH||_F per iteration of mu-concurrent",
                    "(oscillates with period 2) and mu (alternating; a fixed point after one update).",
                    "Writes fig2.csv, fig2.png and fig2.txt into --out."})
    static final class Fig2Command implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--iterations", defaultValue = "" + Fig2.DEFAULT_ITERATIONS,
                description = "updates per algorithm (default: ${DEFAULT-VALUE})")
        int iterations;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            OutputFolder folder = OutputFolder.prepare(common.out);
            Fig2.Result res = Fig2.run(iterations);
            PrintWriter out = spec.commandLine().getOut();
            List<Path> files = Fig2.write(res, folder);
            out.print(Fig2.report(res));
            wrote(out, files);
            return Main.EXIT_OK;
        }
    }

    @Command(name = "example-2-1", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Section 2.1 example: printed vs derived FOSP/SOSP sets, and the certifier's verdicts.",
                    "V = [1], r = 1, as NMF and as S-NMF with C = 1 and C = 4: the paper's printed FOSP/SOSP lists,",
                    "the derived sets (proofs-notes/scalar-example.md) and the certifier's verdicts on representative",
                    "points (exact mode; float mode for 2 +- sqrt(3)).",
                    "Writes example-2-1.csv, example-2-1.md and example-2-1.png into --out."})
    static final class ExampleCommand implements Callable<Integer> {
        @Mixin
        Common common;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            OutputFolder folder = OutputFolder.prepare(common.out);
            List<ScalarExample.Row> rows = ScalarExample.run();
            PrintWriter out = spec.commandLine().getOut();
            List<Path> files = ScalarExample.write(rows, folder);
            out.print(ScalarExample.markdown(rows));
            wrote(out, files);
            return Main.EXIT_OK;
        }
    }
}
