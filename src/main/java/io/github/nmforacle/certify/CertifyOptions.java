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
 * @param maxFactorBytes memory the verified factorisations above the dense limit may take (the structured Cholesky and
 *                   the bordered one of strictness); 0: a third of the maximum heap. Larger factorisations are not
 *                   attempted and the certificate's notes say so (the Gauss–Newton bound still applies)
 */
public record CertifyOptions(BigFraction simplexSum, Mode mode, Tolerances tolerances, int threads, long seed,
                             long maxFactorBytes) {
    public CertifyOptions {
        if (mode == null || tolerances == null) {
            throw new IllegalArgumentException("mode and tolerances are required");
        }
        if (maxFactorBytes < 0) {
            throw new IllegalArgumentException("the factorisation memory budget must be >= 0 (0: a third of the heap), got "
                    + maxFactorBytes);
        }
        if (simplexSum != null && simplexSum.signum() <= 0) {
            throw new IllegalArgumentException("the simplex sum C must be positive, got " + simplexSum.doubleValue());
        }
    }

    public CertifyOptions(BigFraction simplexSum, Mode mode, Tolerances tolerances, int threads, long seed) {
        this(simplexSum, mode, tolerances, threads, seed, 0L);
    }

    /** The factorisation budget in bytes: {@link #maxFactorBytes}, or a third of the maximum heap when 0. */
    public long factorBudget() {
        return maxFactorBytes > 0 ? maxFactorBytes : Runtime.getRuntime().maxMemory() / 3;
    }

    public CertifyOptions withMaxFactorBytes(long b) {
        return new CertifyOptions(simplexSum, mode, tolerances, threads, seed, b);
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
        return new CertifyOptions(simplexSum, mode, t, threads, seed, maxFactorBytes);
    }

    public CertifyOptions withThreads(int t) {
        return new CertifyOptions(simplexSum, mode, tolerances, t, seed, maxFactorBytes);
    }

    public boolean isSimplex() {
        return simplexSum != null;
    }
}
