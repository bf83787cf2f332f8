package io.github.nmforacle.certify;

import org.hipparchus.fraction.BigFraction;

/**
 * What to certify and how.
 *
 * @param simplexSum null for (NMF); C for (S-NMF(C)) as an exact rational (in float mode its double value is used)
 * @param mode       exact or float
 * @param tolerances relative tolerances (float mode) and budgets (both modes)
 * @param threads    worker threads for the products with V (0 = one per core); verdicts do not depend on it
 * @param seed       seed of the Lanczos start vector (matrix-free float mode)
 */
public record CertifyOptions(BigFraction simplexSum, Mode mode, Tolerances tolerances, int threads, long seed) {
    public CertifyOptions {
        if (mode == null || tolerances == null) {
            throw new IllegalArgumentException("mode and tolerances are required");
        }
        if (simplexSum != null && simplexSum.signum() <= 0) {
            throw new IllegalArgumentException("the simplex sum C must be positive, got " + simplexSum.doubleValue());
        }
    }

    /** NMF, float mode, default tolerances. */
    public static CertifyOptions nmf(Mode mode) {
        return new CertifyOptions(null, mode, Tolerances.DEFAULT, 0, 0L);
    }

    /** S-NMF(C), default tolerances. */
    public static CertifyOptions simplex(BigFraction c, Mode mode) {
        return new CertifyOptions(c, mode, Tolerances.DEFAULT, 0, 0L);
    }

    public CertifyOptions withTolerances(Tolerances t) {
        return new CertifyOptions(simplexSum, mode, t, threads, seed);
    }

    public CertifyOptions withThreads(int t) {
        return new CertifyOptions(simplexSum, mode, tolerances, t, seed);
    }

    public boolean isSimplex() {
        return simplexSum != null;
    }
}
