package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.U;

import io.github.nmforacle.certify.Certificate.SecondOrder;
import io.github.nmforacle.certify.Certificate.Strict;
import io.github.nmforacle.linalg.DenseMatrix;
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

    /**
     * μ on L ⊥ T. NMF: every HOLDS is proven, at any size, by the bordered Cholesky of Finsler's lemma
     * ({@link StructuredCholesky#bordered}) with T = span P_L t_X over the certificate's symmetry hint, which the checker
     * re-verifies; below the dense limit the eigenvalue estimate sets the target. S-NMF: the dense estimate only.
     */
    Strict floatStrict(Kind[] kinds, SecondOrder paper) {
        if (earlyStrict != null && paper.verdict() == Verdict.HOLDS) {
            return earlyStrict;   // proven before sospPaper, which rests on it (paperFromStrict)
        }
        int[] u = coordinatesNot(kinds, Kind.A);
        int dim = u.length - (o.isSimplex() ? 1 : 0);
        boolean dense = dim <= tol.maxDenseDimension();
        double threshold = tol.secondOrder() * eta;
        if (!dense && (o.isSimplex() || paper.verdict() != Verdict.HOLDS)) {
            return new Strict(Verdict.UNDECIDED, null, "lanczos", null, o.isSimplex()
                    ? "μ is computed only by the dense method for S-NMF (reduced dimension " + dim + " > " + tol.maxDenseDimension() + ")"
                    : "sospPaper is " + paper.verdict() + "; float mode gives no witness in L ⊥ T", null);
        }
        Flat flat = flatSymmetry(u);
        notes.add(symmetryNote(flat.q().size(), false));
        if (!dense) {
            return provenStrict(kinds, flat, 0, threshold, dim);
        }
        Curvature cv = denseCurvature(u, flat.q());
        if (cv.failure() != null) {
            return new Strict(Verdict.UNDECIDED, null, "dense-eigen", null, cv.failure(), null);
        }
        if (paper.verdict() != Verdict.HOLDS) {
            return new Strict(Verdict.UNDECIDED,
                    Double.isInfinite(cv.value()) ? null : cv.value(), "dense-eigen", cv.noise(),
                    "sospPaper is " + paper.verdict() + "; float mode gives no witness in L ⊥ T", null);
        }
        if (Double.isInfinite(cv.value())) {
            // NMF: with the hint the checker verifies it too (T flat; μ on {0} is vacuous, its factorisation completes)
            return new Strict(Verdict.HOLDS, null, "dense-eigen", 0.0,
                    "L with the symmetry directions removed is {0}: nothing to check", null,
                    o.isSimplex() ? null : hint(flat.x()));
        }
        if (cv.value() > threshold + cv.noise()) {
            if (!o.isSimplex()) {
                return provenStrict(kinds, flat, cv.value(), threshold, dim);
            }
            return new Strict(Verdict.HOLDS, cv.value(), "dense-eigen", cv.noise(), String.format(Locale.ROOT,
                    "μ = %.3e > τη = %.3e beyond the rounding bound %.1e", cv.value(), threshold, cv.noise()), null);
        }
        return new Strict(Verdict.UNDECIDED, cv.value(), "dense-eigen", cv.noise(), String.format(Locale.ROOT,
                "μ = %.3e is not above τη = %.3e beyond rounding%s; float mode gives no witness in L ⊥ T", cv.value(), threshold,
                paper.verdict() == Verdict.FAILS ? " (and sospPaper FAILS)" : ""), null);
    }

    /** The strict claim proven while deciding sospPaper above the dense limit ({@link #paperFromStrict}), or null. */
    Strict earlyStrict;

    /**
     * Above the dense limit (NMF), sospPaper from strictness (curvature-bounds.md §5): for d = y + s ∈ L, y ∈ T = span Y,
     * s ⊥ T, sᵀAs ≥ μ‖s‖² (the bordered Cholesky) and ‖P_L A y‖ ≤ ε‖y‖ with ε = τη/2 (T proven flat, {@link #hintFlat}),
     * so dᵀAd ≥ −(ε + ε²/μ)‖d‖², which is ≥ −τη‖d‖² whenever μ &gt; τη (at most −3τη/4). Null where strictness is not
     * proven (then the structured Cholesky on L decides).
     */
    @Override
    SecondOrder paperFromStrict(Kind[] kinds, double threshold, int dim) {
        int[] u = coordinatesNot(kinds, Kind.A);
        Flat flat = flatSymmetry(u);
        if (flat.x().isEmpty()) {
            return null;
        }
        Strict st = provenStrict(kinds, flat, 0, threshold, dim);
        if (st.verdict() != Verdict.HOLDS) {
            return null;
        }
        notes.add(symmetryNote(flat.q().size(), false));
        earlyStrict = st;
        double eps = threshold / 2;
        // a margin of 10⁻⁶ for the checker's own η and for μ rounded down to the input's units
        double lower = -(eps + eps * eps / muLower) * (1 + 1e-6);
        if (!(lower >= -threshold)) {
            return null;   // μ > τη makes this −(1/2 + τη/(4μ))τη > −3τη/4: not reached only on rounding trouble
        }
        choleskyLowerL = lower;
        return new SecondOrder(Verdict.HOLDS, null, "verified-cholesky", null, String.format(Locale.ROOT,
                "λ_min on L ≥ −(ε + ε²/μ) = %.3e ≥ −τη = %.3e, ε = τη/2: from the proven strictness (μ ≥ %.3e on L ⊥ T by the"
                        + " bordered Cholesky) and the proven flatness of T (dim L = %d)", lower, -threshold, muLower, dim), null);
    }

    /**
     * NMF, sospPaper HOLDS: μ ≥ c − δ on L ⊥ span Y (Y = P_L t_X over the hint) proven by the bordered Cholesky at
     * shifts c from the estimate {@code estimate} (0: none, above the dense limit) down to 2τη; HOLDS when c − δ > τη.
     */
    Strict provenStrict(Kind[] kinds, Flat flat, double estimate, double threshold, int dim) {
        boolean[] free = new boolean[nn];
        for (int i = 0; i < nn; i++) {
            free[i] = kinds[i] != Kind.A;
        }
        if (p.distributed()) {
            return new Strict(Verdict.UNDECIDED, estimate > 0 ? estimate : null, estimate > 0 ? "dense-eigen" : "lanczos",
                    null, DISTRIBUTED_SKIP + "the bordered Cholesky that proves μ", null);
        }
        boolean denseL = dim <= tol.maxDenseDimension();
        long bytes = denseL ? 8L * (dim + flat.x().size()) * (dim + flat.x().size())
                : StructuredCholesky.bytes(n, m, r, free, flat.x().size());
        if (bytes > structuredBudget()) {
            return new Strict(Verdict.UNDECIDED, estimate > 0 ? estimate : null, estimate > 0 ? "dense-eigen" : "lanczos",
                    null, String.format(Locale.ROOT, "the bordered Cholesky that proves μ needs %d MiB, more than the"
                    + " factorisation budget of %d MiB (--max-factor-memory; default a third of the heap, raise -Xmx with it)",
                    bytes >> 20, structuredBudget() >> 20), null);
        }
        double[][] y = symmetryRows(flat.x(), free);
        double guess = estimate > 0 ? estimate : muEstimate(free, y);
        // below the dense limit the estimate is accurate and a failed attempt cheap: from just below it down to the
        // decision; above it each attempt is a full factorisation: the decision first (2τη, else 1.25τη), then one
        // refinement toward the (from above) Lanczos estimate when that is well above
        List<Double> targets = new ArrayList<>();
        if (estimate > 0) {
            for (double f : new double[] {0.9999, 0.999, 0.9, 0.5}) {
                if (f * guess > 2 * threshold) {
                    targets.add(f * guess);
                }
            }
        }
        targets.add(2 * threshold);
        targets.add(1.25 * threshold);
        // the estimate beside the proven bound (info only): the dense eigenvalue, or the Lanczos Ritz value (from above)
        String method = estimate > 0 ? "dense-eigen" : "lanczos";
        Double shown = Double.isFinite(guess) ? guess : null;
        double best = Double.NaN;
        for (double c : targets) {
            best = borderedLower(free, c, y, denseL, threshold);
            if (Double.isFinite(best)) {
                break;
            }
        }
        if (Double.isFinite(best) && estimate == 0 && guess > 8 * threshold) {
            double refined = borderedLower(free, 0.5 * guess, y, false, threshold);
            best = Double.isFinite(refined) ? Math.max(best, refined) : best;
        }
        if (Double.isFinite(best)) {
            muLower = best;
            return new Strict(Verdict.HOLDS, shown, method, estimate > 0 ? 0.0 : null,
                    String.format(Locale.ROOT, "μ ≥ %.3e > τη = %.3e on L ⊥ T, proven by a floating-point Cholesky"
                            + " of ∇²F_L − cI bordered by the %d symmetry directions (Finsler's lemma; dim L = %d%s)", best,
                            threshold, y.length, dim, denseL ? "" : ", the larger factor eliminated block by block"),
                    null, hint(flat.x()));
        }
        return new Strict(Verdict.UNDECIDED, guess > 0 ? guess : null, estimate > 0 ? "dense-eigen" : "lanczos", null,
                String.format(Locale.ROOT, "the bordered Cholesky (Finsler's lemma) does not prove μ > τη = %.3e on L ⊥ T"
                        + " (shifts tried: %s); the %s estimate of μ is %.3e", threshold, targets.stream().map(t
                        -> String.format(Locale.ROOT, "%.3e", t)).toList(), estimate > 0 ? "eigenvalue" : "Lanczos (from above)",
                        guess), null);
    }

    /** An estimate of μ from above: the smallest Ritz value of Lanczos on P∇²F P, P onto L ⊥ span Y; NaN on failure. */
    double muEstimate(boolean[] free, double[][] y) {
        List<double[]> basis = orthonormal(java.util.Arrays.asList(y));
        java.util.function.UnaryOperator<double[]> project = v -> {
            double[] z = v.clone();
            for (int i = 0; i < nn; i++) {
                if (!free[i]) {
                    z[i] = 0;
                }
            }
            for (int pass = 0; pass < 2; pass++) {
                for (double[] b : basis) {
                    FloatForms.axpy(-FloatForms.dot(b, z), b, z);
                }
            }
            return z;
        };
        try {
            FloatForms.Ritz rz = FloatForms.lanczos(this::hessianTimes, project, nn, 200, 1e-8 * eta, o.seed(), z -> false);
            return Double.isFinite(rz.value()) ? rz.value() : Double.NaN;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The lower bound c − 4δ on μ (times 1 − 10⁻⁹) proven by the bordered Cholesky at shift c when it exceeds τη, else
     * NaN; reported a little lower than proven so that the checker's own proof, with its own δ, reaches it.
     */
    double borderedLower(boolean[] free, double c, double[][] y, boolean dense, double threshold) {
        for (int widen = 0; widen < 2; widen++) {
            double delta = dense ? StructuredCholesky.borderedDense(p, w, h, free, c, y, widen)
                    : StructuredCholesky.bordered(p, w, h, free, c, y, widen);
            if (Double.isFinite(delta) && c - 4 * delta > threshold * (1 + 1e-9)) {
                return (c - 4 * delta) * (1 - 1e-9);
            }
        }
        return Double.NaN;
    }

    /** The hint as r×r matrices, row-major. */
    static double[][] hint(List<double[]> xs) {
        return xs.stream().map(double[]::clone).toArray(double[][]::new);
    }

    /**
     * Y_X = P_L t_X at the point with its strongly active entries set to 0, full length, zero off L: (W̃X)_ik = Σ_l W̃_il X_lk
     * and −(XH̃)_kj, each sum from l = 0 up in double (the checker computes the same).
     */
    double[][] symmetryRows(List<double[]> xs, boolean[] free) {
        return symmetryRows(xs, free, free);
    }

    /** As above, kept on the coordinates {@code at} (free: P_L t_X; not free: the part of t_X off L). */
    double[][] symmetryRows(List<double[]> xs, boolean[] free, boolean[] at) {
        double[][] out = new double[xs.size()][];
        int nr = n * r;
        for (int t = 0; t < out.length; t++) {
            double[] xm = xs.get(t);
            double[] yv = new double[nn];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < r; k++) {
                    if (at[i * r + k]) {
                        double s = 0;
                        for (int l = 0; l < r; l++) {
                            s += (free[i * r + l] ? x[i * r + l] : 0) * xm[l * r + k];
                        }
                        yv[i * r + k] = s;
                    }
                }
            }
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < m; j++) {
                    if (at[nr + k * m + j]) {
                        double s = 0;
                        for (int l = 0; l < r; l++) {
                            s += xm[k * r + l] * (free[nr + l * m + j] ? x[nr + l * m + j] : 0);
                        }
                        yv[nr + k * m + j] = -s;
                    }
                }
            }
            out[t] = yv;
        }
        return out;
    }

    /** T's orthonormal basis on the coordinates (q) and the matrices X (r² entries, row-major) of its spanning t_X. */
    record Flat(List<double[]> q, List<double[]> x) {
    }

    /**
     * T in float mode (proofs-notes/symmetry-gl-r.md §7): an orthonormal basis Q, on coords, of directions
     * w = P_L t_X (t_X = (W̃X, −XH̃), X ∈ ℝ^{r×r}, at the point with its strongly active entries set to 0) that are
     * flat within tolerance: for every unit w in their span ‖t_X − w‖² + ‖P_L ∇²F w‖²/η² ≤ τ²/(4r²) (selection),
     * and a posteriori ‖P_L ∇²F Q‖_F ≤ τη/2. On doubt T only shrinks: a smaller T can only lower μ.
     */
    Flat flatSymmetry(int[] coords) {
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
                    return new Flat(List.of(), List.of());
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
                // NMF: ‖e‖² + ‖z‖² ≤ 0.97·τ²/4 on the span, the checker's criterion (operator norm) with room for its
                // rounding bounds; S-NMF: τ²/(4r²), so that the Frobenius test below can pass
                if (bs.values()[j] <= tau * tau / 4 * (simplex ? 1.0 / rr : 0.97)) {
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
                List<double[]> xs = new ArrayList<>();
                for (int j : chosen) {
                    double[] xm = new double[rr];
                    for (int p1 = 0; p1 < kk; p1++) {
                        FloatForms.axpy(bs.vectors()[j][p1], cs.get(p1), xm);
                    }
                    xs.add(xm);
                }
                boolean flat;
                if (simplex) {
                    double f2 = 0;
                    for (double[] v : qn) {
                        double[] z = flatResidual(coords, v);
                        f2 += z == null ? Double.POSITIVE_INFINITY : FloatForms.dot(z, z);
                    }
                    flat = f2 <= tau * tau / 4;
                } else {
                    flat = hintFlat(xs, inU);
                }
                if (qn.size() == chosen.size() && flat) {
                    return new Flat(qn, xs);
                }
                chosen.remove(chosen.size() - 1);   // the least flat one goes first
            }
        } catch (RuntimeException e) {
            return new Flat(List.of(), List.of());   // eigensolver failure: project out nothing (T = {0} only lowers μ)
        }
        return new Flat(List.of(), List.of());
    }

    /**
     * T flat within tolerance, proven (NMF; proofs-notes/curvature-bounds.md §5): for Y = P_L t_X over the kept X, the
     * parts E of t_X off L and Ẑ = fl(P_L∇²F Y/η) by {@link NmfProblem#hessianTimes}, whose error is at most φ‖y‖/η
     * ({@link #hessianTimesError}), a verified Cholesky (Rump 2006) proves θ²G_Y − G_E − G_Ẑ ⪰ 0 with θ = 0.985·τ/2 and
     * λ_min(G_Y) ≥ s with 101(φ_F/η)²/s ≤ (1 − 1.01·0.985²)(τ/2)², so ‖e‖² + ‖P_L∇²F y‖²/η² ≤ (τ/2)²‖y‖² on span Y. The
     * checker proves the same at θ = 0.99·τ/2 with its own code (its room).
     */
    boolean hintFlat(List<double[]> xs, boolean[] free) {
        double[][] y = symmetryRows(xs, free);
        boolean[] off = new boolean[nn];
        for (int i = 0; i < nn; i++) {
            off[i] = !free[i];
        }
        double[][] e = symmetryRows(xs, free, off);
        int q = y.length;
        double[][] z = new double[q][];
        double yF2 = 0, eF2 = 0, zF2 = 0;
        for (int t = 0; t < q; t++) {
            double[] hv = hessianTimes(y[t]);
            for (int i = 0; i < nn; i++) {
                hv[i] = free[i] ? hv[i] / eta : 0;
            }
            if (!allFinite(hv)) {
                return false;
            }
            z[t] = hv;
            yF2 += FloatForms.dot(y[t], y[t]);
            eF2 += FloatForms.dot(e[t], e[t]);
            zF2 += FloatForms.dot(z[t], z[t]);
        }
        double tau = tol.secondOrder(), theta2 = 0.985 * 0.985 * tau * tau / 4;
        double room = (1 - 1.01 * 0.985 * 0.985) * tau * tau / 4;
        double safe = 1 + 8.0 * nn * U;
        // ‖Z − Ẑ‖_F: the products' error φ‖Y‖_F/η, the division by η (u per entry of Ẑ), underflow
        double phiF = (hessianTimesError() * Math.sqrt(yF2 * safe) / eta + 2 * U * Math.sqrt(zF2)
                + Math.sqrt(q) * 1e3 * nn * Double.MIN_NORMAL) * (1 + 8 * U) * safe;
        double gN = Certifier.gamma(2L * nn);
        double[][] gy = new double[q][q], mm = new double[q][q];
        double absM = 0;
        for (int a1 = 0; a1 < q; a1++) {
            for (int b1 = 0; b1 < q; b1++) {
                gy[a1][b1] = FloatForms.dot(y[a1], y[b1]);
                double t1 = theta2 * gy[a1][b1], t2 = FloatForms.dot(e[a1], e[b1]), t3 = FloatForms.dot(z[a1], z[b1]);
                mm[a1][b1] = t1 - t2 - t3;
                double ab = Math.abs(t1) + Math.abs(t2) + Math.abs(t3);
                absM += ab * ab;
            }
        }
        double noiseY = gN * q * yF2 * safe + q * Double.MIN_NORMAL;
        double noiseM = (gN * q * (theta2 * yF2 + eF2 + zF2) + 8 * U * Math.sqrt(absM)) * safe * (1 + 4 * U) + q * Double.MIN_NORMAL;
        double sNeed = 101 * phiF * phiF / room * (1 + 1e-6);
        try {
            return Double.isFinite(sNeed) && Double.isFinite(FloatForms.verifiedLower(gy, sNeed, noiseY))
                    && Double.isFinite(FloatForms.verifiedLower(mm, 0, noiseM));
        } catch (RuntimeException ex) {
            return false;
        }
    }

    /**
     * φ with ‖fl(∇²F d) − ∇²F d‖_F ≤ φ‖d‖ for {@link NmfProblem#hessianTimes}: its W part 2(dW·HHᵀ + W(dHHᵀ + HdHᵀ) −
     * V dHᵀ) and H part 2(WᵀW dH + (WᵀdW + dWᵀW)H − dWᵀV) are sums of products of at most K = max(n, m) + r + 3 terms
     * in any order (the product kernels), so each errs by γ_K times the same with absolute values, and
     * ‖|A||B|‖_F ≤ ‖A‖_F‖B‖_F: φ = 2γ_K(1 + γ_K)²(1.5(‖W‖_F + ‖H‖_F)² + 2‖V‖_F) (underflow: absolute, in the caller).
     */
    double hessianTimesError() {
        double nw = Certifier.normUp(w), nh = Certifier.normUp(h), nv = p.dataNormUpper();
        double pp = (nw + nh) * (nw + nh);
        // dWᵀV on a distributed V: block partials over the rows, B more roundings (blockPartials() = 0 on one machine)
        double g = Certifier.gamma(Math.max((long) n + p.blockPartials(), m) + r + 3);
        return 2 * g * (1 + g) * (1 + g) * (1.5 * pp + 2 * nv) * (1 + 16 * U);
    }

    /** P_L ∇²F v / η for v on coords (P_L restricts to coords and removes the mean for S-NMF); null if not finite. */
    double[] flatResidual(int[] coords, double[] v) {
        double[] full = new double[nn];
        for (int i = 0; i < coords.length; i++) {
            full[coords[i]] = v[i];
        }
        double[] hv = hessianTimes(full);
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
