package io.github.nmforacle.certify;

/** Test access to the certifier's package-private verified Cholesky bound and float cone proof. */
public final class FloatFormsAccess {
    private FloatFormsAccess() {
    }

    public static double verifiedLower(double[][] a, double target, double noise) {
        return FloatForms.verifiedLower(a, target, noise);
    }

    /** Whether {@link FloatCone#decide} proves copositivity of A + tI on K (A within ν of a, deg marks D). */
    public static boolean coneHolds(double[][] a, boolean[] deg, double t, double noise) {
        int[] fr = FloatCone.positions(deg, false);
        double lambda0 = 0;
        if (fr.length > 0) {
            lambda0 = FloatForms.smallest(FloatCone.block(a, fr, fr)).value();
        }
        return FloatCone.decide(a, deg, t, noise, lambda0).holds();
    }
}
