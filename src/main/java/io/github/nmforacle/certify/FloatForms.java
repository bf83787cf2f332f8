package io.github.nmforacle.certify;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;

/**
 * Floating-point tools for the curvature of ∇²F on a subspace: an orthonormal basis of the complement of a few
 * constraint vectors (Householder reflections, never a dense projector), the smallest eigenpair of a dense
 * symmetric matrix (Hipparchus), and matrix-free Lanczos with full reorthogonalization for large dimensions.
 */
final class FloatForms {
    private FloatForms() {
    }

    /** An orthonormal basis Z of {y ∈ ℝ^k : ⟨c, y⟩ = 0 for the constraint vectors c}, as Householder reflections. */
    static final class ConstraintBasis {
        private final int k;
        private final List<double[]> us = new ArrayList<>();
        private final List<Integer> offsets = new ArrayList<>();

        ConstraintBasis(int k, List<double[]> constraints) {
            this.k = k;
            for (double[] c0 : constraints) {
                double[] c = c0.clone();
                for (int t = 0; t < us.size(); t++) {
                    reflect(us.get(t), offsets.get(t), c);
                }
                int off = us.size();
                double norm0 = norm(c0, 0);
                double norm = norm(c, off);
                if (!(norm > 1e-12 * norm0)) {
                    continue;  // dependent on the previous constraints
                }
                double[] u = new double[k - off];
                for (int i = off; i < k; i++) {
                    u[i - off] = c[i];
                }
                u[0] += (u[0] >= 0 ? 1 : -1) * norm;
                us.add(u);
                offsets.add(off);
            }
        }

        /** Dimension of the complement. */
        int dimension() {
            return k - us.size();
        }

        /** Zᵀ M Z (M symmetric k×k, not modified). */
        double[][] reduce(double[][] m) {
            double[][] a = new double[k][];
            for (int i = 0; i < k; i++) {
                a[i] = m[i].clone();
            }
            for (int t = 0; t < us.size(); t++) {
                twoSided(a, us.get(t), offsets.get(t));
            }
            int off = us.size();
            double[][] out = new double[k - off][k - off];
            for (int i = off; i < k; i++) {
                for (int j = off; j < k; j++) {
                    out[i - off][j - off] = a[i][j];
                }
            }
            return out;
        }

        /** Z y: a vector of ℝ^k orthogonal to every constraint. */
        double[] expand(double[] y) {
            double[] z = new double[k];
            int off = us.size();
            System.arraycopy(y, 0, z, off, y.length);
            for (int t = us.size() - 1; t >= 0; t--) {
                reflect(us.get(t), offsets.get(t), z);
            }
            return z;
        }

        private static double norm(double[] c, int from) {
            double s = 0;
            for (int i = from; i < c.length; i++) {
                s += c[i] * c[i];
            }
            return Math.sqrt(s);
        }

        /** x ← (I − 2uuᵀ/uᵀu) x on the coordinates from {@code off}. */
        private static void reflect(double[] u, int off, double[] x) {
            double uu = 0, ux = 0;
            for (int i = 0; i < u.length; i++) {
                uu += u[i] * u[i];
                ux += u[i] * x[off + i];
            }
            double f = 2 * ux / uu;
            for (int i = 0; i < u.length; i++) {
                x[off + i] -= f * u[i];
            }
        }

        /** A ← H A H for the reflection H acting on coordinates from {@code off} (rank-2 update). */
        private static void twoSided(double[][] a, double[] u, int off) {
            int len = u.length;
            int k = a.length;
            double uu = 0;
            for (double x : u) {
                uu += x * x;
            }
            double beta = 2 / uu;
            // rows first: A ← H A (only rows from off change)
            double[] row = new double[k];
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int i = 0; i < len; i++) {
                    s += u[i] * a[off + i][j];
                }
                row[j] = beta * s;
            }
            for (int i = 0; i < len; i++) {
                for (int j = 0; j < k; j++) {
                    a[off + i][j] -= u[i] * row[j];
                }
            }
            // then columns: A ← A H
            for (int i = 0; i < k; i++) {
                double s = 0;
                for (int j = 0; j < len; j++) {
                    s += a[i][off + j] * u[j];
                }
                s *= beta;
                for (int j = 0; j < len; j++) {
                    a[i][off + j] -= s * u[j];
                }
            }
        }
    }

    /** Smallest eigenvalue and a unit eigenvector of a dense symmetric matrix. */
    record Eigenpair(double value, double[] vector, double shift) {
    }

    /**
     * Smallest eigenpair of the symmetric part of m. Shift by σ ≥ ‖M‖_∞ so that every eigenvalue is ≥ 0 and far from
     * 0 (the QL iteration of Hipparchus, and of commons-math, fails to converge on clusters of tiny eigenvalues, which
     * every NMF Hessian has (symmetry)), and scale the shifted matrix by the power of two 2^s that puts σ in [1, 2):
     * exact (up to underflow of entries below 2^-1074·σ, far inside the kuσ error bound), and it keeps Hipparchus away
     * from its absolute thresholds and from squares that underflow (issue 12: below entries of about 1e-154 it took the
     * diagonal for the spectrum) or overflow. Eigenvalues are returned in the units of m, shift = σ.
     *
     * @throws IllegalStateException on a non-finite entry or intermediate (the caller makes the claim UNDECIDED)
     */
    static Eigenpair smallest(double[][] m) {
        if (m.length == 0) {
            return null;
        }
        Spectrum sp = spectrum(m);
        int best = 0;
        for (int i = 1; i < m.length; i++) {
            if (sp.values()[i] < sp.values()[best]) {
                best = i;
            }
        }
        return new Eigenpair(sp.values()[best], sp.vectors()[best], sp.shift());
    }

    /** All eigenpairs of a dense symmetric matrix (vectors[i] belongs to values[i]) and the shift σ used. */
    record Spectrum(double[] values, double[][] vectors, double shift) {
    }

    /**
     * The whole spectrum of the symmetric part of m, shifted and scaled as described at {@link #smallest} (also a
     * singular Gram matrix has such a cluster of tiny eigenvalues).
     *
     * @throws IllegalStateException on a non-finite entry or intermediate
     */
    static Spectrum spectrum(double[][] m) {
        int k = m.length;
        if (k == 0) {
            return new Spectrum(new double[0], new double[0][], 0);
        }
        double sigma = 0;
        for (int i = 0; i < k; i++) {
            double t = 0;
            for (int j = 0; j < k; j++) {
                t += Math.abs(0.5 * m[i][j]) + Math.abs(0.5 * m[j][i]);
            }
            sigma = Math.max(sigma, t);
        }
        if (!Double.isFinite(sigma)) {
            throw new IllegalStateException("non-finite intermediate: a Hessian entry or ‖M‖_∞ is NaN or ∞");
        }
        int s = sigma > 0 ? -Normalisation.exponent(sigma) : 0;
        double[][] a = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                a[i][j] = Math.scalb(0.5 * m[i][j] + 0.5 * m[j][i], s);
            }
            a[i][i] += Math.scalb(sigma, s);
        }
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(a, false));
        double[] ev = e.getEigenvalues();
        double[] values = new double[k];
        double[][] vectors = new double[k][];
        for (int i = 0; i < k; i++) {
            values[i] = Math.scalb(ev[i] - Math.scalb(sigma, s), -s);
            vectors[i] = e.getEigenvector(i).toArray();
            if (!Double.isFinite(values[i]) || !allFinite(vectors[i])) {
                throw new IllegalStateException("non-finite intermediate: an eigenpair is NaN or ∞");
            }
        }
        return new Spectrum(values, vectors, sigma);
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** Result of Lanczos: the smallest Ritz value, its vector, the residual norm ‖Mv − θv‖ and the steps taken. */
    record Ritz(double value, double[] vector, double residual, int steps) {
    }

    /**
     * Lanczos with full reorthogonalization on y ↦ P M P y (P projects onto the subspace; start and every basis
     * vector are projected). θ is an upper bound on the smallest eigenvalue on the subspace (Rayleigh quotient);
     * it is not a lower bound, so the certifier uses it only to find negative-curvature witnesses.
     */
    static Ritz lanczos(UnaryOperator<double[]> op, UnaryOperator<double[]> project, int dim, int maxSteps,
                        double tol, long seed, java.util.function.Predicate<Ritz> enough) {
        UnaryOperator<double[]> pop = y -> project.apply(op.apply(y));
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] q = new double[dim];
        for (int i = 0; i < dim; i++) {
            q[i] = rnd.nextDouble() - 0.5;
        }
        q = project.apply(q);
        double nq = Math.sqrt(dot(q, q));
        if (!(nq > 0)) {
            return null;
        }
        scale(q, 1 / nq);
        List<double[]> basis = new ArrayList<>();
        double[] alpha = new double[maxSteps];
        double[] beta = new double[maxSteps];
        Ritz best = null;
        for (int j = 0; j < maxSteps; j++) {
            basis.add(q);
            double[] w = pop.apply(q);
            alpha[j] = dot(q, w);
            for (int pass = 0; pass < 2; pass++) {
                for (double[] b : basis) {
                    double c = dot(b, w);
                    axpy(-c, b, w);
                }
            }
            beta[j] = Math.sqrt(dot(w, w));
            boolean last = j == maxSteps - 1 || beta[j] <= 1e-13 * Math.max(1, Math.abs(alpha[j]));
            if (last || (j + 1) % 10 == 0) {
                best = ritz(alpha, beta, j + 1, basis, pop);
                if (last || (best.residual() <= tol && j >= 19) || enough.test(best)) {
                    return best;
                }
            }
            q = w;
            scale(q, 1 / beta[j]);
        }
        return best;
    }

    private static Ritz ritz(double[] alpha, double[] beta, int steps, List<double[]> basis, UnaryOperator<double[]> op) {
        double[] main = java.util.Arrays.copyOf(alpha, steps);
        double[] off = java.util.Arrays.copyOf(beta, Math.max(steps - 1, 0));
        double sigma = 0;
        for (int i = 0; i < steps; i++) {
            sigma = Math.max(sigma, Math.abs(main[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < steps - 1 ? Math.abs(off[i]) : 0));
        }
        for (int i = 0; i < steps; i++) {
            main[i] += sigma;   // see smallest(): keeps the QL iteration away from clusters near 0
        }
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(main, off);
        double[] ev = e.getEigenvalues();
        int best = 0;
        for (int i = 1; i < ev.length; i++) {
            if (ev[i] < ev[best]) {
                best = i;
            }
        }
        double[] s = e.getEigenvector(best).toArray();
        int dim = basis.get(0).length;
        double[] v = new double[dim];
        for (int i = 0; i < steps; i++) {
            axpy(s[i], basis.get(i), v);
        }
        double nv = Math.sqrt(dot(v, v));
        scale(v, 1 / nv);
        double[] mv = op.apply(v);
        double theta = dot(v, mv);
        axpy(-theta, v, mv);
        return new Ritz(theta, v, Math.sqrt(dot(mv, mv)), steps);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    static void scale(double[] x, double a) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    /**
     * The shift c of Rump's test for a symmetric matrix of order d (target t, Σ(a_ii − t)⁺ = {@code trace},
     * max|a_ii − t| = {@code maxDiag}, ‖A − a‖₂ ≤ {@code noise}): if the Cholesky of fl(a − cI) completes,
     * λ_min(A) ≥ t. c = t + ν + c₀ + δ rounded up, c₀ = g·tr(Ã) + underflow with g = γ_{d+1}/(1 − γ_{d+1}) and
     * tr(Ã) ≤ (1 + u)·trace for every c ≥ t, δ the rounding of the shifted diagonal (proofs-notes/curvature-bounds.md §2).
     */
    static double choleskyShift(int d, double trace, double maxDiag, double target, double noise) {
        final double u = 0x1p-53;
        double gam = (d + 1) * u / (1 - (d + 1) * u);
        double g = gam / (1 - gam);
        double under = 16.0 * (d + 1) * (2.0 * (d + 1) + maxDiag + 1) * Double.MIN_VALUE;
        double c0 = (g * trace * (1 + 2 * u) + under) * (1 + 8 * u);
        double diag = 2 * u * (maxDiag + c0 + noise) + Double.MIN_VALUE;
        // rounded up: the float sum errs by at most a few u of the sum of the magnitudes
        return target + noise + c0 + diag + 8 * u * (Math.abs(target) + noise + c0 + diag);
    }

    /**
     * A rigorous lower bound on λ_min(A) for the symmetric A of which {@code a} is a double evaluation with
     * ‖A − a‖₂ ≤ {@code entryNoise}, if the floating-point Cholesky factorisation of fl(a − cI) runs to completion for
     * the shift c that makes {@code target} provable; else NaN. Rump, "Verification of positive definiteness", BIT 46
     * (2006), with Higham's backward error (Accuracy and Stability, Thm 10.3, which holds for any symmetric matrix whose
     * factorisation completes): R̂ᵀR̂ = Ã + ΔA, |ΔA| ≤ γ_{d+1}|R̂ᵀ||R̂|, and ‖|R̂ᵀ||R̂|‖₂ ≤ ‖R̂‖_F² ≤ tr(Ã)/(1 − γ_{d+1}),
     * so λ_min(Ã) ≥ −γ_{d+1}tr(Ã)/(1 − γ_{d+1}) (plus an underflow term); with Ã = fl(a − cI), λ_min(A) ≥ c − that −
     * the diagonal rounding − entryNoise (proofs-notes/curvature-bounds.md).
     */
    static double verifiedLower(double[][] a, double target, double entryNoise) {
        int d = a.length;
        if (d == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double trace = 0, maxDiag = 0;
        for (int i = 0; i < d; i++) {
            trace += Math.max(a[i][i] - target, 0);
            maxDiag = Math.max(maxDiag, Math.abs(a[i][i] - target));
        }
        double c = choleskyShift(d, trace, maxDiag, target, entryNoise);
        if (!Double.isFinite(c)) {
            return Double.NaN;
        }
        double[][] l = new double[d][];
        for (int j = 0; j < d; j++) {
            double[] lj = new double[j + 1];
            for (int k = 0; k <= j; k++) {
                double s = k == j ? a[j][j] - c : a[j][k];
                double[] lk = k == j ? lj : l[k];
                for (int t = 0; t < k; t++) {
                    s -= lj[t] * lk[t];
                }
                if (k == j) {
                    if (!(s > 0)) {
                        return Double.NaN; // not completed: nothing is proven
                    }
                    lj[j] = Math.sqrt(s);
                } else {
                    lj[k] = s / lk[k];
                }
            }
            l[j] = lj;
        }
        return target;
    }
    /**
     * X with (a + shift·I) X ≈ b by a plain floating-point Cholesky factorisation and two triangular solves; null when
     * a pivot is not positive. No accuracy is claimed: callers bound the residual themselves.
     */
    static double[][] choleskySolve(double[][] a, double shift, double[][] b) {
        int d = a.length, cols = b.length == 0 ? 0 : b[0].length;
        double[][] l = new double[d][d];
        for (int j = 0; j < d; j++) {
            double piv = a[j][j] + shift;
            for (int t = 0; t < j; t++) {
                piv -= l[j][t] * l[j][t];
            }
            if (!(piv > 0)) {
                return null;
            }
            l[j][j] = Math.sqrt(piv);
            for (int i = j + 1; i < d; i++) {
                double s = a[i][j];
                for (int t = 0; t < j; t++) {
                    s -= l[i][t] * l[j][t];
                }
                l[i][j] = s / l[j][j];
            }
        }
        double[][] x = new double[d][cols];
        for (int c = 0; c < cols; c++) {
            double[] y = new double[d];
            for (int i = 0; i < d; i++) {
                double s = b[i][c];
                for (int t = 0; t < i; t++) {
                    s -= l[i][t] * y[t];
                }
                y[i] = s / l[i][i];
            }
            for (int i = d - 1; i >= 0; i--) {
                double s = y[i];
                for (int t = i + 1; t < d; t++) {
                    s -= l[t][i] * x[t][c];
                }
                x[i][c] = s / l[i][i];
            }
        }
        return x;
    }
}
