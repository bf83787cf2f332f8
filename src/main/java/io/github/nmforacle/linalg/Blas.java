package io.github.nmforacle.linalg;

/**
 * Which code runs the dense products with V (V·Hᵀ, Wᵀ·V) and the r×r Gram products.
 *
 * <p>Both backends cut the products with V into blocks that depend only on the shape, run them on nmf-oracle's own
 * threads and never reduce across threads in a thread-dependent order, so a seed gives the same bits for any
 * {@code --threads}. They differ across machines: the Java kernels give the same bits on every machine whose JVM has hardware FMA (every x86-64 CPU since
 * 2013, every ARMv8; {@link Kernels#HARDWARE_FMA}); OpenBLAS picks
 * its kernels for the CPU it runs on (DYNAMIC_ARCH), so another CPU may round differently.
 */
public enum Blas {
    /** nmf-oracle's own {@link Kernels}: the same bits for any thread count and on every machine with hardware FMA. */
    JAVA,
    /**
     * The OpenBLAS bundled with nmf-oracle ({@link NativeBlas}), single-threaded per block; an error if it cannot be
     * loaded on this platform. Faster than {@link #JAVA} for V·Xᵀ at r ≥ 12 and for narrow V; slower for the
     * products with V at r ≤ 10 (README, "--blas auto per product").
     */
    NATIVE,
    /**
     * The default: {@link #NATIVE} where it loads, except that each product with V runs on the Java kernels where
     * those are faster for its shape ({@code DataProducts.javaUnderAuto}: a rule on (n, m, r) only, so the bits still
     * do not depend on the thread count); {@link #JAVA} where OpenBLAS does not load.
     */
    AUTO;

    /** The backend this choice resolves to on this machine. */
    public Blas resolve() {
        return switch (this) {
            case JAVA -> JAVA;
            case NATIVE -> {
                if (!NativeBlas.available()) {
                    throw new IllegalArgumentException("--blas native: " + NativeBlas.unavailableReason()
                            + "; use --blas java (or auto)");
                }
                yield NATIVE;
            }
            case AUTO -> NativeBlas.available() ? NATIVE : JAVA;
        };
    }

    /** Parses java | native | auto (case-insensitive), with a one-line error naming the bad value. */
    public static Blas parse(String s) {
        for (Blas b : values()) {
            if (b.name().equalsIgnoreCase(s.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown BLAS '" + s + "': expected java, native or auto");
    }
}
