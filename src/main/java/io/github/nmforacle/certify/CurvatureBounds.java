package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.gamma;

import io.github.nmforacle.certify.Certificate.Bounds;
import io.github.nmforacle.certify.Certificate.DirectionWitness;
import io.github.nmforacle.certify.Certificate.Interval;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.NmfProblem;
import org.hipparchus.fraction.BigFraction;

/**
 * The proven enclosures {lower, upper} of the curvatures in a certificate (issue 12, item 3; the Gauss–Newton bound is
 * issue 13's first method). Computed once the verdicts are final, at the normalised point, reported in the input's
 * units, every rounding directed outward.
 *
 * <ul>
 *   <li>lower "gauss-newton": dᵀ∇²F d = 2‖dW·H + W·dH‖² − 4⟨R, dW·dH⟩ ≥ −4‖R‖₂‖dW‖_F‖dH‖_F ≥ −2‖R‖_F‖d‖², so every
 *       curvature (on L, K or L ⊥ T alike) is ≥ −2‖R‖_F (proofs-notes/hessian.md); ‖R‖_F is bounded above rigorously.
 *   <li>lower "exact-elimination": 0 where exact mode proved PSD on L, copositivity on K or definiteness on L ⊥ T.
 *   <li>upper "witness": the Rayleigh quotient dᵀ∇²F d/‖d‖² of the claim's direction witness (in the claim's set),
 *       rounded up: exact when the witness carries its exact curvature, else with the rigorous bound of the double
 *       evaluation.
 * </ul>
 */
final class CurvatureBounds {
    private static final double U = 0x1p-53;

    private CurvatureBounds() {
    }

    /**
     * @param c  the final certificate (verdicts and witnesses in the input's units)
     * @param ps the problem at the normalised point, {@code w}, {@code h} the normalised factors, {@code k} the exponent
     */
    static Bounds of(Certificate c, NmfProblem ps, DenseMatrix w, DenseMatrix h, int k, double choleskyLowerL,
                     double muLower) {
        if (c.fosp().verdict() != Verdict.HOLDS) {
            return Bounds.NONE;
        }
        double gn = gaussNewton(ps, w, h, k);
        double chol = Double.isFinite(choleskyLowerL) ? down(choleskyLowerL, -2 * k) : Double.NaN;
        boolean exact = c.mode().equals(Mode.EXACT.json());
        boolean paperHolds = exact && c.sospPaper().verdict() == Verdict.HOLDS;
        // the Cholesky bound is on L; K ⊆ L, so it bounds the cone's minimum too (not μ: T is not projected out)
        Interval paper = interval(gn, chol, paperHolds, c.sospPaper().witness(), "L", ps, w, h, k);
        Interval cone = interval(gn, chol, exact && (paperHolds || c.sospCone().verdict() == Verdict.HOLDS),
                c.sospCone().witness(), null, ps, w, h, k);
        // μ ≥ muLower on L ⊥ span(symmetry hint) by the bordered Cholesky (Finsler); Gauss–Newton bounds μ too (L ⊥ T ⊆ L)
        double mu = Double.isFinite(muLower) && c.strictModuloSymmetry().symmetry() != null ? down(muLower, -2 * k) : Double.NaN;
        Interval strict = interval(gn, mu, exact && c.strictModuloSymmetry().verdict() == Verdict.HOLDS,
                c.strictModuloSymmetry().witness(), "L-perp-T", ps, w, h, k);
        return new Bounds(paper, cone, strict);
    }

    /**
     * @param onlySet the witness set whose Rayleigh quotient bounds this curvature (null: any direction witness of the
     *                claim; the cone's sets K and L0 ⊆ K both do)
     */
    private static Interval interval(double gn, double chol, boolean provedNonNegative, Object witness, String onlySet,
                                     NmfProblem ps, DenseMatrix w, DenseMatrix h, int k) {
        Double lower;
        String lowerMethod;
        if (provedNonNegative) {
            lower = 0.0;
            lowerMethod = "exact-elimination";
        } else if (Double.isFinite(chol) && !(Double.isFinite(gn) && gn >= chol)) {
            lower = chol;
            lowerMethod = "verified-cholesky";
        } else {
            lower = Double.isFinite(gn) ? Double.valueOf(gn) : null;
            lowerMethod = lower != null ? "gauss-newton" : "none";
        }
        Double upper = null;
        if (witness instanceof DirectionWitness d && (onlySet == null || onlySet.equals(d.set()))) {
            double u = rayleighUpper(d, ps, w, h, k);
            if (Double.isFinite(u)) {
                upper = u;
            }
        }
        return new Interval(lower, lowerMethod, upper, upper == null ? "none" : "witness");
    }

    /** −2 × a rigorous upper bound on ‖R‖_F, in the input's units (weight 2), rounded down; −∞ if it overflows. */
    static double gaussNewton(NmfProblem ps, DenseMatrix w, DenseMatrix h, int k) {
        int n = ps.n(), m = ps.m(), r = ps.rank();
        double f = ps.objective(w, h);
        double nm = (double) n * m;
        // R̂_ij errs by at most γ_{r+1}·a_ij (a = V + |W||H|), plus (r+1) underflows of MIN_NORMAL; ‖a‖_F ≤ ‖V‖_F + ‖W‖_F‖H‖_F.
        // F̂ = fl(Σ R̂²) ≥ (1 − γ_{nm})·Σ R̂² − nm·MIN_NORMAL (any summation order).
        double a = (ps.data().frobeniusNorm() + w.frobeniusNorm() * h.frobeniusNorm()) * (1 + gamma(n * m + 2 * r + 4));
        double sumR2 = (f + nm * Double.MIN_NORMAL) / (1 - gamma(n * m + 1));
        double normR = (Math.sqrt(sumR2) * (1 + 2 * U) + gamma(r + 2) * a + Math.sqrt(nm) * (r + 1) * Double.MIN_NORMAL)
                * (1 + 4 * U);
        double lower = -2 * normR;
        return down(lower, -2 * k);
    }

    /** An upper bound on dᵀ∇²F d/‖d‖² in the input's units (weight 2), or NaN. */
    private static double rayleighUpper(DirectionWitness d, NmfProblem ps, DenseMatrix w, DenseMatrix h, int k) {
        int n = w.rows(), r = w.cols(), m = h.cols();
        double[] dd = new double[(n + m) * r];
        BigFraction norm2 = BigFraction.ZERO;
        int t = 0;
        for (String[][] block : new String[][][] {d.dW(), d.dH()}) {
            for (String[] row : block) {
                for (String x : row) {
                    BigFraction f = Certifier.parseFraction(x);
                    norm2 = norm2.add(f.multiply(f));
                    dd[t++] = Certifier.toDouble(f);
                }
            }
        }
        if (norm2.signum() == 0) {
            return Double.NaN;
        }
        if (d.curvatureExact() != null) {
            BigFraction rq = Certifier.parseFraction(d.curvatureExact()).divide(norm2);
            double x = Certifier.toDouble(rq);
            // ExactNmf.exact, not new BigFraction(double): Hipparchus halves subnormals, which made a subnormal
            // upper end x < rq look ≥ rq (a certificate the checker rightly rejected, found by CheckerScaleTest at k = −258)
            return io.github.nmforacle.problem.ExactNmf.exact(x).compareTo(rq) >= 0 ? x : Math.nextUp(x);
        }
        DenseMatrix dw = new DenseMatrix(n, r, java.util.Arrays.copyOfRange(dd, 0, n * r));
        DenseMatrix dh = new DenseMatrix(r, m, java.util.Arrays.copyOfRange(dd, n * r, dd.length));
        // the same direction at the normalised point: q scales by 2^{2k} (d unchanged)
        double q = ps.hessianQuadraticForm(w, h, dw, dh);
        double bound = curvatureBound(ps.data().data(), w.data(), h.data(), dw.data(), dh.data(), n, m, r);
        double num = (q + bound) * (1 + 2 * U);
        if (!Double.isFinite(num)) {
            return Double.NaN;
        }
        double nrm = Certifier.toDouble(norm2);
        double rq = num >= 0 ? num / (nrm * (1 - 4 * U)) : num / (nrm * (1 + 4 * U));
        return up(rq * (1 + 2 * U) + (rq >= 0 ? 0 : -rq * 4 * U), -2 * k);
    }

    /**
     * Rigorous bound on the rounding error of {@link NmfProblem#hessianQuadraticForm} at (v, w, h) for direction
     * (dw, dh), including ±u perturbations of d and underflow.
     */
    static double curvatureBound(double[] vd, double[] w, double[] h, double[] dw, double[] dh, int n, int m, int r) {
        double e2 = 0, cross = 0, lin = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double a = 0, wh = 0, dd = 0;
                for (int k = 0; k < r; k++) {
                    double adw = Math.abs(dw[i * r + k]), aw = Math.abs(w[i * r + k]);
                    double ah = Math.abs(h[k * m + j]), adh = Math.abs(dh[k * m + j]);
                    a += adw * ah + aw * adh;
                    wh += aw * ah;
                    dd += adw * adh;
                }
                e2 += a * a;
                cross += (vd[i * m + j] + wh) * dd;
                lin += 1 + a + vd[i * m + j] + wh + dd;
            }
        }
        // rounding, plus underflow: each of the O(r) products behind e, res and dd may lose MIN_NORMAL, which
        // enters 2e² − 4·res·dd multiplied by at most 4(|e| + |res| + |dd|) + 1, summed over the nm entries
        return 16.0 * (n + m + r + 10) * U * (2 * e2 + 4 * cross) * 1.01 + 64.0 * (r + 4) * Double.MIN_NORMAL * lin;
    }


    /** 2^e·x rounded toward −∞ (scalb rounds to nearest where it under- or overflows). */
    private static double down(double x, int e) {
        double y = Math.scalb(x, e);
        return Math.scalb(y, -e) == x ? y : Math.nextDown(y);
    }

    /** 2^e·x rounded toward +∞. */
    private static double up(double x, int e) {
        double y = Math.scalb(x, e);
        return Math.scalb(y, -e) == x ? y : Math.nextUp(y);
    }
}
