package io.github.nmforacle.cli;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Tolerances;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
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

    /**
     * {@code bench --certify --planted}: one row of issue 13's table. V = |W₀H₀·(1 + 0.005·N(0,1))| (W₀, H₀ uniform,
     * seed 13), solved by {@code solver} ({@code iterations}, no objective tolerance), certified in float mode and checked.
     */
    int planted(Solver solver, int iterations) {
        if (n < 1 || m < 1 || r < 1 || r > Math.min(n, m) || (long) n * m > 50_000_000L) {
            throw new IllegalArgumentException("bench --certify --planted: need 1 <= r <= min(n, m) and n*m <= 5e7, got n="
                    + n + ", m=" + m + ", r=" + r);
        }
        DenseMatrix v = Instances.plantedNoisy(n, m, r, 0.005, 13);
        long t0 = System.nanoTime();
        SolveResult s = solver.solve(v, SolverOptions.rank(r).withMaxIterations(iterations)
                .withObjectiveTolerance(0).withThreads(threads).withSeed(1));
        double solveSec = (System.nanoTime() - t0) * 1e-9;
        Row row = row(v, s.w(), s.h(), String.format(Locale.ROOT, "%.1f s", solveSec));
        Certificate c = row.c();
        out.printf(Locale.ROOT, "fit: %s, %d iterations, relative error %.3e; lambdaMin on L: lower %s (%s); mu: lower %s (%s); %s%n",
                solver.name(), iterations, s.relativeError(), c.bounds().paper().lower(), c.bounds().paper().lowerMethod(), c.bounds().strict().lower(),
                c.bounds().strict().lowerMethod(), row.checkLine());
        if (c.strictModuloSymmetry().verdict() != io.github.nmforacle.certify.Verdict.HOLDS) {
            out.println("strict: " + c.strictModuloSymmetry().reason());
        }
        return Main.EXIT_OK;
    }

    /**
     * {@code bench --certify --planted --saddle l|cone}: issue 13's planted saddles at this size
     * ({@link StationaryPoints#plantedSaddle}, seed 13, curvature −1e-3·η), certified in float mode and checked.
     */
    int saddle(boolean cone) {
        if (n < 2 || m < 2 || r < 2 || r > Math.min(n, m) || (long) n * m > 50_000_000L) {
            throw new IllegalArgumentException("bench --certify --planted --saddle: need 2 <= r <= min(n, m) and n*m <= 5e7,"
                    + " got n=" + n + ", m=" + m + ", r=" + r);
        }
        long t0 = System.nanoTime();
        StationaryPoints.PlantedSaddle ps = StationaryPoints.plantedSaddle(n, m, r, cone, 1e-3, 13);
        double buildSec = (System.nanoTime() - t0) * 1e-9;
        StationaryPoints.Case p = ps.point();
        Row row = row(p.v(), p.w(), p.h(), String.format(Locale.ROOT, "%.1f s (built)", buildSec));
        Certificate c = row.c();
        Certificate.SecondOrder claim = cone ? c.sospCone() : c.sospPaper();
        String wit = claim.witness() instanceof Certificate.DirectionWitness dw ? String.format(Locale.ROOT,
                "witness in %s, curvature %.4e = %.3e·η·‖d‖²", dw.set(), dw.curvature(), dw.curvature()
                        / (c.scales().hessian() * normSquared(dw))) : "no direction witness";
        out.printf(Locale.ROOT, "%s: σ = %.6g, planted λ_min on L = %.4e = %.3e·η%s; sospPaper λ (Ritz) %s; %s %s (%s):"
                + " %s; %s%n", p.kind(), ps.sigma(), ps.lambdaL(), ps.lambdaL() / ps.eta(), cone ? String.format(Locale.ROOT,
                ", on L ∩ {d_D = 0} ≥ min(0, %.4e)", ps.lambdaL0()) : "", c.sospPaper().lambdaMin(), cone ? "sospCone"
                : "sospPaper", claim.verdict(), claim.method(), wit, row.checkLine());
        return Main.EXIT_OK;
    }

    private static double normSquared(Certificate.DirectionWitness d) {
        double s = 0;
        for (String[][] block : new String[][][] {d.dW(), d.dH()}) {
            for (String[] row : block) {
                for (String e : row) {
                    double x = Double.parseDouble(e.contains("/") ? Double.toString(Certifier.toDouble(Certifier.parseFraction(e))) : e);
                    s += x * x;
                }
            }
        }
        return s;
    }

    private record Row(Certificate c, String checkLine) {
    }

    /** Certifies (float, default tolerances) and checks (W, H), prints the table row; the checker's last line. */
    private Row row(DenseMatrix v, DenseMatrix w, DenseMatrix h, String solveTime) {
        resetPeaks();
        long t0 = System.nanoTime();
        Certificate c = Certifier.certify(v, w, h, new CertifyOptions(null, Mode.FLOAT, Tolerances.DEFAULT, threads, 0L));
        double certSec = (System.nanoTime() - t0) * 1e-9;
        long certPeak = peakHeap();
        resetPeaks();
        t0 = System.nanoTime();
        io.github.nmforacle.check.Report rep;
        try {
            rep = io.github.nmforacle.check.Checker.check(v, w, h,
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(io.github.nmforacle.io.CertificateJson.toJson(c)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the certificate does not read back: " + e.getOriginalMessage(), e);
        }
        double checkSec = (System.nanoTime() - t0) * 1e-9;
        long checkPeak = peakHeap();
        int dimL = c.counts() == null ? -1 : c.counts().support() + c.counts().degenerate();
        out.printf(Locale.ROOT, "| n×m, r | N | dim L | fosp | sospPaper (method) | sospCone (method) | strict | solve | certify | check"
                + " | peak heap certify / check |%n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |%n");
        out.printf(Locale.ROOT, "| %dx%d, %d | %d | %s | %s | %s (%s) | %s (%s) | %s | %s | %.1f s | %.1f s | %d / %d MiB |%n",
                n, m, r, (n + m) * r, dimL < 0 ? "—" : Integer.toString(dimL), c.fosp().verdict(), c.sospPaper().verdict(),
                c.sospPaper().method(), c.sospCone().verdict(), c.sospCone().method(), c.strictModuloSymmetry().verdict(),
                solveTime, certSec, checkSec, certPeak >> 20, checkPeak >> 20);
        return new Row(c, rep.lastLine());
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
