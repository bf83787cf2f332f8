package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The loop every algorithm shares: measure iterate t (objective, first-order residual), record it, test
 * the stopping rules, then advance to t+1. Subclasses supply the state of one run.
 */
abstract class IterativeSolver implements Solver {

    /** The state of one run. {@link #measure()} is called exactly once before each {@link #advance()}. */
    interface Run {
        /** Objective and first-order residual of the current iterate, on the scale of the problem it was started on. */
        Measurement measure();

        /** Moves to the next iterate; returns null, or why it cannot. */
        StopReason advance();

        /** The step that produced the current iterate (NaN where the algorithm has none). */
        double lastStep();

        /** The current iterate on the scale of the (normalised) problem it was started on (a copy). */
        FactorPair point();

        /** p such that the step on the scale of V is 2^{p·e} times {@link #lastStep()}; 0 for a scale-free step. */
        default int stepPower() {
            return 0;
        }
    }

    record Measurement(double objective, double firstOrderResidual) {
    }

    /** Creates a run from the validated problem; {@code initial} is null or validated (shapes, finite, ≥ 0). */
    abstract Run start(NmfProblem problem, SolverOptions options, FactorPair initial);

    /**
     * {@link #start(NmfProblem, SolverOptions, FactorPair)} on the problem normalised by 2^{-2e} (e = {@code exponent});
     * overridden by the solvers with an option in the units of V that is not converted before (MWU's κ).
     */
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial, int exponent) {
        return start(problem, options, initial);
    }

    /**
     * Normalises V to V' = 2^{-2e} V ({@link Scaling}), runs the algorithm on V' from the start 2^{-e}(W0, H0) (or a
     * random start drawn in the units of V'), and maps the factors back by 2^e: so solve(2^{2k} V) returns exactly
     * 2^k W and 2^k H of solve(V), with the same trace in normalised units (proofs-notes/solver-scaling.md).
     */
    @Override
    public final SolveResult solve(DenseMatrix v, SolverOptions o) {
        return solve((DataMatrix) v, o);
    }

    /** As {@link #solve(DenseMatrix, SolverOptions)}, on a dense or sparse V (kept sparse: O(nnz·r) products). */
    @Override
    public final SolveResult solve(DataMatrix v, SolverOptions o) {
        NmfProblem.requireData(v);
        FactorPair init = o.initial();
        if (init != null) {
            NmfProblem.of(v, o.rank()).requireShapes(init.w(), init.h());
            requireStart(init.w(), "W0");
            requireStart(init.h(), "H0");
        }
        Scaling sc = Scaling.of(v);
        int e = sc.exponent();
        if (init != null) {
            init = new FactorPair(startInUnits(init.w(), "W0", e), startInUnits(init.h(), "H0", e));
        }
        SolveResult res = solveNormalised(sc.v(), o, init, e, sc.flushed());
        DenseMatrix w = Scaling.scale(res.w(), e);
        DenseMatrix h = Scaling.scale(res.h(), e);
        if (!w.allFinite() || !h.allFinite()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s: the factors found do not fit"
                    + " the double range on the scale of V (W and H are 2^%d times factors of the normalised V, and some"
                    + " entries of those are too large)", name(), e));
        }
        return new SolveResult(res.algorithm(), w, h, res.trace(), res.stopReason(), res.iterations(),
                res.normalisedObjective(), res.relativeError(), res.seconds(), e, sc.flushed());
    }

    /** 2^{-e} X0, the user start in the units of V'; refused if it leaves the double range there. */
    private static DenseMatrix startInUnits(DenseMatrix a, String name, int e) {
        DenseMatrix s = Scaling.scale(a, -e);
        if (!s.allFinite()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s: its entries are out of scale with V"
                    + " (2^%d times them, the start in the units of the normalised V, overflows)", name, -e));
        }
        return s;
    }

    /** The run on the normalised V' (trace rows carry e so that they also report in the units of V). */
    private SolveResult solveNormalised(DataMatrix v, SolverOptions o, FactorPair init, int e, long flushed) {
        try (Parallel par = Parallel.withThreads(o.threads(), o.blas())) {
            NmfProblem problem = NmfProblem.of(v, o.rank(), par);
            // the kernels' class initialisation (a JMX lookup of UseFMA, 15-20 ms cold) is the process's, not the run's
            boolean fmaKnown = Kernels.HARDWARE_FMA;
            long t0 = System.nanoTime();
            Run run = start(problem, o, init, e);
            int stepPower = run.stepPower();
            double vNorm = Math.sqrt(problem.dataNormSquared());
            List<TraceRow> trace = new ArrayList<>();
            double residual0 = 0;
            double previous = Double.NaN;
            int t = 0;
            StopReason reason;
            Supplier<FactorPair> userPoint = () -> Scaling.scale(run.point(), e);
            while (true) {
                Measurement mm = run.measure();
                double seconds = (System.nanoTime() - t0) * 1e-9;
                double relErr = vNorm > 0 ? Math.sqrt(Math.max(mm.objective(), 0)) / vNorm : 0;
                TraceRow row = new TraceRow(t, mm.objective(), relErr, mm.firstOrderResidual(), run.lastStep(), seconds,
                        e, stepPower);
                trace.add(row);
                if (o.listener() != null) {
                    o.listener().onIterate(row, userPoint);
                }
                if (o.stopWhen() != null && o.stopWhen().test(row)) {
                    reason = StopReason.CONDITION_MET;
                    break;
                }
                if (t == 0) {
                    residual0 = mm.firstOrderResidual();
                }
                StopReason stop = o.stopReason(t, mm.objective(), mm.firstOrderResidual(), residual0, previous,
                        System.nanoTime() - t0);
                if (stop != null) {
                    reason = stop;
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
                    vNorm > 0 ? Math.sqrt(f) / vNorm : 0, seconds, e, flushed);
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
        return Math.sqrt(NmfProblem.residualSquares(w, g.w().data(), xScale, gScale)
                + NmfProblem.residualSquares(h, g.h().data(), xScale, gScale));
    }

    static double[] scaled(double[] a, double s) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = s * a[i];
        }
        return b;
    }

    /** Uniform entries in (0, 2·√(mean V / r)], so that E[WH] matches the mean of V ({@link Starts#randomPositive}). */
    static FactorPair randomPositive(NmfProblem p, long seed) {
        return Starts.randomPositive(p.n(), p.m(), p.rank(), p.dataSum(), seed);
    }
}
