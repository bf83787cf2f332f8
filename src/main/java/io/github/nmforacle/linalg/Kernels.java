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

    /**
     * Whether {@link Math#fma} is a hardware instruction here (HotSpot's {@code UseFMA}); without it the JDK
     * emulates it about a hundred times slower, so {@link #mulABt} then multiplies and adds separately.
     */
    public static final boolean HARDWARE_FMA = hardwareFma();

    private Kernels() {
    }

    private static boolean hardwareFma() {
        try {
            return Boolean.parseBoolean(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {   // not HotSpot, or no such option: assume the slow path
            return false;
        }
    }

    /**
     * {@code out (n×r) = A (n×m) · Bᵀ} with {@code B} r×m, e.g. V·Hᵀ. Cost O(nmr).
     *
     * <p>Java kernel: 4 rows of A against 4 rows of B per pass, sixteen dot products in registers, each a chain of
     * fused multiply-adds ({@link Math#fma}, where the CPU has them: {@link #HARDWARE_FMA}) in index order; 1.2–1.5×
     * the former 2×4 multiply-then-add kernel on one thread (README, "Native blocks and the Java kernel"). Each entry is computed the same
     * way wherever its row falls, so the bits do not depend on the thread count.
     */
    public static void mulABt(double[] a, int n, int m, double[] b, int r, double[] out, Parallel par) {
        if (par.nativeBlas()) {
            new DataProducts(a, n, m, par).timesTransposed(b, r, out);   // copies A to native memory once
            return;
        }
        mulABtJava(a, n, m, b, r, out, par);
    }

    /** The Java kernel of {@link #mulABt} whatever the backend of {@code par} (only its threads are used). */
    static void mulABtJava(double[] a, int n, int m, double[] b, int r, double[] out, Parallel par) {
        par.forBlocks(n, ROW_BLOCK, (blk, from, to) -> {
            int i = from;
            for (; i + 3 < to; i += 4) {
                int k = 0;
                for (; k + 3 < r; k += 4) {
                    dot4x4(a, i * m, b, k * m, m, out, i * r + k, r);
                }
                for (; k < r; k++) {
                    dot4x1(a, i * m, b, k * m, m, out, i * r + k, r);
                }
            }
            for (; i < to; i++) {
                for (int k = 0; k < r; k++) {
                    int a0 = i * m;
                    int b0 = k * m;
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s = madd(a[a0 + j], b[b0 + j], s);
                    }
                    out[i * r + k] = s;
                }
            }
        });
    }

    /** Rows a0.. of A (4, stride m) against rows b0.. of B (4, stride m) into out[o + p·r + q]. */
    private static void dot4x4(double[] a, int a0, double[] b, int b0, int m, double[] out, int o, int r) {
        int a1 = a0 + m, a2 = a1 + m, a3 = a2 + m;
        int b1 = b0 + m, b2 = b1 + m, b3 = b2 + m;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (int j = 0; j < m; j++) {
            double y0 = b[b0 + j], y1 = b[b1 + j], y2 = b[b2 + j], y3 = b[b3 + j];
            double x0 = a[a0 + j], x1 = a[a1 + j], x2 = a[a2 + j], x3 = a[a3 + j];
            s00 = madd(x0, y0, s00);
            s01 = madd(x0, y1, s01);
            s02 = madd(x0, y2, s02);
            s03 = madd(x0, y3, s03);
            s10 = madd(x1, y0, s10);
            s11 = madd(x1, y1, s11);
            s12 = madd(x1, y2, s12);
            s13 = madd(x1, y3, s13);
            s20 = madd(x2, y0, s20);
            s21 = madd(x2, y1, s21);
            s22 = madd(x2, y2, s22);
            s23 = madd(x2, y3, s23);
            s30 = madd(x3, y0, s30);
            s31 = madd(x3, y1, s31);
            s32 = madd(x3, y2, s32);
            s33 = madd(x3, y3, s33);
        }
        store4x4(out, o, r, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
    }

    /** x·y + s: fused where the hardware fuses, else multiply then add ({@link #HARDWARE_FMA} is a constant to the JIT). */
    public static double madd(double x, double y, double s) {
        return HARDWARE_FMA ? Math.fma(x, y, s) : s + x * y;
    }

    /** Rows a0.. of A (4, stride m) against row b0 of B into out[o + p·r]. */
    private static void dot4x1(double[] a, int a0, double[] b, int b0, int m, double[] out, int o, int r) {
        int a1 = a0 + m, a2 = a1 + m, a3 = a2 + m;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int j = 0; j < m; j++) {
            double y = b[b0 + j];
            s0 = madd(a[a0 + j], y, s0);
            s1 = madd(a[a1 + j], y, s1);
            s2 = madd(a[a2 + j], y, s2);
            s3 = madd(a[a3 + j], y, s3);
        }
        out[o] = s0;
        out[o + r] = s1;
        out[o + 2 * r] = s2;
        out[o + 3 * r] = s3;
    }

    /**
     * {@code out (r×m) = Aᵀ · B} with {@code A} n×r and {@code B} n×m, e.g. Wᵀ·V. Cost O(nmr).
     */
    public static void mulAtB(double[] a, int n, int r, double[] b, int m, double[] out, Parallel par) {
        if (par.nativeBlas()) {
            new DataProducts(b, n, m, par).transposedTimes(a, r, out);   // copies B to native memory once
            return;
        }
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

    /** Rows (of A, B) or columns (of B, C) per partial sum of a Gram matrix; fixed, so sums do not depend on threads. */
    static final int GRAM_BLOCK = 512;

    /** {@code Aᵀ·B} for A, B both n×r: an r×r matrix. Cost O(nr²). */
    public static double[] crossCols(double[] a, double[] b, int n, int r) {
        return crossCols(a, b, n, r, Parallel.sequential());
    }

    /**
     * {@code Aᵀ·B} for A, B both n×r, summed over fixed row blocks in block order: the result is the same
     * bits for any number of threads.
     */
    public static double[] crossCols(double[] a, double[] b, int n, int r, Parallel par) {
        if (par.nativeBlas()) {
            double[][] partial = new double[Math.max(Parallel.blockCount(n, GRAM_BLOCK), 1)][r * r];
            // per fixed block of rows, column-major (AᵀB)ᵀ = Bᵀ·A, so the blocks share the threads: one call left the
            // others idle (at digits three Grams and W·S took 0.15 of an mwu-adaptive iteration's 1.1 ms)
            par.forBlocks(n, GRAM_BLOCK, (blk, from, to) ->
                    NativeBlas.dgemm("N", "T", r, r, to - from, b, from * r, r, a, from * r, r, partial[blk], 0, r));
            double[] out = sumInOrder(partial);
            return a == b ? symmetrized(out, r) : out;
        }
        int blocks = Parallel.blockCount(n, GRAM_BLOCK);
        double[][] partial = new double[Math.max(blocks, 1)][r * r];
        par.forBlocks(n, GRAM_BLOCK, (blk, from, to) -> crossColsBlock(a, b, from, to, r, partial[blk]));
        double[] out = sumInOrder(partial);
        return a == b ? symmetrized(out, r) : out;
    }

    /** {@code B·Cᵀ} for B, C both r×m: an r×r matrix. Cost O(mr²). */
    public static double[] crossRows(double[] b, double[] c, int r, int m) {
        return crossRows(b, c, r, m, Parallel.sequential());
    }

    /** {@code B·Cᵀ} for B, C both r×m, summed over fixed column blocks in block order (thread-count independent). */
    public static double[] crossRows(double[] b, double[] c, int r, int m, Parallel par) {
        if (par.nativeBlas()) {
            double[] out = new double[r * r];
            NativeBlas.dgemm("T", "N", r, r, m, c, m, b, m, out, r);   // column-major (B·Cᵀ)ᵀ = C·Bᵀ
            return b == c ? symmetrized(out, r) : out;
        }
        int blocks = Parallel.blockCount(m, GRAM_BLOCK);
        double[][] partial = new double[Math.max(blocks, 1)][r * r];
        boolean symmetric = b == c;
        par.forBlocks(m, GRAM_BLOCK, (blk, from, to) -> {
            double[] out = partial[blk];
            for (int k = 0; k < r; k++) {
                int bk = k * m;
                for (int l = symmetric ? k : 0; l < r; l++) {
                    int cl = l * m;
                    // four accumulators: the loop is bound by the latency of the additions otherwise
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    int j = from;
                    for (; j + 3 < to; j += 4) {
                        s0 += b[bk + j] * c[cl + j];
                        s1 += b[bk + j + 1] * c[cl + j + 1];
                        s2 += b[bk + j + 2] * c[cl + j + 2];
                        s3 += b[bk + j + 3] * c[cl + j + 3];
                    }
                    for (; j < to; j++) {
                        s0 += b[bk + j] * c[cl + j];
                    }
                    out[k * r + l] = (s0 + s1) + (s2 + s3);
                    if (symmetric) {
                        out[l * r + k] = out[k * r + l];
                    }
                }
            }
        });
        return sumInOrder(partial);
    }

    private static double[] sumInOrder(double[][] partial) {
        double[] out = partial[0];
        for (int p = 1; p < partial.length; p++) {
            double[] q = partial[p];
            for (int i = 0; i < out.length; i++) {
                out[i] += q[i];
            }
        }
        return out;
    }

    /** A Gram matrix exactly symmetric (BLAS may round its two triangles differently): lower := upper. */
    private static double[] symmetrized(double[] g, int r) {
        for (int k = 0; k < r; k++) {
            for (int l = k + 1; l < r; l++) {
                g[l * r + k] = g[k * r + l];
            }
        }
        return g;
    }

    /** {@code out (n×r) = A (n×r) · S (r×r)}. Cost O(nr²). */
    public static void mulSmallRight(double[] a, int n, int r, double[] s, double[] out) {
        mulSmallRight(a, n, r, s, out, Parallel.sequential());
    }

    /** {@code out (n×r) = A · S} over row blocks; each entry is computed the same way on any thread. */
    public static void mulSmallRight(double[] a, int n, int r, double[] s, double[] out, Parallel par) {
        if (par.nativeBlas()) {
            // per block of rows, column-major (A·S)ᵀ = Sᵀ·Aᵀ
            par.forBlocks(n, GRAM_BLOCK, (blk, from, to) ->
                    NativeBlas.dgemm("N", "N", r, to - from, r, s, 0, r, a, from * r, r, out, from * r, r));
            return;
        }
        par.forBlocks(n, GRAM_BLOCK, (blk, from, to) -> mulSmallRightBlock(a, from, to, r, s, out));
    }

    /**
     * Entries (k, l) of Σ_{i ∈ [from, to)} a_ik·b_il into out (r×r), each a chain of {@link #madd} in row order;
     * 4×4 tiles of entries in registers, so each pass over the rows loads 8 numbers per 16 multiply-adds (the
     * row-at-a-time form loaded and stored the whole r×r partial per row: 0.6 GFLOP/s at 1797×16). For a Gram
     * (a == b) only the tiles on and above the diagonal: entry (l, k) would be the same chain as (k, l), since
     * {@link #madd}'s product commutes, so the caller's {@link #symmetrized} gives the full matrix's bits.
     */
    private static void crossColsBlock(double[] a, double[] b, int from, int to, int r, double[] out) {
        boolean gram = a == b;
        int k = 0;
        for (; k + 3 < r; k += 4) {
            int l = gram ? k : 0;
            for (; l + 3 < r; l += 4) {
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                for (int i = from; i < to; i++) {
                    int o = i * r;
                    double x0 = a[o + k], x1 = a[o + k + 1], x2 = a[o + k + 2], x3 = a[o + k + 3];
                    double y0 = b[o + l], y1 = b[o + l + 1], y2 = b[o + l + 2], y3 = b[o + l + 3];
                    s00 = madd(x0, y0, s00);
                    s01 = madd(x0, y1, s01);
                    s02 = madd(x0, y2, s02);
                    s03 = madd(x0, y3, s03);
                    s10 = madd(x1, y0, s10);
                    s11 = madd(x1, y1, s11);
                    s12 = madd(x1, y2, s12);
                    s13 = madd(x1, y3, s13);
                    s20 = madd(x2, y0, s20);
                    s21 = madd(x2, y1, s21);
                    s22 = madd(x2, y2, s22);
                    s23 = madd(x2, y3, s23);
                    s30 = madd(x3, y0, s30);
                    s31 = madd(x3, y1, s31);
                    s32 = madd(x3, y2, s32);
                    s33 = madd(x3, y3, s33);
                }
                store4x4(out, k * r + l, r, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
            }
            for (; l < r; l++) {
                crossColsEntries(a, b, from, to, r, k, k + 4, l, out);
            }
        }
        for (; k < r; k++) {
            for (int l = gram ? k : 0; l < r; l++) {
                crossColsEntries(a, b, from, to, r, k, k + 1, l, out);
            }
        }
    }

    /** Entries (k, l), k in [k0, k1), of {@link #crossColsBlock}: the same chain, one entry at a time. */
    private static void crossColsEntries(double[] a, double[] b, int from, int to, int r, int k0, int k1, int l,
                                         double[] out) {
        for (int k = k0; k < k1; k++) {
            double acc = 0;
            for (int i = from; i < to; i++) {
                acc = madd(a[i * r + k], b[i * r + l], acc);
            }
            out[k * r + l] = acc;
        }
    }

    /**
     * Rows [from, to) of A·S: entry (i, l) is the chain Σ_k a_ik·s_kl of {@link #madd} in k order, 4 rows × 4
     * columns per pass.
     */
    private static void mulSmallRightBlock(double[] a, int from, int to, int r, double[] s, double[] out) {
        int i = from;
        for (; i + 3 < to; i += 4) {
            int o0 = i * r, o1 = o0 + r, o2 = o1 + r, o3 = o2 + r;
            int l = 0;
            for (; l + 3 < r; l += 4) {
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                for (int k = 0; k < r; k++) {
                    int sk = k * r + l;
                    double y0 = s[sk], y1 = s[sk + 1], y2 = s[sk + 2], y3 = s[sk + 3];
                    double x0 = a[o0 + k], x1 = a[o1 + k], x2 = a[o2 + k], x3 = a[o3 + k];
                    s00 = madd(x0, y0, s00);
                    s01 = madd(x0, y1, s01);
                    s02 = madd(x0, y2, s02);
                    s03 = madd(x0, y3, s03);
                    s10 = madd(x1, y0, s10);
                    s11 = madd(x1, y1, s11);
                    s12 = madd(x1, y2, s12);
                    s13 = madd(x1, y3, s13);
                    s20 = madd(x2, y0, s20);
                    s21 = madd(x2, y1, s21);
                    s22 = madd(x2, y2, s22);
                    s23 = madd(x2, y3, s23);
                    s30 = madd(x3, y0, s30);
                    s31 = madd(x3, y1, s31);
                    s32 = madd(x3, y2, s32);
                    s33 = madd(x3, y3, s33);
                }
                store4x4(out, o0 + l, r, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
            }
            for (; l < r; l++) {
                for (int q = 0; q < 4; q++) {
                    out[o0 + q * r + l] = rowTimesColumn(a, o0 + q * r, s, l, r);
                }
            }
        }
        for (; i < to; i++) {
            for (int l = 0; l < r; l++) {
                out[i * r + l] = rowTimesColumn(a, i * r, s, l, r);
            }
        }
    }

    /** Σ_k a[a0 + k]·s_kl, the chain of {@link #mulSmallRightBlock} for one entry. */
    private static double rowTimesColumn(double[] a, int a0, double[] s, int l, int r) {
        double acc = 0;
        for (int k = 0; k < r; k++) {
            acc = madd(a[a0 + k], s[k * r + l], acc);
        }
        return acc;
    }

    /** A 4×4 tile into out at o, rows r apart. */
    private static void store4x4(double[] out, int o, int r, double s00, double s01, double s02, double s03,
                                 double s10, double s11, double s12, double s13, double s20, double s21, double s22,
                                 double s23, double s30, double s31, double s32, double s33) {
        int o1 = o + r, o2 = o1 + r, o3 = o2 + r;
        out[o] = s00;
        out[o + 1] = s01;
        out[o + 2] = s02;
        out[o + 3] = s03;
        out[o1] = s10;
        out[o1 + 1] = s11;
        out[o1 + 2] = s12;
        out[o1 + 3] = s13;
        out[o2] = s20;
        out[o2 + 1] = s21;
        out[o2 + 2] = s22;
        out[o2 + 3] = s23;
        out[o3] = s30;
        out[o3 + 1] = s31;
        out[o3 + 2] = s32;
        out[o3 + 3] = s33;
    }

    /** {@code out (r×m) = S (r×r) · B (r×m)}. Cost O(mr²). */
    public static void mulSmallLeft(double[] s, int r, double[] b, int m, double[] out) {
        mulSmallLeft(s, r, b, m, out, Parallel.sequential());
    }

    /** {@code out (r×m) = S · B} over column blocks; each entry is computed the same way on any thread. */
    public static void mulSmallLeft(double[] s, int r, double[] b, int m, double[] out, Parallel par) {
        if (par.nativeBlas()) {
            NativeBlas.dgemm("N", "N", m, r, r, b, m, s, r, out, m);   // column-major (S·B)ᵀ = Bᵀ·Sᵀ
            return;
        }
        par.forBlocks(m, GRAM_BLOCK, (blk, from, to) -> {
            for (int k = 0; k < r; k++) {
                int ok = k * m;
                java.util.Arrays.fill(out, ok + from, ok + to, 0.0);
                for (int l = 0; l < r; l++) {
                    double x = s[k * r + l];
                    if (x == 0) {
                        continue;
                    }
                    int bl = l * m;
                    for (int j = from; j < to; j++) {
                        out[ok + j] += x * b[bl + j];
                    }
                }
            }
        });
    }

    /**
     * Entries per block of the long sums ({@link #dot}, the measurement pass of {@code NmfProblem.measure}): a
     * sum over more entries is the sum, in block order, of its blocks' sums, whatever the number of threads.
     */
    public static final int SUM_BLOCK = 8192;

    /**
     * Σ a_i b_i over the first {@code len} entries: four interleaved partial sums in each block of {@link #SUM_BLOCK}
     * entries, the blocks' sums added in block order (so a parallel pass over the blocks has these bits).
     */
    public static double dot(double[] a, double[] b, int len) {
        double s = dotBlock(a, b, 0, Math.min(len, SUM_BLOCK));
        for (int from = SUM_BLOCK; from < len; from += SUM_BLOCK) {
            s += dotBlock(a, b, from, Math.min(len, from + SUM_BLOCK));
        }
        return s;
    }

    /** A pass over [from, to) that writes its partial results to part[off], part[off + 1], … */
    public interface BlockParts {
        void run(int from, int to, double[] part, int off);
    }

    /**
     * Runs {@code body} on each block of {@link #SUM_BLOCK} entries of [0, len), shared out over {@code par}; block b
     * writes {@code width} values from part[width·b]. Returns {@code part}: one row per block, at least one row (of
     * zeros when len = 0). Combine a column with {@link #sumInBlockOrder}: then no sum depends on the thread count.
     */
    public static double[] blockParts(int len, int width, Parallel par, BlockParts body) {
        double[] part = new double[width * Math.max(1, Parallel.blockCount(len, SUM_BLOCK))];
        par.forBlocks(len, SUM_BLOCK, (blk, from, to) -> body.run(from, to, part, width * blk));
        return part;
    }

    /** Column j of {@link #blockParts}' rows added in block order, as {@link #dot} adds its blocks. */
    public static double sumInBlockOrder(double[] part, int width, int j) {
        double s = part[j];
        for (int o = width + j; o < part.length; o += width) {
            s += part[o];
        }
        return s;
    }

    /** One block of {@link #dot}: Σ a_i b_i over [from, to) in four interleaved partial sums. */
    public static double dotBlock(double[] a, double[] b, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < to; i++) {
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
