package io.github.nmforacle.check;

import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * The checker's own proof of copositivity on K within tolerance (float NMF, proofs-notes/curvature-bounds.md §5): with
 * N = a + cI, c ≤ t − ν, λ_min(N_FF) ≥ α &gt; 0 by a verified Cholesky ({@link Forms#choleskyProves}, Rump 2006), any
 * X̃ (here from Hipparchus' LU), the substitution d = (y' − X̃z, z) gives qN = y'ᵀN_FF y' + 2y'ᵀEz + zᵀS'z with
 * E = N_FD − N_FF X̃ and S' = N_DD − X̃ᵀN_FD − N_FDᵀX̃ + X̃ᵀN_FF X̃; a lower entrywise enclosure of S' − (‖E‖²_F/α)I
 * that is copositive (Cottle–Habetler–Lemke 1970, {@link Forms#copositiveOrthant}, exactly) proves qN ≥ 0 on K, hence
 * dᵀ∇²F d ≥ −t‖d‖². Written apart from the certifier's {@code FloatCone}, on purpose (another formula for S').
 */
final class ConeEnumeration {
    private static final double U = 0x1p-53;

    private ConeEnumeration() {
    }

    /** Bound on |fl(Σ) − Σ| for a float sum of k rounded products whose |terms| sum (in float) to mag. */
    private static double rounding(double mag, int k) {
        double g = (k + 1) * U / (1 - (k + 1) * U);
        return (2 * g * mag + 2.0 * (k + 1) * Double.MIN_VALUE) * (1 + 4 * U);
    }

    /**
     * Whether the checker proves qA(d) ≥ −t‖d‖² for d ≥ 0 on the {@code constrained} coordinates (d free elsewhere),
     * A the exact Hessian on L with ‖A − a‖₂ ≤ {@code noise}; null if not proven, else what was proven.
     */
    static String proves(double[][] a, boolean[] constrained, double t, double noise) {
        int size = a.length;
        int nd = 0;
        for (boolean b : constrained) {
            nd += b ? 1 : 0;
        }
        int nf = size - nd;
        int[] f = new int[nf], dd = new int[nd];
        for (int p = 0, i = 0, j = 0; p < size; p++) {
            if (constrained[p]) {
                dd[j++] = p;
            } else {
                f[i++] = p;
            }
        }
        double c = Math.nextDown(t - noise);
        double alpha = Double.POSITIVE_INFINITY;
        double[][] x = new double[nf][nd];
        double[][] g = new double[nf][nd], gErr = new double[nf][nd];
        double eF2 = 0;
        if (nf > 0) {
            double[][] ff = new double[nf][nf];
            double[][] fd = new double[nf][nd];
            for (int i = 0; i < nf; i++) {
                for (int l = 0; l < nf; l++) {
                    ff[i][l] = a[f[i]][f[l]];
                }
                for (int j = 0; j < nd; j++) {
                    fd[i][j] = a[f[i]][dd[j]];
                }
            }
            alpha = Double.NaN;
            for (double frac : new double[] {0.5, 1.0 / 16, 1.0 / 256}) {
                double target = -(1 - frac) * c;
                double lo = Math.nextDown(target + c);
                if (lo > 0 && Forms.choleskyProves(ff, target, 0)) {
                    alpha = lo;
                    break;
                }
            }
            if (!(alpha > 0)) {
                return null;
            }
            RealMatrix shifted = new Array2DRowRealMatrix(ff, true);
            for (int i = 0; i < nf; i++) {
                shifted.addToEntry(i, i, c);
            }
            try {
                x = new LUDecomposition(shifted, 0.0).getSolver().solve(new Array2DRowRealMatrix(fd, false)).getData();
            } catch (org.hipparchus.exception.MathRuntimeException e) {
                return null;
            }
            // G = N_FF X̃ with bounds; E = N_FD − G
            for (int i = 0; i < nf; i++) {
                for (int j = 0; j < nd; j++) {
                    double s = c * x[i][j], mag = Math.abs(s);
                    for (int l = 0; l < nf; l++) {
                        double pr = ff[i][l] * x[l][j];
                        s += pr;
                        mag += Math.abs(pr);
                    }
                    g[i][j] = s;
                    gErr[i][j] = rounding(mag, nf + 1);
                    double e = fd[i][j] - s;
                    double eUp = Math.abs(e) * (1 + 2 * U) + gErr[i][j] + Double.MIN_VALUE;
                    eF2 += eUp * eUp;
                }
            }
        }
        double beta = nf == 0 ? 0 : (eF2 * (1 + 4.0 * (nf * nd + 4) * U) + (nf * nd + 4) * Double.MIN_VALUE) / alpha * (1 + 4 * U);
        double[][] mid = new double[nd][nd], rad = new double[nd][nd];
        double top = 0;
        for (int i = 0; i < nd; i++) {
            for (int j = 0; j <= i; j++) {
                double v = a[dd[i]][dd[j]] + (i == j ? c : 0);
                double mag = Math.abs(a[dd[i]][dd[j]]) + (i == j ? Math.abs(c) : 0);
                double fromG = 0;
                for (int l = 0; l < nf; l++) {
                    double t1 = x[l][i] * a[f[l]][dd[j]], t2 = a[f[l]][dd[i]] * x[l][j], t3 = x[l][i] * g[l][j];
                    v += t3 - t1 - t2;
                    mag += Math.abs(t1) + Math.abs(t2) + Math.abs(t3);
                    fromG += Math.abs(x[l][i]) * gErr[l][j];
                }
                double err = (rounding(mag, 4 * nf + 2) + fromG * (1 + 4.0 * (nf + 2) * U) + nf * Double.MIN_VALUE) * (1 + 4 * U);
                mid[i][j] = v;
                rad[i][j] = i == j ? (err + beta) * (1 + 2 * U) : err;
                top = Math.max(top, Math.abs(v) + rad[i][j]);
            }
        }
        if (!Double.isFinite(top)) {
            return null;
        }
        // each entry lowered onto the grid of 2^q, q about 40 bits below the largest: exact rationals of few bits
        // (exact doubles of every exponent made the enumeration's fractions grow without bound)
        int q = Math.getExponent(top) - 40 < -1020 ? -1020 : Math.getExponent(top) - 40;
        BigFraction[][] s = new BigFraction[nd][nd];
        for (int i = 0; i < nd; i++) {
            for (int j = 0; j <= i; j++) {
                double low = mid[i][j] - rad[i][j];
                double slack = (Math.abs(mid[i][j]) + rad[i][j]) * 4 * U + Double.MIN_VALUE;
                s[i][j] = Exact.of(Math.floor(Math.scalb(low - slack, -q))).multiply(Exact.of(Math.scalb(1.0, q)));
                s[j][i] = s[i][j];
            }
        }
        if (!Forms.copositiveOrthant(s)) {
            return null;
        }
        return "the checker's enclosure of the Schur complement of ∇²F_L + (secondOrder·η − ν)I on the " + nd
                + " degenerate coordinates, minus ‖E‖²/α·I, is copositive (Cottle–Habetler–Lemke enumeration, exact), the free"
                + " block positive definite by its own verified Cholesky (Rump 2006)";
    }
}
