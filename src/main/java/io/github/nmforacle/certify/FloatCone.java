package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.gamma;

import io.github.nmforacle.problem.ExactNmf;
import org.hipparchus.fraction.BigFraction;

/**
 * Float mode, NMF: copositivity of ∇²F on the critical cone K = {d ∈ L : d_D ≥ 0} within tolerance, i.e.
 * dᵀ∇²F d ≥ −τη‖d‖² on K, by the enumeration of Cottle, Habetler and Lemke (1970) on an entrywise enclosure of a Schur
 * complement on the degenerate coordinates; the free block is proven positive definite by a verified Cholesky (Rump,
 * BIT 46 (2006)). The argument is proofs-notes/curvature-bounds.md §5.
 */
final class FloatCone {
    private static final double U = 0x1p-53;

    private FloatCone() {
    }

    /**
     * holds: copositivity within tolerance is proven. Otherwise {@code candidate} (in the order of the Hessian's
     * coordinates, d_D ≥ 0) is a direction of K that may refute it, or null, and {@code why} says what stopped the proof.
     */
    record Outcome(boolean holds, double[] candidate, String why) {
    }

    /** A bound on the error of a float sum of k terms (products included) whose magnitudes sum (in float) to abs. */
    static double sumError(double abs, int k) {
        return 2 * gamma(k + 1) * abs + 2.0 * (k + 1) * Double.MIN_VALUE;
    }

    /** An upper bound on the exact value of a float sum, product or quotient of k non-negative terms computed as x. */
    static double up(double x, int k) {
        return x * (1 + 4 * gamma(k + 2)) + (k + 2) * Double.MIN_VALUE;
    }

    /**
     * Decides copositivity of A + tI on K for the symmetric A of which {@code a} (the restricted Hessian on L, in the
     * order of L's coordinates) is a double evaluation with ‖A − a‖₂ ≤ {@code noise}; {@code deg} marks D.
     * {@code lambda0} estimates λ_min(a) on the free (non-degenerate) coordinates. With c ≤ t − ν, N = a + cI exactly
     * (rationals): (i) λ_min(N_FF) ≥ α &gt; 0 by a verified Cholesky; (ii) for any X̃, E = N_FD − N_FF X̃ and
     * S' = N_DD − N_FDᵀX̃ − X̃ᵀE are enclosed entrywise; (iii) if S' − e − (‖E‖_F²/α)I (exact rationals) is copositive,
     * then qN(y − X̃z, z) = y'ᵀN_FF y' + 2y'ᵀEz + zᵀS'z ≥ zᵀ(S' − ‖E‖²/α I)z ≥ 0 for z ≥ 0, and qA ≥ qN − (c + ν)‖d‖².
     */
    static Outcome decide(double[][] a, boolean[] deg, double t, double noise, double lambda0) {
        int[] fr = positions(deg, false), dg = positions(deg, true);
        int k = fr.length, p = dg.length;
        double c = Math.nextDown(t - noise);   // ≤ t − ν exactly
        double alpha = Double.POSITIVE_INFINITY;
        double[][] x = new double[k][p];
        if (k > 0) {
            double[][] aff = block(a, fr, fr);
            double est = lambda0 + c;
            if (!(est > 0) || !Double.isFinite(est)) {
                return new Outcome(false, null, "λ_min on L ∩ {d_D = 0} is not above −τη + ν: no positive definite free block");
            }
            alpha = Double.NaN;
            for (double f : new double[] {0.5, 0.0625}) {
                double target = lambda0 - (1 - f) * est;
                double lower = Math.nextDown(target + c);   // ≤ target + c exactly
                if (lower > 0 && Double.isFinite(FloatForms.verifiedLower(aff, target, 0))) {
                    alpha = lower;
                    break;
                }
            }
            if (!(alpha > 0)) {
                return new Outcome(false, null, "the verified Cholesky of the free block ∇²F_FF + (τη − ν)I did not complete");
            }
            x = FloatForms.choleskySolve(aff, c, block(a, fr, dg));
            if (x == null) {
                return new Outcome(false, null, "the floating-point solve with the free block failed");
            }
        }
        // E = N_FD − N_FF X̃ with entrywise bounds, and Σ(|Ê| + e)² ≥ ‖E‖_F²
        double[][] e = new double[k][p], eb = new double[k][p];
        double e2 = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < p; j++) {
                double cx = c * x[i][j];
                double s = a[fr[i]][dg[j]] - cx, abs = Math.abs(a[fr[i]][dg[j]]) + Math.abs(cx);
                for (int l = 0; l < k; l++) {
                    double pr = a[fr[i]][fr[l]] * x[l][j];
                    s -= pr;
                    abs += Math.abs(pr);
                }
                e[i][j] = s;
                eb[i][j] = sumError(abs, k + 2);
                double mag = Math.abs(s) + eb[i][j];
                e2 += mag * mag;
            }
        }
        double beta = k == 0 ? 0 : up(up(e2, 3 * k * p) / alpha, 1);
        // S' = N_DD − N_FDᵀX̃ − X̃ᵀE, enclosed; the lower matrix minus βI, exactly
        double[][] sHat = new double[p][p], sErr = new double[p][p];
        double scale = 0;
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                double s = a[dg[i]][dg[j]], abs = Math.abs(s), fromE = 0;
                if (i == j) {
                    s += c;
                    abs += Math.abs(c);
                }
                for (int l = 0; l < k; l++) {
                    double p1 = a[fr[l]][dg[i]] * x[l][j], p2 = x[l][i] * e[l][j];
                    s -= p1 + p2;
                    abs += Math.abs(p1) + Math.abs(p2);
                    fromE += Math.abs(x[l][i]) * eb[l][j];
                }
                sHat[i][j] = s;
                sErr[i][j] = up(sumError(abs, 3 * k + 2) + up(fromE, 2 * k), 1) + (i == j ? beta : 0);
                scale = Math.max(scale, Math.abs(s) + sErr[i][j]);
            }
        }
        if (!Double.isFinite(scale)) {
            return new Outcome(false, null, "non-finite intermediate in the Schur complement enclosure");
        }
        // rounded down to the grid 2^g (about 40 bits below the largest entry): lower entries, small exact rationals
        int g = Math.max(Math.getExponent(scale) - 40, -1020);
        BigFraction[][] lower = new BigFraction[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                lower[i][j] = ExactNmf.exact(gridDown(sHat[i][j], sErr[i][j], g));
                lower[j][i] = lower[i][j];
            }
        }
        BigFraction[] z = ExactForms.copositivityWitness(lower);
        if (z == null) {
            return new Outcome(true, null, String.format(java.util.Locale.ROOT,
                    "copositive within tolerance on K: the enclosed Schur complement of ∇²F_L + (τη − ν)I on the %d degenerate"
                            + " coordinates, minus %.1e·I, is copositive (Cottle–Habetler–Lemke enumeration, exact), the free"
                            + " block positive definite (verified Cholesky, λ ≥ %.3e)", p, beta, k == 0 ? 0.0 : alpha));
        }
        double[] d = new double[a.length];
        double big = 0;
        for (int j = 0; j < p; j++) {
            d[dg[j]] = Certifier.toDouble(z[j]);
            big = Math.max(big, d[dg[j]]);
        }
        for (int j = 0; j < p; j++) {
            d[dg[j]] /= big;
        }
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                s -= x[i][j] * d[dg[j]];
            }
            d[fr[i]] = s;
        }
        return new Outcome(false, d, "the enclosed Schur complement on D is not copositive within the rounding margins");
    }

    /**
     * A multiple of 2^g that is ≤ x − e exactly: the float difference lowered by its rounding bound, then floored on
     * the grid (scalb is exact here: |x − e|·2^-g is about 2^40 and g ≥ −1020).
     */
    static double gridDown(double x, double e, int g) {
        double v = x - e;
        v -= 4 * U * (Math.abs(x) + e) + Double.MIN_VALUE;
        return Math.scalb(Math.floor(Math.scalb(v, -g)), g);
    }

    static int[] positions(boolean[] mark, boolean want) {
        int cnt = 0;
        for (boolean b : mark) {
            cnt += b == want ? 1 : 0;
        }
        int[] out = new int[cnt];
        for (int i = 0, t = 0; i < mark.length; i++) {
            if (mark[i] == want) {
                out[t++] = i;
            }
        }
        return out;
    }

    static double[][] block(double[][] a, int[] rows, int[] cols) {
        double[][] out = new double[rows.length][cols.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                out[i][j] = a[rows[i]][cols[j]];
            }
        }
        return out;
    }
}
