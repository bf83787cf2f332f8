package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The loop every algorithm shares: measure iterate t (objective, first-order residual), record it, test
 * the stopping rules, then advance to t+1. Subclasses supply the state of one run.
 */
abstract class IterativeSolver implements Solver {

    /** The state of one run. {@link #measure()} is called exactly once before each {@link #advance()}. */
    interface Run {
        /** Objective and first-order residual of the current iterate, on the scale of V. */
        Measurement measure();

        /** Moves to the next iterate; returns null, or why it cannot. */
        StopReason advance();

        /** The step that produced the current iterate (NaN where the algorithm has none). */
        double lastStep();

        /** The current iterate on the scale of V (a copy). */
        FactorPair point();
    }

    record Measurement(double objective, double firstOrderResidual) {
    }

    /** Creates a run from the validated problem; {@code initial} is null or validated (shapes, finite, ≥ 0). */
    abstract Run start(NmfProblem problem, SolverOptions options, FactorPair initial);

    @Override
    public final SolveResult solve(DenseMatrix v, SolverOptions o) {
        try (Parallel par = Parallel.withThreads(o.threads(), o.blas())) {
            NmfProblem problem = NmfProblem.of(v, o.rank(), par);
            FactorPair init = o.initial();
            if (init != null) {
                problem.requireShapes(init.w(), init.h());
                requireStart(init.w(), "W0");
                requireStart(init.h(), "H0");
            }
            long t0 = System.nanoTime();
            Run run = start(problem, o, init);
            double vNorm = Math.sqrt(problem.dataNormSquared());
            List<TraceRow> trace = new ArrayList<>();
            double residual0 = 0;
            double previous = Double.NaN;
            int t = 0;
            StopReason reason;
            while (true) {
                Measurement mm = run.measure();
                double seconds = (System.nanoTime() - t0) * 1e-9;
                double relErr = vNorm > 0 ? Math.sqrt(Math.max(mm.objective(), 0)) / vNorm : 0;
                TraceRow row = new TraceRow(t, mm.objective(), relErr, mm.firstOrderResidual(), run.lastStep(), seconds);
                trace.add(row);
                if (o.listener() != null) {
                    o.listener().onIterate(row, run::point);
                }
                if (o.stopWhen() != null && o.stopWhen().test(row)) {
                    reason = StopReason.CONDITION_MET;
                    break;
                }
                if (t == 0) {
                    residual0 = mm.firstOrderResidual();
                }
                if (o.firstOrderTolerance() > 0 && mm.firstOrderResidual() <= o.firstOrderTolerance() * residual0) {
                    reason = StopReason.FIRST_ORDER_TOLERANCE;
                    break;
                }
                if (t > 0 && o.objectiveTolerance() > 0
                        && Math.abs(previous - mm.objective()) <= o.objectiveTolerance() * Math.abs(previous)) {
                    reason = StopReason.OBJECTIVE_TOLERANCE;
                    break;
                }
                if (t >= o.maxIterations()) {
                    reason = StopReason.MAX_ITERATIONS;
                    break;
                }
                if (o.timeLimit() != null && System.nanoTime() - t0 >= o.timeLimit().toNanos()) {
                    reason = StopReason.TIME_LIMIT;
                    break;
                }
                StopReason r = run.advance();
                if (r != null) {
                    reason = r;
                    break;
                }
                previous = mm.objective();
                t++;
            }
            FactorPair x = run.point();
            double f = problem.objective(x.w(), x.h());
            double seconds = (System.nanoTime() - t0) * 1e-9;
            return new SolveResult(name(), x.w(), x.h(), trace, reason, t, f,
                    vNorm > 0 ? Math.sqrt(f) / vNorm : 0, seconds);
        }
    }

    private static void requireStart(DenseMatrix a, String name) {
        try {
            NmfProblem.requireFinite(a, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** ‖min(s·x, t·g)‖ over both blocks: the first-order residual of a point and gradient given on other scales. */
    static double scaledResidual(double[] w, double[] h, FactorPair g, double xScale, double gScale) {
        double s = 0;
        double[] gw = g.w().data();
        for (int p = 0; p < w.length; p++) {
            double q = Math.min(xScale * w[p], gScale * gw[p]);
            s += q * q;
        }
        double[] gh = g.h().data();
        for (int p = 0; p < h.length; p++) {
            double q = Math.min(xScale * h[p], gScale * gh[p]);
            s += q * q;
        }
        return Math.sqrt(s);
    }

    static double[] scaled(double[] a, double s) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = s * a[i];
        }
        return b;
    }

    /** Uniform entries in (0, 2·√(mean V / r)], so that E[WH] matches the mean of V (scikit-learn's scale). */
    static FactorPair randomPositive(NmfProblem p, long seed) {
        int n = p.n(), m = p.m(), r = p.rank();
        double mean = 0;
        for (double x : p.data().data()) {
            mean += x;
        }
        mean /= (double) n * m;
        double scale = 2.0 * Math.sqrt(mean / r);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[n * r];
        double[] h = new double[r * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * (1.0 - rnd.nextDouble());
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = scale * (1.0 - rnd.nextDouble());
        }
        return new FactorPair(new DenseMatrix(n, r, w), new DenseMatrix(r, m, h));
    }
}
