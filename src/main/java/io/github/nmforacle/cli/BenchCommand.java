package io.github.nmforacle.cli;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.NativeBlas;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.testkit.Instances;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: time of one mwu-adaptive iteration against one plain product V·Hᵀ on the same dense
 * matrix, with the Java kernels and the bundled OpenBLAS side by side in one run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time the products V·Hᵀ, Wᵀ·V, both in one pass over V, and one mwu-adaptive and one mwu-orbit iteration (dense uniform V, n x m, rank r),",
                "with the Java kernels and the bundled OpenBLAS side by side. Prints medians over repeats."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--n", defaultValue = "2000", description = "rows (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--m", defaultValue = "2000", description = "columns (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = {"-r", "--rank"}, defaultValue = "20", description = "rank (default: ${DEFAULT-VALUE})")
    int r;

    @Option(names = "--repeats", defaultValue = "30", description = "timed products and iterations (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--threads", defaultValue = "0", description = "threads, 0 = one per core, at most " + Inputs.MAX_THREADS + " (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--blas", defaultValue = "both", description = "products: both (java and native side by side, in"
            + " one run), java, native or auto (default: ${DEFAULT-VALUE})")
    String blas;

    @Option(names = "--certify", description = "instead: time float certificates at an mwu-adaptive output (n x m, rank r),"
            + " and find the largest N that exact mode decides within --exact-budget seconds")
    boolean certify;

    @Option(names = "--exact-budget", defaultValue = "10", description = "seconds for the exact-mode search (default: ${DEFAULT-VALUE})")
    double exactBudget;

    @Option(names = "--planted", description = "with --certify: instead, certify and check a converged fit (--algorithm) of a"
            + " planted n x m, rank r matrix with 0.5 %% noise (issue 13's table: method that decided, times, peak heap)")
    boolean planted;

    @Option(names = "--algorithm", defaultValue = "hals", description = "with --certify --planted: the solver of the fit"
            + " (default: ${DEFAULT-VALUE})")
    String algorithm;

    @Option(names = "--iterations", defaultValue = "20000", description = "with --certify --planted: its iterations, no"
            + " objective tolerance (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--saddle", description = "with --certify --planted: instead of a fit, a planted first-order saddle of"
            + " that size (testkit StationaryPoints.plantedSaddle): l (curvature -1e-3*eta inside L) or cone (negative"
            + " curvature only through degenerate coordinates, d_D >= 0)")
    String saddle;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Inputs.threads("--threads", threads);
        if (certify) {
            CertifyBench cb = new CertifyBench(spec.commandLine().getOut(), n, m, r, threads, exactBudget);
            if (saddle != null) {
                if (!planted || !(saddle.equals("l") || saddle.equals("cone"))) {
                    throw new IllegalArgumentException("bench: --saddle takes l or cone and goes with --certify --planted, got "
                            + saddle);
                }
                return cb.saddle(saddle.equals("cone"));
            }
            if (iterations < 1 || iterations > 10_000_000) {
                throw new IllegalArgumentException("bench: --iterations must be between 1 and 10000000, got " + iterations);
            }
            return planted ? cb.planted(Solvers.byName(algorithm), iterations) : cb.run();
        }
        if (n < 1 || m < 1 || r < 1 || r > Math.min(n, m) || (long) n * m > 200_000_000L) {
            throw new IllegalArgumentException("bench: need 1 <= r <= min(n, m) and n*m <= 2e8, got n=" + n + ", m=" + m + ", r=" + r);
        }
        if (repeats < 3) {
            throw new IllegalArgumentException("bench: --repeats must be at least 3, got " + repeats);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Blas> backends = new ArrayList<>();
        String unavailable = null;
        if ("both".equalsIgnoreCase(blas.trim())) {
            backends.add(Blas.JAVA);
            if (NativeBlas.available()) {
                backends.add(Blas.NATIVE);
            } else {
                unavailable = NativeBlas.unavailableReason();
            }
        } else {
            Blas b = Blas.parse(blas);
            Blas resolved = b.resolve();
            // auto stays auto where it loads: it picks the backend per product by shape, unlike native
            backends.add(b == Blas.AUTO && resolved == Blas.NATIVE ? Blas.AUTO : resolved);
        }
        DenseMatrix v = Instances.uniform(n, m, 7);
        List<double[]> rows = new ArrayList<>();   // per backend: V·Hᵀ, Wᵀ·V, both in one pass, iterations (ms)
        int usedThreads = 0;
        int timedIterations = 0;
        String stop = "";
        for (Blas backend : backends) {
            double[] prod = timeProducts(v, backend);
            usedThreads = (int) prod[2];
            SolverOptions o = SolverOptions.rank(r).withMaxIterations(repeats + 10).withObjectiveTolerance(0)
                    .withThreads(threads).withBlas(backend);
            double[] row = {prod[0], prod[1], prod[3], 0, 0};
            String[] algorithms = {"mwu-adaptive", "mwu-orbit"};
            for (int a = 0; a < algorithms.length; a++) {
                SolveResult res = Solvers.byName(algorithms[a]).solve(v, o);
                var t = res.trace();
                // skip the first 10 iterations (JIT warm-up); each row's time includes measuring objective and residual
                double[] iter = new double[t.size() - 11];
                for (int i = 11; i < t.size(); i++) {
                    iter[i - 11] = (t.get(i).seconds() - t.get(i - 1).seconds()) * 1e3;
                }
                row[3 + a] = median(iter);
                if (a == 0) {
                    timedIterations = iter.length;
                    stop = res.stopReason().name().toLowerCase(Locale.ROOT);
                }
            }
            rows.add(row);
        }
        out.printf(Locale.ROOT, "bench: dense uniform V %dx%d, rank %d, %d threads, Java %s, %d repeats (medians, ms)%n",
                n, m, r, usedThreads, System.getProperty("java.version"), repeats);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-24s", ""));
        for (Blas b : backends) {
            head.append(String.format(Locale.ROOT, "%11s", b.name().toLowerCase(Locale.ROOT)));
        }
        if (backends.size() == 2) {
            head.append(String.format(Locale.ROOT, "%14s", "java/native"));
        }
        out.println(head);
        String[] names = {"product V·Hᵀ", "product Wᵀ·V", "both, one pass over V", "mwu-adaptive iteration",
            "mwu-orbit iteration"};
        for (int k = 0; k < names.length; k++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", names[k]));
            for (double[] row : rows) {
                line.append(String.format(Locale.ROOT, "%11.3f", row[k]));
            }
            if (rows.size() == 2) {
                line.append(String.format(Locale.ROOT, "%13.2fx", rows.get(0)[k] / rows.get(1)[k]));
            }
            out.println(line);
        }
        StringBuilder ratio = new StringBuilder(String.format(Locale.ROOT, "%-24s", "iteration / V·Hᵀ"));
        for (double[] row : rows) {
            ratio.append(String.format(Locale.ROOT, "%11.2f", row[3] / row[0]));
        }
        out.println(ratio);
        out.printf(Locale.ROOT, "(%d iterations timed per backend and solver, mwu-adaptive's stop: %s; \"one pass\" is"
                + " NmfProblem.productsWithData, fused on native only)%n", timedIterations, stop);
        out.println("native: " + (unavailable != null ? "unavailable (" + unavailable + ")"
                : backends.contains(Blas.NATIVE) || backends.contains(Blas.AUTO) ? NativeBlas.description() : "not run"));
        return Main.EXIT_OK;
    }

    /** Medians of the two products with V on {@code backend}, the thread count used, and both in one call. */
    private double[] timeProducts(DenseMatrix v, Blas backend) {
        DenseMatrix h = Instances.uniform(r, m, 8);
        DenseMatrix w = Instances.uniform(n, r, 9);
        double[] vht = new double[n * r];
        double[] wtv = new double[r * m];
        double[] prodVHt = new double[repeats];
        double[] prodWtV = new double[repeats];
        double[] prodBoth = new double[repeats];
        try (Parallel par = Parallel.withThreads(threads, backend)) {
            NmfProblem prob = NmfProblem.of(v, r, par);
            for (int i = 0; i < 5; i++) {  // warm-up for the JIT
                prob.dataTimesHt(h.data(), vht);
                prob.wtTimesData(w.data(), wtv);
            }
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                prob.dataTimesHt(h.data(), vht);
                prodVHt[i] = (System.nanoTime() - t0) * 1e-6;
                t0 = System.nanoTime();
                prob.wtTimesData(w.data(), wtv);
                prodWtV[i] = (System.nanoTime() - t0) * 1e-6;
                t0 = System.nanoTime();
                prob.productsWithData(w.data(), h.data(), vht, wtv);
                prodBoth[i] = (System.nanoTime() - t0) * 1e-6;
            }
            return new double[]{median(prodVHt), median(prodWtV), par.threads(), median(prodBoth)};
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int k = s.length;
        return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
    }
}
