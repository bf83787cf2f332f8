package io.github.nmforacle.linalg;

/**
 * Which code runs the dense products with V (V·Hᵀ, Wᵀ·V) and the r×r Gram products.
 */
public enum Blas {
    /** nmf-oracle's own {@link Kernels}: the same bits for any thread count and machine (the default). */
    JAVA,
    /**
     * The system BLAS through {@link NativeBlas}; an error if it cannot be loaded. Faster on large V, but
     * its threads follow the library's own setting (e.g. OPENBLAS_NUM_THREADS), not {@code --threads}, and
     * its last bits may change with thread count and CPU.
     */
    NATIVE,
    /** NATIVE where it loads, JAVA otherwise. */
    AUTO;

    /** The backend this choice resolves to on this machine. */
    public Blas resolve() {
        return switch (this) {
            case JAVA -> JAVA;
            case NATIVE -> {
                if (!NativeBlas.available()) {
                    throw new IllegalArgumentException(NativeBlas.unavailableReason() + "; use --blas java");
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
