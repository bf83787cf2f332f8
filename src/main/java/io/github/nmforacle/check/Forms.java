package io.github.nmforacle.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hipparchus.fraction.BigFraction;

/**
 * Exact decisions about a symmetric quadratic form q(y) = yᵀMy over the rationals, by symmetric elimination
 * (proofs-notes/checker.md): semidefiniteness, definiteness, copositivity on {y : y_c ≥ 0 for the constrained
 * c} (free variables eliminated first, then Cottle–Habetler–Lemke on the Schur complement), and null spaces.
 */
final class Forms {
    private Forms() {
    }

    /** q ≥ 0 everywhere. */
    static boolean psd(BigFraction[][] m) {
        return copositive(m, new boolean[m.length]);
    }

    /** q &gt; 0 for y ≠ 0: every pivot of elimination in the given order is positive. */
    static boolean pd(BigFraction[][] m) {
        int k = m.length;
        BigFraction[][] s = copy(m);
        for (int p = 0; p < k; p++) {
            BigFraction a = s[p][p];
            if (a.signum() <= 0) {
                return false;
            }
            for (int i = p + 1; i < k; i++) {
                if (s[i][p].signum() == 0) {
                    continue;
                }
                BigFraction f = s[i][p].divide(a);
                for (int j = p + 1; j < k; j++) {
                    if (s[p][j].signum() != 0) {
                        s[i][j] = s[i][j].subtract(f.multiply(s[p][j]));
                    }
                }
            }
        }
        return true;
    }

    /**
     * q(y) ≥ 0 for every y with y_c ≥ 0 where {@code nonneg[c]} (other variables free).
     *
     * <p>Each free variable y_p in turn: a negative pivot makes q unbounded below; a zero pivot with a non-zero
     * entry in its row leaves a term 2y_p·ℓ(rest) with ℓ ≠ 0 somewhere on the cone, again unbounded; a zero
     * pivot with a zero row drops y_p; a positive pivot is minimised out (Schur complement). What remains is a
     * form on the non-negative orthant, decided by {@link #copositiveOrthant}.
     */
    static boolean copositive(BigFraction[][] m, boolean[] nonneg) {
        int k = m.length;
        BigFraction[][] s = copy(m);
        boolean[] alive = new boolean[k];
        java.util.Arrays.fill(alive, true);
        for (int p = 0; p < k; p++) {
            if (nonneg[p]) {
                continue;
            }
            BigFraction a = s[p][p];
            alive[p] = false;
            if (a.signum() < 0) {
                return false;
            }
            if (a.signum() == 0) {
                for (int j = 0; j < k; j++) {
                    if (alive[j] && s[p][j].signum() != 0) {
                        return false;
                    }
                }
                continue;
            }
            for (int i = 0; i < k; i++) {
                if (!alive[i] || s[i][p].signum() == 0) {
                    continue;
                }
                BigFraction f = s[i][p].divide(a);
                for (int j = 0; j < k; j++) {
                    if (alive[j] && s[p][j].signum() != 0) {
                        s[i][j] = s[i][j].subtract(f.multiply(s[p][j]));
                    }
                }
            }
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (alive[i]) {
                rest.add(i);
            }
        }
        BigFraction[][] c = new BigFraction[rest.size()][rest.size()];
        for (int a = 0; a < rest.size(); a++) {
            for (int b = 0; b < rest.size(); b++) {
                c[a][b] = s[rest.get(a)][rest.get(b)];
            }
        }
        return copositiveOrthant(c);
    }

    /**
     * zᵀCz ≥ 0 for every z ≥ 0. A principal submatrix C_J with C_J z = −1 solvable, z ≥ 0 gives zᵀC_J z = −Σz &lt; 0,
     * so C is not copositive; conversely a minimal non-copositive C_J has C_J⁻¹ ≤ 0 (Cottle, Habetler and Lemke,
     * 1970, Thm 3.1), so z = −C_J⁻¹1 ≥ 0 is found. 2^t linear solves of size ≤ t.
     */
    static boolean copositiveOrthant(BigFraction[][] c) {
        int t = c.length;
        if (t > 30) {
            throw new IllegalArgumentException("copositivity test on " + t + " variables");
        }
        for (int mask = 1; mask < (1 << t); mask++) {
            int[] idx = new int[Integer.bitCount(mask)];
            int q = 0;
            for (int i = 0; i < t; i++) {
                if ((mask & (1 << i)) != 0) {
                    idx[q++] = i;
                }
            }
            BigFraction[][] a = new BigFraction[idx.length][idx.length + 1];
            for (int i = 0; i < idx.length; i++) {
                for (int j = 0; j < idx.length; j++) {
                    a[i][j] = c[idx[i]][idx[j]];
                }
                a[i][idx.length] = BigFraction.MINUS_ONE;
            }
            BigFraction[] z = solve(a);
            if (z == null) {
                continue;
            }
            boolean nonneg = true;
            for (BigFraction zi : z) {
                nonneg &= zi.signum() >= 0;
            }
            if (nonneg) {
                return false;
            }
        }
        return true;
    }

    /** Solves the square system [A | b] (augmented, modified in place); null when A is singular. */
    static BigFraction[] solve(BigFraction[][] a) {
        int k = a.length;
        for (int col = 0; col < k; col++) {
            int piv = -1;
            for (int i = col; i < k; i++) {
                if (a[i][col].signum() != 0) {
                    piv = i;
                    break;
                }
            }
            if (piv < 0) {
                return null;
            }
            BigFraction[] tmp = a[piv];
            a[piv] = a[col];
            a[col] = tmp;
            for (int i = 0; i < k; i++) {
                if (i == col || a[i][col].signum() == 0) {
                    continue;
                }
                BigFraction f = a[i][col].divide(a[col][col]);
                for (int j = col; j <= k; j++) {
                    a[i][j] = a[i][j].subtract(f.multiply(a[col][j]));
                }
            }
        }
        BigFraction[] x = new BigFraction[k];
        for (int i = 0; i < k; i++) {
            x[i] = a[i][k].divide(a[i][i]);
        }
        return x;
    }

    /**
     * A basis of {y : Ay = 0} from the reduced row echelon form of A (rows × cols), pivots taken left to right.
     *
     * @param basis basis[t] is the t-th basis vector (length cols): 1 at free column free[t], −(RREF entry) at
     *              the pivot columns, 0 elsewhere
     * @param free  the free (non-pivot) columns
     */
    record Nullspace(BigFraction[][] basis, int[] free) {
    }

    static Nullspace nullspace(BigFraction[][] rows, int cols) {
        BigFraction[][] a = copy(rows);
        int rank = 0;
        int[] pivotOfRow = new int[a.length];
        boolean[] isPivot = new boolean[cols];
        for (int col = 0; col < cols && rank < a.length; col++) {
            int piv = -1;
            for (int i = rank; i < a.length; i++) {
                if (a[i][col].signum() != 0) {
                    piv = i;
                    break;
                }
            }
            if (piv < 0) {
                continue;
            }
            BigFraction[] tmp = a[piv];
            a[piv] = a[rank];
            a[rank] = tmp;
            BigFraction lead = a[rank][col];
            for (int j = 0; j < cols; j++) {
                a[rank][j] = a[rank][j].divide(lead);
            }
            for (int i = 0; i < a.length; i++) {
                if (i == rank || a[i][col].signum() == 0) {
                    continue;
                }
                BigFraction f = a[i][col];
                for (int j = 0; j < cols; j++) {
                    a[i][j] = a[i][j].subtract(f.multiply(a[rank][j]));
                }
            }
            pivotOfRow[rank] = col;
            isPivot[col] = true;
            rank++;
        }
        int[] free = new int[cols - rank];
        int f = 0;
        for (int col = 0; col < cols; col++) {
            if (!isPivot[col]) {
                free[f++] = col;
            }
        }
        BigFraction[][] basis = new BigFraction[free.length][cols];
        for (int t = 0; t < free.length; t++) {
            java.util.Arrays.fill(basis[t], BigFraction.ZERO);
            basis[t][free[t]] = BigFraction.ONE;
            for (int i = 0; i < rank; i++) {
                basis[t][pivotOfRow[i]] = a[i][free[t]].negate();
            }
        }
        return new Nullspace(basis, free);
    }

    /** An independent spanning set of the given vectors: the non-zero rows of their reduced row echelon form. */
    static List<BigFraction[]> rowBasis(List<BigFraction[]> vectors, int cols) {
        BigFraction[][] a = copy(vectors.toArray(new BigFraction[0][]));
        int rank = 0;
        for (int col = 0; col < cols && rank < a.length; col++) {
            int piv = -1;
            for (int i = rank; i < a.length && piv < 0; i++) {
                piv = a[i][col].signum() != 0 ? i : -1;
            }
            if (piv < 0) {
                continue;
            }
            BigFraction[] tmp = a[piv];
            a[piv] = a[rank];
            a[rank] = tmp;
            for (int i = 0; i < a.length; i++) {
                if (i != rank && a[i][col].signum() != 0) {
                    BigFraction f = a[i][col].divide(a[rank][col]);
                    for (int j = 0; j < cols; j++) {
                        a[i][j] = a[i][j].subtract(f.multiply(a[rank][j]));
                    }
                }
            }
            rank++;
        }
        return new ArrayList<>(Arrays.asList(a).subList(0, rank));
    }

    /** ZᵀMZ for the basis vectors Z (rows of {@code z}). */
    static BigFraction[][] restrict(BigFraction[][] m, BigFraction[][] z) {
        int k = m.length;
        int p = z.length;
        BigFraction[][] mz = new BigFraction[p][k];
        for (int t = 0; t < p; t++) {
            for (int i = 0; i < k; i++) {
                BigFraction s = BigFraction.ZERO;
                for (int j = 0; j < k; j++) {
                    if (z[t][j].signum() != 0 && m[i][j].signum() != 0) {
                        s = s.add(m[i][j].multiply(z[t][j]));
                    }
                }
                mz[t][i] = s;
            }
        }
        BigFraction[][] out = new BigFraction[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                BigFraction s = BigFraction.ZERO;
                for (int i = 0; i < k; i++) {
                    if (z[a][i].signum() != 0 && mz[b][i].signum() != 0) {
                        s = s.add(z[a][i].multiply(mz[b][i]));
                    }
                }
                out[a][b] = s;
                out[b][a] = s;
            }
        }
        return out;
    }

    static BigFraction[][] copy(BigFraction[][] m) {
        BigFraction[][] c = new BigFraction[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    /**
     * The shift of the checker's Cholesky proof for order d (Σ(a_ii − t)⁺ = tr, max|a_ii − t| = big, entry noise):
     * t + noise + c₀ + δ rounded up, c₀ = γ_{d+1}/(1 − γ_{d+1})·(1 + 2u)tr + underflow, δ the rounding of a_ii − c.
     */
    static double choleskyShift(int d, double tr, double big, double target, double noise) {
        final double u = 0x1p-53;
        double g = (d + 1) * u / (1 - (d + 1) * u);
        g = g / (1 - g);
        double c0 = (g * tr * (1 + 2 * u) + 16.0 * (d + 1) * (2.0 * (d + 1) + big + 1) * Double.MIN_VALUE) * (1 + 8 * u);
        double diag = 2 * u * (big + c0 + noise) + Double.MIN_VALUE;
        return target + noise + c0 + diag + 8 * u * (Math.abs(target) + noise + c0 + diag);
    }

    /**
     * Whether λ_min(A) ≥ {@code target} is proven for the symmetric A with ‖A − a‖₂ ≤ {@code noise}, by a floating-point
     * Cholesky factorisation of fl(a − cI) that runs to completion (Rump, BIT 46 (2006); Higham, Accuracy and Stability,
     * Thm 10.3): its backward error gives λ_min(fl(a − cI)) ≥ −γ_{d+1}tr/(1 − γ_{d+1}) minus an underflow term, and c
     * is target plus that, the rounding of the shifted diagonal and the noise (proofs-notes/checker.md). The checker's
     * own code, written apart from the certifier's.
     */
    static boolean choleskyProves(double[][] a, double target, double noise) {
        int d = a.length;
        if (d == 0) {
            return true;
        }
        double tr = 0, big = 0;
        for (int i = 0; i < d; i++) {
            double t = a[i][i] - target;
            tr += Math.max(t, 0);
            big = Math.max(big, Math.abs(t));
        }
        double shift = choleskyShift(d, tr, big, target, noise);
        if (!Double.isFinite(shift) || !Double.isFinite(tr)) {
            return false;
        }
        double[][] l = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k <= j; k++) {
                double s = k == j ? a[j][j] - shift : a[j][k];
                for (int t = 0; t < k; t++) {
                    s -= l[j][t] * l[k][t];
                }
                if (k == j) {
                    if (!(s > 0)) {
                        return false;
                    }
                    l[j][j] = Math.sqrt(s);
                } else {
                    l[j][k] = s / l[k][k];
                }
            }
        }
        return true;
    }

    /** Σ a_i b_i in double, left to right (its error is at most γ_N Σ|a_i b_i|). */
    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
