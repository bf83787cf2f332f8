package io.github.nmforacle.linalg;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The system's BLAS ({@code libblas.so.3}, e.g. OpenBLAS) through dev.ludovic.netlib's JNI binding, for
 * the dense products with V. Optional: nothing in nmf-oracle needs it, and the pure-Java {@link Kernels}
 * remain the default because only they give bit-identical results for any thread count and machine.
 *
 * <p>Loaded once, on first use; {@link #unavailableReason()} says why when it cannot be.
 */
public final class NativeBlas {
    private static final Object LOCK = new Object();
    private static volatile boolean tried;
    private static dev.ludovic.netlib.blas.BLAS blas;
    private static String reason;

    private NativeBlas() {
    }

    /** True when a native BLAS could be loaded on this machine. */
    public static boolean available() {
        return instance() != null;
    }

    /** Why {@link #available()} is false (null when it is true). */
    public static String unavailableReason() {
        instance();
        return reason;
    }

    /** The loaded BLAS, or null; never throws. */
    static dev.ludovic.netlib.blas.BLAS instance() {
        if (!tried) {
            synchronized (LOCK) {
                if (!tried) {
                    load();
                    tried = true;
                }
            }
        }
        return blas;
    }

    private static void load() {
        // netlib logs a WARNING per failed implementation; the reason is reported by us, once, in one line.
        Logger log = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level old = log.getLevel();
        log.setLevel(Level.OFF);
        try {
            blas = dev.ludovic.netlib.blas.NativeBLAS.getInstance();
        } catch (Throwable t) {
            blas = null;
            reason = "no native BLAS could be loaded (needs libblas.so.3, e.g. the libopenblas0 package, on Linux"
                    + " x86-64 or aarch64): " + rootMessage(t);
        } finally {
            log.setLevel(old);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable x = t;
        while (x.getCause() != null) {
            x = x.getCause();
        }
        return x.getClass().getSimpleName() + (x.getMessage() != null ? ": " + x.getMessage() : "");
    }

    /** Column-major {@code C = op(A)·op(B)} (BLAS dgemm with α = 1, β = 0). */
    static void dgemm(String transA, String transB, int m, int n, int k, double[] a, int lda, double[] b, int ldb,
                      double[] c, int ldc) {
        blas.dgemm(transA, transB, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc);
    }
}
