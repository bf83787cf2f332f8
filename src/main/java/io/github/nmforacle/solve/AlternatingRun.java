package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;

/**
 * The state shared by the alternating (block coordinate) methods {@code hals} and {@code pg}: the iterate
 * (W, H) and the products an iteration needs, kept so that an iteration costs exactly two products with V.
 *
 * <p>Invariant at {@link #measure()} and {@link #advance()}: {@code vht = V·Hᵀ} and {@code hht = HHᵀ} of the
 * current H (computed by {@code measure}), {@code wtv = Wᵀ·V} and {@code wtw = WᵀW} of the current W. An
 * iteration updates W from (V·Hᵀ, HHᵀ), computes Wᵀ·V and WᵀW of the new W (one product), updates H from them;
 * the next {@code measure} computes V·Hᵀ of the new H (the other product), which the next W update reuses.
 */
abstract class AlternatingRun implements IterativeSolver.Run {
    final NmfProblem p;
    final int n;
    final int m;
    final int r;
    final double[] w;
    final double[] h;
    final double[] vht;
    final double[] wtv;
    private boolean wtvValid;
    double[] wtw;
    double[] hht;
    /** ∇F at the last measured iterate (its arrays are reused by the next {@link #measure()}). */
    FactorPair gradient;
    private final double[] gwBuf;
    private final double[] ghBuf;

    AlternatingRun(NmfProblem p, FactorPair start) {
        this.p = p;
        this.n = p.n();
        this.m = p.m();
        this.r = p.rank();
        this.w = start.w().data().clone();
        this.h = start.h().data().clone();
        this.vht = new double[n * r];
        this.wtv = new double[r * m];
        this.gwBuf = new double[n * r];
        this.ghBuf = new double[r * m];
    }

    @Override
    public IterativeSolver.Measurement measure() {
        p.dataTimesHt(h, vht);
        if (!wtvValid) {
            p.wtTimesData(w, wtv);
            wtw = Kernels.crossCols(w, w, n, r, p.parallel());
            wtvValid = true;
        }
        hht = Kernels.crossRows(h, h, r, m, p.parallel());
        gradient = p.gradientFromProducts(w, h, vht, wtv, wtw, hht, gwBuf, ghBuf);
        double f = p.objectiveFromProducts(w, vht, wtw, hht);
        return new IterativeSolver.Measurement(f, IterativeSolver.scaledResidual(w, h, gradient, 1.0, 1.0));
    }

    /** After W changed: Wᵀ·V and WᵀW of the new W (one product with V). */
    void refreshWProducts() {
        p.wtTimesData(w, wtv);
        wtw = Kernels.crossCols(w, w, n, r, p.parallel());
        wtvValid = true;
    }

    @Override
    public double lastStep() {
        return Double.NaN;
    }

    @Override
    public FactorPair point() {
        return new FactorPair(new DenseMatrix(n, r, w.clone()), new DenseMatrix(r, m, h.clone()));
    }
}
