package io.github.nmforacle.certify;

/**
 * The tolerances of a float-mode certificate, all relative (dimensionless); exact mode ignores them
 * except {@link #maxDegenerate} and {@link #maxExactDimension}. Echoed in every certificate.
 *
 * <p>Scales: γ = 2·max(max(VHᵀ + W·HHᵀ), max(WᵀV + WᵀW·H)) bounds |∂F| entrywise (both terms are ≥ 0 and ∂F is
 * 2× their difference); ξ = max x_i; η = ‖∇²F restricted‖ estimate = 2(‖W‖²_F + ‖H‖²_F) + 4‖R‖_F (a bound on
 * the spectral norm of the Hessian). The first-order residual of coordinate i is
 * |min(x_i·γ/ξ, g_i − c)|/γ, which is 0 exactly at a KKT point of (1) (NMF) or (3) (S-NMF).
 *
 * @param firstOrder       a point is a FOSP within tolerance when every coordinate residual is ≤ this
 * @param degenerate       a coordinate with x_i·γ/ξ ≤ degenerate·γ counts as zero; with also |g_i − c| ≤ degenerate·γ it is
 *                         degenerate (D), with g_i − c above it strongly active (A)
 * @param secondOrder      curvature ≥ −secondOrder·η counts as non-negative (PSD within tolerance)
 * @param sum              S-NMF: |Σx − C| ≤ sum·C counts as on the simplex
 * @param maxDegenerate    exact mode decides copositivity on K when |D| ≤ this (2^|D| principal minors)
 * @param maxDenseDimension float mode uses the dense symmetric eigensolver up to this reduced dimension, Lanczos above
 * @param maxExactDimension exact mode refuses (UNDECIDED) second-order decisions above this reduced dimension
 */
public record Tolerances(double firstOrder, double degenerate, double secondOrder, double sum,
                         int maxDegenerate, int maxDenseDimension, int maxExactDimension) {
    public static final Tolerances DEFAULT = new Tolerances(1e-6, 1e-6, 1e-6, 1e-9, 12, 1500, 120);

    public Tolerances {
        requirePositive(firstOrder, "first-order tolerance");
        requirePositive(degenerate, "degenerate tolerance");
        requirePositive(secondOrder, "second-order tolerance");
        requirePositive(sum, "sum tolerance");
        if (degenerate < firstOrder) {
            throw new IllegalArgumentException("degenerate tolerance (" + degenerate + ") must be at least the first-order tolerance ("
                    + firstOrder + ")");
        }
        if (maxDegenerate < 0 || maxDegenerate > 20) {
            throw new IllegalArgumentException("max degenerate coordinates must be in [0, 20], got " + maxDegenerate);
        }
        if (maxDenseDimension < 1 || maxExactDimension < 1) {
            throw new IllegalArgumentException("dimension limits must be positive");
        }
    }

    private static void requirePositive(double x, String what) {
        if (!(x > 0) || Double.isInfinite(x) || x >= 1) {
            throw new IllegalArgumentException(what + " must be a number in (0, 1), got " + x);
        }
    }

    public Tolerances withFirstOrder(double v) {
        return new Tolerances(v, Math.max(v, degenerate), secondOrder, sum, maxDegenerate, maxDenseDimension, maxExactDimension);
    }

    public Tolerances withDegenerate(double v) {
        return new Tolerances(firstOrder, v, secondOrder, sum, maxDegenerate, maxDenseDimension, maxExactDimension);
    }

    public Tolerances withSecondOrder(double v) {
        return new Tolerances(firstOrder, degenerate, v, sum, maxDegenerate, maxDenseDimension, maxExactDimension);
    }

    public Tolerances withSum(double v) {
        return new Tolerances(firstOrder, degenerate, secondOrder, v, maxDegenerate, maxDenseDimension, maxExactDimension);
    }

    public Tolerances withMaxDegenerate(int v) {
        return new Tolerances(firstOrder, degenerate, secondOrder, sum, v, maxDenseDimension, maxExactDimension);
    }

    public Tolerances withMaxDenseDimension(int v) {
        return new Tolerances(firstOrder, degenerate, secondOrder, sum, maxDegenerate, v, maxExactDimension);
    }

    public Tolerances withMaxExactDimension(int v) {
        return new Tolerances(firstOrder, degenerate, secondOrder, sum, maxDegenerate, maxDenseDimension, v);
    }
}
