package io.github.nmforacle.problem;

import io.github.nmforacle.linalg.DenseMatrix;
import java.util.SplittableRandom;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;

/**
 * Test-only helpers for {@link ProblemDerivativesTest}: random instances, naive (independent) matrix
 * arithmetic on {@link DenseMatrix}, exact conversions and the rounding-error constants.
 *
 * <h2>Rounding-error model used by every tolerance</h2>
 * u = 2⁻⁵³ (unit roundoff of double, round-to-nearest; Java never contracts a·b + c into an FMA).
 * γ_k = k·u / (1 − k·u) (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, §3.1).
 * A computed sum of products in which every term passes through at most k roundings satisfies
 * |computed − exact| ≤ γ_k · Σ|terms|, in ANY summation order (Higham Lemma 3.1/3.4); γ_a + γ_b + γ_aγ_b ≤ γ_{a+b}.
 * So every bound below has the form γ_K · S where S is the same expression as the quantity with every
 * factor replaced by its absolute value ("abs scale") and K counts the roundings on the longest path.
 * The abs scale S is itself computed in double from non-negative terms with b roundings, so
 * Ŝ = S(1+θ), |θ| ≤ γ_b, hence S ≤ Ŝ/(1−γ_b) ≤ Ŝ·(1 + 2γ_b) =: {@link #up}(Ŝ, b).
 */
final class Fixtures {
    /** Unit roundoff of IEEE double. */
    static final double U = 0x1p-53;

    private Fixtures() {
    }

    /** γ_k = k u / (1 − k u). */
    static double gamma(int k) {
        double ku = k * U;
        if (ku >= 0.5) {
            throw new IllegalArgumentException("gamma(" + k + ") is not small");
        }
        return ku / (1 - ku);
    }

    /** An upper bound of the exact abs scale S from its double value Ŝ computed with b roundings. */
    static double up(double sHat, int roundings) {
        return sHat * (1 + 2 * gamma(roundings));
    }

    // ---------------------------------------------------------------- naive matrix arithmetic (no Kernels)

    static DenseMatrix mul(DenseMatrix a, DenseMatrix b) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException(a.shape() + " * " + b.shape());
        }
        DenseMatrix c = DenseMatrix.zeros(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.cols(); j++) {
                double s = 0;
                for (int k = 0; k < a.cols(); k++) {
                    s += a.get(i, k) * b.get(k, j);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    static DenseMatrix abs(DenseMatrix a) {
        double[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(d[i]);
        }
        return new DenseMatrix(a.rows(), a.cols(), d);
    }

    static DenseMatrix plus(DenseMatrix a, DenseMatrix b) {
        double[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += b.data()[i];
        }
        return new DenseMatrix(a.rows(), a.cols(), d);
    }

    static DenseMatrix times(double s, DenseMatrix a) {
        double[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] *= s;
        }
        return new DenseMatrix(a.rows(), a.cols(), d);
    }

    static DenseMatrix hadamard(DenseMatrix a, DenseMatrix b) {
        double[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] *= b.data()[i];
        }
        return new DenseMatrix(a.rows(), a.cols(), d);
    }

    static DenseMatrix t(DenseMatrix a) {
        return a.transpose();
    }

    /** ⟨A, B⟩ summed in index order. */
    static double inner(DenseMatrix a, DenseMatrix b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            s += a.data()[i] * b.data()[i];
        }
        return s;
    }

    static double sum(DenseMatrix a) {
        double s = 0;
        for (double x : a.data()) {
            s += x;
        }
        return s;
    }

    /** The flattened pair W row-major then H row-major (the order of {@link NmfProblem#indexW}/{@code indexH}). */
    static double[] flat(DenseMatrix w, DenseMatrix h) {
        return new FactorPair(w, h).flatten();
    }

    // ---------------------------------------------------------------- exact helpers

    static FieldMatrix<BigFraction> ex(DenseMatrix a) {
        return ExactNmf.exact(a);
    }

    static BigFraction ex(double x) {
        return ExactNmf.exact(x);
    }

    /** The exact pair (W-part, H-part) flattened in the coordinate order of {@link NmfProblem}. */
    static BigFraction[] flat(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h) {
        int nw = w.getRowDimension() * w.getColumnDimension();
        BigFraction[] x = new BigFraction[nw + h.getRowDimension() * h.getColumnDimension()];
        int p = 0;
        for (int i = 0; i < w.getRowDimension(); i++) {
            for (int k = 0; k < w.getColumnDimension(); k++) {
                x[p++] = w.getEntry(i, k);
            }
        }
        for (int k = 0; k < h.getRowDimension(); k++) {
            for (int j = 0; j < h.getColumnDimension(); j++) {
                x[p++] = h.getEntry(k, j);
            }
        }
        return x;
    }

    static BigFraction[] flat(FieldMatrix<BigFraction>[] pair) {
        return flat(pair[0], pair[1]);
    }

    static BigFraction dot(BigFraction[] a, BigFraction[] b) {
        BigFraction s = BigFraction.ZERO;
        for (int i = 0; i < a.length; i++) {
            s = s.add(a[i].multiply(b[i]));
        }
        return s;
    }

    /** |x − e| for a double x and an exact e, the difference taken exactly and then rounded. */
    static double absDiff(double x, BigFraction e) {
        return Math.abs(ex(x).subtract(e).doubleValue());
    }

    // ---------------------------------------------------------------- random instances

    /**
     * An instance V (n×m, ≥ 0), rank r, a point (W, H) ≥ 0 and a signed direction (dW, dH). Entries of
     * V are uniform in [0, 2^s) for a random s ∈ [−2, 2] with about 15 % exact zeros; W, H uniform in
     * [0, 1) with about 10 % exact zeros (boundary points); dW, dH uniform in (−1, 1).
     */
    record Inst(int n, int m, int r, DenseMatrix v, DenseMatrix w, DenseMatrix h, DenseMatrix dw, DenseMatrix dh) {
        static Inst random(int n, int m, int r, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            double scale = Math.scalb(1.0, rnd.nextInt(-2, 3));
            DenseMatrix v = DenseMatrix.zeros(n, m);
            for (int p = 0; p < n * m; p++) {
                v.data()[p] = rnd.nextDouble() < 0.15 ? 0.0 : scale * rnd.nextDouble();
            }
            return new Inst(n, m, r, v, nonNegative(n, r, rnd), nonNegative(r, m, rnd), signed(n, r, rnd), signed(r, m, rnd));
        }

        private static DenseMatrix nonNegative(int rows, int cols, SplittableRandom rnd) {
            DenseMatrix a = DenseMatrix.zeros(rows, cols);
            for (int p = 0; p < rows * cols; p++) {
                a.data()[p] = rnd.nextDouble() < 0.1 ? 0.0 : rnd.nextDouble();
            }
            return a;
        }

        private static DenseMatrix signed(int rows, int cols, SplittableRandom rnd) {
            DenseMatrix a = DenseMatrix.zeros(rows, cols);
            for (int p = 0; p < rows * cols; p++) {
                a.data()[p] = rnd.nextDouble(-1.0, 1.0);
            }
            return a;
        }

        /**
         * The same instance with W, H, dW, dH rounded to the grid 2⁻²⁰ℤ (V unchanged). Entries of x and
         * d are then k·2⁻²⁰ with |k| ≤ 2²⁰, so for a step h = 2⁻ᵉ (e ≤ 32) every x ± h·d equals
         * (k·2ᵉ ± j)·2^−(20+e) with |k·2ᵉ ± j| < 2^(21+e) ≤ 2⁵³: an exact double. Finite differences
         * therefore evaluate F exactly at the points they claim, and the quotient's denominator is
         * exactly 2h.
         */
        Inst onGrid() {
            return new Inst(n, m, r, v, grid(w), grid(h), grid(dw), grid(dh));
        }

        private static DenseMatrix grid(DenseMatrix a) {
            double[] d = a.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.rint(d[i] * 0x1p20) * 0x1p-20;
            }
            return new DenseMatrix(a.rows(), a.cols(), d);
        }

        NmfProblem problem() {
            return NmfProblem.of(v, r);
        }

        ExactNmf exact() {
            return ExactNmf.of(v, r);
        }

        int dim() {
            return (n + m) * r;
        }

        @Override
        public String toString() {
            return "Inst[n=" + n + ", m=" + m + ", r=" + r + ", V=" + v + ", W=" + w + ", H=" + h
                    + ", dW=" + dw + ", dH=" + dh + "]";
        }
    }
}
