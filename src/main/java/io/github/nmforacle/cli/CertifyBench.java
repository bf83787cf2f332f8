package io.github.nmforacle.cli;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Tolerances;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.testkit.Instances;
import io.github.nmforacle.testkit.StationaryPoints;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.SplittableRandom;

/** {@code bench --certify}: issue 3's benchmark (float certificate at N = (n+m)r; largest N exact mode decides). */
final class CertifyBench {
    private final PrintWriter out;
    private final int n, m, r, threads;
    private final double exactBudget;

    CertifyBench(PrintWriter out, int n, int m, int r, int threads, double exactBudget) {
        this.out = out;
        this.n = n;
        this.m = m;
        this.r = r;
        this.threads = threads;
        this.exactBudget = exactBudget;
    }

    int run() {
        DenseMatrix v = Instances.uniform(n, m, 7);
        SolveResult s = Solvers.byName("mwu-adaptive").solve(v, SolverOptions.rank(r).withMaxIterations(200)
                .withObjectiveTolerance(0).withThreads(threads));
        out.printf(Locale.ROOT, "bench --certify: dense uniform V %dx%d, r = %d, N = %d; point: mwu-adaptive, 200 iterations,"
                + " relative error %.4f; max heap %d MiB%n", n, m, r, (n + m) * r, s.relativeError(),
                Runtime.getRuntime().maxMemory() >> 20);
        floatRun(v, s, Tolerances.DEFAULT, "default tolerances");
        // a loose first-order tolerance lets the point pass first order, so the second-order machinery runs in full
        floatRun(v, s, Tolerances.DEFAULT.withFirstOrder(0.5).withDegenerate(0.5), "first-order tolerance 0.5");
        exactSearch();
        return Main.EXIT_OK;
    }

    private void floatRun(DenseMatrix v, SolveResult s, Tolerances t, String label) {
        resetPeaks();
        long t0 = System.nanoTime();
        Certificate c = Certifier.certify(v, s.w(), s.h(), new CertifyOptions(null, Mode.FLOAT, t, threads, 0L));
        double sec = (System.nanoTime() - t0) * 1e-9;
        out.printf(Locale.ROOT, "float certificate (%s): %.2f s, peak heap %d MiB; fosp %s, sospPaper %s (%s%s), sospCone %s,"
                        + " strict %s%n", label, sec, peakHeap() >> 20, c.fosp().verdict(), c.sospPaper().verdict(),
                c.sospPaper().method(), c.sospPaper().lambdaMin() == null ? "" : String.format(Locale.ROOT, ", λ %.3e",
                        c.sospPaper().lambdaMin()), c.sospCone().verdict(), c.strictModuloSymmetry().verdict());
    }

    private void exactSearch() {
        int best = 0;
        double bestSec = 0;
        for (int size = 4; size <= 120; size += 4) {
            StationaryPoints.Case c = StationaryPoints.exactFactorization(new SplittableRandom(size), size, size, 2);
            int nn = 4 * size;
            long t0 = System.nanoTime();
            Certificate cert = Certifier.certify(c.v(), c.w(), c.h(), new CertifyOptions(null, Mode.EXACT,
                    Tolerances.DEFAULT.withMaxExactDimension(100_000), threads, 0L));
            double sec = (System.nanoTime() - t0) * 1e-9;
            out.printf(Locale.ROOT, "exact: %dx%d rank 2 exact factorization, N = %d: %.2f s (sospPaper %s, strict %s)%n",
                    size, size, nn, sec, cert.sospPaper().verdict(), cert.strictModuloSymmetry().verdict());
            if (sec > exactBudget) {
                break;
            }
            best = nn;
            bestSec = sec;
        }
        out.printf(Locale.ROOT, "largest N decided by exact mode within %.0f s: %d (%.2f s)%n", exactBudget, best, bestSec);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                s += p.getPeakUsage().getUsed();
            }
        }
        return s;
    }
}
