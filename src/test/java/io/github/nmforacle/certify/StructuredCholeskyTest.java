package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the structured Cholesky (the larger factor eliminated block by block, then the Schur complement) proves
 * λ_min(∇²F on L) ≥ t only when ∇²F_L − tI is PSD exactly; and it proves what the dense verified Cholesky proves.
 */
class StructuredCholeskyTest {

    static boolean[] randomFree(SplittableRandom rnd, int size) {
        boolean[] f = new boolean[size];
        for (int p = 0; p < size; p++) {
            f[p] = rnd.nextInt(5) > 0;
        }
        return f;
    }

    static BigFraction[][] exactHessianOnL(Case c, boolean[] free) {
        ExactNmf ex = ExactNmf.of(c.v(), c.w().cols());
        int[] coords = java.util.stream.IntStream.range(0, free.length).filter(p -> free[p]).toArray();
        FieldMatrix<BigFraction> we = ExactNmf.exact(c.w()), he = ExactNmf.exact(c.h());
        return ex.restrictedHessian(we, he, coords);
    }

    static boolean exactlyAbove(BigFraction[][] a, double t) {
        BigFraction[][] m = new BigFraction[a.length][];
        for (int i = 0; i < a.length; i++) {
            m[i] = a[i].clone();
            m[i][i] = m[i][i].subtract(new BigFraction(t));
        }
        return ExactForms.definiteness(m).psd();
    }

    @Property(tries = 200)
    void aCompletedStructuredCholeskyIsAProof(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = HomogeneityTest.randomCase(rnd);
        boolean[] free = randomFree(rnd, (c.v().rows() + c.v().cols()) * c.w().cols());
        BigFraction[][] a = exactHessianOnL(c, free);
        double[][] ad = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                ad[i][j] = a[i][j].doubleValue();
            }
        }
        double lam = a.length == 0 ? 0 : new org.hipparchus.linear.EigenDecompositionSymmetric(
                org.hipparchus.linear.MatrixUtils.createRealMatrix(ad)).getEigenvalues()[a.length - 1];
        int proven = 0;
        for (double t : new double[] {lam, lam - 1e-13, lam + 1e-13, lam - 1e-6, lam - 10}) {
            if (StructuredCholesky.proves(io.github.nmforacle.problem.NmfProblem.of(c.v(), c.w().cols()), c.w(), c.h(), free, t)) {
                assertThat(exactlyAbove(a, t)).as(c.kind() + ", λ ≈ " + lam + ", t = " + t).isTrue();
                proven++;
            }
        }
        assertThat(StructuredCholesky.proves(io.github.nmforacle.problem.NmfProblem.of(c.v(), c.w().cols()), c.w(), c.h(), free, lam - 10 - 10 * Math.abs(lam))).as(c.kind()).isTrue();
        assertThat(proven).isGreaterThan(0);
    }

    @Test
    void bothOrdersAreUsedAndAgreeWithTheDenseBound() {
        // n > m eliminates W; n < m eliminates H
        for (int[] shape : new int[][] {{6, 3}, {3, 6}}) {
            SplittableRandom rnd = new SplittableRandom(shape[0]);
            DenseMatrix w = DenseMatrix.zeros(shape[0], 2), h = DenseMatrix.zeros(2, shape[1]);
            for (DenseMatrix x : new DenseMatrix[] {w, h}) {
                for (int p = 0; p < x.data().length; p++) {
                    x.data()[p] = 0.25 + rnd.nextInt(8) / 8.0;
                }
            }
            DenseMatrix v = io.github.nmforacle.linalg.DenseMatrix.zeros(shape[0], shape[1]);
            for (int i = 0; i < shape[0]; i++) {
                for (int j = 0; j < shape[1]; j++) {
                    double s = 0;
                    for (int k = 0; k < 2; k++) {
                        s += w.get(i, k) * h.get(k, j);
                    }
                    v.set(i, j, s + 0.125 * ((i + j) % 3));
                }
            }
            boolean[] free = new boolean[(shape[0] + shape[1]) * 2];
            java.util.Arrays.fill(free, true);
            Case c = new Case("shape", v, w, h);
            BigFraction[][] a = exactHessianOnL(c, free);
            double[][] ad = new double[a.length][a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a.length; j++) {
                    ad[i][j] = a[i][j].doubleValue();
                }
            }
            double lam = new org.hipparchus.linear.EigenDecompositionSymmetric(
                    org.hipparchus.linear.MatrixUtils.createRealMatrix(ad)).getEigenvalues()[a.length - 1];
            assertThat(StructuredCholesky.proves(io.github.nmforacle.problem.NmfProblem.of(v, 2), w, h, free, lam - 1e-6)).as("λ = " + lam).isTrue();
            assertThat(StructuredCholesky.proves(io.github.nmforacle.problem.NmfProblem.of(v, 2), w, h, free, lam + 1e-6)).isFalse();
            assertThat(Double.isFinite(FloatForms.verifiedLower(ad, lam - 1e-6, 0))).isTrue();
        }
    }

    /** Forced above the dense limit (--max-dense 1): a float HOLDS never meets an exact FAILS on exact dyadic points. */
    @Property(tries = 150)
    void aStructuredFloatHoldsIsNeverAnExactFails(@ForAll long seed) {
        Case c = HomogeneityTest.randomCase(new SplittableRandom(seed));
        CertifyOptions o = CertifyOptions.nmf(Mode.FLOAT).withTolerances(Tolerances.DEFAULT.withMaxDenseDimension(1));
        Certificate f = Certifier.certify(c.v(), c.w(), c.h(), o);
        if (!c.kind().equals("planted") && (f.sospPaper().verdict() == Verdict.HOLDS || f.sospCone().verdict() == Verdict.HOLDS)) {
            Certificate e = Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.EXACT));
            if (f.sospPaper().verdict() == Verdict.HOLDS) {
                assertThat(e.sospPaper().verdict()).as(c.kind() + ": " + f.sospPaper().reason()).isNotEqualTo(Verdict.FAILS);
            }
            if (f.sospCone().verdict() == Verdict.HOLDS) {
                assertThat(e.sospCone().verdict()).as(c.kind()).isNotEqualTo(Verdict.FAILS);
            }
        }
    }
}
