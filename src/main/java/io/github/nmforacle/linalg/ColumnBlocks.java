package io.github.nmforacle.linalg;

/**
 * A matrix A (p×q) kept for the Java product {@code A·Xᵀ}: its rows cut into blocks of {@link #ROWS}, each block
 * stored as q separate arrays, one per column, every array starting at index 0.
 *
 * <p>Why: HotSpot 17's auto-vectoriser packs a loop only when all its array accesses share one index expression; a
 * loop {@code s[t] += x·c[t]} over separate arrays runs 4–8 doubles per instruction, while the same loop over one
 * flat array at two different offsets, or a dot product along a row, stays scalar (measured 0.26 against 1.3–1.5
 * ns per multiply-add on this AVX-512 machine). So the product is computed as a sum of columns scaled by entries
 * of X, down the rows of a block, instead of row-by-row dot products.
 *
 * <p>Every output entry is the same chain of {@link Kernels#madd} in column order, from 0, as the row-dot kernel of
 * {@link Kernels#mulABt}: the bits are those of that kernel (and of the CSR kernels), whatever the thread count.
 * Costs one copy of A; built once per data matrix by {@link DataProducts}.
 */
public final class ColumnBlocks {
    /** Rows per block at most: r accumulators of this length stay in the first-level cache for r up to about 20. */
    static final int ROWS = 256;

    private final int p;
    private final int q;
    private final int rows;
    /** cols[b][j]: column j of row block b (rows b·rows …). */
    private final double[][][] cols;
    private final ThreadLocal<double[][]> scratch = new ThreadLocal<>();

    private ColumnBlocks(int p, int q, int rows, double[][][] cols) {
        this.p = p;
        this.q = q;
        this.rows = rows;
        this.cols = cols;
    }

    /** Rows per block, a function of p alone: {@link #ROWS}, or half of p (a multiple of 8) so two threads share it. */
    static int rowsPerBlock(int p) {
        int half = ((p + 1) / 2 + 7) / 8 * 8;
        return Math.max(1, Math.min(ROWS, half));
    }

    /** A (p×q, row-major) in column blocks. */
    public static ColumnBlocks of(double[] a, int p, int q) {
        int rows = rowsPerBlock(p);
        double[][][] cols = new double[Parallel.blockCount(p, rows)][][];
        for (int b = 0; b < cols.length; b++) {
            int from = b * rows;
            int len = Math.min(rows, p - from);
            double[][] c = new double[q][len];
            for (int t = 0; t < len; t++) {
                int o = (from + t) * q;
                for (int j = 0; j < q; j++) {
                    c[j][t] = a[o + j];
                }
            }
            cols[b] = c;
        }
        return new ColumnBlocks(p, q, rows, cols);
    }

    /** Aᵀ in column blocks, for A (q×p, row-major): a block's columns are segments of A's rows, so this is a copy. */
    public static ColumnBlocks ofTransposed(double[] a, int q, int p) {
        int rows = rowsPerBlock(p);
        double[][][] cols = new double[Parallel.blockCount(p, rows)][][];
        for (int b = 0; b < cols.length; b++) {
            int from = b * rows;
            int len = Math.min(rows, p - from);
            double[][] c = new double[q][];
            for (int j = 0; j < q; j++) {
                c[j] = java.util.Arrays.copyOfRange(a, j * p + from, j * p + from + len);
            }
            cols[b] = c;
        }
        return new ColumnBlocks(p, q, rows, cols);
    }

    public int rows() {
        return p;
    }

    public int cols() {
        return q;
    }

    /**
     * out(i, k) = Σ_j A(i, j)·X(k, j) for i &lt; p, k &lt; r, with X(k, j) = x[k·xk + j·xj] and out(i, k) at
     * out[i·oi + k·ok]: so X may be r×q (xk = q, xj = 1) or its transpose, and out p×r or r×p. Cost O(pqr).
     */
    public void times(double[] x, int xk, int xj, int r, double[] out, int oi, int ok, Parallel par) {
        par.forBlocks(cols.length, 1, (b, b0, b1) -> block(cols[b], b * rows, x, xk, xj, r, out, oi, ok));
    }

    private void block(double[][] c, int from, double[] x, int xk, int xj, int r, double[] out, int oi, int ok) {
        int len = Math.min(rows, p - from);
        double[][] acc = accumulators(r);
        for (int k = 0; k < r; k++) {
            java.util.Arrays.fill(acc[k], 0, len, 0.0);
        }
        int j = 0;
        for (; j + 3 < q; j += 4) {   // four columns per pass: one load and store of s[t] per four multiply-adds
            double[] c0 = c[j], c1 = c[j + 1], c2 = c[j + 2], c3 = c[j + 3];
            for (int k = 0; k < r; k++) {
                int o = k * xk + j * xj;
                double x0 = x[o], x1 = x[o + xj], x2 = x[o + 2 * xj], x3 = x[o + 3 * xj];
                double[] s = acc[k];
                for (int t = 0; t < len; t++) {
                    s[t] = Kernels.madd(x3, c3[t], Kernels.madd(x2, c2[t], Kernels.madd(x1, c1[t],
                            Kernels.madd(x0, c0[t], s[t]))));
                }
            }
        }
        for (; j < q; j++) {
            double[] c0 = c[j];
            for (int k = 0; k < r; k++) {
                double x0 = x[k * xk + j * xj];
                double[] s = acc[k];
                for (int t = 0; t < len; t++) {
                    s[t] = Kernels.madd(x0, c0[t], s[t]);
                }
            }
        }
        for (int k = 0; k < r; k++) {
            double[] s = acc[k];
            int o = from * oi + k * ok;
            if (oi == 1) {
                System.arraycopy(s, 0, out, o, len);
            } else {
                for (int t = 0; t < len; t++) {
                    out[o + t * oi] = s[t];
                }
            }
        }
    }

    /** r arrays of the block length per thread, reused across calls (fresh ones each block cost page faults). */
    private double[][] accumulators(int r) {
        double[][] acc = scratch.get();
        if (acc == null || acc.length < r) {
            acc = new double[r][rows];
            scratch.set(acc);
        }
        return acc;
    }
}
