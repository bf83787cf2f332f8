package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.certify.FloatFormsAccess;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the verified Cholesky bound (Rump 2006) of the checker ({@link Forms#choleskyProves}) and of the certifier
 * (FloatForms.verifiedLower) never claim λ_min(A) ≥ t unless A − tI is PSD, decided exactly over the rationals
 * (the doubles of A taken as exact), also for targets within rounding of λ_min and for nearly singular matrices.
 */
class CholeskyProofTest {

    static double[][] randomSymmetric(SplittableRandom rnd, int d) {
        // a Gram matrix of a rank-deficient X (λ_min ≈ 0) plus a random shift and a random perturbation
        int k = 1 + rnd.nextInt(d);
        double[][] x = new double[k][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextDouble(-2, 2);
            }
        }
        double shift = rnd.nextBoolean() ? 0 : rnd.nextDouble(-1, 1);
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (double[] row : x) {
                    s += row[i] * row[j];
                }
                if (i == j) {
                    s += shift;
                }
                a[i][j] = s;
                a[j][i] = s;
            }
        }
        return a;
    }

    static double lambdaMin(double[][] a) {
        return new EigenDecompositionSymmetric(MatrixUtils.createRealMatrix(a)).getEigenvalues()[a.length - 1];
    }

    static boolean exactlyAbove(double[][] a, double t) {
        int d = a.length;
        BigFraction[][] m = new BigFraction[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = Exact.of(a[i][j]);
                if (i == j) {
                    m[i][j] = m[i][j].subtract(Exact.of(t));
                }
            }
        }
        return Forms.psd(m);
    }

    @Property(tries = 300)
    void aCompletedCholeskyIsAProof(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = 1 + rnd.nextInt(7);
        double[][] a = randomSymmetric(rnd, d);
        double lam = lambdaMin(a);
        // targets at, just below and just above the float estimate, and far below
        double[] targets = {lam, lam - 1e-14, lam + 1e-14, Math.nextDown(lam), lam - 1e-9, lam - 1, lam + 1e-6};
        int proven = 0;
        for (double t : targets) {
            boolean checker = Forms.choleskyProves(a, t, 0);
            boolean certifier = Double.isFinite(FloatFormsAccess.verifiedLower(a, t, 0));
            if (checker || certifier) {
                assertThat(exactlyAbove(a, t)).as("d = " + d + ", λ ≈ " + lam + ", t = " + t).isTrue();
                proven++;
            }
        }
        // far below λ_min the proof goes through (the bound is not vacuous)
        assertThat(Forms.choleskyProves(a, lam - 1, 0)).as("λ ≈ " + lam).isTrue();
        assertThat(proven).isGreaterThan(0);
    }

    @Test
    void theNoiseOfTheEntriesIsPaidFor() {
        double[][] a = {{1, 0}, {0, 1}};
        assertThat(Forms.choleskyProves(a, 0.9, 0.05)).isTrue();
        assertThat(Forms.choleskyProves(a, 0.9, 0.2)).isFalse();
        assertThat(Forms.choleskyProves(a, 1.0, 0)).isFalse(); // λ_min = 1 exactly: the rounding terms cost something
        assertThat(Forms.choleskyProves(new double[][] {{0, 1}, {1, 0}}, -1.5, 0)).isTrue();
        assertThat(Forms.choleskyProves(new double[][] {{0, 1}, {1, 0}}, -0.5, 0)).isFalse();
    }
}
