package io.github.nmforacle.cli;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.testkit.Instances;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: time of one mwu-adaptive iteration against one plain product V·Hᵀ on the same dense
 * matrix, in one run (issue 2's target: iteration ≤ 3× product).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time one mwu-adaptive iteration and one product V·Hᵀ (dense uniform V, n x m, rank r).",
                "Prints medians over repeats; figures go in the README."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--n", defaultValue = "2000", description = "rows (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--m", defaultValue = "2000", description = "columns (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = {"-r", "--rank"}, defaultValue = "20", description = "rank (default: ${DEFAULT-VALUE})")
    int r;

    @Option(names = "--repeats", defaultValue = "30", description = "timed products and iterations (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--threads", defaultValue = "0", description = "threads, 0 = one per core (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--blas", defaultValue = "java", description = "products: java, native or auto (see solve --help)"
            + " (default: ${DEFAULT-VALUE})")
    String blas;

    @Option(names = "--certify", description = "instead: time float certificates at an mwu-adaptive output (n x m, rank r),"
            + " and find the largest N that exact mode decides within --exact-budget seconds")
    boolean certify;

    @Option(names = "--exact-budget", defaultValue = "10", description = "seconds for the exact-mode search (default: ${DEFAULT-VALUE})")
    double exactBudget;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (certify) {
            return new CertifyBench(spec.commandLine().getOut(), n, m, r, threads, exactBudget).run();
        }
        if (n < 1 || m < 1 || r < 1 || r > Math.min(n, m) || (long) n * m > 200_000_000L) {
            throw new IllegalArgumentException("bench: need 1 <= r <= min(n, m) and n*m <= 2e8, got n=" + n + ", m=" + m + ", r=" + r);
        }
        if (repeats < 3) {
            throw new IllegalArgumentException("bench: --repeats must be at least 3, got " + repeats);
        }
        PrintWriter out = spec.commandLine().getOut();
        DenseMatrix v = Instances.uniform(n, m, 7);
        DenseMatrix h = Instances.uniform(r, m, 8);
        double[] vht = new double[n * r];
        double[] wtv = new double[r * m];
        DenseMatrix w = Instances.uniform(n, r, 9);
        double[] prodVHt = new double[repeats];
        double[] prodWtV = new double[repeats];
        int usedThreads;
        Blas backend = Blas.parse(blas).resolve();
        try (Parallel par = Parallel.withThreads(threads, backend)) {
            usedThreads = par.threads();
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
            }
        }
        SolverOptions o = SolverOptions.rank(r).withMaxIterations(repeats + 10).withObjectiveTolerance(0).withThreads(threads)
                .withBlas(backend);
        SolveResult res = Solvers.byName("mwu-adaptive").solve(v, o);
        var t = res.trace();
        // skip the first 10 iterations (JIT warm-up); each row's time includes measuring objective and residual
        double[] iter = new double[t.size() - 11];
        for (int i = 11; i < t.size(); i++) {
            iter[i - 11] = (t.get(i).seconds() - t.get(i - 1).seconds()) * 1e3;
        }
        double pv = median(prodVHt);
        double pw = median(prodWtV);
        double it = median(iter);
        out.printf(Locale.ROOT, "bench: dense uniform V %dx%d, rank %d, %s, Java %s, %d repeats (medians)%n",
                n, m, r, backend == Blas.NATIVE ? "native BLAS" : usedThreads + " threads", System.getProperty("java.version"),
                repeats);
        out.printf(Locale.ROOT, "product V·Hᵀ            %9.2f ms%n", pv);
        out.printf(Locale.ROOT, "product Wᵀ·V            %9.2f ms%n", pw);
        out.printf(Locale.ROOT, "mwu-adaptive iteration  %9.2f ms  (%d iterations timed, stop: %s)%n", it, iter.length,
                res.stopReason().name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "ratio iteration / V·Hᵀ  %9.2f   (target <= 3)%n", it / pv);
        return Main.EXIT_OK;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int k = s.length;
        return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
    }
}
