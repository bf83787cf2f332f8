package io.github.nmforacle.certify;

/** Test access to the certifier's package-private verified Cholesky bound. */
public final class FloatFormsAccess {
    private FloatFormsAccess() {
    }

    public static double verifiedLower(double[][] a, double target, double noise) {
        return FloatForms.verifiedLower(a, target, noise);
    }
}
