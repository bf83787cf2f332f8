package io.github.nmforacle.cli;

import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Tolerances;
import io.github.nmforacle.escape.SaddleEscape;
import io.github.nmforacle.io.InputException;
import io.github.nmforacle.io.OutputSet;
import io.github.nmforacle.io.TraceCsv;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.solve.IterationListener;
import io.github.nmforacle.solve.Scaling;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.TraceRow;
import io.github.nmforacle.testkit.Instances;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code solve}: factorize V ≈ WH with one of the algorithms and report the result. */
@Command(name = "solve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Factorize a non-negative matrix V ≈ W·H (W: n×r, H: r×m) and print a summary line.",
                "Exit 0 on success, 2 on bad input."})
public final class SolveCommand implements Callable<Integer> {

    /** The built-in example: a planted rank-5 100×80 matrix V = W₀H₀, entries of W₀, H₀ uniform in [0,1]. */
    static final int EXAMPLE_N = 60;
    static final int EXAMPLE_M = 50;
    static final int EXAMPLE_RANK = 4;
    static final long EXAMPLE_SEED = 7L;

    static final class Source {
        @Option(names = "--input", paramLabel = "V", description = "V as .csv, .mtx (Matrix Market) or .npy; .mtx coordinate and scipy .npz (CSR/CSC) are kept sparse")
        Path input;

        @Option(names = "--example", paramLabel = "NAME",
                description = "built-in instance instead of --input: 'planted' = V = W0·H0, 60x50, rank 4, instance seed 7")
        String example;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = {"-r", "--rank"}, description = "rank r, 1 <= r <= min(n, m) (default for --example planted: 4)")
    Integer rank;

    @Option(names = {"-a", "--algorithm"}, defaultValue = "mwu-adaptive",
            description = "mwu | mwu-adaptive | mwu-orbit | mu | mu-concurrent | hals | pg | anls-bpp | als-truncated | and"
                    + " (default: ${DEFAULT-VALUE})")
    String algorithm;

    @CommandLine.Mixin
    ExternalSolverOptions externalSolver = new ExternalSolverOptions();

    @CommandLine.Mixin
    StopOptions stop = new StopOptions();

    @Option(names = "--target-relative-error", paramLabel = "E",
            description = "stop at the first iterate with ‖V − WH‖_F / ‖V‖_F ≤ E (stop reason: condition met);"
                    + " default: none")
    Double targetRelativeError;

    @Option(names = "--kappa", defaultValue = "" + SolverOptions.DEFAULT_KAPPA,
            description = "step constant of mwu: ε = κ/C² (default: ${DEFAULT-VALUE})")
    double kappa;

    @Option(names = "--threads", defaultValue = "0", description = "worker threads, 0 = one per core, at most " + Inputs.MAX_THREADS + " (default: ${DEFAULT-VALUE}); results do not depend on it")
    int threads;

    @Option(names = "--blas", defaultValue = "auto", paramLabel = "KIND",
            description = "dense products: native (the OpenBLAS 0.3.31 shipped in the jar; same bits for any --threads"
                    + " on one CPU), java (own kernels; same bits on every machine with hardware FMA) or auto (native where it loads,"
                    + " with each product with V on whichever backend is faster for its shape; java otherwise)"
                    + " (default: ${DEFAULT-VALUE})")
    String blas;

    @Option(names = "--init", defaultValue = "random", paramLabel = "KIND",
            description = "start: random (seeded), nndsvd or nndsvda (Boutsidis & Gallopoulos; zeros stay zero for multiplicative"
                    + " updates) (default: ${DEFAULT-VALUE}); --init-w/--init-h override it")
    String init;

    @Option(names = "--init-w", paramLabel = "W0", description = "user start W0 (n×r); needs --init-h")
    Path initW;

    @Option(names = "--init-h", paramLabel = "H0", description = "user start H0 (r×m); needs --init-w")
    Path initH;

    @Option(names = "--escape", description = "certified saddle escape: certify the result (float mode); while it is a"
            + " certified saddle, step along the verified negative-curvature witness, F strictly decreasing, and run the"
            + " algorithm again from there; print one line per escape and the final status")
    boolean escape;

    @Option(names = "--max-escapes", paramLabel = "K", description = "with --escape: at most K escapes, K >= 1 (default: "
            + SaddleEscape.DEFAULT_MAX_ESCAPES + ")")
    Integer maxEscapes;

    @Option(names = "--escape-tol-first-order", paramLabel = "T", defaultValue = "1e-6", description = "with --escape: the"
            + " first-order tolerance of its certificates, in (0, 1) (certify's --tol-first-order; default: ${DEFAULT-VALUE})")
    double escapeTolFirst;

    @Option(names = "--out-w", paramLabel = "W", description = "write W here (.csv, .mtx or .npy)")
    Path outW;

    @Option(names = "--out-h", paramLabel = "H", description = "write H here (.csv, .mtx or .npy)")
    Path outH;

    @Option(names = "--out-v", paramLabel = "V", description = "write the input V here too (handy with --example)")
    Path outV;

    @Option(names = "--trace", paramLabel = "CSV", description = "write one row per iteration: " + TraceCsv.HEADER
            + " (if a value leaves the double range on the scale of V: " + TraceCsv.HEADER_NORMALISED
            + ", objective = objective_normalised·2^(4·exponent) etc.)")
    Path trace;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Option(names = "--json", description = "print one JSON object instead of the summary line (README \"solve --json\")")
    boolean json;

    /** Where V and the start come from (files; {@code serve} adds inline matrices). */
    Inputs.Reader reader = Inputs.FILES;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** V and the rank chosen from --input or --example. */
    record Instance(String name, io.github.nmforacle.linalg.DataMatrix v, int rank) {
    }

    static Instance example(String name, Integer rank) {
        if (!"planted".equals(name)) {
            throw new IllegalArgumentException("--example: unknown example '" + name + "', expected: planted");
        }
        DenseMatrix v = Instances.planted(EXAMPLE_N, EXAMPLE_M, EXAMPLE_RANK, EXAMPLE_SEED).v();
        return new Instance("example planted (" + EXAMPLE_N + "x" + EXAMPLE_M + ", planted rank " + EXAMPLE_RANK + ")",
                v, rank == null ? EXAMPLE_RANK : rank);
    }

    Instance instance() {
        if (source.example != null) {
            return example(source.example, rank);
        }
        if (rank == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rank is required with --input");
        }
        return new Instance(source.input.toString(), Inputs.readData(reader, source.input), rank);
    }

    /** What one run gave: the instance's name, V, the result and, with --escape, the escape's outcome. */
    record Outcome(String name, io.github.nmforacle.linalg.DataMatrix v, SolveResult result, SaddleEscape.Outcome escaped) {
    }

    @Override
    public Integer call() {
        Outcome oc = run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CliJson.compact(CliJson.solve(oc, outW, outH, trace)));
            return Main.EXIT_OK;
        }
        out.println(summary(oc.name(), oc.result()));
        SaddleEscape.Outcome escaped = oc.escaped();
        if (escaped != null) {
            for (SaddleEscape.Step step : escaped.steps()) {
                out.println(step.describe());
            }
            out.println((escaped.status() == SaddleEscape.Status.CERTIFIED_SOSP ? "escape: " : "escape: not certified SOSP: ")
                    + escaped.reason());
        }
        return Main.EXIT_OK;
    }

    /** Checks the options, reads the inputs, solves and writes the outputs: everything but printing. */
    Outcome run() {
        Solver external = externalSolver.solver(spec.commandLine().getParseResult().hasMatchedOption("--algorithm"));
        Solver solver = external != null ? external : Solvers.byName(algorithm);
        int escapes = Inputs.escapes(escape, maxEscapes);
        double escapeTolerance = Inputs.firstOrderTolerance("--escape-tol-first-order", escapeTolFirst);
        if ((initW == null) != (initH == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--init-w and --init-h must be given together");
        }
        Inputs.requireDistinct(Arrays.asList(source.input, initW, initH), Arrays.asList(outW, outH, trace, outV));
        OutputSet.check("--out-w", outW, OutputSet.Kind.MATRIX);
        OutputSet.check("--out-h", outH, OutputSet.Kind.MATRIX);
        OutputSet.check("--trace", trace, OutputSet.Kind.TRACE);
        OutputSet.check("--out-v", outV, OutputSet.Kind.MATRIX);
        Instance inst = instance();
        io.github.nmforacle.linalg.DataMatrix v = inst.v();
        if (inst.rank() < 1 || inst.rank() > Math.min(v.rows(), v.cols())) {
            throw new InputException(inst.name() + ": rank " + inst.rank() + " is outside [1, min(n, m)] = [1, "
                    + Math.min(v.rows(), v.cols()) + "] for a " + v.shape() + " matrix");
        }
        SolverOptions o = options(inst.rank());
        o = o.withInitial(namedStart(init, v, inst.rank()));
        if (initW != null) {
            o = o.withInitial(new FactorPair(Inputs.readFactor(reader, initW, "W0", v.rows(), inst.rank()),
                    Inputs.readFactor(reader, initH, "H0", inst.rank(), v.cols())));
        }
        SaddleEscape.Outcome escaped = null;
        SolveResult res;
        if (escapes > 0) {
            CertifyOptions co = CertifyOptions.nmf(Mode.FLOAT).withThreads(o.threads()).withTolerances(
                    Tolerances.DEFAULT.withFirstOrder(escapeTolerance));
            SaddleEscape wrapped = new SaddleEscape(solver, co, escapes);
            escaped = runWithProgress((vv, oo) -> wrapped.run(vv, oo), v, o, quiet, solver.name());
            res = escaped.result();
        } else {
            res = runWithProgress(solver::solve, v, o, quiet, solver.name());
        }
        requireFinite(inst.name(), v, res, trace != null);
        OutputSet outputs = stage(res, outW, outH, trace);
        if (outV != null) {
            outputs.stageMatrix(v.dense("--out-v"), outV);
        }
        outputs.commit();
        return new Outcome(inst.name(), v, res, escaped);
    }

    /**
     * Refuses a result with NaN or infinite entries, objective or (when it is written) trace values: nothing is written
     * then. The solvers normalise V by a power of two, so this is a guard, not an expected outcome on valid V; values
     * that merely leave the double range on the scale of V are finite in normalised units and reported as such.
     */
    static void requireFinite(String name, io.github.nmforacle.linalg.DataMatrix v, SolveResult res, boolean withTrace) {
        boolean finite = res.w().allFinite() && res.h().allFinite() && Double.isFinite(res.normalisedObjective())
                && Double.isFinite(res.relativeError());
        if (finite && withTrace) {
            for (TraceRow t : res.trace()) {
                if (!Double.isFinite(t.normalisedObjective()) || !Double.isFinite(t.relativeError())
                        || !Double.isFinite(t.normalisedResidual())) {
                    finite = false;
                    break;
                }
            }
        }
        if (!finite) {
            throw new InputException(String.format(Locale.ROOT, "%s: %s gave a result that is not finite (NaN or ∞ in W, H,"
                    + " the objective or the trace) on this V (largest entry %.3e); nothing was written", name,
                    res.algorithm(), maxAbs(v)));
        }
    }

    static double maxAbs(io.github.nmforacle.linalg.DataMatrix v) {
        double max = 0;
        double[] stored = v instanceof io.github.nmforacle.linalg.CsrMatrix c ? c.values() : ((DenseMatrix) v).data();
        for (double x : stored) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    /** A solver's W, H and trace staged for the paths given (null: not written), for one all-or-nothing commit. */
    static OutputSet stage(SolveResult res, java.nio.file.Path outW, java.nio.file.Path outH, java.nio.file.Path trace) {
        OutputSet outputs = new OutputSet();
        if (outW != null) {
            outputs.stageMatrix(res.w(), outW);
        }
        if (outH != null) {
            outputs.stageMatrix(res.h(), outH);
        }
        if (trace != null) {
            outputs.stageTrace(res.trace(), trace);
        }
        return outputs;
    }

    /** The start called {@code kind}: null for the solver's seeded random start, or NNDSVD / NNDSVDa. */
    static FactorPair namedStart(String kind, io.github.nmforacle.linalg.DataMatrix v, int r) {
        return switch (kind) {
            case "random" -> null;
            case "nndsvd", "nndsvda" -> io.github.nmforacle.solve.Nndsvd.nndsvd(v, r, kind.equals("nndsvda"),
                    io.github.nmforacle.linalg.Parallel.sequential());
            default -> throw new IllegalArgumentException("--init: unknown start '" + kind + "', expected random, nndsvd or nndsvda");
        };
    }

    SolverOptions options(int r) {
        SolverOptions o = stop.options(r).withThreads(Inputs.threads("--threads", threads)).withKappa(kappa)
                .withBlas(io.github.nmforacle.linalg.Blas.parse(blas));
        if (targetRelativeError != null) {
            double e = targetRelativeError;
            if (!(e >= 0) || Double.isInfinite(e)) {
                throw new IllegalArgumentException("--target-relative-error must be a finite number >= 0, got " + e);
            }
            o = o.withStopWhen(row -> row.relativeError() <= e);
        }
        return o;
    }

    /** Runs the solver, with a progress bar on stderr only when a terminal is attached and not quiet. */
    static SolveResult runWithProgress(Solver solver, io.github.nmforacle.linalg.DataMatrix v, SolverOptions o,
                                       boolean quiet, String task) {
        return runWithProgress((SolverRun<SolveResult>) solver::solve, v, o, quiet, task);
    }

    /** A run of V with options (a solver's, or the saddle escape's). */
    interface SolverRun<T> {
        T run(io.github.nmforacle.linalg.DataMatrix v, SolverOptions o);
    }

    static <T> T runWithProgress(SolverRun<T> solver, io.github.nmforacle.linalg.DataMatrix v, SolverOptions o, boolean quiet, String task) {
        if (quiet || System.console() == null || o.maxIterations() < 50) {
            return solver.run(v, o);
        }
        try (ProgressBar pb = new ProgressBarBuilder().setTaskName(task).setInitialMax(o.maxIterations())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            IterationListener user = o.listener();
            IterationListener bar = (TraceRow row, Supplier<FactorPair> point) -> {
                pb.stepTo(row.iteration());
                pb.setExtraMessage(String.format(Locale.ROOT, "rel.err %.3e", row.relativeError()));
                if (user != null) {
                    user.onIterate(row, point);
                }
            };
            return solver.run(v, o.withListener(bar));
        }
    }

    static String summary(String name, SolveResult r) {
        List<TraceRow> t = r.trace();
        String residual = t.isEmpty() ? "NaN" : Scaling.format("%.3e", t.get(t.size() - 1).normalisedResidual(), 3 * r.exponent());
        String flushed = r.flushedEntries() == 0 ? "" : String.format(Locale.ROOT, "; %d entries of V are below 2^-1022"
                + " times 2^%d (about 2^-1024 max V) and counted as 0", r.flushedEntries(), 2 * r.exponent());
        return String.format(Locale.ROOT,
                "%s on %s: objective %s, relative error %.4e, first-order residual %s, iterations %d (%s), time %.2f s%s",
                r.algorithm(), name, r.objectiveText("%.6e"), r.relativeError(), residual, r.iterations(),
                r.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '), r.seconds(), flushed);
    }
}
