package io.github.nmforacle.solve;

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
        return new AlsRun(problem, initial != null ? initial : randomPositive(problem, options.seed()));
    }

    private static final class AlsRun extends AlternatingRun {
        AlsRun(NmfProblem p, FactorPair start) {
            super(p, start);
        }

        @Override
        public StopReason advance() {
            // H ← max(0, (WᵀW)⁺ WᵀV)
            double[] gInv = SmallSymmetric.pseudoInverse(wtw, r);
            Kernels.mulSmallLeft(gInv, r, wtv, m, h, p.parallel());
            clip(h);
            // W ← max(0, V Hᵀ (HHᵀ)⁺); (HHᵀ)⁺ is symmetric, so row i of W is (HHᵀ)⁺ times row i of VHᵀ.
            refreshHProducts();
            double[] kInv = SmallSymmetric.pseudoInverse(hht, r);
            Kernels.mulSmallRight(vht, n, r, kInv, w, p.parallel());
            clip(w);
            wChanged();
            return null;
        }

        private static void clip(double[] a) {
            for (int i = 0; i < a.length; i++) {
                // also turns -0.0 into +0.0, so that the output has no negative zeros
                a[i] = a[i] > 0 ? a[i] : 0.0;
            }
        }
    }
}
