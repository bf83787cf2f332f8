package io.github.nmforacle.linalg;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

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

    private static final Parallel SEQUENTIAL = new Parallel(1, false, false);

    private final int threads;
    private final boolean nativeBlas;
    /** {@link Blas#AUTO} resolved to native: {@link DataProducts} then picks the backend per product by shape. */
    private final boolean autoBlas;
    /** The threads - 1 helpers; the calling thread runs blocks too. */
    private final Helper[] helpers;
    /** How long an idle helper spins before it parks (0 when there are more threads than cores). */
    private final long spinNanos;
    /** Set while a call runs its blocks on the helpers; a nested or concurrent call runs in its own thread. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job job;
    private volatile boolean closed;
    private long jobs;

    private Parallel(int threads, boolean nativeBlas, boolean autoBlas) {
        this.threads = threads;
        this.nativeBlas = nativeBlas;
        this.autoBlas = autoBlas;
        this.helpers = new Helper[Math.max(0, threads - 1)];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper(i);
        }
        this.spinNanos = threads <= Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : 0;
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
        return t == 1 && !nat ? SEQUENTIAL : new Parallel(t, nat, nat && blas == Blas.AUTO);
    }

    /** True when the dense products run on the bundled OpenBLAS ({@link Blas#NATIVE}). */
    public boolean nativeBlas() {
        return nativeBlas;
    }

    /**
     * True when {@link Blas#AUTO} chose the native backend: the products with V may still run on the Java kernels
     * where those are faster for the shape ({@code DataProducts.javaUnderAuto}).
     */
    public boolean autoBlas() {
        return autoBlas;
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

    /**
     * How long a helper spins on the next call before parking, and the caller on the helpers' last block: a
     * solver's iteration at small sizes is a chain of short parallel calls, and waking a parked thread costs tens of
     * microseconds on a virtual machine (README, "The thread pool").
     */
    static final long SPIN_NANOS = Long.getLong("nmforacle.spinMicros", 100) * 1000;
    /** An idle helper ends after this long; the next call starts it again. */
    static final long KEEP_ALIVE_NANOS = 30_000_000_000L;

    /**
     * Runs {@code body} on every block of {@code [0, n)}; returns when all blocks are done. The calling thread and
     * the helpers take blocks from one counter, so each block runs exactly once, in one thread; the first exception
     * of a block is rethrown here once every block has ended.
     */
    public void forBlocks(int n, int blockSize, BlockBody body) {
        int blocks = blockCount(n, blockSize);
        if (helpers.length == 0 || blocks <= 1 || !busy.compareAndSet(false, true)) {
            for (int b = 0; b < blocks; b++) {
                body.run(b, b * blockSize, Math.min(n, (b + 1) * blockSize));
            }
            return;
        }
        Job j;
        try {
            j = new Job(++jobs, body, n, blockSize, blocks, Thread.currentThread());
            job = j;
            int wake = Math.min(helpers.length, blocks - 1);
            for (int i = 0; i < wake; i++) {
                helpers[i].wake();
            }
            j.work();
            long spinUntil = System.nanoTime() + spinNanos;
            while (j.done.get() < blocks) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000L);
                }
            }
        } finally {
            job = null;   // the body's captured arrays are not kept alive until the next call
            busy.set(false);
        }
        Throwable e = j.error.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error er) {
            throw er;
        }
        if (e != null) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** One call of {@link #forBlocks}: blocks are claimed from {@code next} and counted in {@code done}. */
    private static final class Job {
        final long seq;
        final BlockBody body;
        final int n;
        final int blockSize;
        final int blocks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        Job(long seq, BlockBody body, int n, int blockSize, int blocks, Thread caller) {
            this.seq = seq;
            this.body = body;
            this.n = n;
            this.blockSize = blockSize;
            this.blocks = blocks;
            this.caller = caller;
        }

        void work() {
            int b;
            while ((b = next.getAndIncrement()) < blocks) {
                if (error.get() == null) {
                    try {
                        body.run(b, b * blockSize, Math.min(n, (b + 1) * blockSize));
                    } catch (Throwable t) {
                        error.compareAndSet(null, t);
                    }
                }
                if (done.incrementAndGet() == blocks && Thread.currentThread() != caller) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    private static final int RUNNING = 0;
    private static final int PARKED = 1;
    private static final int EXITED = 2;

    /**
     * A helper thread: runs the blocks of each new {@link Job}, spins {@code spinNanos} for the next, then parks; ends
     * after {@link #KEEP_ALIVE_NANOS} idle (daemon, so a pool that is never closed does not keep the JVM alive).
     */
    private final class Helper implements Runnable {
        private final int index;
        private final AtomicInteger state = new AtomicInteger(EXITED);
        private volatile Thread thread;
        private long seen;

        Helper(int index) {
            this.index = index;
        }

        void wake() {
            int st = state.get();
            if (st == PARKED) {
                LockSupport.unpark(thread);
            } else if (st == EXITED && state.compareAndSet(EXITED, RUNNING)) {
                Job j = job;
                seen = j == null ? 0 : j.seq - 1;   // the new thread takes the current job
                Thread t = new Thread(this, "nmf-oracle-parallel-" + (index + 1));
                t.setDaemon(true);
                thread = t;
                t.start();
            }
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!closed) {
                Job j = job;
                if (j != null && j.seq != seen) {
                    seen = j.seq;
                    j.work();
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < spinNanos) {
                    Thread.onSpinWait();
                    continue;
                }
                state.set(PARKED);
                j = job;
                if (j == null || j.seq == seen) {
                    LockSupport.parkNanos(this, KEEP_ALIVE_NANOS);
                }
                j = job;
                boolean fresh = j != null && j.seq != seen;
                if (!fresh && !closed && System.nanoTime() - idleSince >= KEEP_ALIVE_NANOS
                        && state.compareAndSet(PARKED, EXITED)) {
                    return;
                }
                state.set(RUNNING);
            }
            state.set(EXITED);
        }
    }

    @Override
    public void close() {
        if (this != SEQUENTIAL) {
            closed = true;
            for (Helper h : helpers) {
                Thread t = h.thread;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }
    }
}
