package io.github.nmforacle.certify;

/** How a certificate is computed. */
public enum Mode {
    /** Inputs taken as exact rationals; every quantity and decision exact (Hipparchus BigFraction). */
    EXACT,
    /** Double precision with rigorous rounding-error bands; dense eigen for moderate N, Lanczos above. */
    FLOAT;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
