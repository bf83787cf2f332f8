package io.github.nmforacle.solve;

import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;

/**
 * Alternating non-negative least squares with block principal pivoting ({@code anls-bpp}): Kim and Park, "Fast
 * nonnegative matrix factorization: an active-set-like method and comparisons" (SIAM J. Sci. Comput. 33, 2011).
 *
 * <p>One iteration is two exact block minimisations of F(W, H) = ‖V − WH‖²_F:
 * <ol>
 *   <li>H ← argmin_{H ≥ 0} ‖V − WH‖²: m NNLS problems (one per column of H) sharing G = WᵀW, right-hand sides the
 *       columns of WᵀV;</li>
 *   <li>W ← argmin_{W ≥ 0} ‖Vᵀ − HᵀWᵀ‖²: n NNLS problems (one per row of W) sharing G = HHᵀ, right-hand sides the
 *       rows of VHᵀ.</li>
 * </ol>
 * Both are solved by {@link Nnls#solveRows} (BPP with column grouping), warm-started from the current passive sets
 * (the support of the current H, resp. W), as Kim and Park do. H is updated first, as in the brief and in the ALS of
 * {@link TruncatedAls}; the start's H only enters the trace's first row.
 *
 * <p>Since each half-step is an exact minimisation over one block, F is non-increasing in exact arithmetic
 * (the only deviation is the dropping of numerically dependent coordinates in {@link Nnls}, which matters only for
 * (nearly) rank-deficient W or H). Two products with V per iteration: WᵀV after the W-step (also the next iterate's
 * measurement) and VHᵀ after the H-step.
 */
public final class AnlsBpp extends IterativeSolver {
    private AnlsBpp() {
    }

    /** ANLS with block principal pivoting ({@code anls-bpp}). */
    public static AnlsBpp create() {
        return new AnlsBpp();
    }

    @Override
    public String name() {
        return "anls-bpp";
    }

    @Override
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial) {
        return new AnlsRun(problem, initial != null ? initial : randomPositive(problem, options.seed()));
    }

    /** Package-private so that tests can read the NNLS statistics of a run. */
    static final class AnlsRun extends AlternatingRun {
        private Nnls.Stats stats = Nnls.Stats.NONE;

        AnlsRun(NmfProblem p, FactorPair start) {
            super(p, start);
        }

        Nnls.Stats stats() {
            return stats;
        }

        @Override
        public StopReason advance() {
            // H-step: the rows of Hᵀ (m×r) against G = WᵀW, right-hand sides the rows of (WᵀV)ᵀ.
            double[] rhs = transpose(wtv, r, m);
            double[] ht = transpose(h, r, m);
            stats = stats.plus(Nnls.solveRows(wtw, r, rhs, m, ht, true, p.parallel()));
            transposeInto(ht, m, r, h);
            // W-step: the rows of W against G = HHᵀ, right-hand sides the rows of VHᵀ (new H).
            refreshHProducts();
            stats = stats.plus(Nnls.solveRows(hht, r, vht, n, w, true, p.parallel()));
            wChanged();
            return null;
        }
    }

    /** The transpose of a rows×cols row-major matrix. */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        transposeInto(a, rows, cols, t);
        return t;
    }

    static void transposeInto(double[] a, int rows, int cols, double[] out) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = a[i * cols + j];
            }
        }
    }
}
