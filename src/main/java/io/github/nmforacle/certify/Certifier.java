package io.github.nmforacle.certify;

import io.github.nmforacle.certify.Certificate.Coordinate;
import io.github.nmforacle.certify.Certificate.DirectionWitness;
import io.github.nmforacle.certify.Certificate.FirstOrder;
import io.github.nmforacle.certify.Certificate.FirstOrderWitness;
import io.github.nmforacle.certify.Certificate.SecondOrder;
import io.github.nmforacle.certify.Certificate.Strict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;

/**
 * Decides whether (W, H) is a first-order (KKT) and second-order stationary point of (NMF), paper (1)–(2), or of
 * (S-NMF(C)), paper (3)–(4), and how strictly, following ../shared/spec/certify.md. Every FAILS carries a witness
 * that {@link io.github.nmforacle.check.Checker} re-checks exactly; every doubtful case is UNDECIDED with its reason.
 *
 * <p>Float mode: rigorous a-priori bounds on the rounding error of every computed quantity (noise bands) decide
 * between HOLDS (within tolerance, outside the band), FAILS (violation beyond tolerance plus band, and a witness
 * whose sign survives its error bound) and UNDECIDED. Exact mode: everything over the rationals.
 * See proofs-notes/certifier.md.
 */
public final class Certifier {
    static final double U = 0x1p-53;

    private Certifier() {
    }

    /**
     * Certifies (W, H) for V.
     *
     * @throws IllegalArgumentException on invalid V (NaN, ∞, negative, empty), non-finite W or H, or mismatched shapes
     */
    public static Certificate certify(DenseMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        NmfProblem.requireData(v);
        if (w.rows() != v.rows() || h.cols() != v.cols() || w.cols() != h.rows()) {
            throw new IllegalArgumentException("shapes do not fit: V is " + v.shape() + ", W is " + w.shape() + ", H is "
                    + h.shape() + " (need W n×r and H r×m)");
        }
        requireFinite(w, "W");
        requireFinite(h, "H");
        try (Parallel par = Parallel.withThreads(o.threads())) {
            NmfProblem p = NmfProblem.of(v, w.cols(), par);
            // (2^{2k}V, 2^k W, 2^k H) is the same point up to scale: float work is done there (issue 12)
            Normalisation nz = Normalisation.of(v, w, h, o);
            NmfProblem ps = nz.k() == 0 ? p : NmfProblem.of(nz.v(), w.cols(), par);
            Certificate c;
            if (o.mode() == Mode.EXACT) {
                Run run = new Run(p, w, h, o);
                // the float eigenvalues reported next to the exact verdicts are informational, computed at the
                // normalised point; the exact verdicts never depend on them
                run.floatTwin = nz.k() == 0 ? run : new Run(ps, nz.w(), nz.h(), nz.options(), nz.k(), o);
                c = run.exact();
            } else {
                c = floatCertify(ps, nz, o);
            }
            return c.with(CurvatureBounds.of(c, ps, nz.w(), nz.h(), nz.k()), Certificate.Provenance.of(v, w, h, o));
        }
    }

    static Certificate floatCertify(NmfProblem p, Normalisation nz, CertifyOptions user) {
        DenseMatrix w = nz.w(), h = nz.h();
        CertifyOptions o = nz.options();
        Run run = new Run(p, w, h, o, nz.k(), user);
        if (nz.k() != 0) {
            run.notes.add(nz.note());
        } else if (nz.clamped()) {
            run.notes.add("the input was not normalised by a power of two: its dynamic range leaves no exact scaling");
        }
        Certificate c = run.floating();
        if (o.isSimplex() || !unbalanced(w, h)) {
            return c;
        }
        FactorPair balanced = balanced(w, h);
        if (balanced == null) {
            // cannot rebalance exactly within the double range: no HOLDS can be vouched for (safe side)
            return requireBoth(c, null);
        }
        // KKT and second-order status are invariant under (WD, D⁻¹H), but relative float tolerances are not:
        // a HOLDS must hold at the balanced representative too (found on truncated-ALS iterates whose columns
        // grow without bound while the point is not stationary).
        Certificate b = new Run(p, balanced.w(), balanced.h(), o, nz.k(), user).floating();
        return requireBoth(c, b);
    }

    /**
     * The balanced representative (W D, D⁻¹ H) with D = diag(2^{e_k}) making ‖W^k‖₂ and ‖H_k‖₂ equal within a factor
     * 2 (powers of two: exact in double), or null when the point is already balanced within a factor 4 or scaling
     * could leave the normal range.
     */
    /** Some column pair is unbalanced beyond a factor 4 (‖W^k‖₂ vs ‖H_k‖₂ after the best power-of-two scaling). */
    static boolean unbalanced(DenseMatrix w, DenseMatrix h) {
        for (int e : exponents(w, h)) {
            if (Math.abs(e) >= 2) {
                return true;
            }
        }
        return false;
    }

    static int[] exponents(DenseMatrix w, DenseMatrix h) {
        int n = w.rows(), r = w.cols(), m = h.cols();
        int[] e = new int[r];
        boolean[] oneSided = new boolean[r];
        double target = 0; // the largest entry of the balanced two-sided columns
        for (int k = 0; k < r; k++) {
            // norms computed with scaling by the largest entry, so that huge or tiny columns do not overflow
            double mw = 0, mh = 0;
            for (int i = 0; i < n; i++) {
                mw = Math.max(mw, Math.abs(w.get(i, k)));
            }
            for (int j = 0; j < m; j++) {
                mh = Math.max(mh, Math.abs(h.get(k, j)));
            }
            if (mw == 0 || mh == 0) {
                oneSided[k] = mw != mh;
                continue;
            }
            double a = 0, b = 0;
            for (int i = 0; i < n; i++) {
                double t = w.get(i, k) / mw;
                a += t * t;
            }
            for (int j = 0; j < m; j++) {
                double t = h.get(k, j) / mh;
                b += t * t;
            }
            // log2 d = ½ (log2 ‖H_k‖ − log2 ‖W^k‖)
            double l = 0.5 * ((Math.log(mh) + 0.5 * Math.log(b)) - (Math.log(mw) + 0.5 * Math.log(a))) / Math.log(2);
            e[k] = (int) Math.round(l);
            target = Math.max(target, Math.max(Math.scalb(mw, e[k]), Math.scalb(mh, -e[k])));
        }
        // W^k ≠ 0 with H_k = 0 (or the reverse) is free along the orbit (2^e W^k, 2^-e H_k): bring its largest entry to
        // that of the balanced columns, else a huge free column sets ξ and every other entry reads as "zero" within the
        // relative tolerance (a float FOSP HOLDS where exact FAILS, found at the scaling (2^19 W, 2^-21 H))
        if (!(target >= Double.MIN_NORMAL)) {
            target = 1; // WH = 0: the point is normalised, so order 1 is the scale of V
        }
        for (int k = 0; k < r; k++) {
            if (!oneSided[k]) {
                continue;
            }
            double mw = 0, mh = 0;
            for (int i = 0; i < n; i++) {
                mw = Math.max(mw, Math.abs(w.get(i, k)));
            }
            for (int j = 0; j < m; j++) {
                mh = Math.max(mh, Math.abs(h.get(k, j)));
            }
            e[k] = mw > 0 ? Math.getExponent(target) - Normalisation.exponent(mw) : Normalisation.exponent(mh) - Math.getExponent(target);
        }
        return e;
    }

    public static FactorPair balanced(DenseMatrix w, DenseMatrix h) {
        int n = w.rows(), r = w.cols(), m = h.cols();
        int[] e = exponents(w, h);
        boolean any = false;
        for (int k = 0; k < r; k++) {
            any |= Math.abs(e[k]) >= 2;
        }
        if (!any) {
            return null;
        }
        DenseMatrix wb = w.copy(), hb = h.copy();
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < n; i++) {
                double x = Math.scalb(w.get(i, k), e[k]);
                if (!exactScale(w.get(i, k), x, e[k])) {
                    return null;
                }
                wb.set(i, k, x);
            }
            for (int j = 0; j < m; j++) {
                double x = Math.scalb(h.get(k, j), -e[k]);
                if (!exactScale(h.get(k, j), x, -e[k])) {
                    return null;
                }
                hb.set(k, j, x);
            }
        }
        return new FactorPair(wb, hb);
    }

    private static boolean exactScale(double x, double y, int e) {
        return x == 0 || (Double.isFinite(y) && Math.abs(y) >= Double.MIN_NORMAL && Math.scalb(y, -e) == x);
    }

    /** Each HOLDS of {@code c} stays HOLDS only if the balanced certificate {@code b} says HOLDS too; else UNDECIDED. */
    static Certificate requireBoth(Certificate c, Certificate b0) {
        String why = b0 == null
                ? "holds at the given scaling, but the columns are unbalanced and cannot be rebalanced exactly within the"
                + " double range (%s), and the float tolerances are not scale-invariant"
                : "holds at the given scaling but not at the balanced representative (WD, D⁻¹H) (%s there): the float"
                + " tolerances are relative and not scale-invariant, while KKT and second-order status are";
        Certificate b = b0 == null ? undecidedEverywhere(c) : b0;
        Certificate.FirstOrder f = c.fosp();
        if (f.verdict() == Verdict.HOLDS && b.fosp().verdict() != Verdict.HOLDS) {
            f = new Certificate.FirstOrder(Verdict.UNDECIDED, f.residual(), f.multiplier(), f.multiplierExact(), f.noise(), f.sum(),
                    String.format(Locale.ROOT, why, b.fosp().verdict() + ", residual " + b.fosp().residual()), null);
        }
        boolean firstOk = f.verdict() == Verdict.HOLDS;
        SecondOrder sp = second(c.sospPaper(), b.sospPaper(), firstOk, why);
        SecondOrder sc = second(c.sospCone(), b.sospCone(), firstOk, why);
        Strict st = c.strictModuloSymmetry();
        if (st.verdict() == Verdict.HOLDS && (!firstOk || b.strictModuloSymmetry().verdict() != Verdict.HOLDS)) {
            st = new Strict(Verdict.UNDECIDED, st.mu(), st.method(), st.noise(),
                    String.format(Locale.ROOT, why, b.strictModuloSymmetry().verdict()), null);
        }
        List<String> notes = new ArrayList<>(c.notes());
        notes.add("columns were unbalanced: every HOLDS was also required at the balanced representative (WD, D⁻¹H),"
                + " D = powers of two");
        return new Certificate(c.tool(), c.problem(), c.C(), c.CExact(), c.mode(), c.n(), c.m(), c.r(), c.objective(), f, sp, sc,
                st, c.tolerances(), firstOk ? c.counts() : new Certificate.Counts(0, 0, 0), c.scales(), notes, null, null);
    }

    private static Certificate undecidedEverywhere(Certificate c) {
        Certificate.FirstOrder f = new Certificate.FirstOrder(Verdict.UNDECIDED, null, null, null, 0, null, "not computed", null);
        SecondOrder u = new SecondOrder(Verdict.UNDECIDED, null, "none", null, "not computed", null);
        Strict st = new Strict(Verdict.UNDECIDED, null, "none", null, "not computed", null);
        return new Certificate(c.tool(), c.problem(), c.C(), c.CExact(), c.mode(), c.n(), c.m(), c.r(), c.objective(), f, u, u, st,
                c.tolerances(), c.counts(), c.scales(), c.notes(), null, null);
    }

    private static SecondOrder second(SecondOrder x, SecondOrder y, boolean firstOk, String why) {
        if (x.verdict() == Verdict.HOLDS && (!firstOk || y.verdict() != Verdict.HOLDS)) {
            return new SecondOrder(Verdict.UNDECIDED, x.lambdaMin(), x.method(), x.noise(),
                    String.format(Locale.ROOT, why, firstOk ? y.verdict().name() : "first order not HOLDS"), null);
        }
        if (!firstOk && x.verdict() == Verdict.FAILS && x.witness() instanceof DirectionWitness) {
            // a second-order FAILS at a point whose first order is no longer HOLDS: keep the honest minimum
            return new SecondOrder(Verdict.UNDECIDED, x.lambdaMin(), x.method(), x.noise(),
                    "first order is UNDECIDED after the balancing check", null);
        }
        return x;
    }

    private static void requireFinite(DenseMatrix a, String name) {
        try {
            NmfProblem.requireFinite(a, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /** Coordinate classes at a FOSP: S (support), A (strongly active), D (degenerate). */
    enum Kind { S, A, D }

    private static final class Run {
        final NmfProblem p;
        final DenseMatrix w;
        final DenseMatrix h;
        final CertifyOptions o;
        final Tolerances tol;
        final int n, m, r, nn;
        final double[] x;
        final double[] g;
        final double[] e;      // rounding bound of g, per coordinate
        final double gamma, xi, eta;
        final double cDouble;  // C as double (S-NMF)
        final List<String> notes = new ArrayList<>();
        /** Normalisation exponent: this run works on (2^{2k}V, 2^k W, 2^k H) and reports in the input's units. */
        final int k;
        /** The options as given (C in the input's units). */
        final CertifyOptions userOptions;
        /** γ = 1 and η = 1 are floors (the formulas gave 0), reported as such. */
        final boolean gammaFloor, etaFloor;
        /** Where the scales cannot be trusted (underflow to 0 of a non-zero quantity, or non-finite): why, else null. */
        final String gradientTrouble, hessianTrouble;
        /** Exact mode: the float run at the normalised point, for the informational float eigenvalues. */
        Run floatTwin;

        Run(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
            this(p, w, h, o, 0, o);
        }

        Run(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o, int k, CertifyOptions userOptions) {
            this.k = k;
            this.userOptions = userOptions;
            this.p = p;
            this.w = w;
            this.h = h;
            this.o = o;
            this.tol = o.tolerances();
            this.n = p.n();
            this.m = p.m();
            this.r = p.rank();
            this.nn = (n + m) * r;
            this.x = new FactorPair(w, h).flatten();
            double[] vht = new double[n * r];
            double[] wtv = new double[r * m];
            p.productsWithData(w.data(), h.data(), vht, wtv);
            double[] wtw = Kernels.crossCols(w.data(), w.data(), n, r, p.parallel());
            double[] hht = Kernels.crossRows(h.data(), h.data(), r, m, p.parallel());
            this.g = p.gradientFromProducts(w.data(), h.data(), vht, wtv, wtw, hht).flatten();
            // |entries| for the error bounds (W, H may hold negative entries: then use absolute values)
            double[] aw = abs(w.data()), ah = abs(h.data());
            double[] avht = new double[n * r], awtv = new double[r * m];
            p.productsWithData(aw, ah, avht, awtv);
            double[] awtw = Kernels.crossCols(aw, aw, n, r, p.parallel());
            double[] ahht = Kernels.crossRows(ah, ah, r, m, p.parallel());
            double[] qw = new double[n * r], qh = new double[r * m];
            Kernels.mulSmallRight(aw, n, r, ahht, qw);
            Kernels.mulSmallLeft(awtw, r, ah, m, qh);
            // Underflow (gradual, or flushed to zero by a native kernel): every product a·b may lose up to MIN_NORMAL
            // (also when a subnormal input is read as 0: then |b|·MIN_NORMAL), an inner product of length l up to
            // l·MIN_NORMAL, and that error is multiplied once more in W·(HHᵀ) and (WᵀW)·H. Absolute terms, per coordinate.
            double[] wRow = new double[n], hCol = new double[m], hRow = new double[r], wCol = new double[r];
            double[] vRow = new double[n], vCol = new double[m];
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < r; l++) {
                    wRow[i] += aw[i * r + l];
                    wCol[l] += aw[i * r + l];
                }
            }
            for (int l = 0; l < r; l++) {
                for (int j = 0; j < m; j++) {
                    hCol[j] += ah[l * m + j];
                    hRow[l] += ah[l * m + j];
                }
            }
            double[] vd = p.data().data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    vRow[i] += vd[i * m + j];
                    vCol[j] += vd[i * m + j];
                }
            }
            this.e = new double[nn];
            double gmax = 0;
            for (int i = 0; i < n * r; i++) {
                double s = avht[i] + qw[i];
                gmax = Math.max(gmax, s);
                double under = 4.0 * (m + r + 4) * Double.MIN_NORMAL * (1 + wRow[i / r] + hRow[i % r] + vRow[i / r]);
                e[i] = 4.0 * (m + r + 4) * U * s + under;
            }
            for (int i = 0; i < r * m; i++) {
                double s = awtv[i] + qh[i];
                gmax = Math.max(gmax, s);
                double under = 4.0 * (n + r + 4) * Double.MIN_NORMAL * (1 + hCol[i % m] + wCol[i / m] + vCol[i % m]);
                e[n * r + i] = 4.0 * (n + r + 4) * U * s + under;
            }
            this.gammaFloor = gmax == 0;
            this.gamma = gmax > 0 ? 2 * gmax : 1.0;
            double xm = 0;
            for (double xv : x) {
                xm = Math.max(xm, Math.abs(xv));
            }
            this.xi = xm;
            String gt = null;
            if (!Double.isFinite(gamma) || !allFinite(g) || !allFinite(e)) {
                gt = "non-finite intermediate: the gradient or its scale γ overflowed (NaN or ∞) in double arithmetic";
            } else if (gammaFloor && !gradientTermsVanish(aw, ah)) {
                // the computed scale is 0 but the exact one is not: every product underflowed, and a relative test
                // against the floor γ = 1 would compare nothing with nothing
                gt = "underflow: the products with V and the Gram terms are non-zero but all underflow to 0 in double"
                        + " arithmetic, so the gradient scale γ is unknown";
            }
            this.gradientTrouble = gt;
            double fro = Math.sqrt(Math.max(p.objective(w, h), 0));
            double wn = w.frobeniusNorm(), hn = h.frobeniusNorm();
            double et = 2 * (wn * wn + hn * hn) + 4 * fro;
            this.etaFloor = et == 0;
            this.eta = et > 0 ? et : 1.0;
            String ht = null;
            if (!Double.isFinite(et)) {
                ht = "non-finite intermediate: the Hessian scale η = 2(‖W‖² + ‖H‖²) + 4‖R‖ overflowed (∞ or NaN)";
            } else if (etaFloor && !(allZero(w.data()) && allZero(h.data()) && allZero(vd))) {
                ht = "underflow: the Hessian scale η underflows to 0 although W, H or R is non-zero";
            }
            this.hessianTrouble = ht;
            this.cDouble = o.isSimplex() ? o.simplexSum().doubleValue() : Double.NaN;
        }

        static boolean allFinite(double[] a) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }

        static boolean allZero(double[] a) {
            for (double v : a) {
                if (v != 0) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether V·Hᵀ, W·HHᵀ, WᵀV and WᵀW·H are exactly 0 (every term has a zero factor), decided on the zero
         * pattern, so without rounding: then ∇F = 0 exactly. Cost O(nmr + (n + m)r²); used only when γ computes to 0.
         */
        boolean gradientTermsVanish(double[] aw, double[] ah) {
            double[] vd = p.data().data();
            boolean[] hRowNz = new boolean[r], wColNz = new boolean[r];
            for (int l = 0; l < r; l++) {
                for (int j = 0; j < m; j++) {
                    hRowNz[l] |= ah[l * m + j] != 0;
                }
                for (int i = 0; i < n; i++) {
                    wColNz[l] |= aw[i * r + l] != 0;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    if (vd[i * m + j] == 0) {
                        continue;
                    }
                    for (int l = 0; l < r; l++) {
                        if (ah[l * m + j] != 0 || aw[i * r + l] != 0) {
                            return false;   // a term V_ij·H_lj of V·Hᵀ or W_il·V_ij of WᵀV
                        }
                    }
                }
            }
            for (int l = 0; l < r; l++) {
                // (HHᵀ)_ll ≠ 0 iff row l of H is non-zero; W·HHᵀ has the term W_il (HHᵀ)_ll, WᵀW·H has (WᵀW)_ll H_lj
                if (hRowNz[l] && wColNz[l]) {
                    return false;
                }
            }
            // off-diagonal Gram terms: (HHᵀ)_lk ≠ 0 needs rows l, k of H to overlap; W_il (HHᵀ)_lk then has
            // W column l and H row l non-zero, excluded above; (WᵀW)_kl H_lj likewise needs W column l and H row l
            return true;
        }

        static double[] abs(double[] a) {
            double[] b = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                b[i] = Math.abs(a[i]);
            }
            return b;
        }

        double scaledX(int i) {
            return xi > 0 ? x[i] * gamma / xi : 0;
        }

        /** Exact mode: the gradient's double is the exact value rounded (not the float computation's). */
        Coordinate coordinate(int i, BigFraction gradientExact) {
            Coordinate c = coordinate(i, fraction(gradientExact));
            return new Coordinate(c.factor(), c.row(), c.col(), c.x(), toDouble(gradientExact), c.gradientExact());
        }

        Coordinate coordinate(int i, String gradientExact) {
            String factor;
            int row, col;
            if (i < n * r) {
                factor = "W";
                row = i / r;
                col = i % r;
            } else {
                factor = "H";
                row = (i - n * r) / m;
                col = (i - n * r) % m;
            }
            return new Coordinate(factor, row, col, decimal(x[i]), g[i], gradientExact);
        }

        /** The scales in the input's units (γ ∝ 2^{3k}, ξ ∝ 2^k, η ∝ 2^{2k}); the floors 1 stay 1. */
        Certificate.Scales scales() {
            return new Certificate.Scales(gammaFloor ? 1.0 : Math.scalb(gamma, -3 * k), Math.scalb(xi, -k),
                    etaFloor ? 1.0 : Math.scalb(eta, -2 * k));
        }

        /** Builds the certificate, converting every dimensional number from the normalised units to the input's. */
        Certificate build(FirstOrder fo, SecondOrder paper, SecondOrder cone, Strict strict, Certificate.Counts counts,
                          double objective) {
            BigFraction userC = userOptions.simplexSum();
            return new Certificate(Certificate.TOOL, o.isSimplex() ? "S-NMF" : "NMF",
                    o.isSimplex() ? (k == 0 ? cDouble : toDouble(userC)) : null, o.isSimplex() ? fraction(userC) : null,
                    o.mode().json(), n, m, r, Math.scalb(objective, -4 * k), toUser(fo), toUser(paper), toUser(cone),
                    toUser(strict), Certificate.TolerancesJson.of(tol), counts,
                    // exact mode: the scales of the float run at the normalised point (at this one they may underflow)
                    (floatTwin == null ? this : floatTwin).scales(), List.copyOf(notes), null, null);
        }

        Double userUnits(Double v, int e) {
            return v == null ? null : Math.scalb(v, e);
        }

        static String scaleDecimal(String s, int e) {
            if (s == null) {
                return null;
            }
            BigDecimal b = new BigDecimal(s);
            return b.signum() == 0 ? "0" : b.multiply(Normalisation.pow2Decimal(e)).toString();
        }

        FirstOrder toUser(FirstOrder f) {
            if (k == 0) {
                return f;
            }
            return new FirstOrder(f.verdict(), f.residual(), userUnits(f.multiplier(), -3 * k),
                    scaleDecimal(f.multiplierExact(), -3 * k), f.noise(), userUnits(f.sum(), -k), f.reason(),
                    toUser(f.witness()));
        }

        FirstOrderWitness toUser(FirstOrderWitness w) {
            if (k == 0 || w == null) {
                return w;
            }
            List<Coordinate> cs = new ArrayList<>();
            for (Coordinate c : w.coordinates()) {
                cs.add(new Coordinate(c.factor(), c.row(), c.col(), scaleDecimal(c.x(), -k), Math.scalb(c.gradient(), -3 * k),
                        c.gradientExact()));
            }
            boolean entry = w.kind().equals("negative-entry");   // the other values are relative (scale-free)
            return new FirstOrderWitness(w.kind(), cs, entry ? Math.scalb(w.value(), -k) : w.value(),
                    entry ? scaleDecimal(w.valueExact(), -k) : w.valueExact(), w.explanation());
        }

        DirectionWitness toUser(DirectionWitness d) {
            if (k == 0 || d == null) {
                return d;
            }
            // the same direction vector: q(d) at the input is 2^{-2k}·q(d) at the normalised point
            return new DirectionWitness(d.set(), Math.scalb(d.curvature(), -2 * k), d.curvatureExact(), d.dW(), d.dH());
        }

        SecondOrder toUser(SecondOrder s) {
            if (k == 0) {
                return s;
            }
            Object wit = s.witness() instanceof DirectionWitness dw ? toUser(dw)
                    : s.witness() instanceof FirstOrderWitness fw ? toUser(fw) : s.witness();
            return new SecondOrder(s.verdict(), userUnits(s.lambdaMin(), -2 * k), s.method(), userUnits(s.noise(), -2 * k),
                    s.reason(), wit);
        }

        Strict toUser(Strict s) {
            if (k == 0) {
                return s;
            }
            return new Strict(s.verdict(), userUnits(s.mu(), -2 * k), s.method(), userUnits(s.noise(), -2 * k), s.reason(),
                    toUser(s.witness()));
        }

        static SecondOrder inherit(FirstOrder fo) {
            String why = fo.verdict() == Verdict.FAILS ? "not a first-order stationary point (see fosp)"
                    : "first order undecided: " + fo.reason();
            return new SecondOrder(fo.verdict(), null, "first-order", null, why,
                    fo.verdict() == Verdict.FAILS ? fo.witness() : null);
        }

        static Strict inheritStrict(FirstOrder fo) {
            String why = fo.verdict() == Verdict.FAILS ? "not a first-order stationary point (see fosp)"
                    : "first order undecided: " + fo.reason();
            return new Strict(fo.verdict() == Verdict.FAILS ? Verdict.FAILS : Verdict.UNDECIDED, null, "first-order",
                    null, why, null);
        }

        // ---------------------------------------------------------------- float mode

        Certificate floating() {
            double objective = p.objective(w, h);
            double c = 0, noiseC = 0, sum = 0;
            if (o.isSimplex()) {
                double sxg = 0, sxe = 0, sabs = 0;
                for (int i = 0; i < nn; i++) {
                    sum += x[i];
                    sxg += x[i] * g[i];
                    sxe += Math.abs(x[i]) * e[i];
                    sabs += Math.abs(x[i] * g[i]);
                }
                if (sum > 0) {
                    c = sxg / sum;
                    noiseC = (sxe + 2.0 * nn * U * sabs) / sum;
                }
            }
            FirstOrder fo = floatFirstOrder(c, noiseC, sum);
            if (fo.verdict() != Verdict.HOLDS) {
                return build(fo, inherit(fo), inherit(fo), inheritStrict(fo), new Certificate.Counts(0, 0, 0), objective);
            }
            Kind[] kinds = new Kind[nn];
            int[] counts = new int[3];
            double delta = tol.degenerate();
            for (int i = 0; i < nn; i++) {
                double gc = g[i] - c;
                if (x[i] > delta * xi) {
                    kinds[i] = Kind.S;
                } else if (gc > delta * gamma) {
                    kinds[i] = Kind.A;
                } else {
                    kinds[i] = Kind.D;
                }
                counts[kinds[i].ordinal()]++;
            }
            Certificate.Counts cc = new Certificate.Counts(counts[0], counts[1], counts[2]);
            if (hessianTrouble != null) {
                SecondOrder un = new SecondOrder(Verdict.UNDECIDED, null, "dense-eigen", null, hessianTrouble, null);
                return build(fo, un, un, new Strict(Verdict.UNDECIDED, null, "dense-eigen", null, hessianTrouble, null), cc,
                        objective);
            }
            SecondOrder[] so = floatSecondOrder(kinds);
            Strict strict = floatStrict(kinds, so[0]);
            return build(fo, so[0], so[1], strict, cc, objective);
        }

        FirstOrder floatFirstOrder(double c, double noiseC, double sum) {
            boolean simplex = o.isSimplex();
            // a non-finite estimate has no exact decimal: both are null then (the claim is UNDECIDED below)
            Double mult = simplex && Double.isFinite(c) ? c : null;
            String multExact = simplex && Double.isFinite(c) ? decimal(c) : null;
            Double sumOut = simplex ? sum : null;
            for (int i = 0; i < nn; i++) {
                if (x[i] < 0) {
                    FirstOrderWitness wit = new FirstOrderWitness("negative-entry", List.of(coordinate(i, (String) null)), x[i],
                            decimal(x[i]), "entry is negative: the point is not feasible");
                    return new FirstOrder(Verdict.FAILS, null, mult, multExact, 0, sumOut, "a negative entry", wit);
                }
            }
            if (gradientTrouble != null) {
                return new FirstOrder(Verdict.UNDECIDED, null, mult, multExact, 0, sumOut, gradientTrouble, null);
            }
            if (simplex && !(Double.isFinite(sum) && Double.isFinite(c) && Double.isFinite(noiseC) && Double.isFinite(cDouble))) {
                return new FirstOrder(Verdict.UNDECIDED, null, mult, multExact, 0, sumOut,
                        "non-finite intermediate: Σx, C or the multiplier estimate overflowed (NaN or ∞)", null);
            }
            boolean sumUndecided = false;
            if (simplex) {
                double diff = sum - cDouble;
                double noiseSum = (nn + 2) * U * (sum + cDouble);
                if (Math.abs(diff) > tol.sum() * cDouble + noiseSum) {
                    FirstOrderWitness wit = new FirstOrderWitness("sum-constraint", List.of(), diff / cDouble, null,
                            String.format(Locale.ROOT, "sum of entries %.17g differs from C = %.17g by more than %.1e·C",
                                    sum, cDouble, tol.sum()));
                    return new FirstOrder(Verdict.FAILS, null, mult, multExact, noiseSum / cDouble, sumOut,
                            "not on the simplex Σx = C", wit);
                }
                sumUndecided = Math.abs(diff) > tol.sum() * cDouble - noiseSum;
            }
            double maxRho = 0, maxNoisy = 0, maxNoise = 0;
            int worst = -1;
            double worstMargin = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < nn; i++) {
                double rho = Math.abs(Math.min(scaledX(i), g[i] - c)) / gamma;
                double nz = (e[i] + noiseC) / gamma + 8 * U;
                maxRho = Math.max(maxRho, rho);
                maxNoisy = Math.max(maxNoisy, rho + nz);
                maxNoise = Math.max(maxNoise, nz);
                if (rho - nz - tol.firstOrder() > worstMargin) {
                    worstMargin = rho - nz - tol.firstOrder();
                    worst = i;
                }
            }
            if (!Double.isFinite(maxNoisy) || !Double.isFinite(worstMargin)) {
                return new FirstOrder(Verdict.UNDECIDED, null, mult, multExact, 0, sumOut,
                        "non-finite intermediate: a coordinate residual or its rounding bound is NaN or ∞", null);
            }
            if (maxNoisy <= tol.firstOrder() && !sumUndecided) {
                return new FirstOrder(Verdict.HOLDS, maxRho, mult, multExact, maxNoise, sumOut,
                        String.format(Locale.ROOT, "every coordinate residual + rounding bound <= %.1e", tol.firstOrder()), null);
            }
            if (!simplex && worstMargin > 0) {
                int i = worst;
                String kind = x[i] > tol.degenerate() * xi ? "support-gradient" : "active-gradient";
                double rho = Math.abs(Math.min(scaledX(i), g[i])) / gamma;
                FirstOrderWitness wit = new FirstOrderWitness(kind, List.of(coordinate(i, (String) null)), rho, null,
                        String.format(Locale.ROOT, "|min(x·γ/ξ, ∂F)|/γ = %.3e exceeds the tolerance %.1e beyond rounding",
                                rho, tol.firstOrder()));
                return new FirstOrder(Verdict.FAILS, maxRho, mult, multExact, maxNoise, sumOut,
                        "a coordinate violates (1) beyond tolerance", wit);
            }
            if (simplex) {
                // No single c can serve a coordinate with large x_i and one whose gradient is below it by > 2τγ.
                int big = -1, low = -1;
                for (int i = 0; i < nn; i++) {
                    if (scaledX(i) / gamma > tol.firstOrder() * (1 + 1e-9) + 8 * U && (big < 0 || g[i] > g[big])) {
                        big = i;
                    }
                    if (low < 0 || g[i] < g[low]) {
                        low = i;
                    }
                }
                if (big >= 0 && g[low] < g[big] - 2 * tol.firstOrder() * gamma - (e[big] + e[low]) - 8 * U * gamma) {
                    double val = (g[big] - g[low]) / gamma;
                    FirstOrderWitness wit = new FirstOrderWitness("multiplier-pair",
                            List.of(coordinate(big, (String) null), coordinate(low, (String) null)), val, null,
                            String.format(Locale.ROOT, "the first coordinate has x·γ/ξ > τγ, so any c is within τγ of its"
                                    + " gradient; the second gradient is lower by %.3e·γ > 2τγ, so no c satisfies (3)", val));
                    return new FirstOrder(Verdict.FAILS, maxRho, mult, multExact, maxNoise, sumOut,
                            "no multiplier c satisfies (3) within tolerance", wit);
                }
            }
            String why = sumUndecided ? "the sum constraint is inside the rounding band"
                    : String.format(Locale.ROOT, "largest residual %.3e is within the rounding band (±%.1e) of the tolerance %.1e%s",
                            maxRho, maxNoise, tol.firstOrder(), simplex ? ", and no pair of coordinates rules out every c" : "");
            return new FirstOrder(Verdict.UNDECIDED, maxRho, mult, multExact, maxNoise, sumOut, why, null);
        }

        int[] coordinatesNot(Kind[] kinds, Kind... excluded) {
            List<Integer> out = new ArrayList<>();
            outer:
            for (int i = 0; i < nn; i++) {
                for (Kind k : excluded) {
                    if (kinds[i] == k) {
                        continue outer;
                    }
                }
                out.add(i);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        double lambdaNoise(int k) {
            // rounding, plus underflow: each Hessian entry and each entry of the reduced matrix may lose a few
            // MIN_NORMAL per term, and ‖E‖₂ ≤ dimension·max|E_ij|
            double size = k + n + m + r + 10;
            return 16.0 * size * U * eta + 16.0 * size * size * Double.MIN_NORMAL;
        }

        /** [sospPaper, sospCone]. */
        SecondOrder[] floatSecondOrder(Kind[] kinds) {
            int[] u = coordinatesNot(kinds, Kind.A);
            int[] u0 = coordinatesNot(kinds, Kind.A, Kind.D);
            boolean hasD = u0.length < u.length;
            int dim = u.length - (o.isSimplex() ? 1 : 0);
            double threshold = tol.secondOrder() * eta;
            if (dim <= 0) {
                SecondOrder hold = new SecondOrder(Verdict.HOLDS, null, "dense-eigen", 0.0,
                        "L = {0}: nothing to check", null);
                return new SecondOrder[] {hold, hold};
            }
            if (dim <= tol.maxDenseDimension()) {
                Curvature paper = denseCurvature(u, List.of());
                SecondOrder sp = decideFloat(paper, threshold, "L", "dense-eigen");
                SecondOrder sc;
                if (!hasD) {
                    sc = new SecondOrder(sp.verdict(), sp.lambdaMin(), sp.method(), sp.noise(),
                            "D is empty, so K = L: " + sp.reason(), sp.witness() instanceof DirectionWitness dw
                            ? relabel(dw, "K") : sp.witness());
                } else if (sp.verdict() == Verdict.HOLDS) {
                    sc = new SecondOrder(Verdict.HOLDS, sp.lambdaMin(), "sandwich", sp.noise(),
                            "PSD on L (within tolerance) implies copositive on K ⊆ L", null);
                } else {
                    int dim0 = u0.length - (o.isSimplex() ? 1 : 0);
                    if (dim0 <= 0) {
                        sc = undecidedCone(null, null, u.length - u0.length);
                    } else {
                        Curvature c0 = denseCurvature(u0, List.of());
                        SecondOrder s0 = decideFloat(c0, threshold, "L0", "dense-eigen");
                        sc = s0.verdict() == Verdict.FAILS
                                ? new SecondOrder(Verdict.FAILS, s0.lambdaMin(), "sandwich", s0.noise(),
                                "negative curvature on L ∩ {d_D = 0} ⊆ K", s0.witness())
                                : undecidedCone(s0.lambdaMin(), s0.noise(), u.length - u0.length);
                    }
                }
                return new SecondOrder[] {sp, sc};
            }
            // matrix-free
            FloatForms.Ritz rz;
            String lanczosFailure = null;
            try {
                rz = lanczos(kinds);
            } catch (RuntimeException ex) {
                rz = null;
                lanczosFailure = "Lanczos failed (" + ex.getMessage() + "): no decision";
            }
            if (rz != null && !(Double.isFinite(rz.value()) && allFinite(rz.vector()))) {
                rz = null;
                lanczosFailure = "non-finite intermediate: the Lanczos Ritz value or vector is NaN or ∞";
            }
            SecondOrder sp;
            if (rz == null) {
                sp = new SecondOrder(Verdict.UNDECIDED, null, "lanczos", null,
                        lanczosFailure != null ? lanczosFailure : "Lanczos could not start", null);
            } else {
                double[] d = rz.vector();
                DirectionWitness wit = floatWitness(d, kinds, "L", u);
                double noise = lambdaNoise(dim);
                if (rz.value() < -threshold - noise && wit != null) {
                    sp = new SecondOrder(Verdict.FAILS, rz.value(), "lanczos", noise,
                            String.format(Locale.ROOT, "Lanczos Ritz value %.3e < −τη and the witness curvature survives its error bound",
                                    rz.value()), wit);
                } else {
                    sp = new SecondOrder(Verdict.UNDECIDED, rz.value(), "lanczos", noise, String.format(Locale.ROOT,
                            "reduced dimension %d > %d (maxDenseDimension): matrix-free Lanczos (%d steps, residual %.1e) found"
                                    + " no certified negative curvature (smallest Ritz value %.3e is an upper estimate), and it cannot"
                                    + " prove PSD", dim, tol.maxDenseDimension(), rz.steps(), rz.residual(), rz.value()), null);
                }
            }
            SecondOrder sc;
            if (!hasD || sp.verdict() == Verdict.FAILS && !hasD) {
                sc = new SecondOrder(sp.verdict(), sp.lambdaMin(), sp.method(), sp.noise(), "D is empty, so K = L: " + sp.reason(),
                        sp.witness() instanceof DirectionWitness dw ? relabel(dw, "K") : null);
            } else {
                sc = undecidedCone(null, null, u.length - u0.length);
            }
            return new SecondOrder[] {sp, sc};
        }

        SecondOrder undecidedCone(Double lambda0, Double noise, int dCount) {
            return new SecondOrder(Verdict.UNDECIDED, lambda0, "sandwich", noise, String.format(Locale.ROOT,
                    "|D| = %d: not PSD on L within tolerance (or undecided), PSD on L ∩ {d_D = 0} not refuted; copositivity"
                            + " on K is decided only in exact mode", dCount), null);
        }

        static DirectionWitness relabel(DirectionWitness w, String set) {
            return new DirectionWitness(set, w.curvature(), w.curvatureExact(), w.dW(), w.dH());
        }

        SecondOrder decideFloat(Curvature cv, double threshold, String set, String method) {
            if (cv.failure != null || !Double.isFinite(cv.value) || !Double.isFinite(cv.noise) || !Double.isFinite(threshold)) {
                return new SecondOrder(Verdict.UNDECIDED, null, method, null, cv.failure != null ? cv.failure
                        : "non-finite intermediate: the eigenvalue or its rounding bound is NaN or ∞", null);
            }
            if (cv.value >= -threshold + cv.noise) {
                return new SecondOrder(Verdict.HOLDS, cv.value, method, cv.noise, String.format(Locale.ROOT,
                        "λ_min = %.3e >= −τη = %.3e beyond the rounding bound %.1e", cv.value, -threshold, cv.noise), null);
            }
            if (cv.value < -threshold - cv.noise && cv.witness != null) {
                return new SecondOrder(Verdict.FAILS, cv.value, method, cv.noise, String.format(Locale.ROOT,
                        "λ_min = %.3e < −τη = %.3e; witness curvature %.3e survives its error bound", cv.value, -threshold,
                        cv.witness.curvature()), relabel(cv.witness, set));
            }
            return new SecondOrder(Verdict.UNDECIDED, cv.value, method, cv.noise, String.format(Locale.ROOT,
                    "λ_min = %.3e is within the rounding band (±%.1e) of −τη = %.3e%s", cv.value, cv.noise, -threshold,
                    cv.value < 0 && cv.witness == null ? ", or its witness did not survive the error bound" : ""), null);
        }

        /** λ (+∞ when the subspace is {0}), its noise, a witness if negative; failure: why no λ (then value is NaN). */
        record Curvature(double value, double noise, DirectionWitness witness, String failure) {
            Curvature(double value, double noise, DirectionWitness witness) {
                this(value, noise, witness, null);
            }

            static Curvature failed(String why) {
                return new Curvature(Double.NaN, Double.NaN, null, why);
            }
        }

        /** Smallest eigenvalue of ∇²F on {d supported on coords, (Σd = 0), ⊥ extra}, with a witness if negative. */
        Curvature denseCurvature(int[] coords, List<double[]> extra) {
            double[][] hm = p.restrictedHessian(w, h, coords);
            for (double[] row : hm) {
                if (!allFinite(row)) {
                    return Curvature.failed("non-finite intermediate: a Hessian entry overflowed (NaN or ∞)");
                }
            }
            List<double[]> cons = new ArrayList<>();
            if (o.isSimplex()) {
                double[] ones = new double[coords.length];
                java.util.Arrays.fill(ones, 1.0);
                cons.add(ones);
            }
            cons.addAll(extra);
            FloatForms.ConstraintBasis basis = new FloatForms.ConstraintBasis(coords.length, cons);
            if (basis.dimension() == 0) {
                return new Curvature(Double.POSITIVE_INFINITY, 0, null);
            }
            FloatForms.Eigenpair ep;
            try {
                ep = FloatForms.smallest(basis.reduce(hm));
            } catch (RuntimeException ex) {
                // Hipparchus' QL iteration may fail to converge; a non-finite reduced entry is refused in smallest()
                return Curvature.failed("the dense eigensolver failed (" + ex.getMessage() + "): no eigenvalue, no decision");
            }
            double noise = lambdaNoise(coords.length) + 8.0 * coords.length * U * ep.shift();
            if (!Double.isFinite(ep.value()) || !Double.isFinite(noise) || !allFinite(ep.vector())) {
                return Curvature.failed("non-finite intermediate: the eigenvalue, its eigenvector or its rounding bound is NaN or ∞");
            }
            DirectionWitness wit = null;
            if (ep.value() < 0 && extra.isEmpty()) {
                double[] z = basis.expand(ep.vector());
                double[] d = new double[nn];
                for (int i = 0; i < coords.length; i++) {
                    d[coords[i]] = z[i];
                }
                wit = floatWitness(d, null, "L", coords);
            }
            return new Curvature(ep.value(), noise, wit);
        }

        FloatForms.Ritz lanczos(Kind[] kinds) {
            boolean simplex = o.isSimplex();
            int cnt = 0;
            for (Kind k : kinds) {
                if (k != Kind.A) {
                    cnt++;
                }
            }
            final int inU = cnt;
            java.util.function.UnaryOperator<double[]> project = y -> {
                double[] z = y.clone();
                double s = 0;
                for (int i = 0; i < nn; i++) {
                    if (kinds[i] == Kind.A) {
                        z[i] = 0;
                    } else {
                        s += z[i];
                    }
                }
                if (simplex) {
                    double mean = s / inU;
                    for (int i = 0; i < nn; i++) {
                        if (kinds[i] != Kind.A) {
                            z[i] -= mean;
                        }
                    }
                }
                return z;
            };
            java.util.function.UnaryOperator<double[]> op = y -> {
                FactorPair d = FactorPair.unflatten(y, n, r, m);
                return p.hessianTimes(w, h, d.w(), d.h()).flatten();
            };
            int steps = Math.min(inU, 300);
            // stop early once a Ritz vector is a certified negative-curvature witness
            double threshold = tol.secondOrder() * eta + lambdaNoise(inU);
            int[] u = coordinatesNot(kinds, Kind.A);
            return FloatForms.lanczos(op, project, nn, steps, 1e-8 * eta, o.seed(),
                    rz -> rz.value() < -threshold && floatWitness(rz.vector(), kinds, "L", u) != null);
        }

        /**
         * Turns a floating direction into an exactly feasible witness (zero outside {@code coords}; Σd = 0 exactly for
         * S-NMF by solving for the largest support entry in exact decimal arithmetic) whose curvature is negative
         * beyond its rigorous error bound; null otherwise.
         */
        DirectionWitness floatWitness(double[] d0, Kind[] kinds, String set, int[] coords) {
            double[] d = new double[nn];
            boolean[] allowed = new boolean[nn];
            for (int c : coords) {
                allowed[c] = true;
                d[c] = d0[c];
            }
            if (!allFinite(d)) {
                return null;   // a non-finite direction is no witness
            }
            BigDecimal[] exact = new BigDecimal[nn];
            for (int i = 0; i < nn; i++) {
                exact[i] = new BigDecimal(d[i]);
            }
            if (o.isSimplex()) {
                int j0 = -1;
                for (int c : coords) {
                    if (x[c] > tol.degenerate() * xi && (j0 < 0 || Math.abs(d[c]) > Math.abs(d[j0]))) {
                        j0 = c;
                    }
                }
                if (j0 < 0) {
                    return null;
                }
                BigDecimal s = BigDecimal.ZERO;
                for (int i = 0; i < nn; i++) {
                    if (i != j0) {
                        s = s.add(exact[i]);
                    }
                }
                exact[j0] = s.negate();
                d[j0] = exact[j0].doubleValue();
            }
            FactorPair dp = FactorPair.unflatten(d, n, r, m);
            double q = p.hessianQuadraticForm(w, h, dp.w(), dp.h());
            double bound = curvatureBound(dp.w(), dp.h());
            if (!(Double.isFinite(q) && Double.isFinite(bound) && q + bound < 0)) {
                return null;
            }
            return new DirectionWitness(set, q, null, strings(exact, 0, n, r), strings(exact, n * r, r, m));
        }

        /** Rigorous bound on the rounding error of {@link NmfProblem#hessianQuadraticForm} (and of ±u perturbations of d). */
        double curvatureBound(DenseMatrix dw, DenseMatrix dh) {
            return CurvatureBounds.curvatureBound(p.data().data(), w.data(), h.data(), dw.data(), dh.data(), n, m, r);
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
            if (cv.failure != null) {
                return new Strict(Verdict.UNDECIDED, null, "dense-eigen", null, cv.failure, null);
            }
            if (paper.verdict() != Verdict.HOLDS) {
                return new Strict(Verdict.UNDECIDED,
                        Double.isInfinite(cv.value) ? null : cv.value, "dense-eigen", cv.noise,
                        "sospPaper is " + paper.verdict() + "; float mode gives no witness in L ⊥ T", null);
            }
            if (Double.isInfinite(cv.value)) {
                return new Strict(Verdict.HOLDS, null, "dense-eigen", 0.0,
                        "L with the symmetry directions removed is {0}: nothing to check", null);
            }
            if (cv.value > threshold + cv.noise) {
                return new Strict(Verdict.HOLDS, cv.value, "dense-eigen", cv.noise, String.format(Locale.ROOT,
                        "μ = %.3e > τη = %.3e beyond the rounding bound %.1e", cv.value, threshold, cv.noise), null);
            }
            return new Strict(Verdict.UNDECIDED, cv.value, "dense-eigen", cv.noise, String.format(Locale.ROOT,
                    "μ = %.3e is not above τη = %.3e beyond rounding%s; float mode gives no witness in L ⊥ T", cv.value, threshold,
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

        // ---------------------------------------------------------------- exact mode

        Certificate exact() {
            ExactNmf ex = ExactNmf.of(p.data(), r);
            FieldMatrix<BigFraction> we = ExactNmf.exact(w), he = ExactNmf.exact(h);
            FieldMatrix<BigFraction>[] gr = ex.gradient(we, he);
            BigFraction[] xe = new BigFraction[nn], ge = new BigFraction[nn];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < r; k++) {
                    xe[i * r + k] = we.getEntry(i, k);
                    ge[i * r + k] = gr[0].getEntry(i, k);
                }
            }
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < m; j++) {
                    xe[n * r + k * m + j] = he.getEntry(k, j);
                    ge[n * r + k * m + j] = gr[1].getEntry(k, j);
                }
            }
            double objective = toDouble(ex.objective(we, he));
            FirstOrder fo = exactFirstOrder(xe, ge);
            if (fo.verdict() != Verdict.HOLDS) {
                return build(fo, inherit(fo), inherit(fo), inheritStrict(fo), new Certificate.Counts(0, 0, 0), objective);
            }
            BigFraction c = o.isSimplex() ? parseFraction(fo.multiplierExact()) : BigFraction.ZERO;
            Kind[] kinds = new Kind[nn];
            int[] counts = new int[3];
            for (int i = 0; i < nn; i++) {
                int sg = ge[i].subtract(c).signum();
                kinds[i] = xe[i].signum() > 0 ? Kind.S : sg > 0 ? Kind.A : Kind.D;
                counts[kinds[i].ordinal()]++;
            }
            Certificate.Counts cc = new Certificate.Counts(counts[0], counts[1], counts[2]);
            int[] u = coordinatesNot(kinds, Kind.A);
            int dim = u.length - (o.isSimplex() ? 1 : 0);
            if (dim > tol.maxExactDimension()) {
                String why = "reduced dimension " + dim + " > maxExactDimension " + tol.maxExactDimension()
                        + ": exact second-order decisions not attempted";
                SecondOrder un = new SecondOrder(Verdict.UNDECIDED, null, "exact-ldl", null, why, null);
                return build(fo, un, un, new Strict(Verdict.UNDECIDED, null, "exact-ldl", null, why, null), cc, objective);
            }
            ExactSecond es = new ExactSecond(ex, we, he, xe, kinds, u);
            return build(fo, es.paper(), es.cone(), es.strict(), cc, objective);
        }

        FirstOrder exactFirstOrder(BigFraction[] xe, BigFraction[] ge) {
            boolean simplex = o.isSimplex();
            for (int i = 0; i < nn; i++) {
                if (xe[i].signum() < 0) {
                    FirstOrderWitness wit = new FirstOrderWitness("negative-entry", List.of(coordinate(i, ge[i])),
                            x[i], fraction(xe[i]), "entry is negative: the point is not feasible");
                    BigFraction total = BigFraction.ZERO;
                    for (BigFraction xv : xe) {
                        total = total.add(xv);
                    }
                    return new FirstOrder(Verdict.FAILS, null, null, null, 0, simplex ? toDouble(total) : null,
                            "a negative entry", wit);
                }
            }
            BigFraction sum = BigFraction.ZERO;
            for (BigFraction xv : xe) {
                sum = sum.add(xv);
            }
            Double sumOut = simplex ? toDouble(sum) : null;
            if (simplex && !sum.equals(o.simplexSum())) {
                BigFraction diff = sum.subtract(o.simplexSum());
                FirstOrderWitness wit = new FirstOrderWitness("sum-constraint", List.of(), toDouble(diff), fraction(diff),
                        "Σx − C = " + fraction(diff) + " ≠ 0");
                return new FirstOrder(Verdict.FAILS, null, null, null, 0, sumOut, "not on the simplex Σx = C", wit);
            }
            BigFraction c = BigFraction.ZERO;
            int i0 = -1;
            if (simplex) {
                for (int i = 0; i < nn && i0 < 0; i++) {
                    if (xe[i].signum() > 0) {
                        i0 = i;
                    }
                }
                c = ge[i0];   // Σx = C > 0, so there is a support coordinate
            }
            Double mult = simplex ? toDouble(c) : null;
            String multExact = simplex ? fraction(c) : null;
            for (int i = 0; i < nn; i++) {
                BigFraction gc = ge[i].subtract(c);
                if (xe[i].signum() > 0 && gc.signum() != 0) {
                    FirstOrderWitness wit = simplex
                            ? new FirstOrderWitness("multiplier-pair", List.of(coordinate(i0, ge[i0]),
                            coordinate(i, ge[i])), toDouble(gc.negate()), fraction(gc.negate()),
                            "both coordinates are positive but their gradients differ, so no c satisfies (3)")
                            : new FirstOrderWitness("support-gradient", List.of(coordinate(i, ge[i])),
                            toDouble(gc), fraction(gc), "x > 0 but ∂F ≠ 0");
                    return new FirstOrder(Verdict.FAILS, residualOf(xe, ge, c), mult, multExact, 0, sumOut,
                            "a positive coordinate has ∂F ≠ c", wit);
                }
                if (xe[i].signum() == 0 && gc.signum() < 0) {
                    FirstOrderWitness wit = new FirstOrderWitness("active-gradient", List.of(coordinate(i, ge[i])),
                            toDouble(gc), fraction(gc), "x = 0 but ∂F − c < 0: increasing x decreases F");
                    return new FirstOrder(Verdict.FAILS, residualOf(xe, ge, c), mult, multExact, 0, sumOut,
                            "a zero coordinate has ∂F < c", wit);
                }
            }
            return new FirstOrder(Verdict.HOLDS, 0.0, mult, multExact, 0, sumOut,
                    simplex ? "(3) holds exactly with c = " + multExact : "(1) holds exactly", null);
        }

        /**
         * The float-mode residual max_i |min(x_i·γ/ξ, g_i − c)|/γ of the exact values, for information. It is
         * scale-free, so it is evaluated at the normalised point (x·2^k, (g − c)·2^{3k}, the twin's γ and ξ), where
         * nothing under- or overflows; null if it is not finite.
         */
        Double residualOf(BigFraction[] xe, BigFraction[] ge, BigFraction c) {
            Run f = floatTwin == null ? this : floatTwin;
            BigFraction sx = Normalisation.pow2(f.k), sg = Normalisation.pow2(3 * f.k);
            double worst = 0;
            for (int i = 0; i < nn; i++) {
                double xt = f.xi > 0 ? xe[i].multiply(sx).doubleValue() * f.gamma / f.xi : 0;
                worst = Math.max(worst, Math.abs(Math.min(xt, ge[i].subtract(c).multiply(sg).doubleValue())) / f.gamma);
            }
            return Double.isFinite(worst) ? worst : null;
        }

        /** Exact second-order decisions on the coordinates u = S ∪ D. */
        final class ExactSecond {
            final ExactNmf ex;
            final FieldMatrix<BigFraction> we, he;
            final BigFraction[] xe;
            final Kind[] kinds;
            final int[] u;
            final BigFraction[][] mu;       // Hessian on u
            final int j0;                   // position in u of the eliminated support coordinate (S-NMF), else −1
            final int[] free;               // positions in u of the parameters (all but j0)
            final BigFraction[][] reduced;  // the form in the parameters (d_j0 = −Σ others for S-NMF)

            ExactSecond(ExactNmf ex, FieldMatrix<BigFraction> we, FieldMatrix<BigFraction> he, BigFraction[] xe, Kind[] kinds,
                        int[] u) {
                this.ex = ex;
                this.we = we;
                this.he = he;
                this.xe = xe;
                this.kinds = kinds;
                this.u = u;
                this.mu = ex.restrictedHessian(we, he, u);
                int jj = -1;
                if (o.isSimplex()) {
                    for (int a = 0; a < u.length && jj < 0; a++) {
                        if (kinds[u[a]] == Kind.S) {
                            jj = a;
                        }
                    }
                }
                this.j0 = jj;
                List<Integer> f = new ArrayList<>();
                for (int a = 0; a < u.length; a++) {
                    if (a != j0) {
                        f.add(a);
                    }
                }
                this.free = f.stream().mapToInt(Integer::intValue).toArray();
                int k = free.length;
                reduced = new BigFraction[k][k];
                for (int a = 0; a < k; a++) {
                    for (int b = a; b < k; b++) {
                        BigFraction val = mu[free[a]][free[b]];
                        if (j0 >= 0) {
                            val = val.subtract(mu[free[a]][j0]).subtract(mu[j0][free[b]]).add(mu[j0][j0]);
                        }
                        reduced[a][b] = val;
                        reduced[b][a] = val;
                    }
                }
            }

            /** Full direction from parameters y (length free.length). */
            BigFraction[] direction(BigFraction[] y) {
                BigFraction[] d = ExactForms.zeros(nn);
                BigFraction s = BigFraction.ZERO;
                for (int a = 0; a < free.length; a++) {
                    d[u[free[a]]] = y[a];
                    s = s.add(y[a]);
                }
                if (j0 >= 0) {
                    d[u[j0]] = s.negate();
                }
                return d;
            }

            DirectionWitness witness(BigFraction[] d, String set) {
                FieldMatrix<BigFraction> dw = org.hipparchus.linear.MatrixUtils.createFieldMatrix(
                        org.hipparchus.fraction.BigFractionField.getInstance(), n, r);
                FieldMatrix<BigFraction> dh = org.hipparchus.linear.MatrixUtils.createFieldMatrix(
                        org.hipparchus.fraction.BigFractionField.getInstance(), r, m);
                for (int i = 0; i < n * r; i++) {
                    dw.setEntry(i / r, i % r, d[i]);
                }
                for (int i = 0; i < r * m; i++) {
                    dh.setEntry(i / m, i % m, d[n * r + i]);
                }
                BigFraction q = ex.hessianQuadraticForm(we, he, dw, dh);
                String[] s = new String[nn];
                for (int i = 0; i < nn; i++) {
                    s[i] = fraction(d[i]);
                }
                return new DirectionWitness(set, toDouble(q), fraction(q), reshape(s, 0, n, r), reshape(s, n * r, r, m));
            }

            /**
             * The float eigenvalue reported next to the exact verdict: informational only (no exact decision reads it),
             * computed at the normalised point and converted back (×2^{-2k}); null when it is not available (too large,
             * eigensolver failure, non-finite). The flat directions are the same up to the positive factor 2^k.
             */
            Double floatLambda(List<double[]> extra) {
                if (u.length - (o.isSimplex() ? 1 : 0) > tol.maxDenseDimension()) {
                    return null;
                }
                Run f = floatTwin == null ? Run.this : floatTwin;
                if (f.hessianTrouble != null) {
                    return null;
                }
                try {
                    Curvature cv = f.denseCurvature(u, extra);
                    return cv.failure != null || !Double.isFinite(cv.value) ? null : Math.scalb(cv.value, -2 * f.k);
                } catch (RuntimeException e) {
                    return null;
                }
            }

            SecondOrder paper() {
                if (free.length == 0) {
                    return new SecondOrder(Verdict.HOLDS, null, "exact-ldl", 0.0, "L = {0}: nothing to check", null);
                }
                ExactForms.Definiteness df = ExactForms.definiteness(reduced);
                Double lambda = floatLambda(List.of());
                if (df.psd()) {
                    return new SecondOrder(Verdict.HOLDS, lambda, "exact-ldl", 0.0,
                            "∇²F is PSD on L exactly (symmetric elimination over the rationals)", null);
                }
                DirectionWitness wit = witness(direction(df.witness()), "L");
                return new SecondOrder(Verdict.FAILS, lambda, "exact-ldl", 0.0,
                        "a direction in L has negative curvature " + wit.curvatureExact(), wit);
            }

            SecondOrder cone() {
                List<Integer> zPos = new ArrayList<>(), yPos = new ArrayList<>();
                for (int a = 0; a < free.length; a++) {
                    (kinds[u[free[a]]] == Kind.D ? yPos : zPos).add(a);
                }
                SecondOrder paper = paper();
                if (yPos.isEmpty()) {
                    return new SecondOrder(paper.verdict(), paper.lambdaMin(), paper.method(), 0.0,
                            "D is empty, so K = L: " + paper.reason(),
                            paper.witness() instanceof DirectionWitness dw ? relabel(dw, "K") : null);
                }
                if (paper.verdict() == Verdict.HOLDS) {
                    return new SecondOrder(Verdict.HOLDS, paper.lambdaMin(), "exact-ldl", 0.0,
                            "PSD on L implies copositive on K ⊆ L", null);
                }
                int kz = zPos.size(), ky = yPos.size();
                BigFraction[][] a = new BigFraction[kz][kz], b = new BigFraction[kz][ky], cc = new BigFraction[ky][ky];
                for (int i = 0; i < kz; i++) {
                    for (int j = 0; j < kz; j++) {
                        a[i][j] = reduced[zPos.get(i)][zPos.get(j)];
                    }
                    for (int j = 0; j < ky; j++) {
                        b[i][j] = reduced[zPos.get(i)][yPos.get(j)];
                    }
                }
                for (int i = 0; i < ky; i++) {
                    for (int j = 0; j < ky; j++) {
                        cc[i][j] = reduced[yPos.get(i)][yPos.get(j)];
                    }
                }
                if (kz > 0) {
                    ExactForms.Definiteness da = ExactForms.definiteness(a);
                    if (!da.psd()) {
                        BigFraction[] y = ExactForms.zeros(free.length);
                        for (int i = 0; i < kz; i++) {
                            y[zPos.get(i)] = da.witness()[i];
                        }
                        DirectionWitness wit = witness(direction(y), "L0");
                        return new SecondOrder(Verdict.FAILS, paper.lambdaMin(), "exact-copositive", 0.0,
                                "negative curvature on L ∩ {d_D = 0} ⊆ K: " + wit.curvatureExact(), wit);
                    }
                }
                BigFraction[][] z = kz == 0 ? new BigFraction[0][ky] : ExactForms.solve(a, b);
                if (z == null) {
                    // some column B e_j is not in range(A) = null(A)^⊥: q(τn, e_j) = 2τ nᵀBe_j + C_jj → −∞
                    for (BigFraction[] nv : ExactForms.nullSpace(a, kz)) {
                        for (int j = 0; j < ky; j++) {
                            BigFraction nb = BigFraction.ZERO;
                            for (int i = 0; i < kz; i++) {
                                nb = nb.add(nv[i].multiply(b[i][j]));
                            }
                            if (nb.signum() != 0) {
                                BigFraction tau = cc[j][j].abs().add(BigFraction.ONE).negate().divide(nb.multiply(2));
                                BigFraction[] y = ExactForms.zeros(free.length);
                                for (int i = 0; i < kz; i++) {
                                    y[zPos.get(i)] = nv[i].multiply(tau);
                                }
                                y[yPos.get(j)] = BigFraction.ONE;
                                DirectionWitness wit = witness(direction(y), "K");
                                return new SecondOrder(Verdict.FAILS, paper.lambdaMin(), "exact-copositive", 0.0,
                                        "a degenerate coordinate couples to a null direction of the free block: curvature "
                                                + wit.curvatureExact() + " on K", wit);
                            }
                        }
                    }
                    throw new IllegalStateException("inconsistent solve without a separating null vector");
                }
                BigFraction[][] schur = new BigFraction[ky][ky];
                for (int i = 0; i < ky; i++) {
                    for (int j = 0; j < ky; j++) {
                        BigFraction s = cc[i][j];
                        for (int t = 0; t < kz; t++) {
                            s = s.subtract(b[t][i].multiply(z[t][j]));
                        }
                        schur[i][j] = s;
                    }
                }
                boolean decided = ky <= tol.maxDegenerate();
                BigFraction[] yw = decided ? ExactForms.copositivityWitness(schur) : ExactForms.searchCopositivityWitness(schur);
                if (yw == null && !decided) {
                    return new SecondOrder(Verdict.UNDECIDED, paper.lambdaMin(), "sandwich", 0.0, String.format(Locale.ROOT,
                            "|D| = %d > maxDegenerate %d: not PSD on L, PSD on L ∩ {d_D = 0}, and no witness in K found by"
                                    + " the cheap search (𝟙, e_j, e_i + e_j); copositivity on K not decided", ky, tol.maxDegenerate()),
                            null);
                }
                if (yw == null) {
                    return new SecondOrder(Verdict.HOLDS, paper.lambdaMin(), "exact-copositive", 0.0, String.format(Locale.ROOT,
                            "copositive on K exactly: the Schur complement on the %d degenerate coordinates is copositive"
                                    + " (Cottle–Habetler–Lemke), though ∇²F is not PSD on L", ky), null);
                }
                BigFraction[] y = ExactForms.zeros(free.length);
                for (int j = 0; j < ky; j++) {
                    y[yPos.get(j)] = yw[j];
                    for (int i = 0; i < kz; i++) {
                        y[zPos.get(i)] = y[zPos.get(i)].subtract(z[i][j].multiply(yw[j]));
                    }
                }
                DirectionWitness wit = witness(direction(y), "K");
                return new SecondOrder(Verdict.FAILS, paper.lambdaMin(), "exact-copositive", 0.0,
                        "a direction in K (d_D ≥ 0) has negative curvature " + wit.curvatureExact(), wit);
            }

            Strict strict() {
                // constraints on d ∈ ℝ^u: (Σd = 0), and ⟨d, t⟩ = 0 for t spanning the symmetry directions T
                List<BigFraction[]> cons = new ArrayList<>();
                if (o.isSimplex()) {
                    BigFraction[] ones = new BigFraction[u.length];
                    java.util.Arrays.fill(ones, BigFraction.ONE);
                    cons.add(ones);
                }
                List<BigFraction[]> flat = flatSymmetry();
                notes.add(symmetryNote(flat.size(), true));
                cons.addAll(flat);
                List<BigFraction[]> basis = ExactForms.nullSpace(cons.toArray(new BigFraction[0][]), u.length);
                List<double[]> symD = new ArrayList<>();
                for (BigFraction[] t : flat) {
                    double[] dd = new double[t.length];
                    for (int i = 0; i < t.length; i++) {
                        dd[i] = t[i].doubleValue();
                    }
                    symD.add(dd);
                }
                Double muValue = floatLambda(symD);
                if (basis.isEmpty()) {
                    return new Strict(Verdict.HOLDS, null, "exact-ldl", 0.0,
                            "L with the symmetry directions removed is {0}: nothing to check", null);
                }
                int q = basis.size();
                BigFraction[][] red = new BigFraction[q][q];
                BigFraction[][] mb = new BigFraction[q][];
                for (int a = 0; a < q; a++) {
                    mb[a] = times(mu, basis.get(a));
                }
                for (int a = 0; a < q; a++) {
                    for (int b = a; b < q; b++) {
                        BigFraction s = BigFraction.ZERO;
                        BigFraction[] va = basis.get(a);
                        for (int i = 0; i < u.length; i++) {
                            if (va[i].signum() != 0) {
                                s = s.add(va[i].multiply(mb[b][i]));
                            }
                        }
                        red[a][b] = s;
                        red[b][a] = s;
                    }
                }
                ExactForms.Definiteness df = ExactForms.definiteness(red);
                if (df.pd()) {
                    return new Strict(Verdict.HOLDS, muValue, "exact-ldl", 0.0,
                            "∇²F is positive definite on L ⊥ T exactly (T of dimension " + flat.size() + " from all r² directions (WX, −XH)): a strict local minimum modulo the GL(r) symmetry", null);
                }
                BigFraction[] d = ExactForms.zeros(nn);
                for (int a = 0; a < q; a++) {
                    BigFraction ya = df.witness()[a];
                    if (ya.signum() == 0) {
                        continue;
                    }
                    BigFraction[] va = basis.get(a);
                    for (int i = 0; i < u.length; i++) {
                        d[u[i]] = d[u[i]].add(va[i].multiply(ya));
                    }
                }
                DirectionWitness wit = witness(d, "L-perp-T");
                return new Strict(Verdict.FAILS, muValue, "exact-ldl", 0.0, df.psd()
                        ? "a non-zero direction in L ⊥ T has zero curvature (a flat direction beyond the GL(r) symmetry, T of dimension " + flat.size() + ")"
                        : "a direction in L ⊥ T has negative curvature " + wit.curvatureExact(), wit);
            }

            BigFraction[] times(BigFraction[][] a, BigFraction[] v) {
                BigFraction[] out = ExactForms.zeros(a.length);
                for (int i = 0; i < a.length; i++) {
                    BigFraction s = BigFraction.ZERO;
                    for (int j = 0; j < v.length; j++) {
                        if (v[j].signum() != 0) {
                            s = s.add(a[i][j].multiply(v[j]));
                        }
                    }
                    out[i] = s;
                }
                return out;
            }

            /**
             * T = {t_X : X ∈ ℝ^{r×r}, t_X ∈ L, ∇²F t_X ⊥ L} on u, as an independent basis (proofs-notes/symmetry-gl-r.md),
             * over all r² directions t_ab = (W E_ab, −E_ab H). Linear conditions on X: (t_X)_A = 0, Σt_X = 0 (S-NMF), and
             * M_u t_X = 0 (NMF) or ∈ span(1) (S-NMF), which is ∇²F t_X ⊥ L once (t_X)_A = 0. Contains every s_k at an
             * NMF FOSP (Lemma 3); at an S-NMF FOSP with c ≠ 0 it may not (V = [1], C = 4 at (2, 2): T = {0}).
             */
            List<BigFraction[]> flatSymmetry() {
                int rr = r * r;
                boolean simplex = o.isSimplex();
                int cols = rr + (simplex ? 1 : 0);
                BigFraction[][] full = new BigFraction[rr][];
                BigFraction[][] tu = new BigFraction[rr][];
                BigFraction[][] mt = new BigFraction[rr][];
                for (int a = 0; a < r; a++) {
                    for (int b = 0; b < r; b++) {
                        int ab = a * r + b;
                        full[ab] = candidate(a, b);
                        tu[ab] = new BigFraction[u.length];
                        for (int i = 0; i < u.length; i++) {
                            tu[ab][i] = full[ab][u[i]];
                        }
                        mt[ab] = times(mu, tu[ab]);
                    }
                }
                List<BigFraction[]> rows = new ArrayList<>();
                for (int c = 0; c < nn; c++) {
                    if (kinds[c] == Kind.A) {
                        BigFraction[] row = ExactForms.zeros(cols);
                        boolean any = false;
                        for (int ab = 0; ab < rr; ab++) {
                            row[ab] = full[ab][c];
                            any |= row[ab].signum() != 0;
                        }
                        if (any) {
                            rows.add(row);
                        }
                    }
                }
                if (simplex) {
                    BigFraction[] row = ExactForms.zeros(cols);
                    for (int ab = 0; ab < rr; ab++) {
                        for (BigFraction v : tu[ab]) {
                            row[ab] = row[ab].add(v);
                        }
                    }
                    rows.add(row);
                }
                for (int i = 0; i < u.length; i++) {
                    BigFraction[] row = ExactForms.zeros(cols);
                    for (int ab = 0; ab < rr; ab++) {
                        row[ab] = mt[ab][i];
                    }
                    if (simplex) {
                        row[rr] = BigFraction.MINUS_ONE;
                    }
                    rows.add(row);
                }
                List<BigFraction[]> images = new ArrayList<>();
                for (BigFraction[] coef : ExactForms.nullSpace(rows.toArray(new BigFraction[0][]), cols)) {
                    BigFraction[] v = ExactForms.zeros(u.length);
                    for (int ab = 0; ab < rr; ab++) {
                        if (coef[ab].signum() != 0) {
                            for (int i = 0; i < u.length; i++) {
                                v[i] = v[i].add(coef[ab].multiply(tu[ab][i]));
                            }
                        }
                    }
                    images.add(v);
                }
                return ExactForms.rowBasis(images, u.length);
            }

            /** t_ab = (W E_ab, −E_ab H) in full coordinates: column b of dW = column a of W, row a of dH = −row b of H. */
            BigFraction[] candidate(int a, int b) {
                BigFraction[] t = ExactForms.zeros(nn);
                for (int i = 0; i < n; i++) {
                    t[i * r + b] = xe[i * r + a];
                }
                for (int j = 0; j < m; j++) {
                    t[n * r + a * m + j] = xe[n * r + b * m + j].negate();
                }
                return t;
            }
        }

        String[][] strings(BigDecimal[] a, int off, int rows, int cols) {
            String[] s = new String[rows * cols];
            for (int i = 0; i < s.length; i++) {
                s[i] = a[off + i].signum() == 0 ? "0" : a[off + i].toString();
            }
            return reshape(s, 0, rows, cols);
        }
    }

    static String[][] reshape(String[] s, int off, int rows, int cols) {
        String[][] out = new String[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = s[off + i * cols + j];
            }
        }
        return out;
    }

    /**
     * f rounded to double through 40 significant digits: also where Hipparchus' doubleValue() flushes a subnormal result
     * to 0 (e.g. a gradient of 2^-1050 in exact mode), and ±∞ beyond the double range.
     */
    public static double toDouble(BigFraction f) {
        if (f.signum() == 0) {
            return 0;
        }
        return new BigDecimal(f.getNumerator()).divide(new BigDecimal(f.getDenominator()), new java.math.MathContext(40))
                .doubleValue();
    }

    /** The exact decimal expansion of a double (every finite double is a finite decimal). */
    public static String decimal(double v) {
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).toString();
    }

    /** "p/q", or "p" for integers. */
    public static String fraction(BigFraction f) {
        BigInteger num = f.getNumerator(), den = f.getDenominator();
        return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
    }

    /** Parses "p/q", "p", or a decimal (also with exponent) exactly. */
    public static BigFraction parseFraction(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        if (slash >= 0) {
            return new BigFraction(new BigInteger(t.substring(0, slash).trim()), new BigInteger(t.substring(slash + 1).trim()));
        }
        BigDecimal d = new BigDecimal(t);
        if (d.scale() <= 0) {
            return new BigFraction(d.toBigIntegerExact());
        }
        return new BigFraction(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }
}
