package io.github.nmforacle.linalg;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Runs loops over fixed-size blocks on a bounded number of threads.
 *
 * <p>Reproducibility: the block boundaries depend only on the problem size, never on the number of
 * threads, and every block writes its own slice of the output (reductions keep one partial result per
 * block and add them in block order). A given seed therefore yields bit-identical results for any
 * thread count. With {@link Blas#NATIVE} the blocks of the products with V ({@link DataProducts}) are
 * single-threaded OpenBLAS calls run on these threads, so the same holds on a given CPU.
 */
public final class Parallel implements AutoCloseable {
    /** Callback over the half-open block {@code [from, to)}, with its block index. */
    @FunctionalInterface
    public interface BlockBody {
        void run(int block, int from, int to);
    }

    private static final Parallel SEQUENTIAL = new Parallel(1, false);

    private final int threads;
    private final ForkJoinPool pool;
    private final boolean nativeBlas;

    private Parallel(int threads, boolean nativeBlas) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
        this.nativeBlas = nativeBlas;
    }

    /** A pool of {@code threads} workers; {@code threads <= 0} means one per available core. */
    public static Parallel withThreads(int threads) {
        return withThreads(threads, Blas.JAVA);
    }

    /**
     * As {@link #withThreads(int)}, with the dense products on {@code blas}.
     *
     * @throws IllegalArgumentException if {@link Blas#NATIVE} is asked for and cannot be loaded
     */
    public static Parallel withThreads(int threads, Blas blas) {
        boolean nat = blas.resolve() == Blas.NATIVE;
        int t = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
        return t == 1 && !nat ? SEQUENTIAL : new Parallel(t, nat);
    }

    /** True when the dense products run on the bundled OpenBLAS ({@link Blas#NATIVE}). */
    public boolean nativeBlas() {
        return nativeBlas;
    }

    /** Runs everything in the calling thread. */
    public static Parallel sequential() {
        return SEQUENTIAL;
    }

    public int threads() {
        return threads;
    }

    /** Number of blocks of size {@code blockSize} covering {@code n} items. */
    public static int blockCount(int n, int blockSize) {
        return (n + blockSize - 1) / blockSize;
    }

    /** Runs {@code body} on every block of {@code [0, n)}; returns when all blocks are done. */
    public void forBlocks(int n, int blockSize, BlockBody body) {
        int blocks = blockCount(n, blockSize);
        if (pool == null || blocks <= 1) {
            for (int b = 0; b < blocks; b++) {
                body.run(b, b * blockSize, Math.min(n, (b + 1) * blockSize));
            }
            return;
        }
        ForkJoinTask<?> task = pool.submit(new Range(body, n, blockSize, 0, blocks));
        task.join();
    }

    private static final class Range extends RecursiveAction {
        private final BlockBody body;
        private final int n;
        private final int blockSize;
        private final int lo;
        private final int hi;

        Range(BlockBody body, int n, int blockSize, int lo, int hi) {
            this.body = body;
            this.n = n;
            this.blockSize = blockSize;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                body.run(lo, lo * blockSize, Math.min(n, (lo + 1) * blockSize));
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(body, n, blockSize, lo, mid), new Range(body, n, blockSize, mid, hi));
        }
    }

    @Override
    public void close() {
        if (pool != null && this != SEQUENTIAL) {
            pool.shutdown();
        }
    }
}
