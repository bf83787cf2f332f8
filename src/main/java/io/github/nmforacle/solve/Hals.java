package io.github.nmforacle.solve;

import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;

/**
 * Hierarchical alternating least squares ({@code hals}): the "fast HALS" of Cichocki and Phan (2009), in the
 * form of Gillis and Glineur's accelerated HALS (2012) with one inner pass per factor (no acceleration).
 *
 * <p>Each iteration computes V·Hᵀ and HHᵀ once and updates the columns of W one after the other, each by the
 * exact minimiser of F over that column with everything else fixed:
 * <pre>  W_{:k} ← max(0, W_{:k} + ((VHᵀ)_{:k} − W (HHᵀ)_{:k}) / (HHᵀ)_{kk}),   k = 1, …, r,</pre>
 * where W already holds the new columns 1, …, k−1; then Wᵀ·V and WᵀW of the new W, and the rows of H:
 * <pre>  H_{k:} ← max(0, H_{k:} + ((WᵀV)_{k:} − (WᵀW)_{k:} H) / (WᵀW)_{kk}).</pre>
 * The floor is ε₀ = 0 (the true projection onto W ≥ 0; Gillis uses a tiny positive ε₀ to keep columns from
 * vanishing). If (HHᵀ)_{kk} = 0, row k of H is zero, F does not depend on column k of W and the column is left
 * as it is (likewise a zero column of W leaves its row of H); this is the only guard. Every block update is an
 * exact block minimisation, so F is non-increasing in exact arithmetic.
 *
 * <p>Row i of W depends only on row i of W, V·Hᵀ and HHᵀ, so rows are updated in parallel over fixed blocks
 * (columns j of H likewise): results do not depend on the thread count. Cost per iteration: two products with
 * V (as {@code mu}) plus O((n + m) r²). Derivation and references: proofs-notes/solvers-hals-pg.md.
 */
public final class Hals extends IterativeSolver {
    /** Rows of W (columns of H) per parallel block. */
    static final int BLOCK = 256;

    private Hals() {
    }

    /** HALS ({@code hals}). */
    public static Hals hals() {
        return new Hals();
    }

    @Override
    public String name() {
        return "hals";
    }

    @Override
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial) {
        return new HalsRun(problem, initial != null ? initial : randomPositive(problem, options.seed()));
    }

    private static final class HalsRun extends AlternatingRun {
        HalsRun(NmfProblem p, FactorPair start) {
            super(p, start);
        }

        @Override
        public StopReason advance() {
            updateW();
            refreshWProducts();
            updateH();
            hChanged();
            return null;
        }

        /**
         * Columns of W in order 1..r; row by row, since rows do not interact. Four rows are interleaved so that their
         * independent dot products overlap (a single row's r-term sum is one chain of dependent additions); each row
         * still sees exactly the same operations in the same order, so the result is bit for bit that of one row at
         * a time.
         */
        private void updateW() {
            final double[] g = hht;
            p.parallel().forBlocks(n, BLOCK, (blk, from, to) -> {
                int i = from;
                for (; i + 4 <= to; i += 4) {
                    int o0 = i * r, o1 = o0 + r, o2 = o1 + r, o3 = o2 + r;
                    for (int k = 0; k < r; k++) {
                        double d = g[k * r + k];
                        if (d == 0) {
                            continue;
                        }
                        double s0 = vht[o0 + k], s1 = vht[o1 + k], s2 = vht[o2 + k], s3 = vht[o3 + k];
                        int gk = k * r;                     // (HHᵀ)_{lk} = (HHᵀ)_{kl}: row k of the symmetric Gram
                        for (int l = 0; l < r; l++) {
                            double x = g[gk + l];
                            s0 -= w[o0 + l] * x;
                            s1 -= w[o1 + l] * x;
                            s2 -= w[o2 + l] * x;
                            s3 -= w[o3 + l] * x;
                        }
                        w[o0 + k] = Math.max(0.0, w[o0 + k] + s0 / d);
                        w[o1 + k] = Math.max(0.0, w[o1 + k] + s1 / d);
                        w[o2 + k] = Math.max(0.0, w[o2 + k] + s2 / d);
                        w[o3 + k] = Math.max(0.0, w[o3 + k] + s3 / d);
                    }
                }
                for (; i < to; i++) {
                    int o = i * r;
                    for (int k = 0; k < r; k++) {
                        double d = g[k * r + k];
                        if (d == 0) {
                            continue;
                        }
                        double s = vht[o + k];
                        int gk = k * r;
                        for (int l = 0; l < r; l++) {
                            s -= w[o + l] * g[gk + l];
                        }
                        w[o + k] = Math.max(0.0, w[o + k] + s / d);
                    }
                }
            });
        }

        /** Rows of H in order 1..r; a block of columns at a time, since columns do not interact. */
        private void updateH() {
            final double[] g = wtw;
            p.parallel().forBlocks(m, BLOCK, (blk, from, to) -> {
                int len = to - from;
                double[] s = new double[len];
                for (int k = 0; k < r; k++) {
                    double d = g[k * r + k];
                    if (d == 0) {
                        continue;
                    }
                    int hk = k * m;
                    System.arraycopy(wtv, hk + from, s, 0, len);
                    for (int l = 0; l < r; l++) {
                        double x = g[k * r + l];
                        int hl = l * m + from;
                        for (int j = 0; j < len; j++) {
                            s[j] -= x * h[hl + j];
                        }
                    }
                    for (int j = 0; j < len; j++) {
                        h[hk + from + j] = Math.max(0.0, h[hk + from + j] + s[j] / d);
                    }
                }
            });
        }
    }
}
