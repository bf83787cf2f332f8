package io.github.nmforacle.linalg;

import org.bytedeco.javacpp.DoublePointer;

/**
 * The two O(nmr) products with a fixed data matrix V (n×m, row-major) that every NMF method needs:
 * {@code V·Xᵀ} (X r×m, e.g. V·Hᵀ) and {@code Yᵀ·V} (Y n×r, e.g. Wᵀ·V), on the backend of a {@link Parallel}.
 *
 * <p>Java kernels: V·Xᵀ and Yᵀ·V = (Vᵀ·Y)ᵀ on copies of V and of Vᵀ in {@link ColumnBlocks}, kept up to
 * {@link #TRANSPOSE_MAX_ENTRIES} entries each (the vectorised form: 2× the row-dot kernel of {@link Kernels#mulABt},
 * with its bits); above that, or when a copy does not fit in the heap, the row-dot kernel and multiply-add chains on
 * V itself, with the same bits.
 *
 * <p>Native ({@link NativeBlas}): V is copied once into native memory — the {@code double[]} entry points of
 * JavaCPP copy every array on every call, 32 MB per product at 2000×2000. Each product is cut into blocks that
 * depend only on (n, m): row blocks of V for V·Xᵀ, column blocks for Yᵀ·V, so every output entry is written by one
 * single-threaded dgemm call and nothing is reduced across blocks. The blocks run on the {@link Parallel}'s threads,
 * so the bits are the same for any thread count on a given CPU.
 *
 * <p>{@link Blas#AUTO}: each product on the backend that is faster for its shape ({@link #javaUnderAuto}), with
 * that backend's bits; {@link #both} is the fused native pass only when both products are native.
 */
public final class DataProducts {
    /** Up to this many entries of V the Java products keep their two {@link ColumnBlocks} copies. */
    public static final long TRANSPOSE_MAX_ENTRIES = 125_000_000L;
    /** About this many entries of V per native block (2 MiB: a block and its operands stay in L2/L3). */
    static final long NATIVE_BLOCK_ENTRIES = 1L << 18;

    private final double[] v;
    private final int n;
    private final int m;
    private final Parallel par;
    private ColumnBlocks blocks;
    private ColumnBlocks blocksT;
    private DoublePointer vNative;
    private NativeScratch nativeScratch;
    private FusedScratch fused;
    private final long maxBlockEntries;
    /** Set when a copy did not fit in the heap: the kernels on V itself run instead (the same bits). */
    private boolean noBlocks;

    public DataProducts(double[] v, int n, int m, Parallel par) {
        this(v, n, m, par, TRANSPOSE_MAX_ENTRIES);
    }

    /** As above, keeping the {@link ColumnBlocks} copies only up to {@code maxBlockEntries} entries of V (tests). */
    DataProducts(double[] v, int n, int m, Parallel par, long maxBlockEntries) {
        if ((long) n * m != v.length) {
            throw new IllegalArgumentException("V has " + v.length + " entries, expected " + n + "x" + m);
        }
        this.v = v;
        this.n = n;
        this.m = m;
        this.par = par;
        this.maxBlockEntries = maxBlockEntries;
    }

    /** Rows of V of at least this length are cut into {@link #MIN_ROW_BLOCKS} blocks even when V is small. */
    static final int WIDE_ROW = 256;
    /** Row blocks of a small V with wide rows: the threads share V·Xᵀ where one block would leave one core idle. */
    static final long MIN_ROW_BLOCKS = 8;
    /** ... but no block below this many entries (256 KiB), so that a call's fixed cost stays small. */
    static final long MIN_ROW_BLOCK_ENTRIES = 1L << 15;

    /**
     * Rows of V per block of the native V·Xᵀ and of the one-pass {@link #both}: a function of the shape only.
     * Measured (README, "Native blocks and the Java kernel"): at 500×400 seven blocks of V·Hᵀ (81 rows each) take 0.65× the time of one on 2 threads;
     * a V of narrow rows is cut only in the two halves of {@link #narrowHalves}.
     */
    static int nativeRowBlock(int n, int m) {
        if (narrowHalves(n, m)) {
            return (n + 1) / 2;
        }
        long entries = NATIVE_BLOCK_ENTRIES;
        if (m >= WIDE_ROW) {
            entries = Math.min(entries, Math.max(MIN_ROW_BLOCK_ENTRIES, ((long) n * m + MIN_ROW_BLOCKS - 1) / MIN_ROW_BLOCKS));
        }
        return (int) Math.max(1, Math.min(n, entries / Math.max(1, m)));
    }

    /** Below this many entries a V with narrow rows stays one block: a call's fixed cost outweighs a second thread. */
    static final long NARROW_SPLIT_ENTRIES = 1L << 16;

    /**
     * A V of {@link #NARROW_SPLIT_ENTRIES} to {@link #NATIVE_BLOCK_ENTRIES} entries with narrow rows (m &lt;
     * {@link #WIDE_ROW}) is cut in two halves, by rows for V·Xᵀ and by columns for Yᵀ·V, so that two threads share each
     * product. Measured at digits size (1797×64, r = 16; README, "Per iteration against scikit-learn, 2026-12-02
     * night"): 0.90× per {@code mu} and {@code mu-concurrent} iteration against one block on 2 cores, where four blocks
     * gave 0.94–1.03× and column halves at 500×400 gave nothing.
     */
    static boolean narrowHalves(int n, int m) {
        long entries = (long) n * m;
        return m < WIDE_ROW && n >= 2 && m >= 2 && entries >= NARROW_SPLIT_ENTRIES && entries <= NATIVE_BLOCK_ENTRIES;
    }

    /** Columns of V per block of the native Yᵀ·V: a function of the shape only. */
    static int nativeColBlock(int n, int m) {
        if (narrowHalves(n, m)) {
            return (m + 1) / 2;
        }
        return (int) Math.max(1, Math.min(m, NATIVE_BLOCK_ENTRIES / Math.max(1, n)));
    }

    /** Under {@link Blas#AUTO}, the Java products run only up to this many entries of V (their copies: 2 × 128 MiB). */
    static final long AUTO_JAVA_MAX_ENTRIES = 1L << 24;
    /** Under {@link Blas#AUTO}, both Java products run up to this rank ... */
    static final int AUTO_JAVA_RANK = 10;
    /** ... and Yᵀ·V up to this one when n ≥ m ≥ {@link #WIDE_ROW}. */
    static final int AUTO_JAVA_RANK_TRANSPOSED = 20;

    /**
     * Whether {@link Blas#AUTO} runs this product with V on the Java kernels instead of OpenBLAS: a function of the
     * shape only, so a seed still gives the same bits for any thread count (and the same bits as {@code --blas java}
     * for the products it picks). Measured on the 2-core AVX-512 machine of the README ("--blas auto per product",
     * bench/blas-auto/ProductGrid.java), n in 200..4000, m in 64..4000, r in 5..40: the Java kernels took 0.24–1.08×
     * OpenBLAS's time for both products at r ≤ 10, and 0.46–1.13× for Yᵀ·V with n ≥ m ≥ 256 at 10 &lt; r ≤ 20;
     * elsewhere OpenBLAS was mostly faster (V·Xᵀ from r = 12, narrow V).
     */
    static boolean javaUnderAuto(int n, int m, int r, boolean transposed) {
        if ((long) n * m > AUTO_JAVA_MAX_ENTRIES) {
            return false;
        }
        return r <= AUTO_JAVA_RANK || (transposed && r <= AUTO_JAVA_RANK_TRANSPOSED && n >= m && m >= WIDE_ROW);
    }

    /** Whether this product runs on OpenBLAS: {@code --blas native}, or {@code auto} where the Java kernel is slower. */
    private boolean onNative(int r, boolean transposed) {
        return par.nativeBlas() && !(par.autoBlas() && javaUnderAuto(n, m, r, transposed));
    }

    /** {@code out (n×r) = V·Xᵀ} with X r×m. */
    public void timesTransposed(double[] x, int r, double[] out) {
        if (onNative(r, false)) {
            nativeTimesTransposed(x, r, out);
            return;
        }
        ColumnBlocks b = columnBlocks(false);
        if (b == null) {
            Kernels.mulABtJava(v, n, m, x, r, out, par);
            return;
        }
        b.times(x, m, 1, r, out, r, 1, par);
    }

    /** {@code out (r×m) = Yᵀ·V} with Y n×r. */
    public void transposedTimes(double[] y, int r, double[] out) {
        if (onNative(r, true)) {
            nativeTransposedTimes(y, r, out);
            return;
        }
        ColumnBlocks t = columnBlocks(true);
        if (t == null) {
            chainsAtB(y, r, out);
            return;
        }
        t.times(y, 1, r, r, out, 1, m, par);   // (Vᵀ·Y)(j, k) = Σ_i V(i, j)·Y(i, k), written to out[k·m + j]
    }

    /**
     * {@code vxt (n×r) = V·Xᵀ} and {@code ytv (r×m) = Yᵀ·V} together. Native: one pass over V by row blocks,
     * each block used by both products while it is in cache (the concurrent update's two products; an alternating
     * method needs Wᵀ·V of the new W, so it cannot share the pass). The row blocks form {@link #FUSED_GROUPS}
     * groups fixed by the shape; each group sums its blocks' Y_bᵀ·V_b in block order and the groups are added in
     * order, so the bits do not depend on the thread count. Java kernels: the two products one after the other.
     */
    public void both(double[] x, double[] y, int r, double[] vxt, double[] ytv) {
        if (!onNative(r, false) || !onNative(r, true)) {
            timesTransposed(x, r, vxt);
            transposedTimes(y, r, ytv);
            return;
        }
        nativeBoth(x, y, r, vxt, ytv);
    }

    /** Groups of row blocks in the fused native pass: a constant, so the reduction order is the shape's alone. */
    static final int FUSED_GROUPS = 8;

    private synchronized void nativeBoth(double[] x, double[] y, int r, double[] vxt, double[] ytv) {
        DoublePointer vp = nativeData();
        int rows = nativeRowBlock(n, m);
        int blocks = Parallel.blockCount(n, rows);
        int groups = Math.min(FUSED_GROUPS, blocks);
        if (fused == null || fused.r != r) {
            fused = new FusedScratch(r, (long) n * r, (long) r * m, groups);
        }
        FusedScratch s = fused;
        s.x.put(x, 0, r * m);
        s.y.put(y, 0, n * r);
        par.forBlocks(groups, 1, (g, g0, g1) -> {
            int first = (int) ((long) g * blocks / groups);
            int last = (int) ((long) (g + 1) * blocks / groups);
            long acc = (long) g * r * m;
            for (int b = first; b < last; b++) {
                int from = b * rows;
                int to = Math.min(n, from + rows);
                NativeBlas.gemm(false, true, to - from, r, m, vp, (long) from * m, m, s.x, 0, m,
                        s.vxt, (long) from * r, r);
                NativeBlas.gemm(true, false, r, m, to - from, s.y, (long) from * r, r, vp, (long) from * m, m,
                        b == first ? 0.0 : 1.0, s.acc, acc, m);
            }
        });
        s.vxt.get(vxt, 0, n * r);
        s.acc.get(ytv, 0, r * m);
        if (groups > 1) {
            double[] part = s.part;
            for (int g = 1; g < groups; g++) {
                NativeBlas.at(s.acc, (long) g * r * m).get(part, 0, r * m);
                for (int i = 0; i < r * m; i++) {
                    ytv[i] += part[i];
                }
            }
        }
    }

    /**
     * {@code out (r×m) = Yᵀ·V} without a copy of V: each entry the chain of {@link Kernels#madd} in V's row order
     * from 0, i.e. the bits of the {@link ColumnBlocks} product (Kernels.mulAtB rounds differently), over fixed blocks
     * of V's columns.
     */
    private void chainsAtB(double[] y, int r, double[] out) {
        java.util.Arrays.fill(out, 0, r * m, 0.0);
        par.forBlocks(m, CHAIN_COLUMNS, (blk, from, to) -> {
            for (int i = 0; i < n; i++) {
                int vo = i * m;
                for (int k = 0; k < r; k++) {
                    double yik = y[i * r + k];
                    int oo = k * m;
                    for (int j = from; j < to; j++) {
                        out[oo + j] = Kernels.madd(yik, v[vo + j], out[oo + j]);
                    }
                }
            }
        });
    }

    /** Columns of V per block of {@link #chainsAtB}: r such rows of the output stay in cache while V streams by. */
    static final int CHAIN_COLUMNS = 512;

    /**
     * V (or Vᵀ) in column blocks, built on first use; null above the size limit or when the copy does not fit in the
     * heap (then the caller's kernels on V itself, with the same bits, run from then on).
     */
    private synchronized ColumnBlocks columnBlocks(boolean transposed) {
        if ((long) n * m > maxBlockEntries || noBlocks) {
            return null;
        }
        try {
            if (transposed) {
                if (blocksT == null) {
                    blocksT = ColumnBlocks.ofTransposed(v, n, m);
                }
                return blocksT;
            }
            if (blocks == null) {
                blocks = ColumnBlocks.of(v, n, m);
            }
            return blocks;
        } catch (OutOfMemoryError e) {   // one large allocation failed: give back what was built, use V itself
            noBlocks = true;
            blocks = null;
            blocksT = null;
            return null;
        }
    }

    // One caller at a time on the native buffers; the blocks inside run on the pool.
    private synchronized void nativeTimesTransposed(double[] x, int r, double[] out) {
        DoublePointer vp = nativeData();
        NativeScratch s = scratch(r);
        s.small.put(x, 0, r * m);
        int rows = nativeRowBlock(n, m);
        par.forBlocks(n, rows, (blk, from, to) ->
                // rows [from, to) of V times Xᵀ: (to-from)×m by m×r into rows [from, to) of out
                NativeBlas.gemm(false, true, to - from, r, m, vp, (long) from * m, m, s.small, 0, m,
                        s.out, (long) from * r, r));
        s.out.get(out, 0, n * r);
    }

    private synchronized void nativeTransposedTimes(double[] y, int r, double[] out) {
        DoublePointer vp = nativeData();
        NativeScratch s = scratch(r);
        s.small.put(y, 0, n * r);
        int cols = nativeColBlock(n, m);
        par.forBlocks(m, cols, (blk, from, to) ->
                // Yᵀ (r×n) times columns [from, to) of V (n×(to-from), leading dimension m) into columns [from, to) of out
                NativeBlas.gemm(true, false, r, to - from, n, s.small, 0, r, vp, from, m, s.out, from, m));
        s.out.get(out, 0, r * m);
    }

    private DoublePointer nativeData() {
        if (vNative == null) {
            try {
                vNative = new DoublePointer((long) n * m);
            } catch (OutOfMemoryError e) {   // JavaCPP's limit (the heap size by default) or the machine's
                throw new IllegalArgumentException("not enough native memory for the OpenBLAS copy of V (" + n + "x" + m
                        + ", " + ((long) n * m * 8 >> 20) + " MiB); use --blas java or a larger -Xmx");
            }
            vNative.put(v, 0, v.length);
        }
        return vNative;
    }

    private NativeScratch scratch(int r) {
        if (nativeScratch == null || nativeScratch.r != r) {
            nativeScratch = new NativeScratch(r, (long) Math.max(n, m) * r);
        }
        return nativeScratch;
    }

    /** Native copies of the small operand (X or Y) and of the output, reused across calls. */
    private static final class NativeScratch {
        final int r;
        final DoublePointer small;
        final DoublePointer out;

        NativeScratch(int r, long entries) {
            this.r = r;
            this.small = new DoublePointer(entries);
            this.out = new DoublePointer(entries);
        }
    }

    /** Native operands, outputs and per-group accumulators of {@link #both}, reused across calls. */
    private static final class FusedScratch {
        final int r;
        final DoublePointer x;
        final DoublePointer y;
        final DoublePointer vxt;
        final DoublePointer acc;
        final double[] part;

        FusedScratch(int r, long nr, long rm, int groups) {
            this.r = r;
            this.x = new DoublePointer(rm);
            this.y = new DoublePointer(nr);
            this.vxt = new DoublePointer(nr);
            this.acc = new DoublePointer(rm * groups);
            this.part = new double[(int) rm];
        }
    }
}
