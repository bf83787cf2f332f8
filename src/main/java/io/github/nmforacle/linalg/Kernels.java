package io.github.nmforacle.linalg;

/**
 * The dense kernels of the hot loops, on row-major primitive arrays with output arguments.
 *
 * <p>Shapes are given explicitly; nothing is allocated except where a method returns a new array.
 * The large products (with V) run on a {@link Parallel} with fixed blocks, so results do not depend
 * on the thread count; every inner sum runs in a fixed order.
 */
public final class Kernels {
    /** Rows of V per block in {@link #mulABt}. */
    static final int ROW_BLOCK = 32;
    /** Columns of V per block in {@link #mulAtB}: small enough for r such columns to stay in cache. */
    static final int COL_BLOCK = 256;

    private Kernels() {
    }

    /**
     * {@code out (n×r) = A (n×m) · Bᵀ} with {@code B} r×m, e.g. V·Hᵀ. Cost O(nmr).
     */
    public static void mulABt(double[] a, int n, int m, double[] b, int r, double[] out, Parallel par) {
        par.forBlocks(n, ROW_BLOCK, (blk, from, to) -> {
            int i = from;
            for (; i + 1 < to; i += 2) {
                int a0 = i * m;
                int a1 = a0 + m;
                int k = 0;
                for (; k + 3 < r; k += 4) {
                    int b0 = k * m;
                    int b1 = b0 + m;
                    int b2 = b1 + m;
                    int b3 = b2 + m;
                    double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                    for (int j = 0; j < m; j++) {
                        double x0 = a[a0 + j];
                        double x1 = a[a1 + j];
                        double y0 = b[b0 + j];
                        double y1 = b[b1 + j];
                        double y2 = b[b2 + j];
                        double y3 = b[b3 + j];
                        s00 += x0 * y0;
                        s01 += x0 * y1;
                        s02 += x0 * y2;
                        s03 += x0 * y3;
                        s10 += x1 * y0;
                        s11 += x1 * y1;
                        s12 += x1 * y2;
                        s13 += x1 * y3;
                    }
                    int o0 = i * r + k;
                    int o1 = o0 + r;
                    out[o0] = s00;
                    out[o0 + 1] = s01;
                    out[o0 + 2] = s02;
                    out[o0 + 3] = s03;
                    out[o1] = s10;
                    out[o1 + 1] = s11;
                    out[o1 + 2] = s12;
                    out[o1 + 3] = s13;
                }
                for (; k < r; k++) {
                    int b0 = k * m;
                    double s0 = 0, s1 = 0;
                    for (int j = 0; j < m; j++) {
                        s0 += a[a0 + j] * b[b0 + j];
                        s1 += a[a1 + j] * b[b0 + j];
                    }
                    out[i * r + k] = s0;
                    out[(i + 1) * r + k] = s1;
                }
            }
            for (; i < to; i++) {
                int a0 = i * m;
                for (int k = 0; k < r; k++) {
                    int b0 = k * m;
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s += a[a0 + j] * b[b0 + j];
                    }
                    out[i * r + k] = s;
                }
            }
        });
    }

    /**
     * {@code out (r×m) = Aᵀ · B} with {@code A} n×r and {@code B} n×m, e.g. Wᵀ·V. Cost O(nmr).
     */
    public static void mulAtB(double[] a, int n, int r, double[] b, int m, double[] out, Parallel par) {
        par.forBlocks(m, COL_BLOCK, (blk, from, to) -> {
            for (int k = 0; k < r; k++) {
                java.util.Arrays.fill(out, k * m + from, k * m + to, 0.0);
            }
            // Four rows of B per pass: one load and one store of the output per four multiply-adds.
            int i = 0;
            for (; i + 3 < n; i += 4) {
                int b0 = i * m;
                int b1 = b0 + m;
                int b2 = b1 + m;
                int b3 = b2 + m;
                for (int k = 0; k < r; k++) {
                    double x0 = a[i * r + k];
                    double x1 = a[(i + 1) * r + k];
                    double x2 = a[(i + 2) * r + k];
                    double x3 = a[(i + 3) * r + k];
                    int ok = k * m;
                    for (int j = from; j < to; j++) {
                        out[ok + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
                    }
                }
            }
            for (; i < n; i++) {
                int bi = i * m;
                for (int k = 0; k < r; k++) {
                    double x = a[i * r + k];
                    int ok = k * m;
                    for (int j = from; j < to; j++) {
                        out[ok + j] += x * b[bi + j];
                    }
                }
            }
        });
    }

    /** {@code Aᵀ·B} for A, B both n×r: an r×r matrix. Cost O(nr²). */
    public static double[] crossCols(double[] a, double[] b, int n, int r) {
        double[] out = new double[r * r];
        for (int i = 0; i < n; i++) {
            int o = i * r;
            for (int k = 0; k < r; k++) {
                double x = a[o + k];
                if (x == 0) {
                    continue;
                }
                int ok = k * r;
                for (int l = 0; l < r; l++) {
                    out[ok + l] += x * b[o + l];
                }
            }
        }
        return out;
    }

    /** {@code B·Cᵀ} for B, C both r×m: an r×r matrix. Cost O(mr²). */
    public static double[] crossRows(double[] b, double[] c, int r, int m) {
        double[] out = new double[r * r];
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                double s = 0;
                int bk = k * m;
                int cl = l * m;
                for (int j = 0; j < m; j++) {
                    s += b[bk + j] * c[cl + j];
                }
                out[k * r + l] = s;
            }
        }
        return out;
    }

    /** {@code out (n×r) = A (n×r) · S (r×r)}. Cost O(nr²). */
    public static void mulSmallRight(double[] a, int n, int r, double[] s, double[] out) {
        for (int i = 0; i < n; i++) {
            int o = i * r;
            for (int l = 0; l < r; l++) {
                double acc = 0;
                for (int k = 0; k < r; k++) {
                    acc += a[o + k] * s[k * r + l];
                }
                out[o + l] = acc;
            }
        }
    }

    /** {@code out (r×m) = S (r×r) · B (r×m)}. Cost O(mr²). */
    public static void mulSmallLeft(double[] s, int r, double[] b, int m, double[] out) {
        java.util.Arrays.fill(out, 0, r * m, 0.0);
        for (int k = 0; k < r; k++) {
            int ok = k * m;
            for (int l = 0; l < r; l++) {
                double x = s[k * r + l];
                if (x == 0) {
                    continue;
                }
                int bl = l * m;
                for (int j = 0; j < m; j++) {
                    out[ok + j] += x * b[bl + j];
                }
            }
        }
    }

    /** Σ a_i b_i over the first {@code len} entries, in index order. */
    public static double dot(double[] a, double[] b, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < len; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ a_i over the whole array, in index order. */
    public static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }

    /** ‖V − A·B‖²_F with A n×r, B r×m, summed directly (no cancellation), in fixed blocks. Cost O(nmr). */
    public static double residualNormSquared(double[] v, int n, int m, double[] a, int r, double[] b, Parallel par) {
        int blocks = Parallel.blockCount(n, ROW_BLOCK);
        double[] partial = new double[blocks];
        par.forBlocks(n, ROW_BLOCK, (blk, from, to) -> {
            double[] row = new double[m];
            double s = 0;
            for (int i = from; i < to; i++) {
                System.arraycopy(v, i * m, row, 0, m);
                for (int k = 0; k < r; k++) {
                    double x = a[i * r + k];
                    if (x == 0) {
                        continue;
                    }
                    int bk = k * m;
                    for (int j = 0; j < m; j++) {
                        row[j] -= x * b[bk + j];
                    }
                }
                for (int j = 0; j < m; j++) {
                    s += row[j] * row[j];
                }
            }
            partial[blk] = s;
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }
}
