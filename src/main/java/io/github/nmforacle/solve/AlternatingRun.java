package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;

/**
 * The state shared by the block methods {@code mu}, {@code mu-concurrent}, {@code hals}, {@code pg}, {@code anls-bpp}
 * and {@code als-truncated}: the iterate (W, H) and the products an iteration needs, kept so that an iteration costs
 * exactly two products with V.
 *
 * <p>The products of W ({@code wtv = Wᵀ·V}, {@code wtw = WᵀW}) and of H ({@code vht = V·Hᵀ}, {@code hht = HHᵀ}) are
 * each either up to date or marked stale: a subclass that changes W either refreshes them at once
 * ({@link #refreshWProducts()}, when its next half-step needs them) or calls {@link #wChanged()}; likewise for H.
 * {@link #measure()} computes whatever is stale, so the products of the half-step done last in an iteration are
 * shared with the next iteration's measurement.
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
    double[] wtw;
    double[] hht;
    private boolean wProductsValid;
    private boolean hProductsValid;
    /** ∇F at the last measured iterate (its arrays are reused by the next {@link #measure()}). */
    FactorPair gradient;
    /**
     * The Lee–Seung denominators W·HHᵀ and WᵀW·H at the last measured iterate (paper (6)), which ∇F is made from:
     * kept so that MU's next step does not compute them again.
     */
    final double[] denW;
    final double[] denH;
    // reused every iteration: fresh arrays cost page faults on a growing heap
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
        this.denW = new double[n * r];
        this.denH = new double[r * m];
    }

    @Override
    public IterativeSolver.Measurement measure() {
        if (!hProductsValid && !wProductsValid) {
            // both factors changed from the same iterate (mu-concurrent): one pass over V for both products
            p.productsWithData(w, h, vht, wtv);
            wGram();
            hGram();
        }
        if (!hProductsValid) {
            refreshHProducts();
        }
        if (!wProductsValid) {
            refreshWProducts();
        }
        NmfProblem.Measured mm = p.measure(w, h, vht, wtv, wtw, hht, gwBuf, ghBuf, denW, denH, 1.0, 1.0);
        gradient = new FactorPair(new DenseMatrix(n, r, gwBuf), new DenseMatrix(r, m, ghBuf));
        return new IterativeSolver.Measurement(mm.objective(), Math.sqrt(mm.residualSquares()));
    }

    /** After W changed: Wᵀ·V and WᵀW of the new W (one product with V). */
    void refreshWProducts() {
        p.wtTimesData(w, wtv);
        wGram();
    }

    private void wGram() {
        wtw = Kernels.crossCols(w, w, n, r, p.parallel());
        wProductsValid = true;
    }

    private void hGram() {
        hht = Kernels.crossRows(h, h, r, m, p.parallel());
        hProductsValid = true;
    }

    /** After H changed: V·Hᵀ and HHᵀ of the new H (one product with V). */
    void refreshHProducts() {
        p.dataTimesHt(h, vht);
        hGram();
    }

    /** W changed and its products are left for the next {@link #measure()}. */
    void wChanged() {
        wProductsValid = false;
    }

    /** H changed and its products are left for the next {@link #measure()}. */
    void hChanged() {
        hProductsValid = false;
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
