package io.github.nmforacle.certify;

import io.github.nmforacle.certify.Certificate.DirectionWitness;
import io.github.nmforacle.certify.Certificate.FirstOrder;
import io.github.nmforacle.certify.Certificate.SecondOrder;
import io.github.nmforacle.certify.Certificate.Strict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hipparchus.fraction.BigFraction;

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

    /** γ_k = ku/(1 − ku) (Higham §3.1): the relative error bound of a sum of k rounded operations. */
    static double gamma(long k) {
        double ku = k * U;
        return ku / (1 - ku);
    }

    private Certifier() {
    }

    /**
     * A rigorous upper bound on ‖A‖_F from {@link DenseMatrix#frobeniusNorm} (entries divided by the largest, squared,
     * summed, square-rooted, multiplied back: relative error within γ_{len+6}, and a square below MIN_NORMAL loses at most
     * MIN_NORMAL, so the scaled sum at most len·MIN_NORMAL with a scaled sum ≥ 1).
     */
    static double normUp(DenseMatrix a) {
        long len = (long) a.rows() * a.cols();
        return a.frobeniusNorm() * (1 + gamma(len + 6) + Math.sqrt(len * Double.MIN_NORMAL)) * (1 + 2 * U);
    }

    /**
     * Certifies (W, H) for V.
     *
     * @throws IllegalArgumentException on invalid V (NaN, ∞, negative, empty), non-finite W or H, or mismatched shapes
     */
    public static Certificate certify(DenseMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        return certify((io.github.nmforacle.linalg.DataMatrix) v, w, h, o);
    }

    /**
     * Certifies (W, H) for a dense or sparse V. On a sparse V the first-order claim, F and the Hessian forms run in
     * O(nnz·r) (issue 15 item 1); a stage that needs V dense (exact mode, the dense and restricted Hessians are built
     * from on-demand entries) refuses with the dense size when V is too large to make dense.
     *
     * @throws IllegalArgumentException as {@link #certify(DenseMatrix, DenseMatrix, DenseMatrix, CertifyOptions)}
     */
    public static Certificate certify(io.github.nmforacle.linalg.DataMatrix v, DenseMatrix w, DenseMatrix h,
                                      CertifyOptions o) {
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
            double[] lowerL = {Double.NaN, Double.NaN};
            if (o.mode() == Mode.EXACT) {
                Certification run = new Certification(p, w, h, o);
                // the float eigenvalues reported next to the exact verdicts are informational, computed at the
                // normalised point; the exact verdicts never depend on them
                run.floatTwin = nz.k() == 0 ? run : new Certification(ps, nz.w(), nz.h(), nz.options(), nz.k(), o);
                c = run.exact();
            } else {
                c = floatCertify(ps, nz, o, lowerL);
            }
            return c.with(CurvatureBounds.of(c, ps, nz.w(), nz.h(), nz.k(), lowerL[0], lowerL[1]), Certificate.Provenance.of(v, w, h, o));
        }
    }

    /**
     * Certifies (W, H) for a V held in row blocks ({@link NmfProblem#of(io.github.nmforacle.problem.DataBackend, int)},
     * issue 15 item 2): the float-mode stages of {@link #certify(io.github.nmforacle.linalg.DataMatrix, DenseMatrix,
     * DenseMatrix, CertifyOptions)}, every product, F and Hessian form a pass over the blocks, every rounding bound
     * over the rows of V lengthened by the block count (proofs-notes/certifier.md, "Distributed V"). The stages that
     * read every entry of V on one machine (the structured and bordered Cholesky) are skipped with the reason in the
     * certificate; the power-of-two normalisation is not applied (k = 0, which is always exact).
     *
     * @throws IllegalArgumentException for exact mode (it needs V on one machine), non-finite W or H, or mismatched shapes
     */
    public static Certificate certify(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        if (!p.distributed()) {
            throw new IllegalArgumentException("certify(NmfProblem, ...) is for a distributed V; pass V itself otherwise");
        }
        if (o.mode() == Mode.EXACT) {
            throw new IllegalArgumentException("exact mode needs all of V on one machine: a distributed V is certified"
                    + " in float mode only");
        }
        if (w.rows() != p.n() || h.cols() != p.m() || w.cols() != p.rank() || h.rows() != p.rank()) {
            throw new IllegalArgumentException("shapes do not fit: V is " + p.n() + "x" + p.m() + ", W is " + w.shape()
                    + ", H is " + h.shape() + " (need W n×r and H r×m, r = " + p.rank() + ")");
        }
        requireFinite(w, "W");
        requireFinite(h, "H");
        Normalisation nz = new Normalisation(0, null, w, h, o, false);
        double[] lowerL = {Double.NaN, Double.NaN};
        Certificate c = floatCertify(p, nz, o, lowerL);
        java.util.List<String> notes = new ArrayList<>(c.notes());
        notes.add(0, "V is distributed in " + p.blockPartials() + " row blocks: every sum over its rows was evaluated"
                + " as block partials added in block order, and its rounding bound lengthened by the block count;"
                + " not normalised by a power of two (k = 0)");
        c = new Certificate(c.tool(), c.problem(), c.C(), c.CExact(), c.mode(), c.n(), c.m(), c.r(), c.objective(),
                c.fosp(), c.sospPaper(), c.sospCone(), c.strictModuloSymmetry(), c.tolerances(), c.counts(), c.scales(),
                notes, null, null);
        return c.with(CurvatureBounds.of(c, p, w, h, 0, lowerL[0], lowerL[1]),
                Certificate.Provenance.of(p.backend().sha256(), w, h, o));
    }

    static Certificate floatCertify(NmfProblem p, Normalisation nz, CertifyOptions user) {
        return floatCertify(p, nz, user, new double[2]);
    }

    /** As above; {@code lowerL[0]}: the verified Cholesky lower bound on λ_min on L at the normalised point, or NaN. */
    static Certificate floatCertify(NmfProblem p, Normalisation nz, CertifyOptions user, double[] lowerL) {
        DenseMatrix w = nz.w(), h = nz.h();
        CertifyOptions o = nz.options();
        Certification run = new Certification(p, w, h, o, nz.k(), user);
        if (nz.k() != 0) {
            run.notes.add(nz.note());
        } else if (nz.clamped()) {
            run.notes.add("the input was not normalised by a power of two: its dynamic range leaves no exact scaling");
        }
        Certificate c = run.floating();
        lowerL[0] = run.choleskyLowerL;
        lowerL[1] = run.muLower;
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
        Certificate b = new Certification(p, balanced.w(), balanced.h(), o, nz.k(), user).floating();
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
                    String.format(Locale.ROOT, why, b.strictModuloSymmetry().verdict()), null, st.symmetry());
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

    /**
     * The value written {@code s} when it is exactly a double (a decimal such as {@link #decimal} writes: every entry of
     * a witness the certifier emits), read without BigFraction's gcds; else null (a fraction, or a decimal between
     * doubles). A witness of 10⁵ entries took 20 s through {@code toDouble(parseFraction(…))}.
     */
    public static Double exactDouble(String s) {
        String t = s.trim();
        if (t.indexOf('/') >= 0) {
            return null;
        }
        BigDecimal d = new BigDecimal(t);
        double x = Double.parseDouble(t);       // correctly rounded; BigDecimal.doubleValue divides, far slower
        return Double.isFinite(x) && new BigDecimal(x).compareTo(d) == 0 ? x + 0.0 : null;
    }

    /** A witness's entries (dW row-major, then dH) as doubles; {@code exact}: each is the entry's exact value. */
    record Entries(double[] values, boolean exact) {
    }

    /**
     * Entries already known, by the identity of the witness's dW array (records share it when relabelled or rescaled;
     * no code writes a witness's arrays after creating it, which this cache relies on):
     * the stages read a witness several times, and at 10⁵ entries parsing its decimals dominated a certification.
     */
    private static final java.util.Map<String[][], Entries> ENTRIES =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** Records that the witness with this dW holds exactly these doubles (its strings are their {@link #decimal}s). */
    static void rememberExact(String[][] dW, double[] values) {
        ENTRIES.put(dW, new Entries(values, true));
    }

    /** The entries of a witness: remembered, else parsed (each through {@link #exactDouble}, else BigFraction). */
    static Entries entries(DirectionWitness d) {
        Entries known = ENTRIES.get(d.dW());
        if (known != null) {
            return known;
        }
        int len = 0;
        for (String[][] block : new String[][][] {d.dW(), d.dH()}) {
            for (String[] row : block) {
                len += row.length;
            }
        }
        double[] v = new double[len];
        boolean exact = true;
        int t = 0;
        for (String[][] block : new String[][][] {d.dW(), d.dH()}) {
            for (String[] row : block) {
                for (String x : row) {
                    Double e = exactDouble(x);
                    exact &= e != null;
                    v[t++] = e != null ? e : toDouble(parseFraction(x));
                }
            }
        }
        Entries parsed = new Entries(v, exact);
        ENTRIES.put(d.dW(), parsed);
        return parsed;
    }

    /** {@code toDouble(parseFraction(s))}, the same double, on the fast path of {@link #exactDouble} when it applies. */
    public static double toDouble(String s) {
        Double x = exactDouble(s);
        return x != null ? x : toDouble(parseFraction(s));
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
