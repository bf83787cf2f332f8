package io.github.nmforacle.certify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hipparchus.fraction.BigFraction;

/**
 * Exact decisions about a symmetric quadratic form q(y) = yᵀMy over the rationals: positive semidefiniteness
 * and definiteness (symmetric elimination), null spaces and consistent solves (row reduction), and copositivity
 * on the non-negative orthant (Cottle–Habetler–Lemke). Every negative answer comes with a rational witness.
 * Used by the certifier for sospPaper (PSD on L), sospCone (copositive on K) and strictModuloSymmetry.
 */
public final class ExactForms {
    private ExactForms() {
    }

    /**
     * Result of the elimination test.
     *
     * @param psd      q ≥ 0 everywhere
     * @param pd       q &gt; 0 for y ≠ 0 (implies psd)
     * @param witness  when !psd: y with q(y) &lt; 0; when psd &amp;&amp; !pd: y ≠ 0 with q(y) = 0; else null
     */
    public record Definiteness(boolean psd, boolean pd, BigFraction[] witness) {
    }

    /**
     * Symmetric elimination with a basis that tracks the original coordinates: after eliminating pivots, the
     * Schur complement S satisfies S_ij = q(T_i, T_j) for the current basis vectors T_i. A negative pivot, or a
     * zero pivot with a non-zero row, gives a negative direction; a zero pivot with a zero row a null direction.
     */
    public static Definiteness definiteness(BigFraction[][] m) {
        int k = m.length;
        BigFraction[][] s = copy(m);
        BigFraction[][] t = identity(k);
        boolean[] done = new boolean[k];
        BigFraction[] nullDirection = null;
        for (int p = 0; p < k; p++) {
            BigFraction spp = s[p][p];
            int sign = spp.signum();
            if (sign < 0) {
                return new Definiteness(false, false, t[p].clone());
            }
            if (sign == 0) {
                int j = -1;
                for (int c = 0; c < k; c++) {
                    if (!done[c] && c != p && s[p][c].signum() != 0) {
                        j = c;
                        break;
                    }
                }
                if (j >= 0) {
                    // q(τ T_p + T_j) = 2τ S_pj + S_jj; τ = −(|S_jj| + 1)/(2 S_pj) makes it −|S_jj| − 1 + S_jj < 0
                    BigFraction tau = s[j][j].abs().add(BigFraction.ONE).negate().divide(s[p][j].multiply(2));
                    BigFraction[] y = new BigFraction[k];
                    for (int c = 0; c < k; c++) {
                        y[c] = t[p][c].multiply(tau).add(t[j][c]);
                    }
                    return new Definiteness(false, false, y);
                }
                if (nullDirection == null) {
                    nullDirection = t[p].clone();
                }
                done[p] = true;
                continue;
            }
            for (int j = 0; j < k; j++) {
                if (done[j] || j == p || s[p][j].signum() == 0) {
                    continue;
                }
                BigFraction f = s[p][j].divide(spp);
                for (int i = 0; i < k; i++) {
                    if (!done[i] && i != p) {
                        s[i][j] = s[i][j].subtract(f.multiply(s[i][p]));
                    }
                }
                for (int c = 0; c < k; c++) {
                    t[j][c] = t[j][c].subtract(f.multiply(t[p][c]));
                }
            }
            // column p of the remaining rows is no longer needed; keep symmetry for the rows updated above
            for (int j = 0; j < k; j++) {
                if (!done[j] && j != p) {
                    s[p][j] = BigFraction.ZERO;
                    s[j][p] = BigFraction.ZERO;
                }
            }
            done[p] = true;
        }
        return new Definiteness(true, nullDirection == null, nullDirection);
    }

    /** q(y) = yᵀMy. */
    public static BigFraction quadratic(BigFraction[][] m, BigFraction[] y) {
        BigFraction acc = BigFraction.ZERO;
        for (int i = 0; i < m.length; i++) {
            if (y[i].signum() == 0) {
                continue;
            }
            BigFraction row = BigFraction.ZERO;
            for (int j = 0; j < m.length; j++) {
                if (y[j].signum() != 0) {
                    row = row.add(m[i][j].multiply(y[j]));
                }
            }
            acc = acc.add(row.multiply(y[i]));
        }
        return acc;
    }

    /**
     * Reduces r (modified in place) to reduced row echelon form over its first {@code pivotCols} columns, applying
     * the same row operations to all {@code width} columns. Returns the rank; pivotCol[i] is the pivot column of row i.
     */
    private static int rref(BigFraction[][] r, int pivotCols, int width, int[] pivotCol) {
        int rows = r.length;
        int row = 0;
        for (int c = 0; c < pivotCols && row < rows; c++) {
            int p = -1;
            for (int i = row; i < rows; i++) {
                if (r[i][c].signum() != 0) {
                    p = i;
                    break;
                }
            }
            if (p < 0) {
                continue;
            }
            BigFraction[] tmp = r[p];
            r[p] = r[row];
            r[row] = tmp;
            BigFraction inv = r[row][c].reciprocal();
            for (int j = 0; j < width; j++) {
                r[row][j] = r[row][j].multiply(inv);
            }
            for (int i = 0; i < rows; i++) {
                if (i != row && r[i][c].signum() != 0) {
                    BigFraction f = r[i][c];
                    for (int j = 0; j < width; j++) {
                        r[i][j] = r[i][j].subtract(f.multiply(r[row][j]));
                    }
                }
            }
            pivotCol[row] = c;
            row++;
        }
        return row;
    }

    /** A basis of {y : A y = 0} for an a×b matrix A (rows may be dependent). */
    public static List<BigFraction[]> nullSpace(BigFraction[][] a, int cols) {
        BigFraction[][] r = copy(a);
        int[] pivotCol = new int[Math.max(r.length, 1)];
        int row = rref(r, cols, cols, pivotCol);
        boolean[] isPivot = new boolean[cols];
        for (int i = 0; i < row; i++) {
            isPivot[pivotCol[i]] = true;
        }
        List<BigFraction[]> basis = new ArrayList<>();
        for (int free = 0; free < cols; free++) {
            if (isPivot[free]) {
                continue;
            }
            BigFraction[] y = zeros(cols);
            y[free] = BigFraction.ONE;
            for (int i = 0; i < row; i++) {
                y[pivotCol[i]] = r[i][free].negate();
            }
            basis.add(y);
        }
        return basis;
    }

    /** A basis of the span of the given vectors (the non-zero rows of their reduced row echelon form). */
    public static List<BigFraction[]> rowBasis(List<BigFraction[]> vectors, int width) {
        BigFraction[][] r = copy(vectors.toArray(new BigFraction[0][]));
        int rank = rref(r, width, width, new int[Math.max(r.length, 1)]);
        List<BigFraction[]> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            out.add(r[i]);
        }
        return out;
    }

    /**
     * A solution Z of A Z = B (A a×a symmetric, B a×b), or null if some column of B is not in the range of A.
     */
    public static BigFraction[][] solve(BigFraction[][] a, BigFraction[][] b) {
        int n = a.length;
        int nb = b.length == 0 ? 0 : b[0].length;
        BigFraction[][] r = new BigFraction[n][n + nb];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[i][j] = a[i][j];
            }
            for (int j = 0; j < nb; j++) {
                r[i][n + j] = b[i][j];
            }
        }
        int[] pivotCol = new int[Math.max(n, 1)];
        int row = rref(r, n, n + nb, pivotCol);
        for (int i = row; i < n; i++) {
            for (int j = 0; j < nb; j++) {
                if (r[i][n + j].signum() != 0) {
                    return null;
                }
            }
        }
        BigFraction[][] z = new BigFraction[n][nb];
        for (BigFraction[] zr : z) {
            Arrays.fill(zr, BigFraction.ZERO);
        }
        for (int i = 0; i < row; i++) {
            for (int j = 0; j < nb; j++) {
                z[pivotCol[i]][j] = r[i][n + j];
            }
        }
        return z;
    }

    /**
     * Copositivity of a symmetric p×p matrix S on the orthant y ≥ 0, exactly, by the theorem of Cottle, Habetler
     * and Lemke (1970): if every principal submatrix of order p−1 is copositive, S is not copositive iff S⁻¹
     * exists and is entrywise ≤ 0; then y = −S⁻¹·1 ≥ 0 has yᵀSy = −Σy &lt; 0. Applied to principal submatrices in
     * order of size, the first failure is a minimal one, so the test is exact. Cost: 2^p small inversions.
     *
     * @return null if S is copositive, else y ≥ 0 (length p) with yᵀSy &lt; 0
     */
    public static BigFraction[] copositivityWitness(BigFraction[][] s) {
        int p = s.length;
        if (p > 30) {
            throw new IllegalArgumentException("copositivity by enumeration needs p <= 30, got " + p);
        }
        for (int size = 1; size <= p; size++) {
            for (int mask = 1; mask < (1 << p); mask++) {
                if (Integer.bitCount(mask) != size) {
                    continue;
                }
                int[] idx = new int[size];
                for (int i = 0, c = 0; i < p; i++) {
                    if ((mask & (1 << i)) != 0) {
                        idx[c++] = i;
                    }
                }
                BigFraction[][] sub = new BigFraction[size][size];
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        sub[i][j] = s[idx[i]][idx[j]];
                    }
                }
                BigFraction[][] ones = new BigFraction[size][1];
                for (BigFraction[] o : ones) {
                    o[0] = BigFraction.ONE;
                }
                BigFraction[][] inv = inverse(sub);
                if (inv == null) {
                    continue;
                }
                boolean nonPositive = true;
                for (int i = 0; i < size && nonPositive; i++) {
                    for (int j = 0; j < size; j++) {
                        if (inv[i][j].signum() > 0) {
                            nonPositive = false;
                            break;
                        }
                    }
                }
                if (!nonPositive) {
                    continue;
                }
                BigFraction[] y = zeros(p);
                for (int i = 0; i < size; i++) {
                    BigFraction acc = BigFraction.ZERO;
                    for (int j = 0; j < size; j++) {
                        acc = acc.subtract(inv[i][j]);
                    }
                    y[idx[i]] = acc;
                }
                if (quadratic(s, y).signum() < 0) {
                    return y;
                }
            }
        }
        return null;
    }

    /**
     * A cheap, incomplete search for y ≥ 0 with yᵀSy &lt; 0 (for |D| above the exact budget): 𝟙, every e_j
     * (negative diagonal), every e_i + e_j and e_i + 2e_j. Returns null when none works (which proves nothing).
     */
    public static BigFraction[] searchCopositivityWitness(BigFraction[][] s) {
        int p = s.length;
        BigFraction[] ones = new BigFraction[p];
        Arrays.fill(ones, BigFraction.ONE);
        if (quadratic(s, ones).signum() < 0) {
            return ones;
        }
        for (int j = 0; j < p; j++) {
            if (s[j][j].signum() < 0) {
                BigFraction[] y = zeros(p);
                y[j] = BigFraction.ONE;
                return y;
            }
        }
        BigFraction two = new BigFraction(2);
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                if (i == j) {
                    continue;
                }
                for (BigFraction a : new BigFraction[] {BigFraction.ONE, two}) {
                    // q(e_i + a e_j) = S_ii + 2a S_ij + a² S_jj
                    BigFraction q = s[i][i].add(s[i][j].multiply(a).multiply(2)).add(s[j][j].multiply(a).multiply(a));
                    if (q.signum() < 0) {
                        BigFraction[] y = zeros(p);
                        y[i] = BigFraction.ONE;
                        y[j] = a;
                        return y;
                    }
                }
            }
        }
        return null;
    }

    /** The exact inverse, or null if singular. */
    static BigFraction[][] inverse(BigFraction[][] a) {
        int n = a.length;
        BigFraction[][] id = identity(n);
        // A is invertible iff A Z = I is solvable with A of full rank; check rank through the null space
        if (!nullSpace(a, n).isEmpty()) {
            return null;
        }
        return solve(a, id);
    }

    static BigFraction[][] copy(BigFraction[][] a) {
        BigFraction[][] c = new BigFraction[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    static BigFraction[][] identity(int k) {
        BigFraction[][] t = new BigFraction[k][k];
        for (int i = 0; i < k; i++) {
            Arrays.fill(t[i], BigFraction.ZERO);
            t[i][i] = BigFraction.ONE;
        }
        return t;
    }

    static BigFraction[] zeros(int k) {
        BigFraction[] y = new BigFraction[k];
        Arrays.fill(y, BigFraction.ZERO);
        return y;
    }
}
