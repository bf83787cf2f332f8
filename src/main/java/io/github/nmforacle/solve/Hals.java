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
        /** Per block of rows of W: its columns and those of V·Hᵀ; per block of columns of H: its rows and Wᵀ·V's. */
        private final double[][][] wCols;
        private final double[][][] wRhs;
        private final double[][][] hRows;
        private final double[][][] hRhs;

        HalsRun(NmfProblem p, FactorPair start) {
            super(p, start);
            wCols = blocks(n);
            wRhs = blocks(n);
            hRows = blocks(m);
            hRhs = blocks(m);
        }

        private double[][][] blocks(int len) {
            double[][][] b = new double[io.github.nmforacle.linalg.Parallel.blockCount(len, BLOCK)][][];
            for (int i = 0; i < b.length; i++) {
                b[i] = new double[r][Math.min(BLOCK, len - i * BLOCK)];
            }
            return b;
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
         * Columns of W in order 1..r. Rows do not interact, so each block of rows is copied into separate arrays, one
         * per column of W and of V·Hᵀ, and swept by {@link #sweep}; the copies cost 2r per row against its r² terms.
         */
        private void updateW() {
            final double[] g = hht;
            p.parallel().forBlocks(n, BLOCK, (blk, from, to) -> {
                int len = to - from;
                double[][] x = wCols[blk];
                double[][] s = wRhs[blk];
                toColumns(w, from, len, r, x);
                toColumns(vht, from, len, r, s);
                sweep(x, s, g, r, len);
                fromColumns(x, from, len, r, w);
            });
        }

        /** Rows of H in order 1..r; a block of columns at a time, since columns do not interact. */
        private void updateH() {
            final double[] g = wtw;
            p.parallel().forBlocks(m, BLOCK, (blk, from, to) -> {
                int len = to - from;
                double[][] x = hRows[blk];
                double[][] s = hRhs[blk];
                for (int k = 0; k < r; k++) {
                    System.arraycopy(h, k * m + from, x[k], 0, len);
                    System.arraycopy(wtv, k * m + from, s[k], 0, len);
                }
                sweep(x, s, g, r, len);
                for (int k = 0; k < r; k++) {
                    System.arraycopy(x[k], 0, h, k * m + from, len);
                }
            });
        }
    }

    /** Rows [from, from + len) of a row-major n×r array into r column arrays; four columns per pass over the rows. */
    static void toColumns(double[] a, int from, int len, int r, double[][] cols) {
        int k = 0;
        for (; k + 3 < r; k += 4) {
            double[] c0 = cols[k], c1 = cols[k + 1], c2 = cols[k + 2], c3 = cols[k + 3];
            for (int i = 0, o = from * r + k; i < len; i++, o += r) {
                c0[i] = a[o];
                c1[i] = a[o + 1];
                c2[i] = a[o + 2];
                c3[i] = a[o + 3];
            }
        }
        for (; k < r; k++) {
            double[] c0 = cols[k];
            for (int i = 0, o = from * r + k; i < len; i++, o += r) {
                c0[i] = a[o];
            }
        }
    }

    /** The inverse of {@link #toColumns}. */
    static void fromColumns(double[][] cols, int from, int len, int r, double[] a) {
        int k = 0;
        for (; k + 3 < r; k += 4) {
            double[] c0 = cols[k], c1 = cols[k + 1], c2 = cols[k + 2], c3 = cols[k + 3];
            for (int i = 0, o = from * r + k; i < len; i++, o += r) {
                a[o] = c0[i];
                a[o + 1] = c1[i];
                a[o + 2] = c2[i];
                a[o + 3] = c3[i];
            }
        }
        for (; k < r; k++) {
            double[] c0 = cols[k];
            for (int i = 0, o = from * r + k; i < len; i++, o += r) {
                a[o] = c0[i];
            }
        }
    }

    /**
     * One HALS pass over a block: for k = 1..r, s_k ← s_k − Σ_l g_{kl} x_l (l in order), then
     * x_k ← max(0, x_k + s_k / g_{kk}); skipped when g_{kk} = 0. Here x_k is column k of a block of W (or row k of a
     * block of H) and s_k starts as that of V·Hᵀ (or Wᵀ·V); g is the symmetric Gram. Each x_l, s_k is its own array
     * from index 0, the form HotSpot vectorises (see {@link io.github.nmforacle.linalg.ColumnBlocks}); every entry sees
     * the subtractions in the order l = 1..r, one rounding each, as in an entry-at-a-time loop.
     */
    static void sweep(double[][] x, double[][] s, double[] g, int r, int len) {
        for (int k = 0; k < r; k++) {
            if (g[k * r + k] != 0) {
                sweepOne(x, s, g, r, len, k);
            }
        }
    }

    /**
     * Step k of {@link #sweep}, a method of its own: it runs r times as often as sweep (once per block, four times per
     * iteration at 500×400), so HotSpot compiles it with C2 sooner in a fresh JVM (-XX:+PrintCompilation: 50 ms
     * sooner at 500×400, r = 10). Same arithmetic, same bits.
     */
    private static void sweepOne(double[][] x, double[][] s, double[] g, int r, int len, int k) {
        double d = g[k * r + k];
        double[] sk = s[k];
        int gk = k * r;
        int l = 0;
        for (; l + 3 < r; l += 4) {
            double g0 = g[gk + l], g1 = g[gk + l + 1], g2 = g[gk + l + 2], g3 = g[gk + l + 3];
            double[] x0 = x[l], x1 = x[l + 1], x2 = x[l + 2], x3 = x[l + 3];
            for (int t = 0; t < len; t++) {
                sk[t] = sk[t] - x0[t] * g0 - x1[t] * g1 - x2[t] * g2 - x3[t] * g3;
            }
        }
        for (; l < r; l++) {
            double g0 = g[gk + l];
            double[] x0 = x[l];
            for (int t = 0; t < len; t++) {
                sk[t] = sk[t] - x0[t] * g0;
            }
        }
        double[] xk = x[k];
        for (int t = 0; t < len; t++) {
            xk[t] = Math.max(0.0, xk[t] + sk[t] / d);
        }
    }
}
