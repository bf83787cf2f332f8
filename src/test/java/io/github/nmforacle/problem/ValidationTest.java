package io.github.nmforacle.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.DenseMatrix;
import org.assertj.core.api.AbstractThrowableAssert;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input validation of {@link NmfProblem} (and {@link ExactNmf}, which delegates to it): every rejection is
 * an IllegalArgumentException with a one-line message that names the offending entry ([i, j], 0-based) or value.
 */
class ValidationTest {
    /** A valid 3×4 data matrix with distinct positive entries. */
    private static double[][] valid() {
        double[][] a = new double[3][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                a[i][j] = 1 + 4 * i + j;
            }
        }
        return a;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Executable call) {
        return assertThatThrownBy(call::execute)
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r"));
    }

    @ParameterizedTest(name = "{0} at (2, 3)")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1.0, -0x1p-1074})
    void rejectsBadEntryAndNamesItZeroBased(double bad) {
        double[][] a = valid();
        a[1][2] = bad;      // 0-based (1, 2) = 1-based (2, 3)
        DenseMatrix v = DenseMatrix.of(a);
        String kind = Double.isNaN(bad) ? "NaN" : bad == Double.POSITIVE_INFINITY ? "+Infinity"
                : bad == Double.NEGATIVE_INFINITY ? "-Infinity" : "negative";
        assertRejected(() -> NmfProblem.of(v, 2)).hasMessageContaining("[1, 2]").hasMessageContaining(kind);
        assertRejected(() -> ExactNmf.of(v, 2)).hasMessageContaining("[1, 2]").hasMessageContaining(kind);
        assertRejected(() -> NmfProblem.requireData(v)).hasMessageContaining("[1, 2]");
    }

    @Test
    void namesTheFirstBadEntryInRowMajorOrder() {
        double[][] a = valid();
        a[2][0] = Double.NaN;   // (3, 1)
        a[0][3] = -5;           // (1, 4): first in row-major order
        assertRejected(() -> NmfProblem.of(DenseMatrix.of(a), 1)).hasMessageContaining("[0, 3]")
                .hasMessageNotContaining("[2, 0]");
    }

    @Test
    void entriesInTheLastRowAndColumnAreNamedCorrectly() {
        double[][] a = valid();
        a[2][3] = Double.NaN;   // (3, 4)
        assertRejected(() -> NmfProblem.of(DenseMatrix.of(a), 1)).hasMessageContaining("[2, 3]");
        double[][] b = valid();
        b[0][0] = -1;           // (1, 1)
        assertRejected(() -> NmfProblem.of(DenseMatrix.of(b), 1)).hasMessageContaining("[0, 0]");
    }

    @Test
    void zeroAndNegativeZeroEntriesAreAccepted() {
        double[][] a = valid();
        a[0][0] = 0.0;
        a[1][1] = -0.0;
        NmfProblem p = NmfProblem.of(DenseMatrix.of(a), 3);
        assertThat(p.rank()).isEqualTo(3);
        assertThat(p.dimension()).isEqualTo((3 + 4) * 3);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"0,3", "3,0", "0,0"})
    void rejectsEmptyMatrix(int rows, int cols) {
        DenseMatrix v = DenseMatrix.zeros(rows, cols);
        assertRejected(() -> NmfProblem.of(v, 1)).hasMessageContaining("empty").hasMessageContaining(rows + "x" + cols);
        assertRejected(() -> ExactNmf.of(v, 1)).hasMessageContaining("empty");
    }

    @ParameterizedTest(name = "rank {0}")
    @ValueSource(ints = {0, -1, 4, 5, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void rejectsRankOutsideOneToMinNm(int rank) {
        DenseMatrix v = DenseMatrix.of(valid());   // 3×4: min(n, m) = 3
        assertRejected(() -> NmfProblem.of(v, rank)).hasMessageContaining("rank " + rank).hasMessageContaining("3");
        assertRejected(() -> ExactNmf.of(v, rank)).hasMessageContaining("rank " + rank);
    }

    @ParameterizedTest(name = "rank {0}")
    @ValueSource(ints = {1, 2, 3})
    void acceptsEveryRankUpToMinNm(int rank) {
        NmfProblem p = NmfProblem.of(DenseMatrix.of(valid()), rank);
        assertThat(p.rank()).isEqualTo(rank);
        assertThat(p.n()).isEqualTo(3);
        assertThat(p.m()).isEqualTo(4);
        assertThat(p.dimension()).isEqualTo(7 * rank);
        // tall matrix: min(n, m) = m
        NmfProblem q = NmfProblem.of(DenseMatrix.of(valid()).transpose(), rank);
        assertThat(q.n()).isEqualTo(4);
        assertThat(q.rank()).isEqualTo(rank);
    }

    @Test
    void exactOfRationalMatrixValidatesToo() {
        var neg = ExactNmf.rational(new long[][] {{1, 2}, {3, -4}}, 5);
        assertRejected(() -> ExactNmf.of(neg, 1)).hasMessageContaining("[1, 1]");
        var ok = ExactNmf.rational(new long[][] {{1, 2}, {3, 4}}, 5);
        assertRejected(() -> ExactNmf.of(ok, 0)).hasMessageContaining("rank 0");
        assertRejected(() -> ExactNmf.of(ok, 3)).hasMessageContaining("rank 3");
        assertThat(ExactNmf.of(ok, 2).data().getEntry(1, 1)).isEqualByComparingTo(new BigFraction(4, 5));
    }

    @Test
    void requireShapesNamesTheExpectedShape() {
        NmfProblem p = NmfProblem.of(DenseMatrix.of(valid()), 2);   // n = 3, m = 4, r = 2
        DenseMatrix w = DenseMatrix.zeros(3, 2);
        DenseMatrix h = DenseMatrix.zeros(2, 4);
        p.requireShapes(w, h);   // fits: no exception

        assertRejected(() -> p.requireShapes(DenseMatrix.zeros(4, 2), h))
                .hasMessageContaining("expected 3x2").hasMessageContaining("4x2");
        assertRejected(() -> p.requireShapes(DenseMatrix.zeros(3, 3), h))
                .hasMessageContaining("expected 3x2").hasMessageContaining("3x3");
        assertRejected(() -> p.requireShapes(w, DenseMatrix.zeros(3, 4)))
                .hasMessageContaining("expected 2x4").hasMessageContaining("3x4");
        assertRejected(() -> p.requireShapes(w, DenseMatrix.zeros(2, 5)))
                .hasMessageContaining("expected 2x4").hasMessageContaining("2x5");
        // W and H transposed: still caught, and the message names W's expected shape first
        assertRejected(() -> p.requireShapes(DenseMatrix.zeros(2, 3), DenseMatrix.zeros(4, 2)))
                .hasMessageContaining("expected 3x2");
    }

    @Test
    void methodsTakingPointsOrDirectionsCheckShapes() {
        NmfProblem p = NmfProblem.of(DenseMatrix.of(valid()), 2);
        DenseMatrix w = DenseMatrix.zeros(3, 2);
        DenseMatrix h = DenseMatrix.zeros(2, 4);
        DenseMatrix badW = DenseMatrix.zeros(3, 1);
        DenseMatrix badH = DenseMatrix.zeros(2, 3);
        assertRejected(() -> p.objective(badW, h)).hasMessageContaining("expected 3x2");
        assertRejected(() -> p.gradient(w, badH)).hasMessageContaining("expected 2x4");
        assertRejected(() -> p.denseHessian(badW, h)).hasMessageContaining("expected 3x2");
        assertRejected(() -> p.hessianTimes(w, h, badW, h)).hasMessageContaining("expected 3x2");
        assertRejected(() -> p.hessianTimes(w, h, w, badH)).hasMessageContaining("expected 2x4");
        assertRejected(() -> p.hessianQuadraticForm(w, h, w, badH)).hasMessageContaining("expected 2x4");
        assertRejected(() -> p.hessianQuadraticForm(badW, h, w, h)).hasMessageContaining("expected 3x2");
    }
}
