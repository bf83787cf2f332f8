package io.github.nmforacle.reproduce;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.StopReason;
import io.github.nmforacle.solve.TraceRow;
import io.github.nmforacle.testkit.Instances;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Figure 1 of the paper (Section 6): the number of iterations an algorithm needs to bring the error
 * ‖V − WH‖_F below 1% of the error at its own start (iteration 0 of the same run), on random n×n matrices
 * of rank r with entries in [0, 1], over a grid of n and r.
 *
 * <p>Instance: V = W₀H₀ / max(W₀H₀), W₀ (n×r) and H₀ (r×n) uniform in [0, 1) from
 * {@code new SplittableRandom(seed)} (W₀ row by row, then H₀; {@link Instances#planted}). Every algorithm runs
 * on the same V with the same start seed, {@link #startSeed}(seed) = seed + 1000 — never the instance seed itself:
 * the solvers draw their starts from {@code new SplittableRandom(startSeed)} in the same order as W₀ and H₀ were
 * drawn, so equal seeds would make the start a function of the planted factors (MWU's exponential start
 * −ln(1 − u) increasing in W₀, MU's and HALS's (1 − u)·scale decreasing), which measurably changes the counts.
 * Each algorithm draws its start from that seed in its own way (the MWU family
 * uniformly on its simplex of mass C = 4r(nm)^{1/4}√‖V‖_F, Lee–Seung MU and HALS uniformly at the scale of V),
 * so the initial errors differ: they are reported. A run stops as soon as the target is met (the solver's
 * stopping condition, {@link SolverOptions#stopWhen()}) or after the iteration budget.
 */
public final class Fig1 {
    public static final List<Integer> DEFAULT_NS = List.of(20, 50, 100, 200);
    public static final List<Integer> DEFAULT_RANKS = List.of(2, 5, 10);
    public static final int DEFAULT_SEED_COUNT = 3;
    public static final long DEFAULT_FIRST_SEED = 1;
    public static final int DEFAULT_BUDGET = 20_000;
    public static final List<String> DEFAULT_ALGORITHMS = List.of("mwu", "mwu-adaptive", "mu", "hals");
    /** The target: error ≤ this fraction of the error at iteration 0. */
    public static final double TARGET_FRACTION = 0.01;

    public static final String CSV_HEADER = "algorithm,n,r,seed,iterations,status,seconds,iterations_run,"
            + "initial_relative_error,relative_error_at_stop";

    /** Added to the instance seed to get the start seed (see the class comment for why they must differ). */
    public static final long START_SEED_OFFSET = 1000;

    /** One line that states how the instances are built (printed and written with the results). */
    public static final String CONSTRUCTION = "V = W0*H0 / max(W0*H0), W0 (n x r) and H0 (r x n) uniform in [0,1) "
            + "from java.util.SplittableRandom(seed) (W0 row by row, then H0); entries of V in [0,1], rank r; "
            + "random start of every algorithm from start seed = seed + " + START_SEED_OFFSET;

    private Fig1() {
    }

    /**
     * What to run.
     *
     * @param ns         the sizes n (V is n×n)
     * @param ranks      the ranks r (pairs with r > n are skipped)
     * @param seeds      instance seeds (the start seed of every algorithm is {@link #startSeed}(seed))
     * @param budget     iterations per run
     * @param algorithms names for {@link Solvers#byName}; names not registered are skipped with a message
     * @param threads    threads of each run (0 = one per core); results do not depend on it
     * @param relativeErrorTarget 0 for the paper's target (error ≤ 1% of the error at iteration 0); otherwise a fixed
     *                   target on ‖V − WH‖_F / ‖V‖_F, the same for every algorithm whatever its start
     */
    public record Config(List<Integer> ns, List<Integer> ranks, List<Long> seeds, int budget, List<String> algorithms,
                         int threads, double relativeErrorTarget) {
        public Config {
            ns = List.copyOf(ns);
            ranks = List.copyOf(ranks);
            seeds = List.copyOf(seeds);
            algorithms = List.copyOf(algorithms);
            if (ns.isEmpty() || ranks.isEmpty() || seeds.isEmpty() || algorithms.isEmpty()) {
                throw new IllegalArgumentException("fig1: the lists of n, r, seeds and algorithms must not be empty");
            }
            for (int n : ns) {
                if (n < 1 || n > 5000) {
                    throw new IllegalArgumentException("fig1: n must be in [1, 5000], got " + n);
                }
            }
            for (int r : ranks) {
                if (r < 1) {
                    throw new IllegalArgumentException("fig1: r must be at least 1, got " + r);
                }
            }
            int smallestRank = ranks.stream().mapToInt(Integer::intValue).min().getAsInt();
            int largestN = ns.stream().mapToInt(Integer::intValue).max().getAsInt();
            if (smallestRank > largestN) {
                throw new IllegalArgumentException("fig1: --rank " + smallestRank + " is above every --n (largest " + largestN
                        + "); r <= n is needed, so nothing would run");
            }
            if (budget < 1) {
                throw new IllegalArgumentException("fig1: the budget must be at least 1 iteration, got " + budget);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("fig1: threads must be >= 0 (0 = one per core), got " + threads);
            }
            if (!(relativeErrorTarget >= 0 && relativeErrorTarget < 1e6)) {
                throw new IllegalArgumentException("fig1: the relative-error target must be a number >= 0 (0 = the paper's"
                        + " 1% of the initial error), got " + relativeErrorTarget);
            }
        }

        /** The paper's target: error ≤ 1% of the error at iteration 0 of the same run. */
        public boolean paperTarget() {
            return relativeErrorTarget == 0;
        }

        /** The target in words, e.g. "1% of the initial error" or "relative error 0.01". */
        public String targetText() {
            return paperTarget() ? "1% of the initial error"
                    : "relative error ||V - WH||/||V|| <= " + String.format(Locale.ROOT, "%.3g", relativeErrorTarget);
        }

        /** The default grid: n ∈ {20, 50, 100, 200}, r ∈ {2, 5, 10}, seeds 1–3, budget 20000, all four algorithms. */
        public static Config defaults() {
            return new Config(DEFAULT_NS, DEFAULT_RANKS, seeds(DEFAULT_FIRST_SEED, DEFAULT_SEED_COUNT), DEFAULT_BUDGET,
                    DEFAULT_ALGORITHMS, 1, 0);
        }

        public Config withBudget(int b) {
            return new Config(ns, ranks, seeds, b, algorithms, threads, relativeErrorTarget);
        }

        /** first, first + 1, …, first + count − 1. */
        public static List<Long> seeds(long first, int count) {
            if (count < 1) {
                throw new IllegalArgumentException("fig1: need at least one seed, got " + count);
            }
            List<Long> s = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                s.add(first + i);
            }
            return s;
        }
    }

    /**
     * One run.
     *
     * @param iterations           the first iteration t ≥ 1 that meets the target (error_t ≤ 1% of error_0, or the
     *                             fixed relative-error target), or null if not reached
     * @param status               "reached", "budget" (the budget ran out first) or the solver's own stop
     *                             (e.g. "step-too-large", "no-descent")
     * @param seconds              wall-clock seconds from the start of the run to that iterate (or to the stop)
     * @param iterationsRun        updates performed
     * @param initialRelativeError ‖V − W₀H₀‖_F / ‖V‖_F at iteration 0 of this run
     * @param relativeErrorAtStop  the same at the last iterate
     */
    public record Run(String algorithm, int n, int r, long seed, Integer iterations, String status, double seconds,
                      int iterationsRun, double initialRelativeError, double relativeErrorAtStop) {
        public boolean reached() {
            return iterations != null;
        }

        Run withSeed(long s) {
            return new Run(algorithm, n, r, s, iterations, status, seconds, iterationsRun, initialRelativeError,
                    relativeErrorAtStop);
        }

        /** error at stop / initial error (≤ 0.01 when reached). */
        public double remainingFraction() {
            return relativeErrorAtStop / initialRelativeError;
        }
    }

    /** All runs of a configuration, and the algorithms that were skipped (with the reason). */
    public record Result(Config config, int jobs, List<String> algorithms, List<Run> runs, List<String> skipped,
                         double seconds) {
        public Result {
            algorithms = List.copyOf(algorithms);
            runs = List.copyOf(runs);
            skipped = List.copyOf(skipped);
        }

        /** The runs of one cell (algorithm, n, r), in seed order. */
        public List<Run> cell(String algorithm, int n, int r) {
            return runs.stream().filter(x -> x.algorithm().equals(algorithm) && x.n() == n && x.r() == r).toList();
        }
    }

    /** The start seed of every algorithm on instance {@code seed}: seed + {@value #START_SEED_OFFSET}. */
    public static long startSeed(long seed) {
        return seed + START_SEED_OFFSET;
    }

    /** V for (n, r, seed), as stated in {@link #CONSTRUCTION}. */
    public static DenseMatrix instance(int n, int r, long seed) {
        DenseMatrix p = Instances.planted(n, n, r, seed).v();
        double[] a = p.data();
        double max = 0;
        for (double x : a) {
            max = Math.max(max, x);
        }
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i] / max;
        }
        return new DenseMatrix(n, n, b);
    }

    /** Runs {@code solver} on V from start seed {@code seed} until the error is ≤ 1% of its start or the budget is spent. */
    public static Run measure(Solver solver, DenseMatrix v, int r, long seed, int budget, int threads) {
        return measure(solver, v, r, seed, budget, threads, 0);
    }

    /**
     * Runs {@code solver} on V from start seed {@code seed} (the returned Run carries it) until the target is met or
     * the budget is spent; {@code relativeErrorTarget} 0 means
     * the paper's target (≤ 1% of the error at iteration 0), otherwise relative error ≤ the given value.
     */
    public static Run measure(Solver solver, DenseMatrix v, int r, long seed, int budget, int threads,
                              double relativeErrorTarget) {
        TraceRow[] first = new TraceRow[1];
        Predicate<TraceRow> target = row -> {
            if (row.iteration() == 0) {
                first[0] = row;
                return false;
            }
            return row.relativeError() <= (relativeErrorTarget > 0 ? relativeErrorTarget
                    : TARGET_FRACTION * first[0].relativeError());
        };
        SolverOptions o = SolverOptions.rank(r).withMaxIterations(budget).withObjectiveTolerance(0)
                .withSeed(seed).withThreads(threads).withStopWhen(target);
        SolveResult res = solver.solve(v, o);
        boolean hit = res.stopReason() == StopReason.CONDITION_MET;
        String status = hit ? "reached" : res.stopReason() == StopReason.MAX_ITERATIONS ? "budget"
                : res.stopReason().name().toLowerCase(Locale.ROOT).replace('_', '-');
        TraceRow end = res.trace().get(res.trace().size() - 1);
        return new Run(solver.name(), v.rows(), r, seed, hit ? end.iteration() : null, status, end.seconds(),
                end.iteration(), first[0].relativeError(), end.relativeError());
    }

    /**
     * Runs the grid, {@code jobs} runs at a time (each on {@code config.threads()} threads); the runs do not
     * depend on each other, so the results do not depend on {@code jobs} (only the seconds do, through contention).
     * {@code log} receives one line per finished run and per skipped algorithm (may be null; called from worker
     * threads, one line at a time).
     */
    public static Result run(Config c, int jobs, Consumer<String> log) {
        if (jobs < 1) {
            throw new IllegalArgumentException("fig1: jobs must be at least 1, got " + jobs);
        }
        Consumer<String> out = log == null ? s -> { } : line -> {
            synchronized (Fig1.class) {
                log.accept(line);
            }
        };
        long t0 = System.nanoTime();
        Map<String, Solver> solvers = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (String name : c.algorithms()) {
            try {
                solvers.put(name, Solvers.byName(name));
            } catch (IllegalArgumentException e) {
                String msg = name + ": not registered in solve.Solvers (known: " + String.join(", ", Solvers.names())
                        + "); skipped";
                skipped.add(msg);
                out.accept("fig1: skipping " + msg);
            }
        }
        List<Callable<Run>> tasks = new ArrayList<>();
        for (int n : c.ns()) {
            for (int r : c.ranks()) {
                if (r > n) {
                    out.accept("fig1: skipping n=" + n + ", r=" + r + " (r > n)");
                    continue;
                }
                for (long seed : c.seeds()) {
                    for (Solver s : solvers.values()) {
                        tasks.add(() -> {
                            Run x = measure(s, instance(n, r, seed), r, startSeed(seed), c.budget(), c.threads(),
                                    c.relativeErrorTarget());
                            x = x.withSeed(seed);  // report the instance seed; the start seed follows from it
                            out.accept(String.format(Locale.ROOT, "fig1: %-12s n=%-4d r=%-3d seed=%-3d %s",
                                    x.algorithm(), n, r, seed, describe(x)));
                            return x;
                        });
                    }
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(1, tasks.size())), daemon());
        try {
            List<Future<Run>> futures = new ArrayList<>();
            for (Callable<Run> t : tasks) {
                futures.add(pool.submit(t));
            }
            for (Future<Run> f : futures) {
                runs.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fig1: interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        return new Result(c, jobs, new ArrayList<>(solvers.keySet()), runs, skipped, (System.nanoTime() - t0) * 1e-9);
    }

    private static ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "fig1-run");
            t.setDaemon(true);
            return t;
        };
    }

    private static String describe(Run x) {
        if (x.reached()) {
            return String.format(Locale.ROOT, "%d iterations, %.3f s (error %.3e -> %.3e)", x.iterations(), x.seconds(),
                    x.initialRelativeError(), x.relativeErrorAtStop());
        }
        return String.format(Locale.ROOT, "NOT reached: %s after %d iterations, %.3f s; %s",
                x.status(), x.iterationsRun(), x.seconds(), progress(x.remainingFraction()));
    }

    // ---------------------------------------------------------------- summaries

    /** Iterations of the runs with "not reached" as +∞, sorted. */
    static double[] censored(List<Run> runs) {
        return runs.stream().mapToDouble(x -> x.reached() ? x.iterations() : Double.POSITIVE_INFINITY).sorted().toArray();
    }

    /** The median (mean of the two middle values for an even count; +∞ when a middle value is not reached). */
    static double median(double[] sorted) {
        int k = sorted.length;
        if (k == 0) {
            return Double.NaN;
        }
        return k % 2 == 1 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
    }

    static String count(double v, int budget) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return ">" + budget;
        }
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** The CSV: one row per run. */
    public static String csv(Result res) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Run x : res.runs()) {
            b.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%s,%s,%.6f,%d,%.9e,%.9e%n", x.algorithm(), x.n(), x.r(), x.seed(),
                    x.reached() ? String.valueOf(x.iterations()) : "", x.status(), x.seconds(), x.iterationsRun(),
                    x.initialRelativeError(), x.relativeErrorAtStop()));
        }
        return b.toString();
    }

    /** The printed report: construction, the table of iterations (median / max), seconds, and where budgets ran out. */
    public static String report(Result res) {
        Config c = res.config();
        StringBuilder b = new StringBuilder();
        b.append(c.paperTarget()
                ? "Figure 1 (Section 6): iterations until ||V - WH||_F <= 1% of its value at iteration 0 of the same run\n"
                : "Figure 1 variant: iterations until the " + c.targetText() + " (not the paper's 1%-of-initial rule)\n");
        b.append("instances: ").append(CONSTRUCTION).append('\n');
        b.append(String.format(Locale.ROOT, "seeds %s (instance seeds; start seed = seed + " + START_SEED_OFFSET
                + ", the same for every algorithm), budget %d iterations"
                + " per run, objective tolerance 0; %d run(s) at a time, threads per run: %s%n", c.seeds(), c.budget(), res.jobs(),
                c.threads() == 0 ? "all cores" : String.valueOf(c.threads())));
        for (String s : res.skipped()) {
            b.append("skipped: ").append(s).append('\n');
        }
        b.append('\n').append("iterations to ").append(c.targetText()).append(", median / max over the seeds (>B: budget B ran out)\n");
        table(b, res, true);
        b.append('\n').append("seconds to ").append(c.targetText()).append(" (or until the budget ran out), median over the seeds\n");
        table(b, res, false);
        b.append('\n').append("relative error ||V - WH||/||V|| at iteration 0, median over the seeds (each algorithm starts its own"
                + " way" + (c.paperTarget() ? ", so the 1% targets differ" : "") + ")\n");
        errorTable(b, res, Run::initialRelativeError);
        b.append('\n').append("relative error ||V - WH||/||V|| when the run stopped (target met, or budget), median over the seeds\n");
        errorTable(b, res, Run::relativeErrorAtStop);
        b.append('\n');
        notes(b, res);
        b.append(String.format(Locale.ROOT, "total %.1f s%n", res.seconds()));
        return b.toString();
    }

    private static List<Integer> ranksRun(Result res, int n) {
        return res.config().ranks().stream().filter(r -> r <= n).toList();
    }

    private static void table(StringBuilder b, Result res, boolean iterations) {
        Config c = res.config();
        List<String> header = new ArrayList<>(List.of("algorithm", "r"));
        for (int n : c.ns()) {
            header.add("n=" + n);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String a : res.algorithms()) {
            for (int r : c.ranks()) {
                List<String> row = new ArrayList<>(List.of(a, String.valueOf(r)));
                for (int n : c.ns()) {
                    List<Run> cell = res.cell(a, n, r);
                    if (cell.isEmpty()) {
                        row.add("-");
                    } else if (iterations) {
                        double[] s = censored(cell);
                        row.add(count(median(s), c.budget()) + " / " + count(s[s.length - 1], c.budget()));
                    } else {
                        double[] t = cell.stream().mapToDouble(Run::seconds).sorted().toArray();
                        row.add(String.format(Locale.ROOT, "%.3g", median(t)));
                    }
                }
                rows.add(row);
            }
        }
        align(b, header, rows);
    }

    private static void errorTable(StringBuilder b, Result res, java.util.function.ToDoubleFunction<Run> what) {
        Config c = res.config();
        List<String> header = new ArrayList<>(List.of("algorithm", "r"));
        for (int n : c.ns()) {
            header.add("n=" + n);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String a : res.algorithms()) {
            for (int r : c.ranks()) {
                List<String> row = new ArrayList<>(List.of(a, String.valueOf(r)));
                for (int n : c.ns()) {
                    double[] e = res.cell(a, n, r).stream().mapToDouble(what).sorted().toArray();
                    row.add(e.length == 0 ? "-" : String.format(Locale.ROOT, "%.3g", median(e)));
                }
                rows.add(row);
            }
        }
        align(b, header, rows);
    }

    /** Where the budget (or the solver) stopped a run before the target, per algorithm. */
    private static void notes(StringBuilder b, Result res) {
        Config c = res.config();
        for (String a : res.algorithms()) {
            List<Run> all = res.runs().stream().filter(x -> x.algorithm().equals(a)).toList();
            List<Run> missed = all.stream().filter(x -> !x.reached()).toList();
            if (missed.isEmpty()) {
                b.append(String.format(Locale.ROOT, "%s: reached the target in all %d runs within the budget of %d%n",
                        a, all.size(), c.budget()));
                continue;
            }
            StringBuilder cells = new StringBuilder();
            for (int n : c.ns()) {
                for (int r : ranksRun(res, n)) {
                    List<Run> cell = res.cell(a, n, r);
                    long k = cell.stream().filter(x -> !x.reached()).count();
                    if (k > 0) {
                        double worst = cell.stream().filter(x -> !x.reached()).mapToDouble(Run::remainingFraction).min().orElse(Double.NaN);
                        double best = cell.stream().filter(x -> !x.reached()).mapToDouble(Run::relativeErrorAtStop).min().orElse(Double.NaN);
                        String why = cell.stream().filter(x -> !x.reached()).map(Run::status).distinct()
                                .reduce((p, q) -> p + "/" + q).orElse("");
                        cells.append(String.format(Locale.ROOT, "%n    n=%d r=%d: %d of %d seeds (%s; %s)", n, r, k, cell.size(),
                                why, c.paperTarget() ? progress(worst)
                                        : String.format(Locale.ROOT, "relative error still >= %.3g", best)));
                    }
                }
            }
            double seconds = missed.stream().mapToDouble(Run::seconds).sum();
            b.append(String.format(Locale.ROOT, "%s: did NOT reach the target (%s) in %d of %d runs (budget %d iterations;"
                    + " %.1f s spent in those runs):%s%n", a, c.targetText(), missed.size(), all.size(), c.budget(), seconds, cells));
        }
    }

    /**
     * How far a run that missed the target got, from the least remaining fraction f = error at stop / initial error:
     * "at most 6.6e-04 of the initial error removed" when almost nothing moved (f ≥ 0.99), else "error still >= 1.16%
     * of the initial".
     */
    static String progress(double f) {
        if (f >= 0.99) {
            return String.format(Locale.ROOT, "at most %.2g of the initial error removed", Math.max(0, 1 - f));
        }
        return "error still >= " + percent(f) + " of the initial";
    }

    /**
     * A fraction as a percentage that keeps 3 significant digits of the part that matters: of the percentage itself
     * below 50% (4.86e-4 → "0.0486%"), of its distance to 100% above (0.999514 → "99.9514%", not "100%").
     */
    static String percent(double f) {
        double p = 100 * f;
        if (Double.isNaN(p) || Double.isInfinite(p)) {
            return "n/a";
        }
        if (!(p > 50) || p >= 100) {
            return new java.math.BigDecimal(p).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString() + "%";
        }
        int decimals = (int) Math.min(15, Math.max(1, 2 - Math.floor(Math.log10(100 - p))));
        String t = String.format(Locale.ROOT, "%." + decimals + "f", p);
        return (t.contains(".") ? t.replaceAll("0+$", "").replaceAll("\\.$", "") : t) + "%";
    }

    static void align(StringBuilder b, List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> row : rows) {
                w[i] = Math.max(w[i], row.get(i).length());
            }
        }
        appendRow(b, header, w);
        StringBuilder dash = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            dash.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        b.append(dash).append('\n');
        for (List<String> row : rows) {
            appendRow(b, row, w);
        }
    }

    private static void appendRow(StringBuilder b, List<String> row, int[] w) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String cellText = row.get(i);
            if (i > 0) {
                line.append("  ");
            }
            // text columns left-aligned, numbers right-aligned
            line.append(i < 1 ? pad(cellText, w[i], true) : pad(cellText, w[i], false));
        }
        b.append(line.toString().stripTrailing()).append('\n');
    }

    private static String pad(String s, int w, boolean left) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return left ? s + fill : fill + s;
    }

    // ---------------------------------------------------------------- chart

    /**
     * One panel per rank: x = n (log scale), y = median iterations to 1% (log scale), one line per algorithm;
     * a median that is not reached is drawn on the dashed budget line (it is then a lower bound).
     */
    public static List<XYChart> charts(Result res) {
        Config c = res.config();
        List<XYChart> charts = new ArrayList<>();
        for (int r : c.ranks()) {
            List<Integer> ns = c.ns().stream().filter(n -> n >= r).sorted().toList();
            if (ns.isEmpty()) {
                continue;
            }
            XYChart ch = Charts.xy(String.format(Locale.ROOT, "Fig. 1, r = %d: iterations to %s (median of %d seeds)",
                    r, c.targetText(), c.seeds().size()), "n (V is n x n, entries in [0,1], rank r)", "iterations (log scale)", 620, 560);
            ch.getStyler().setYAxisLogarithmic(true);
            ch.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            ch.getStyler().setXAxisMin(0.0);
            ch.getStyler().setXAxisMax(ns.get(ns.size() - 1) * 1.05);
            int k = 0;
            for (String a : res.algorithms()) {
                double[] x = new double[ns.size()];
                double[] y = new double[ns.size()];
                boolean anyCensored = false;
                for (int i = 0; i < ns.size(); i++) {
                    double med = median(censored(res.cell(a, ns.get(i), r)));
                    x[i] = ns.get(i);
                    y[i] = Double.isInfinite(med) ? c.budget() : Math.max(1, med);
                    anyCensored |= Double.isInfinite(med);
                }
                XYSeries s = ch.addSeries(a + (anyCensored ? " (on the budget line: not reached)" : ""), x, y);
                s.setLineColor(Charts.COLORS[k % Charts.COLORS.length]);
                s.setMarkerColor(Charts.COLORS[k % Charts.COLORS.length]);
                s.setMarker(Charts.MARKERS[k % Charts.MARKERS.length]);
                k++;
            }
            double[] bx = {ns.get(0), ns.get(ns.size() - 1) == ns.get(0) ? ns.get(0) * 1.01 : ns.get(ns.size() - 1)};
            double[] by = {c.budget(), c.budget()};
            Charts.line(ch, "budget " + c.budget(), bx, by, Color.GRAY, true);
            ch.getStyler().setYAxisMax(c.budget() * 3.0);
            ch.getStyler().setYAxisMin(1.0);
            charts.add(ch);
        }
        return charts;
    }

    /** Writes fig1.csv, fig1.png and fig1.txt (the report) into the folder. */
    public static List<java.nio.file.Path> write(Result res, OutputFolder out) {
        List<XYChart> charts = charts(res);
        return Arrays.asList(out.writeText("fig1.csv", csv(res)),
                out.writePng("fig1.png", charts, 1, Math.max(1, charts.size())),
                out.writeText("fig1.txt", report(res)));
    }
}
