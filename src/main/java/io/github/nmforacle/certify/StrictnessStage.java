package io.github.nmforacle.certify;

import io.github.nmforacle.certify.Certificate.SecondOrder;
import io.github.nmforacle.certify.Certificate.Strict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Stage 3, float strictness modulo the symmetry group: μ on L with the flat GL(r) directions T removed. */
abstract class StrictnessStage extends CurvatureStage {
    StrictnessStage(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        super(p, w, h, o);
    }

    StrictnessStage(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o, int k, CertifyOptions userOptions) {
        super(p, w, h, o, k, userOptions);
    }

    Strict floatStrict(Kind[] kinds, SecondOrder paper) {
        int[] u = coordinatesNot(kinds, Kind.A);
        int dim = u.length - (o.isSimplex() ? 1 : 0);
        if (dim > tol.maxDenseDimension()) {
            return new Strict(Verdict.UNDECIDED, null, "lanczos", null,
                    "μ is computed only by the dense method (reduced dimension " + dim + " > " + tol.maxDenseDimension() + ")", null);
        }
        List<double[]> sym = flatSymmetryVectors(u);
        notes.add(symmetryNote(sym.size(), false));
        Curvature cv = denseCurvature(u, sym);
        double threshold = tol.secondOrder() * eta;
        if (cv.failure() != null) {
            return new Strict(Verdict.UNDECIDED, null, "dense-eigen", null, cv.failure(), null);
        }
        if (paper.verdict() != Verdict.HOLDS) {
            return new Strict(Verdict.UNDECIDED,
                    Double.isInfinite(cv.value()) ? null : cv.value(), "dense-eigen", cv.noise(),
                    "sospPaper is " + paper.verdict() + "; float mode gives no witness in L ⊥ T", null);
        }
        if (Double.isInfinite(cv.value())) {
            return new Strict(Verdict.HOLDS, null, "dense-eigen", 0.0,
                    "L with the symmetry directions removed is {0}: nothing to check", null);
        }
        if (cv.value() > threshold + cv.noise()) {
            return new Strict(Verdict.HOLDS, cv.value(), "dense-eigen", cv.noise(), String.format(Locale.ROOT,
                    "μ = %.3e > τη = %.3e beyond the rounding bound %.1e", cv.value(), threshold, cv.noise()), null);
        }
        return new Strict(Verdict.UNDECIDED, cv.value(), "dense-eigen", cv.noise(), String.format(Locale.ROOT,
                "μ = %.3e is not above τη = %.3e beyond rounding%s; float mode gives no witness in L ⊥ T", cv.value(), threshold,
                paper.verdict() == Verdict.FAILS ? " (and sospPaper FAILS)" : ""), null);
    }

    /**
     * T in float mode (proofs-notes/symmetry-gl-r.md §7): an orthonormal basis Q, on coords, of directions
     * w = P_L t_X (t_X = (W̃X, −XH̃), X ∈ ℝ^{r×r}, at the point with its strongly active entries set to 0) that are
     * flat within tolerance: for every unit w in their span ‖t_X − w‖² + ‖P_L ∇²F w‖²/η² ≤ τ²/(4r²) (selection),
     * and a posteriori ‖P_L ∇²F Q‖_F ≤ τη/2. On doubt T only shrinks: a smaller T can only lower μ.
     */
    List<double[]> flatSymmetryVectors(int[] coords) {
        int k = coords.length, rr = r * r;
        boolean simplex = o.isSimplex();
        boolean[] inU = new boolean[nn];
        for (int c : coords) {
            inU[c] = true;
        }
        double[] xt = x.clone();
        for (int c = 0; c < nn; c++) {
            if (!inU[c]) {
                xt[c] = 0;
            }
        }
        double[][] wv = new double[rr][];      // P_L t_ab on coords
        double[][] off = new double[rr][];     // the part of t_ab outside L: its A entries, and √k·mean (S-NMF)
        double[][] zv = new double[rr][];      // P_L ∇²F w_ab / η
        for (int a = 0; a < r; a++) {
            for (int b = 0; b < r; b++) {
                double[] t = symmetryCandidate(xt, a, b);
                double[] red = new double[k];
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    red[i] = t[coords[i]];
                    sum += red[i];
                }
                List<Double> o2 = new ArrayList<>();
                for (int c = 0; c < nn; c++) {
                    if (!inU[c]) {
                        o2.add(t[c]);
                    }
                }
                if (simplex && k > 0) {
                    double mean = sum / k;
                    for (int i = 0; i < k; i++) {
                        red[i] -= mean;
                    }
                    o2.add(mean * Math.sqrt(k));
                }
                wv[a * r + b] = red;
                off[a * r + b] = o2.stream().mapToDouble(Double::doubleValue).toArray();
                double[] z = flatResidual(coords, red);
                if (z == null) {
                    return List.of();
                }
                zv[a * r + b] = z;
            }
        }
        try {
            // orthonormalise the candidates through their Gram matrix, dropping near-dependent combinations
            FloatForms.Spectrum gs = FloatForms.spectrum(gram(wv, wv));
            double gmax = 0;
            for (double g : gs.values()) {
                gmax = Math.max(gmax, g);
            }
            List<double[]> cs = new ArrayList<>();   // coefficient vectors X with ‖Σ X_ab w_ab‖ = 1
            for (int j = 0; j < rr; j++) {
                if (gmax > 0 && gs.values()[j] > 1e-10 * gmax) {
                    double[] c = gs.vectors()[j].clone();
                    FloatForms.scale(c, 1 / Math.sqrt(gs.values()[j]));
                    cs.add(c);
                }
            }
            int kk = cs.size();
            double[][] bad = gram(off, off), bz = gram(zv, zv);
            double[][] b = new double[kk][kk];
            for (int p1 = 0; p1 < kk; p1++) {
                for (int p2 = 0; p2 < kk; p2++) {
                    b[p1][p2] = bilinear(cs.get(p1), bad, cs.get(p2)) + bilinear(cs.get(p1), bz, cs.get(p2));
                }
            }
            FloatForms.Spectrum bs = FloatForms.spectrum(b);
            double tau = tol.secondOrder();
            List<Integer> chosen = new ArrayList<>();
            for (int j = 0; j < kk; j++) {
                if (bs.values()[j] <= tau * tau / (4.0 * rr)) {
                    chosen.add(j);
                }
            }
            chosen.sort((i1, i2) -> Double.compare(bs.values()[i1], bs.values()[i2]));
            while (!chosen.isEmpty()) {
                List<double[]> q = new ArrayList<>();
                for (int j : chosen) {
                    double[] v = new double[k];
                    for (int p1 = 0; p1 < kk; p1++) {
                        double coef = bs.vectors()[j][p1];
                        for (int ab = 0; ab < rr; ab++) {
                            FloatForms.axpy(coef * cs.get(p1)[ab], wv[ab], v);
                        }
                    }
                    q.add(v);
                }
                List<double[]> qn = orthonormal(q);
                double f2 = 0;
                for (double[] v : qn) {
                    double[] z = flatResidual(coords, v);
                    f2 += z == null ? Double.POSITIVE_INFINITY : FloatForms.dot(z, z);
                }
                if (qn.size() == chosen.size() && f2 <= tau * tau / 4) {
                    return qn;
                }
                chosen.remove(chosen.size() - 1);   // the least flat one goes first
            }
        } catch (RuntimeException e) {
            return List.of();   // eigensolver failure: project out nothing (T = {0} only lowers μ)
        }
        return List.of();
    }

    /** P_L ∇²F v / η for v on coords (P_L restricts to coords and removes the mean for S-NMF); null if not finite. */
    double[] flatResidual(int[] coords, double[] v) {
        double[] full = new double[nn];
        for (int i = 0; i < coords.length; i++) {
            full[coords[i]] = v[i];
        }
        FactorPair d = FactorPair.unflatten(full, n, r, m);
        double[] hv = p.hessianTimes(w, h, d.w(), d.h()).flatten();
        double[] z = new double[coords.length];
        double mean = 0;
        for (int i = 0; i < coords.length; i++) {
            z[i] = hv[coords[i]] / eta;
            mean += z[i];
        }
        if (o.isSimplex() && coords.length > 0) {
            mean /= coords.length;
            for (int i = 0; i < z.length; i++) {
                z[i] -= mean;
            }
        }
        return allFinite(z) ? z : null;
    }

    /** Modified Gram–Schmidt, twice; drops a vector that loses all but 1e-8 of its norm. */
    static List<double[]> orthonormal(List<double[]> vs) {
        List<double[]> out = new ArrayList<>();
        for (double[] v0 : vs) {
            double[] v = v0.clone();
            double n0 = Math.sqrt(FloatForms.dot(v, v));
            for (int pass = 0; pass < 2; pass++) {
                for (double[] q : out) {
                    FloatForms.axpy(-FloatForms.dot(q, v), q, v);
                }
            }
            double nv = Math.sqrt(FloatForms.dot(v, v));
            if (nv > 1e-8 * n0) {
                FloatForms.scale(v, 1 / nv);
                out.add(v);
            }
        }
        return out;
    }

    static double[][] gram(double[][] a, double[][] b) {
        double[][] g = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                g[i][j] = FloatForms.dot(a[i], b[j]);
            }
        }
        return g;
    }

    static double bilinear(double[] x1, double[][] g, double[] x2) {
        double s = 0;
        for (int i = 0; i < x1.length; i++) {
            s += x1[i] * FloatForms.dot(g[i], x2);
        }
        return s;
    }

    /** t_ab = (W E_ab, −E_ab H) at the flattened point xs: column b of dW = column a of W, row a of dH = −row b of H. */
    double[] symmetryCandidate(double[] xs, int a, int b) {
        double[] t = new double[nn];
        for (int i = 0; i < n; i++) {
            t[i * r + b] = xs[i * r + a];
        }
        for (int j = 0; j < m; j++) {
            t[n * r + a * m + j] = -xs[n * r + b * m + j];
        }
        return t;
    }

    String symmetryNote(int dim, boolean exact) {
        return "strictModuloSymmetry projects out T of dimension " + dim + ", computed over all r² = " + r * r
                + " symmetry directions t_X = (WX, −XH) of GL(r): T = {t_X ∈ L : ∇²F t_X ⊥ L}"
                + (exact ? "" : " within tolerance (‖P_L∇²F t‖ ≤ τη‖t‖/2, proofs-notes/symmetry-gl-r.md)");
    }
}
