package io.github.nmforacle.problem;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;

/**
 * F along a straight line, φ(t) = F(W + t·dW, H + t·dH) = c₀ + c₁t + c₂t² + c₃t³ + c₄t⁴, a quartic in t
 * (proofs-notes/saddle-escape.md). With R = V − WH, A = dW·H + W·dH and B = dW·dH, the residual along the line is
 * R − tA − t²B, so
 * <pre>
 *   c₀ = ‖R‖²,  c₁ = −2⟨R, A⟩ = ⟨∇F, d⟩,  c₂ = ‖A‖² − 2⟨R, B⟩ = ½ dᵀ∇²F d,  c₃ = 2⟨A, B⟩,  c₄ = ‖B‖².
 * </pre>
 * c₂ is half the Hessian form of ../shared/spec/certify.md, c₁ the directional derivative. Cost O(nmr), in double.
 */
public record LinePath(double c0, double c1, double c2, double c3, double c4) {

    /**
     * The quartic for the data of {@code p}: entry by entry as below for a dense V; for a sparse (or distributed) V
     * without an n×m array,
     * c₀ = F and c₁ = ⟨∇F, d⟩ from the O(nnz·r) products, the rest by r×r Grams (⟨X₁Y₁, X₂Y₂⟩ = ⟨X₁ᵀX₂, Y₁Y₂ᵀ⟩) and
     * ⟨R, B⟩ = ⟨V, dW·dH⟩_nnz − ⟨WH, dW·dH⟩ (issue 15). The Gram forms cancel where the entry sums do not; a caller
     * that needs the decrease checks F at the point it steps to.
     */
    public static LinePath of(NmfProblem p, DenseMatrix w, DenseMatrix h, DenseMatrix dw, DenseMatrix dh) {
        if (p.sparseData() == null && !p.distributed()) {
            return of(p.data(), w, h, dw, dh);
        }
        p.requireShapes(w, h);
        p.requireShapes(dw, dh);
        double[] wd = w.data(), hd = h.data(), dwd = dw.data(), dhd = dh.data();
        FactorPair g = p.gradient(w, h);
        double c1 = Kernels.dot(g.w().data(), dwd, wd.length) + Kernels.dot(g.h().data(), dhd, hd.length);
        double aa = p.productInner(dwd, hd, dwd, hd) + 2 * p.productInner(dwd, hd, wd, dhd) + p.productInner(wd, dhd, wd, dhd);
        double rb = p.dataInner(dwd, dhd) - p.productInner(wd, hd, dwd, dhd);
        double ab = p.productInner(dwd, hd, dwd, dhd) + p.productInner(wd, dhd, dwd, dhd);
        return new LinePath(p.objective(w, h), c1, aa - 2 * rb, 2 * ab, p.productInner(dwd, dhd, dwd, dhd));
    }

    /** The quartic of F along (dW, dH) from (W, H), for V. */
    public static LinePath of(DenseMatrix v, DenseMatrix w, DenseMatrix h, DenseMatrix dw, DenseMatrix dh) {
        int n = v.rows(), m = v.cols(), r = w.cols();
        if (w.rows() != n || h.cols() != m || h.rows() != r || dw.rows() != n || dw.cols() != r || dh.rows() != r
                || dh.cols() != m) {
            throw new IllegalArgumentException("shapes do not fit: V " + v.shape() + ", W " + w.shape() + ", H " + h.shape()
                    + ", dW " + dw.shape() + ", dH " + dh.shape());
        }
        double[] vd = v.data(), wd = w.data(), hd = h.data(), dwd = dw.data(), dhd = dh.data();
        double rr = 0, ra = 0, aa = 0, rb = 0, ab = 0, bb = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double wh = 0, a = 0, b = 0;
                for (int k = 0; k < r; k++) {
                    double hkj = hd[k * m + j], dhkj = dhd[k * m + j];
                    wh += wd[i * r + k] * hkj;
                    a += dwd[i * r + k] * hkj + wd[i * r + k] * dhkj;
                    b += dwd[i * r + k] * dhkj;
                }
                double res = vd[i * m + j] - wh;
                rr += res * res;
                ra += res * a;
                aa += a * a;
                rb += res * b;
                ab += a * b;
                bb += b * b;
            }
        }
        return new LinePath(rr, -2 * ra, aa - 2 * rb, 2 * ab, bb);
    }

    /** φ(t). */
    public double value(double t) {
        return c0 + t * (c1 + t * (c2 + t * (c3 + t * c4)));
    }

    /** φ'(t). */
    public double derivative(double t) {
        return c1 + t * (2 * c2 + t * (3 * c3 + t * 4 * c4));
    }

    /**
     * A minimiser of φ over [lo, hi] (lo ≤ 0 ≤ hi; either end may be infinite when φ is bounded below there, i.e.
     * c₄ &gt; 0, or c₄ = c₃ = 0 and c₂ &gt; 0): the best of the finite ends and the roots of φ' inside, found by
     * bisection between the roots of φ'' (on each such piece φ' is monotone). Ties go to the smallest |t|.
     */
    public double argmin(double lo, double hi) {
        if (!(lo <= 0 && 0 <= hi)) {
            throw new IllegalArgumentException("the interval must contain 0, got [" + lo + ", " + hi + "]");
        }
        double bound = rootBound();
        double a = Math.max(lo, -bound), b = Math.min(hi, bound);
        // φ'' = 2c₂ + 6c₃t + 12c₄t²: its real roots inside (a, b) cut [a, b] into pieces where φ' is monotone
        double[] cuts = quadraticRoots(12 * c4, 6 * c3, 2 * c2);
        double[] knots = new double[cuts.length + 2];
        int len = 0;
        knots[len++] = a;
        for (double c : cuts) {
            if (c > a && c < b) {
                knots[len++] = c;
            }
        }
        knots[len++] = b;
        java.util.Arrays.sort(knots, 0, len);
        double best = 0, bestValue = value(0);
        for (int p = 0; p < len; p++) {
            double t = knots[p];
            if (Double.isFinite(t)) {
                double f = value(t);
                if (f < bestValue || (f == bestValue && Math.abs(t) < Math.abs(best))) {
                    best = t;
                    bestValue = f;
                }
            }
            if (p + 1 < len) {
                double root = rootOfDerivative(knots[p], knots[p + 1]);
                if (!Double.isNaN(root)) {
                    double f = value(root);
                    if (f < bestValue) {
                        best = root;
                        bestValue = f;
                    }
                }
            }
        }
        return best;
    }

    /** Beyond this |t| the quartic (or quadratic) term dominates: every root of φ' lies within (Cauchy's bound). */
    private double rootBound() {
        double lead;
        double[] lower;
        if (c4 > 0) {
            lead = 4 * c4;
            lower = new double[] {c1, 2 * c2, 3 * c3};
        } else if (c3 != 0) {
            lead = 3 * Math.abs(c3);
            lower = new double[] {c1, 2 * c2};
        } else if (c2 != 0) {
            lead = 2 * Math.abs(c2);
            lower = new double[] {c1};
        } else {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (double c : lower) {
            max = Math.max(max, Math.abs(c) / lead);
        }
        return 1 + max;
    }

    /** A root of φ' in [a, b] where φ' changes sign (bisection to the last bit), else NaN. */
    private double rootOfDerivative(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return Double.NaN;
        }
        double fa = derivative(a), fb = derivative(b);
        if (fa == 0) {
            return a;
        }
        if (fb == 0) {
            return b;
        }
        if (Math.signum(fa) == Math.signum(fb)) {
            return Double.NaN;
        }
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (a + b);
            if (mid <= a || mid >= b) {
                break;
            }
            double fm = derivative(mid);
            if (fm == 0) {
                return mid;
            }
            if (Math.signum(fm) == Math.signum(fa)) {
                a = mid;
                fa = fm;
            } else {
                b = mid;
            }
        }
        return 0.5 * (a + b);
    }

    /** Real roots of qa·t² + qb·t + qc (none, one or two; a linear or constant polynomial when qa = 0). */
    static double[] quadraticRoots(double qa, double qb, double qc) {
        if (qa == 0) {
            return qb == 0 ? new double[0] : new double[] {-qc / qb};
        }
        double disc = qb * qb - 4 * qa * qc;
        if (!(disc >= 0)) {
            return new double[0];
        }
        double s = Math.sqrt(disc);
        double q = -0.5 * (qb + Math.copySign(s, qb));
        return q == 0 ? new double[] {0} : new double[] {q / qa, qc / q};
    }
}
