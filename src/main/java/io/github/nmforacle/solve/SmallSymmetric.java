package io.github.nmforacle.solve;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealMatrix;

/**
 * Dense r×r symmetric positive semi-definite matrices (Gram matrices WᵀW, HHᵀ), row-major {@code double[]}:
 * inverse or pseudo-inverse, largest eigenvalue. Everything runs in one thread in a fixed order, so the results
 * do not depend on the thread count of a run.
 */
final class SmallSymmetric {
    /**
     * Cholesky pivots d_c (the squared distance of column c to the span of the earlier columns, in the metric of G)
     * at or below this fraction of G_cc count as zero: the column is numerically dependent (sin² of its angle to
     * the span ≤ 1e-12). Relative to each column's own diagonal, so the test does not depend on column scaling.
     */
    static final double PIVOT_TOLERANCE = 1e-12;

    /** Eigenvalues at or below this fraction of the largest are treated as 0 by {@link #pseudoInverse}. */
    static final double EIGEN_TOLERANCE = 1e-12;

    private SmallSymmetric() {
    }

    /**
     * G⁻¹ when G is numerically positive definite (Cholesky, every pivot above {@link #PIVOT_TOLERANCE}·G_cc), and
     * otherwise the Moore–Penrose pseudo-inverse G⁺ from the symmetric eigendecomposition, eigenvalues
     * ≤ {@link #EIGEN_TOLERANCE}·λ_max set to 0 (G = 0 gives 0). For G = AᵀA, G⁺Aᵀ = A⁺: the minimum-norm least-squares
     * solution.
     */
    static double[] pseudoInverse(double[] g, int r) {
        double[] inv = choleskyInverse(g, r);
        return inv != null ? inv : eigenPseudoInverse(g, r);
    }

    /** G⁻¹ by Cholesky, or null when a pivot is not above {@link #PIVOT_TOLERANCE}·G_cc (or G_cc ≤ 0). */
    static double[] choleskyInverse(double[] g, int r) {
        double[] l = new double[r * r];
        for (int c = 0; c < r; c++) {
            double gcc = g[c * r + c];
            double d = gcc;
            for (int t = 0; t < c; t++) {
                d -= l[c * r + t] * l[c * r + t];
            }
            if (!(gcc > 0) || !(d > PIVOT_TOLERANCE * gcc)) {
                return null;
            }
            double lcc = Math.sqrt(d);
            l[c * r + c] = lcc;
            for (int s = c + 1; s < r; s++) {
                double x = g[s * r + c];
                for (int t = 0; t < c; t++) {
                    x -= l[s * r + t] * l[c * r + t];
                }
                l[s * r + c] = x / lcc;
            }
        }
        // G⁻¹ column by column: solve L y = e_j, then Lᵀ x = y.
        double[] inv = new double[r * r];
        double[] y = new double[r];
        for (int j = 0; j < r; j++) {
            for (int i = 0; i < r; i++) {
                double x = i == j ? 1.0 : 0.0;
                for (int t = 0; t < i; t++) {
                    x -= l[i * r + t] * y[t];
                }
                y[i] = x / l[i * r + i];
            }
            for (int i = r - 1; i >= 0; i--) {
                double x = y[i];
                for (int t = i + 1; t < r; t++) {
                    x -= l[t * r + i] * inv[t * r + j];
                }
                inv[i * r + j] = x / l[i * r + i];
            }
        }
        // Symmetrize (the two triangles differ in the last bits otherwise).
        for (int i = 0; i < r; i++) {
            for (int j = i + 1; j < r; j++) {
                double a = 0.5 * (inv[i * r + j] + inv[j * r + i]);
                inv[i * r + j] = a;
                inv[j * r + i] = a;
            }
        }
        return inv;
    }

    /** G⁺ from the eigendecomposition; eigenvalues ≤ {@link #EIGEN_TOLERANCE}·λ_max (and all of them if λ_max ≤ 0) dropped. */
    static double[] eigenPseudoInverse(double[] g, int r) {
        double[] out = new double[r * r];
        if (allZero(g)) {
            return out;
        }
        EigenDecompositionSymmetric eig = new EigenDecompositionSymmetric(matrix(g, r));
        double[] lambda = eig.getEigenvalues();
        double max = 0;
        for (double x : lambda) {
            max = Math.max(max, x);
        }
        if (!(max > 0)) {
            return out;
        }
        RealMatrix vecs = eig.getV();
        for (int e = 0; e < r; e++) {
            if (!(lambda[e] > EIGEN_TOLERANCE * max)) {
                continue;
            }
            double inv = 1.0 / lambda[e];
            for (int i = 0; i < r; i++) {
                double vi = vecs.getEntry(i, e) * inv;
                for (int j = 0; j < r; j++) {
                    out[i * r + j] += vi * vecs.getEntry(j, e);
                }
            }
        }
        return out;
    }

    /** λ_max(G) of a symmetric PSD matrix (0 for G = 0). */
    static double largestEigenvalue(double[] g, int r) {
        if (allZero(g)) {
            return 0;
        }
        double max = 0;
        for (double x : new EigenDecompositionSymmetric(matrix(g, r)).getEigenvalues()) {
            max = Math.max(max, x);
        }
        return max;
    }

    private static boolean allZero(double[] g) {
        for (double x : g) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static RealMatrix matrix(double[] g, int r) {
        double[][] a = new double[r][r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                a[i][j] = 0.5 * (g[i * r + j] + g[j * r + i]);
            }
        }
        return new Array2DRowRealMatrix(a, false);
    }
}
