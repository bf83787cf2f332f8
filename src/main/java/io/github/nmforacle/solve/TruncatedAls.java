package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;

/**
 * Alternating least squares with truncation ({@code als-truncated}), the "industry" heuristic of
 * shared/papers/related.md §2: solve each block's unconstrained least-squares problem and clip the negative
 * entries to 0,
 * <pre>
 *   H ← max(0, (WᵀW)⁺ WᵀV),   then   W ← max(0, V Hᵀ (HHᵀ)⁺).
 * </pre>
 * In the Q&amp;A's notation X ≈ T Pᵀ this is P = max(0, (T \ X)ᵀ), T = max(0, X / Pᵀ) with T = W, P = Hᵀ, in that
 * order (H first). The start's H therefore does not influence the iterates, only the first trace row.
 *
 * <p>(·)⁺ is the inverse when the Gram matrix is numerically positive definite and the Moore–Penrose pseudo-inverse
 * otherwise ({@link SmallSymmetric#pseudoInverse}); for G = WᵀW, G⁺Wᵀ = W⁺, so the unclipped update is the
 * minimum-norm least-squares solution (e.g. a zero column of W gives a zero row of H, not NaN).
 *
 * <p>Clipping is not a projection in the metric of the problem (unless the Gram matrix is diagonal), so a
 * half-step can increase F and the method need not converge: proofs-notes/truncated-als.md and
 * fixtures/truncated-als-increase give an exact instance where F goes from 13/5 to 13257/1040 in one iteration.
 * Two products with V per iteration, like {@link AnlsBpp}.
 */
public final class TruncatedAls extends IterativeSolver {
    private TruncatedAls() {
    }

    /** Truncated ALS ({@code als-truncated}). */
    public static TruncatedAls create() {
        return new TruncatedAls();
    }

    @Override
    public String name() {
        return "als-truncated";
    }

    @Override
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial) {
        FactorPair x = initial != null ? initial : randomPositive(problem, options.seed());
        return new AlsRun(problem, x.w().data().clone(), x.h().data().clone());
    }

    private static final class AlsRun implements Run {
        private final NmfProblem p;
        private final int n;
        private final int m;
        private final int r;
        private final double[] w;
        private final double[] h;
        private final double[] vht;
        private final double[] wtv;
        private boolean vhtValid;
        private boolean wtvValid;
        private double[] wtw;
        private double[] hht;

        AlsRun(NmfProblem p, double[] w, double[] h) {
            this.p = p;
            this.n = p.n();
            this.m = p.m();
            this.r = p.rank();
            this.w = w;
            this.h = h;
            this.vht = new double[n * r];
            this.wtv = new double[r * m];
        }

        @Override
        public Measurement measure() {
            if (!vhtValid) {
                p.dataTimesHt(h, vht);
                vhtValid = true;
            }
            if (!wtvValid) {
                p.wtTimesData(w, wtv);
                wtvValid = true;
            }
            wtw = Kernels.crossCols(w, w, n, r, p.parallel());
            hht = Kernels.crossRows(h, h, r, m, p.parallel());
            FactorPair g = p.gradientFromProducts(w, h, vht, wtv, wtw, hht);
            double f = p.objectiveFromProducts(w, vht, wtw, hht);
            return new Measurement(f, scaledResidual(w, h, g, 1.0, 1.0));
        }

        @Override
        public StopReason advance() {
            // H ← max(0, (WᵀW)⁺ WᵀV)
            double[] gInv = SmallSymmetric.pseudoInverse(wtw, r);
            Kernels.mulSmallLeft(gInv, r, wtv, m, h, p.parallel());
            clip(h);
            // W ← max(0, V Hᵀ (HHᵀ)⁺); (HHᵀ)⁺ is symmetric, so row i of W is (HHᵀ)⁺ times row i of VHᵀ.
            p.dataTimesHt(h, vht);
            hht = Kernels.crossRows(h, h, r, m, p.parallel());
            double[] kInv = SmallSymmetric.pseudoInverse(hht, r);
            Kernels.mulSmallRight(vht, n, r, kInv, w, p.parallel());
            clip(w);
            vhtValid = true;
            wtvValid = false;
            return null;
        }

        private static void clip(double[] a) {
            for (int i = 0; i < a.length; i++) {
                // also turns -0.0 into +0.0, so that the output has no negative zeros
                a[i] = a[i] > 0 ? a[i] : 0.0;
            }
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
}
