package io.github.nmforacle.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS 0.3.31, shipped inside nmf-oracle's Maven dependencies by JavaCPP ({@code org.bytedeco:openblas}), for the
 * dense products with V. No system library is used or needed. Optional: the pure-Java {@link Kernels} remain the
 * portable fallback wherever the bundled binary does not load.
 *
 * <p>OpenBLAS runs single-threaded here ({@code openblas_set_num_threads(1)}): nmf-oracle cuts each product into
 * blocks that depend only on the shape and runs them on its own threads ({@link DataProducts}), so the bits do not
 * depend on {@code --threads}. Each dgemm call is then deterministic on a given CPU; another CPU may pick other
 * OpenBLAS kernels (OpenBLAS is built with DYNAMIC_ARCH) and round differently.
 *
 * <p>Loaded once, on first use; {@link #unavailableReason()} says why when it cannot be.
 */
public final class NativeBlas {
    /** The platforms whose OpenBLAS binaries nmf-oracle declares (pom.xml). */
    public static final String BUNDLED_PLATFORMS = "linux-x86_64, linux-arm64, macosx-x86_64, macosx-arm64";

    private static final Object LOCK = new Object();
    private static volatile boolean tried;
    private static boolean loaded;
    private static String reason;

    private NativeBlas() {
    }

    /** True when the bundled OpenBLAS could be loaded on this machine. */
    public static boolean available() {
        load();
        return loaded;
    }

    /** Why {@link #available()} is false, in one line without exception class names (null when it is true). */
    public static String unavailableReason() {
        load();
        return reason;
    }

    /** True when nmf-oracle ships an OpenBLAS binary for this platform ({@link #BUNDLED_PLATFORMS}). */
    public static boolean shippedForThisPlatform() {
        return java.util.Arrays.asList(BUNDLED_PLATFORMS.split(", ")).contains(platformOrUnknown());
    }

    /** What runs the native products, e.g. "OpenBLAS 0.3.31 (bundled, linux-x86_64, 1 thread per call)". */
    public static String description() {
        return available() ? "OpenBLAS " + OPENBLAS_VERSION + " (bundled, " + Loader.getPlatform() + ", 1 thread per call)"
                : "none (" + reason + ")";
    }

    private static final String OPENBLAS_VERSION = "0.3.31";

    private static void load() {
        if (tried) {
            return;
        }
        synchronized (LOCK) {
            if (tried) {
                return;
            }
            try {
                Loader.load(openblas_nolapack.class);
                // our threads cut the products into fixed blocks; OpenBLAS's own threads would race with them
                org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
                selfTest();
                loaded = true;
            } catch (Throwable t) {   // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError...
                loaded = false;
                reason = "the OpenBLAS bundled with nmf-oracle could not be loaded on this platform ("
                        + platformOrUnknown() + "; binaries are shipped for " + BUNDLED_PLATFORMS + ")"
                        + detail(t);
            }
            tried = true;
        }
    }

    /** A 2×2 product with a known answer: refuses a library that loads but computes nonsense. */
    private static void selfTest() {
        double[] a = {1, 2, 3, 4};
        double[] b = {5, 6, 7, 8};
        double[] c = new double[4];
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasNoTrans, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
        if (c[0] != 19 || c[1] != 22 || c[2] != 43 || c[3] != 50) {
            throw new IllegalStateException("its 2x2 self-test product is wrong");
        }
    }

    private static String platformOrUnknown() {
        try {
            return Loader.getPlatform();
        } catch (Throwable t) {
            return "unknown";
        }
    }

    /** The innermost message, stripped of exception class names; empty when there is none. */
    static String detail(Throwable t) {
        Throwable x = t;
        while (x.getCause() != null && x.getCause() != x) {
            x = x.getCause();
        }
        String msg = x.getMessage();
        if (msg == null || msg.isBlank()) {
            return "";
        }
        String clean = msg.replaceAll("\\b(?:[a-zA-Z_$][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*", "")
                .replaceAll("\\s+", " ").trim().replaceAll("[.\\s]+$", "");
        if (clean.length() > 160) {
            clean = clean.substring(0, 157) + "...";
        }
        return clean.isEmpty() ? "" : ": " + clean;
    }

    private static int order(boolean trans) {
        return trans ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    }

    /**
     * Row-major {@code C (M×N) = op(A)·op(B)} (α = 1, β = 0) on native memory, each operand at an element offset.
     */
    static void gemm(boolean transA, boolean transB, int mRows, int nCols, int k,
                     DoublePointer a, long aOff, int lda, DoublePointer b, long bOff, int ldb,
                     DoublePointer c, long cOff, int ldc) {
        gemm(transA, transB, mRows, nCols, k, a, aOff, lda, b, bOff, ldb, 0.0, c, cOff, ldc);
    }

    /** As above with C ← op(A)·op(B) + beta·C (beta = 1 accumulates). */
    static void gemm(boolean transA, boolean transB, int mRows, int nCols, int k,
                     DoublePointer a, long aOff, int lda, DoublePointer b, long bOff, int ldb,
                     double beta, DoublePointer c, long cOff, int ldc) {
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, order(transA), order(transB), mRows, nCols, k,
                1.0, at(a, aOff), lda, at(b, bOff), ldb, beta, at(c, cOff), ldc);
    }

    /** A view of {@code p} starting {@code off} elements in (no native allocation). */
    static DoublePointer at(DoublePointer p, long off) {
        return off == 0 ? p : new DoublePointer(p).position(p.position() + off);
    }

    /**
     * Column-major {@code C = op(A)·op(B)} (BLAS dgemm with α = 1, β = 0) on Java arrays, for the small operands (r×r
     * Grams, n×r by r×r): copied into per-thread native buffers that are reused. JavaCPP's own {@code double[]} entry
     * point copies through a fresh C-heap block per array and call, which above 128 KiB is a fresh mapping with its
     * page faults: at 1797×16 that made W·S cost 2.9× the dgemm itself. {@code c} must be exactly m×n (ldc = m).
     */
    static void dgemm(String transA, String transB, int m, int n, int k, double[] a, int lda, double[] b, int ldb,
                      double[] c, int ldc) {
        if (c.length != m * n) {
            throw new IllegalArgumentException("dgemm: C must be " + m + "x" + n + " with ldc = m");
        }
        dgemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, ldc);
    }

    /**
     * As above with A, B and C starting {@code aOff}, {@code bOff}, {@code cOff} entries into their arrays; only the
     * entries the product reads are copied (a block of rows of a row-major n×r factor is one contiguous run), and C's
     * m×n entries from {@code cOff} are written.
     */
    static void dgemm(String transA, String transB, int m, int n, int k, double[] a, int aOff, int lda, double[] b,
                      int bOff, int ldb, double[] c, int cOff, int ldc) {
        if (ldc != m || cOff < 0 || (long) cOff + (long) m * n > c.length) {
            throw new IllegalArgumentException("dgemm: C must hold " + m + "x" + n + " from " + cOff + " with ldc = m");
        }
        boolean ta = "T".equals(transA), tb = "T".equals(transB);
        int aLen = extent(ta ? k : m, ta ? m : k, lda);
        int bLen = extent(tb ? n : k, tb ? k : n, ldb);
        boolean same = a == b && aOff == bOff && aLen == bLen;
        int cLen = m * n;
        if ((long) aLen + (same ? 0 : bLen) + cLen > KEEP_MAX) {
            // large operands: the copies dominate anyway; do not keep this much native memory per thread
            try (DoublePointer pa = new DoublePointer(aLen); DoublePointer pb = same ? null : new DoublePointer(bLen);
                 DoublePointer pc = new DoublePointer(cLen)) {
                pa.put(a, aOff, aLen);
                if (pb != null) {
                    pb.put(b, bOff, bLen);
                }
                openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasColMajor, order(ta), order(tb), m, n, k, 1.0, pa,
                        lda, pb == null ? pa : pb, ldb, 0.0, pc, ldc);
                pc.get(c, cOff, cLen);
            }
            return;
        }
        Scratch s = SCRATCH.get();
        DoublePointer pa = s.a(aLen);
        pa.put(a, aOff, aLen);
        DoublePointer pb = pa;
        if (!same) {
            pb = s.b(bLen);
            pb.put(b, bOff, bLen);
        }
        DoublePointer pc = s.c(cLen);
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasColMajor, order(ta), order(tb), m, n, k, 1.0, pa, lda,
                pb, ldb, 0.0, pc, ldc);
        pc.get(c, cOff, cLen);
    }

    /** Entries spanned by a column-major rows×cols operand with leading dimension ld. */
    private static int extent(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : Math.toIntExact((long) ld * (cols - 1) + rows);
    }

    /** Operands of {@link #dgemm} up to this many entries in all are copied into kept per-thread buffers (64 MiB). */
    static final long KEEP_MAX = 1L << 23;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One thread's native copies of the operands of {@link #dgemm}, grown on demand and kept. */
    private static final class Scratch {
        private final DoublePointer[] p = new DoublePointer[3];

        DoublePointer a(int len) {
            return get(0, len);
        }

        DoublePointer b(int len) {
            return get(1, len);
        }

        DoublePointer c(int len) {
            return get(2, len);
        }

        private DoublePointer get(int i, int len) {
            if (p[i] == null || p[i].capacity() < len) {
                if (p[i] != null) {
                    p[i].close();
                }
                p[i] = new DoublePointer(Math.max(1, len));
            }
            return p[i];
        }
    }
}
