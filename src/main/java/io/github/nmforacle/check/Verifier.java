package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.check.Json.Rejected;
import io.github.nmforacle.linalg.DenseMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hipparchus.fraction.BigFraction;

/** One run of the checker on one certificate; see {@link Checker} and proofs-notes/checker.md. */
final class Verifier {
    private static final double REL = 1e-9;
    private static final double U = Point.U;
    private static final int S = 0;
    private static final int A = 1;
    private static final int D = 2;
    private static final int NONE = 3;
    private static final String[] SECOND_ORDER = {"sospPaper", "sospCone", "strictModuloSymmetry"};

    /** Something that must be re-checked and cannot be (a size limit): reported as NOT VERIFIED. */
    private static final class Unverifiable extends RuntimeException {
        Unverifiable(String message) {
            super(message, null, false, false);
        }
    }

    private final Checker limits;
    private final Point pt;
    private final JsonNode cert;
    private final Report rep = new Report();

    private boolean exact;
    private boolean snmf;
    /** S-NMF: the sum C (exact). */
    private BigFraction bigC;
    /** The multiplier c (0 for NMF); null when an S-NMF certificate gives none. */
    private BigFraction c = BigFraction.ZERO;
    private double cDouble;
    private boolean tolerancesOk;
    private double tauFirst;
    private double delta;
    private double tauSecond;
    private double tauSum;
    /** The scales used by the relative tests: the certificate's when they match the recomputation. */
    private double gammaS;
    private double xiS;
    private double etaS;
    private String fospVerdict;
    private boolean fospHoldsVerified;
    private boolean fospFailsVerified;
    /** Exact mode, fosp HOLDS verified: the class (S, A, D) of every coordinate. */
    private int[] cls;
    private List<BigFraction[]> witnessT;   // T for witnesses, computed on first use
    /** fosp HOLDS: the recomputed counts {S, A, D} and, in float mode, the range rounding allows. */
    private int[] countsCentral;
    private int[] countsMin;
    private int[] countsMax;
    private Point.ExactFirstOrder exactFirst;
    private final Map<Integer, BigFraction> gradCache = new HashMap<>();
    private double[] residualNorm;
    /** The direction witnesses verified per claim (the upper ends of the curvature intervals rest on them). */
    private final Map<String, Direction> verifiedWitness = new HashMap<>();

    Verifier(Checker limits, Point pt, JsonNode cert) {
        this.limits = limits;
        this.pt = pt;
        this.cert = cert;
        this.gammaS = pt.gamma;
        this.xiS = pt.xiMax;
        this.etaS = pt.eta;
    }

    Report run() {
        if (!header()) {
            rep.notRechecked("claims", "the certificate does not describe these matrices");
            return rep;
        }
        step("fields", this::fields);
        step("provenance", this::provenance);
        step("tolerances", this::tolerances);
        step("scales", this::scales);
        step("objective", this::objective);
        step("multiplier", this::multiplier);
        step("fosp", this::fosp);
        step("counts", this::counts);
        for (String name : SECOND_ORDER) {
            step(name, () -> secondOrder(name));
        }
        for (String name : SECOND_ORDER) {
            String field = name.equals("strictModuloSymmetry") ? "mu" : "lambdaMin";
            step(name + "." + field, () -> bounds(name, field));
        }
        return rep;
    }

    private void step(String subject, Runnable r) {
        try {
            r.run();
        } catch (Rejected e) {
            rep.rejected(subject, e.getMessage());
        } catch (Unverifiable e) {
            if (limits.acceptUnverified) {
                rep.add(subject, Report.Status.ACCEPTED_UNVERIFIED, e.getMessage());
            } else {
                rep.notVerified(subject, e.getMessage() + " (--accept-unverified lists it instead of failing)");
            }
        } catch (ArithmeticException | IllegalArgumentException | org.hipparchus.exception.MathRuntimeException e) {
            // arithmetic the certificate's numbers make impossible (a zero denominator, a shape)
            rep.rejected(subject, "cannot evaluate: " + e.getMessage());
        }
    }

    private static Rejected reject(String message) {
        return Json.reject(message);
    }

    // ================================================================== structure

    private boolean header() {
        List<String> fatal = new ArrayList<>();
        List<String> other = new ArrayList<>();
        String problem = attempt(() -> Json.text(cert, "problem", ""), fatal);
        String mode = attempt(() -> Json.text(cert, "mode", ""), fatal);
        if (problem != null && !problem.equals("NMF") && !problem.equals("S-NMF")) {
            fatal.add("problem is '" + Exact.abbreviate(problem) + "', expected NMF or S-NMF");
        }
        if (mode != null && !mode.equals("exact") && !mode.equals("float")) {
            fatal.add("mode is '" + Exact.abbreviate(mode) + "', expected exact or float");
        }
        int[] actual = {pt.n, pt.m, pt.r};
        String[] names = {"n", "m", "r"};
        String[] what = {"rows of V", "columns of V", "columns of W"};
        for (int i = 0; i < 3; i++) {
            int q = i;
            Integer val = attempt(() -> Json.integer(cert, names[q], ""), fatal);
            if (val != null && val != actual[i]) {
                fatal.add(names[i] + " is " + val + " but there are " + actual[i] + " " + what[i]);
            }
        }
        if (!fatal.isEmpty()) {
            rep.rejected("structure", String.join("; ", fatal));
            return false;
        }
        exact = mode.equals("exact");
        snmf = problem.equals("S-NMF");
        c = snmf ? null : BigFraction.ZERO;
        Double cd = attempt(() -> Json.optionalNumber(cert, "C", ""), other);
        BigFraction ce = attempt(() -> Json.optionalExact(cert, "CExact", ""), other);
        if (snmf) {
            if (ce == null && cd == null) {
                other.add("S-NMF needs C and CExact");
            } else if (ce == null) {
                other.add("S-NMF needs CExact");
                bigC = Double.isFinite(cd) ? Exact.of(cd) : null;
            } else {
                bigC = ce;
                if (cd == null) {
                    other.add("S-NMF needs C");
                } else if (!agreesExact(cd, ce, REL)) {
                    other.add("C = " + cd + " is not CExact = " + Exact.show(ce));
                }
            }
            if (bigC != null && bigC.signum() <= 0) {
                other.add("C must be positive, got " + Exact.show(bigC));
            }
        } else if (cd != null || ce != null) {
            other.add("NMF has no C, but C/CExact are given");
        }
        if (!other.isEmpty()) {
            rep.rejected("structure", String.join("; ", other));
        } else {
            rep.verified("structure", problem + ", " + mode + " mode, V " + pt.n + "x" + pt.m + ", r = " + pt.r
                    + (snmf ? ", C = " + Exact.show(bigC) : ""));
        }
        return true;
    }

    private static <T> T attempt(java.util.function.Supplier<T> s, List<String> problems) {
        try {
            return s.get();
        } catch (Rejected e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    // ================================================================== fields

    private static final List<String> TOP = List.of("tool", "indexBase", "problem", "C", "CExact", "mode", "n", "m", "r",
            "objective", "fosp", "sospPaper", "sospCone", "strictModuloSymmetry", "tolerances", "counts", "scales",
            "provenance", "info");
    private static final List<String> FOSP = List.of("verdict", "residual", "multiplier", "multiplierExact", "noise", "sum",
            "witness");
    private static final List<String> SECOND = List.of("verdict", "lambdaMin", "witness");
    private static final List<String> STRICT = List.of("verdict", "mu", "witness");
    private static final List<String> INTERVAL = List.of("lower", "lowerMethod", "upper", "upperMethod");
    private static final List<String> TOLERANCES_EXACT = List.of("maxDegenerate", "maxExactDimension");
    private static final List<String> TOLERANCES_FLOAT = List.of("firstOrder", "degenerate", "secondOrder",
            "maxDenseDimension");
    private static final List<String> TOLERANCES_FLOAT_SNMF = List.of("firstOrder", "degenerate", "secondOrder", "sum",
            "maxDenseDimension");
    private static final List<String> COUNTS = List.of("support", "stronglyActive", "degenerate");
    private static final List<String> SCALES = List.of("gradient", "entry", "hessian");
    private static final List<String> PROVENANCE = List.of("version", "options", "sha256");
    private static final List<String> SHA = List.of("V", "W", "H");
    private static final List<String> FIRST_WITNESS = List.of("kind", "coordinates", "value", "valueExact");
    private static final List<String> COORDINATE = List.of("factor", "row", "col", "x", "gradient", "gradientExact");
    private static final List<String> DIRECTION = List.of("set", "curvature", "curvatureExact", "dW", "dH");

    /**
     * Every object has exactly the fields of the format: an unknown, misspelt or missing field is not silently
     * ignored (it could carry a claim nobody checks). "info" is the one free-form object: informational text and
     * estimates, which the checker ignores and says so.
     */
    private void fields() {
        keys(cert, TOP, "");
        JsonNode base = Json.get(cert, "indexBase");
        if (base == null || !base.isIntegralNumber() || base.asInt() != 0 || !base.canConvertToInt()) {
            throw reject("indexBase must be 0 (indices are 0-based, numpy's convention)");
        }
        keys(Json.object(cert, "fosp", ""), FOSP, "fosp.");
        for (String claim : SECOND_ORDER) {
            JsonNode o = Json.object(cert, claim, "");
            boolean strict = claim.equals("strictModuloSymmetry");
            keys(o, strict ? STRICT : SECOND, claim + ".");
            keys(Json.object(o, strict ? "mu" : "lambdaMin", claim + "."), INTERVAL, claim + (strict ? ".mu." : ".lambdaMin."));
        }
        keys(Json.object(cert, "tolerances", ""), exact ? TOLERANCES_EXACT : snmf ? TOLERANCES_FLOAT_SNMF : TOLERANCES_FLOAT,
                "tolerances." + (exact ? "(exact mode: the budgets only) " : ""));
        JsonNode counts = Json.get(cert, "counts");
        if (counts != null) {
            keys(Json.object(cert, "counts", ""), COUNTS, "counts.");
        }
        keys(Json.object(cert, "scales", ""), SCALES, "scales.");
        JsonNode pv = Json.object(cert, "provenance", "");
        keys(pv, PROVENANCE, "provenance.");
        Json.text(pv, "version", "provenance.");
        Json.object(pv, "options", "provenance.");
        keys(Json.object(pv, "sha256", "provenance."), SHA, "provenance.sha256.");
        Json.object(cert, "info", "");
        for (String claim : new String[] {"fosp", "sospPaper", "sospCone", "strictModuloSymmetry"}) {
            witnessKeys(Json.get(Json.object(cert, claim, ""), "witness"), claim + ".witness.");
        }
        Double noise = Json.optionalNumber(Json.object(cert, "fosp", ""), "noise", "fosp.");
        if (noise != null && !(noise >= 0 && Double.isFinite(noise))) {
            throw reject("fosp.noise = " + noise + " is not a finite number ≥ 0");
        }
        rep.verified("fields", "every object has exactly the fields of format v2");
        rep.notRechecked("info", "ignored: informational text and estimates (reasons, methods, float eigenvalue estimates,"
                + " notes, provenance.version and provenance.options) are not claims and are not read");
    }

    private static void keys(JsonNode o, List<String> expected, String where) {
        for (java.util.Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!expected.contains(k)) {
                throw reject("unknown field " + where + Exact.abbreviate(k));
            }
        }
        for (String k : expected) {
            if (!o.has(k)) {
                throw reject("missing field " + where + k);
            }
        }
    }

    private static void witnessKeys(JsonNode w, String where) {
        if (w == null || w.isNull()) {
            return;
        }
        if (!w.isObject()) {
            throw reject(where.substring(0, where.length() - 1) + " is not an object");
        }
        if (w.has("kind")) {
            keys(w, FIRST_WITNESS, where);
            JsonNode cs = Json.get(w, "coordinates");
            if (cs == null || !cs.isArray()) {
                throw reject(where + "coordinates is not a list");
            }
            for (JsonNode c : cs) {
                if (!c.isObject()) {
                    throw reject(where + "coordinates has an entry that is not an object");
                }
                keys(c, COORDINATE, where + "coordinates[].");
            }
        } else {
            keys(w, DIRECTION, where);
        }
    }

    private void tolerances() {
        JsonNode t = Json.object(cert, "tolerances", "");
        for (String k : exact ? TOLERANCES_EXACT : List.of("maxDenseDimension")) {
            if (Json.integer(t, k, "tolerances.") < 0) {
                throw reject("tolerances." + k + " is negative");
            }
        }
        if (exact) {
            return; // exact mode uses no relative tolerances
        }
        tauFirst = Json.number(t, "firstOrder", "tolerances.");
        delta = Json.number(t, "degenerate", "tolerances.");
        tauSecond = Json.number(t, "secondOrder", "tolerances.");
        tauSum = snmf ? Json.number(t, "sum", "tolerances.") : 0.5;
        double[] all = {tauFirst, delta, tauSecond, tauSum};
        String[] names = {"firstOrder", "degenerate", "secondOrder", "sum"};
        for (int i = 0; i < all.length; i++) {
            if (!(all[i] > 0 && all[i] < 1)) {
                throw reject("tolerances." + names[i] + " = " + all[i] + " is not in (0, 1)");
            }
        }
        if (delta < tauFirst) {
            throw reject("tolerances.degenerate = " + delta + " is below tolerances.firstOrder = " + tauFirst);
        }
        tolerancesOk = true;
    }

    /** provenance.sha256: the digests of V, W, H recomputed (the certificate is about these matrices). */
    private void provenance() {
        JsonNode sha = Json.object(Json.object(cert, "provenance", ""), "sha256", "provenance.");
        List<String> bad = new ArrayList<>();
        String[] names = {"V", "W", "H"};
        DenseMatrix[] ms = {pt.v, pt.w, pt.h};
        for (int i = 0; i < 3; i++) {
            String given = Json.text(sha, names[i], "provenance.sha256.");
            if (!given.equals(Point.sha256(ms[i]))) {
                bad.add(names[i]);
            }
        }
        if (!bad.isEmpty()) {
            throw reject("provenance.sha256 of " + String.join(", ", bad) + " does not match the matrices given (SHA-256 of"
                    + " rows, cols and the binary64 entries, row-major)");
        }
        rep.verified("provenance", "SHA-256 of V, W and H match");
    }

    private void requireTolerances() {
        if (!tolerancesOk) {
            throw reject("float mode needs valid tolerances (see the tolerances line)");
        }
    }

    private void scales() {
        JsonNode s = Json.object(cert, "scales", "");
        double g = Json.number(s, "gradient", "scales.");
        double x = Json.number(s, "entry", "scales.");
        double e = Json.number(s, "hessian", "scales.");
        int k = pt.n + pt.m + pt.r + 10;
        List<String> bad = new ArrayList<>();
        // when the formula gives γ = 0 (then ∇F = 0 if W, H ≥ 0), a floor γ = 1 is accepted: it only rescales ρ = 0
        boolean floor = pt.gammaAbs == 0 && g == 1.0;
        if (!floor && !agrees(g, pt.gamma, 3, REL, 2 * k * 0x1p-52 * pt.gammaAbs)) {
            bad.add("gradient (γ) = " + g + ", recomputed " + pt.user(pt.gamma, 3));
        }
        if (!agrees(x, pt.xiMax, 1, REL, 0) && !agrees(x, pt.xiAbs, 1, REL, 0)) {
            bad.add("entry (ξ) = " + x + ", recomputed " + pt.user(pt.xiMax, 1));
        }
        // likewise η = 1 where the formula gives η = 0 (W = H = 0 and V = 0: the Hessian is 0, any η > 0 is sound)
        boolean etaFloor = pt.eta == 0 && e == 1.0;
        if (!etaFloor && !agrees(e, pt.eta, 2, REL, 4 * k * 0x1p-52 * pt.residualScale)) {
            bad.add("hessian (η) = " + e + ", recomputed " + pt.user(pt.eta, 2));
        }
        if (!bad.isEmpty()) {
            throw reject(String.join("; ", bad) + " (the recomputed values are used below)");
        }
        // the certificate's scales where they are exact at the normalised point (the floors are in its units)
        gammaS = floor ? 1.0 : normalised(g, 3, pt.gamma);
        xiS = normalised(x, 1, pt.xiMax);
        etaS = etaFloor ? 1.0 : normalised(e, 2, pt.eta);
        rep.verified("scales", String.format(Locale.ROOT, "γ = %.6e, ξ = %.6e, η = %.6e recomputed", g, x, e));
    }

    private void objective() {
        double f = Json.number(cert, "objective", "");
        if (exact && pt.work() <= limits.exactLimit) {
            double fe = pt.norm(exactFirst().objective(), 4);
            if (!agreesExact(f, exactFirst().objective(), REL)) {
                throw reject("objective = " + f + " but F = ‖V − WH‖² = " + Exact.show(exactFirst().objective()) + " exactly");
            }
            rep.verified("objective", "F = " + fmtUser(fe, 4) + ", exactly recomputed");
            return;
        }
        double a = pt.residualScale;
        double allowance = (pt.n + pt.m + pt.r + 10) * 0x1p-52 * a * a;
        if (!agrees(f, pt.objective, 4, REL, allowance)) {
            throw reject("objective = " + f + " but F = ‖V − WH‖² = " + fmtUser(pt.objective, 4) + " (rounding allowance "
                    + fmtUser(allowance, 4) + ")");
        }
        rep.verified("objective", "F = " + fmtUser(pt.objective, 4) + " within rounding");
    }

    private void multiplier() {
        JsonNode f = Json.get(cert, "fosp");
        if (f == null || !f.isObject()) {
            return; // reported by fosp
        }
        Double md = Json.optionalNumber(f, "multiplier", "fosp.");
        BigFraction me = Json.optionalExact(f, "multiplierExact", "fosp.");
        if (!snmf) {
            if ((md != null && md != 0) || (me != null && me.signum() != 0)) {
                c = BigFraction.ZERO;
                throw reject("NMF has no multiplier (c = 0), but fosp.multiplier is given");
            }
            c = BigFraction.ZERO;
            cDouble = 0;
            return;
        }
        if (me == null && md == null) {
            c = null;
            return;
        }
        if (me == null) {
            c = Double.isFinite(md) ? Exact.of(md) : null;
            cDouble = c == null ? md : pt.norm(c, 3);
            if (exact) {
                throw reject("exact mode needs fosp.multiplierExact");
            }
            return;
        }
        c = me;
        cDouble = pt.norm(me, 3);
        if (md != null && !agreesExact(md, me, REL)) {
            throw reject("fosp.multiplier = " + md + " is not fosp.multiplierExact = " + Exact.show(me));
        }
    }

    private void requireC() {
        if (c == null) {
            throw reject("S-NMF: no usable multiplier (fosp.multiplierExact) to check against");
        }
    }

    // ================================================================== first order

    private Point.ExactFirstOrder exactFirst() {
        if (exactFirst == null) {
            if (pt.work() > limits.exactLimit) {
                throw new Unverifiable("too large to re-check exactly (n·m·r = " + pt.work() + " > " + limits.exactLimit + ")");
            }
            exactFirst = pt.exactFirstOrder();
        }
        return exactFirst;
    }

    private BigFraction grad(int p) {
        if (exactFirst != null) {
            return exactFirst.gradient()[p];
        }
        return gradCache.computeIfAbsent(p, pt::gradientExact);
    }

    private void fosp() {
        JsonNode f = Json.object(cert, "fosp", "");
        fospVerdict = verdict(f, "fosp.");
        Double residual = Json.optionalNumber(f, "residual", "fosp."); // null when c is undefined (S-NMF off the simplex)
        if (!snmf) {
            for (String k : new String[] {"multiplier", "multiplierExact", "sum"}) {
                JsonNode x = Json.get(f, k);
                if (x != null && !x.isNull()) {
                    throw reject("fosp." + k + " must be null for NMF (there is no sum constraint)");
                }
            }
            if (residual == null) {
                throw reject("fosp.residual is missing: an NMF point always has a first-order residual");
            }
        }
        Double noise = Json.optionalNumber(f, "noise", "fosp.");
        if (noise == null) {
            throw reject("fosp.noise is missing");
        }
        if (exact && noise != 0) {
            throw reject("fosp.noise = " + noise + " but exact mode has no rounding (0)");
        }
        switch (fospVerdict) {
            case "HOLDS" -> {
                if (exact) {
                    fospHoldsExact(residual);
                } else {
                    fospHoldsFloat(residual);
                }
            }
            case "FAILS" -> {
                JsonNode w = Json.object(f, "witness", "fosp.");
                String msg = firstOrderWitness(w, "fosp.witness.");
                residualAgrees(residual);
                fospFailsVerified = true;
                rep.verified("fosp", "FAILS: " + msg);
            }
            default -> undecided("fosp", fospFinding());
        }
    }

    private static String verdict(JsonNode o, String where) {
        String v = Json.text(o, "verdict", where);
        if (!v.equals("HOLDS") && !v.equals("FAILS") && !v.equals("UNDECIDED")) {
            throw reject(where + "verdict is '" + Exact.abbreviate(v) + "', expected HOLDS, FAILS or UNDECIDED");
        }
        return v;
    }

    private void fospHoldsExact(Double residual) {
        if (pt.work() > limits.exactLimit) {
            throw new Unverifiable("HOLDS: too large to re-check exactly (n·m·r = " + pt.work() + " > " + limits.exactLimit
                    + "); the claim is not verified");
        }
        requireC();
        if (residual == null || residual != 0) {
            throw reject("HOLDS in exact mode needs residual 0, got " + residual);
        }
        BigFraction[] g = exactFirst().gradient();
        for (int p = 0; p < pt.size; p++) {
            if (pt.x(p) < 0) {
                throw reject("HOLDS but " + pt.name(p) + " = " + pt.x(p) + " is negative");
            }
        }
        if (snmf) {
            if (bigC == null) {
                throw reject("S-NMF without a usable C");
            }
            BigFraction sum = pt.sumExact();
            if (!sum.equals(bigC)) {
                throw reject("HOLDS but Σx = " + Exact.show(sum) + " ≠ C = " + Exact.show(bigC));
            }
        }
        cls = new int[pt.size];
        int[] counts = new int[3];
        for (int p = 0; p < pt.size; p++) {
            int sign = g[p].subtract(c).signum();
            if (pt.x(p) > 0) {
                if (sign != 0) {
                    throw reject("HOLDS but " + pt.name(p) + " = " + pt.x(p) + " > 0 and ∂F − c = "
                            + Exact.show(g[p].subtract(c)) + " ≠ 0");
                }
                cls[p] = S;
            } else {
                if (sign < 0) {
                    throw reject("HOLDS but " + pt.name(p) + " = 0 and ∂F − c = " + Exact.show(g[p].subtract(c)) + " < 0");
                }
                cls[p] = sign > 0 ? A : D;
            }
            counts[cls[p]]++;
        }
        countsCentral = counts;
        countsMin = counts;
        countsMax = counts;
        fospHoldsVerified = true;
        rep.verified("fosp", "HOLDS, exactly: x ≥ 0" + (snmf ? ", Σx = C" : "") + ", ∂F" + (snmf ? " − c" : "")
                + " = 0 on the " + counts[S] + " support coordinates and ≥ 0 on the other " + (counts[A] + counts[D]));
    }

    /** x̃ = x·γ/ξ and ρ = |min(x̃, g − c)|/γ in double (γ, ξ: the scales in use); +∞ for the degenerate conventions. */
    private double rhoDouble(double x, double gmc) {
        double xt;
        if (xiS > 0) {
            xt = x * (gammaS / xiS);
        } else {
            xt = x == 0 ? 0 : (x > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
        }
        double mn = Math.min(xt, gmc);
        if (gammaS > 0) {
            return Math.abs(mn) / gammaS;
        }
        return mn == 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    /** The same exactly (with the scales' exact values); null stands for +∞. */
    private BigFraction rhoExact(BigFraction x, BigFraction gmc) {
        BigFraction gam = gammaUser();
        BigFraction xi = Exact.scalb(Exact.of(xiS), -pt.ks);
        BigFraction mn;
        if (xi.signum() > 0) {
            BigFraction xt = x.multiply(gam).divide(xi);
            mn = xt.compareTo(gmc) < 0 ? xt : gmc;
        } else if (x.signum() < 0) {
            return null;
        } else {
            mn = x.signum() == 0 && BigFraction.ZERO.compareTo(gmc) < 0 ? BigFraction.ZERO : gmc;
        }
        if (gam.signum() > 0) {
            return mn.abs().divide(gam);
        }
        return mn.signum() == 0 ? BigFraction.ZERO : null;
    }

    /** {max_p ρ̂_p, bound on its rounding error}. */
    private double[] rhoMax() {
        double mx = 0;
        double gmax = 0;
        for (int p = 0; p < pt.size; p++) {
            mx = Math.max(mx, rhoDouble(pt.xn(p), pt.grad[p] - cDouble));
            gmax = Math.max(gmax, Math.abs(pt.grad[p]));
        }
        double noise = gammaS > 0 ? (pt.gradNoise + 2 * U * (Math.abs(cDouble) + gmax)) / gammaS + 4 * U * mx : 0;
        return new double[] {mx, noise};
    }

    private void residualAgrees(Double residual) {
        if (c == null || residual == null) {
            return;
        }
        double[] rm = rhoMax();
        if (Double.isInfinite(rm[0])) {
            return;
        }
        if (!close(residual, rm[0], 1e-6, 2 * rm[1] + 1e-15)) {
            throw reject("fosp.residual = " + residual + " but max_i |min(x_i·γ/ξ, ∂F_i − c)|/γ = " + fmt(rm[0]));
        }
    }

    private void fospHoldsFloat(Double residual) {
        requireTolerances();
        requireC();
        if (residual == null) {
            throw reject("HOLDS without fosp.residual");
        }
        double[] rm = rhoMax();
        double limit = tauFirst * (1 + 1e-6);
        if (rm[0] - rm[1] > limit) {
            int worst = 0;
            for (int p = 0; p < pt.size; p++) {
                if (rhoDouble(pt.xn(p), pt.grad[p] - cDouble) == rm[0]) {
                    worst = p;
                    break;
                }
            }
            throw reject("HOLDS but the relative residual at " + pt.name(worst) + " is " + fmt(rm[0]) + " > firstOrder = "
                    + tauFirst);
        }
        residualAgrees(residual);
        String sumNote = "";
        if (snmf) {
            if (bigC == null) {
                throw reject("S-NMF without a usable C");
            }
            BigFraction diff = pt.sumExact().subtract(bigC).abs();
            BigFraction allowed = Exact.of(tauSum).multiply(bigC).multiply(Exact.of(1 + 1e-6));
            if (diff.compareTo(allowed) > 0) {
                throw reject("HOLDS but |Σx − C| = " + Exact.show(diff) + " > sum·C = " + fmt(tauSum * bigC.doubleValue()));
            }
            sumNote = ", |Σx − C| ≤ sum·C";
        }
        classifyFloat();
        if (rm[0] + rm[1] > limit) {
            unverifiedHolds("fosp", "HOLDS: the largest relative residual " + fmt(rm[0]) + " is within rounding ("
                    + fmt(rm[1]) + ") of firstOrder = " + tauFirst);
            return;
        }
        fospHoldsVerified = true;
        rep.verified("fosp", "HOLDS within tolerance: max relative residual " + fmt(rm[0]) + " ≤ firstOrder = " + tauFirst
                + sumNote);
    }

    /** Float-mode classification of every coordinate with the double gradient, and the range rounding allows. */
    private void classifyFloat() {
        double thrX = delta * xiS;
        double thrG = delta * gammaS;
        int[] central = new int[4];
        int[] min = new int[4];
        int[] max = new int[4];
        for (int p = 0; p < pt.size; p++) {
            double x = pt.xn(p);
            double gmc = pt.grad[p] - cDouble;
            double eg = pt.gradNoise + 2 * U * (Math.abs(pt.grad[p]) + Math.abs(cDouble)) + Double.MIN_NORMAL;
            boolean zl = x <= thrX;
            boolean a = zl && gmc > thrG;
            boolean dd = zl && Math.abs(gmc) <= thrG;
            central[!zl ? S : a ? A : dd ? D : NONE]++;
            boolean[] zlPossible = possible(x <= thrX * (1 - 2 * U), x > thrX * (1 + 2 * U));
            boolean[] aPossible = possible(gmc - eg > thrG * (1 + 2 * U), gmc + eg <= thrG * (1 - 2 * U));
            boolean[] dPossible = possible(Math.abs(gmc) + eg <= thrG * (1 - 2 * U), Math.abs(gmc) - eg > thrG * (1 + 2 * U));
            boolean[] classes = new boolean[4];
            for (int zi = 0; zi < 2; zi++) {
                for (int ai = 0; ai < 2; ai++) {
                    for (int di = 0; di < 2; di++) {
                        if (zlPossible[zi] && aPossible[ai] && dPossible[di]) {
                            boolean z = zi == 1;
                            classes[!z ? S : ai == 1 ? A : di == 1 ? D : NONE] = true;
                        }
                    }
                }
            }
            int nPossible = 0;
            for (boolean b : classes) {
                nPossible += b ? 1 : 0;
            }
            for (int k = 0; k < 4; k++) {
                if (classes[k]) {
                    max[k]++;
                    if (nPossible == 1) {
                        min[k]++;
                    }
                }
            }
        }
        countsCentral = central;
        countsMin = min;
        countsMax = max;
    }

    /** {false possible, true possible} for a condition that is surely true / surely false as given. */
    private static boolean[] possible(boolean surelyTrue, boolean surelyFalse) {
        return new boolean[] {!surelyTrue, !surelyFalse};
    }

    /** Re-checks a first-order witness; returns what it shows, or throws. */
    private String firstOrderWitness(JsonNode w, String where) {
        if (!w.isObject()) {
            throw reject(where.substring(0, where.length() - 1) + " is not an object");
        }
        String kind = Json.text(w, "kind", where);
        List<Integer> coords = coordinates(w, where);
        switch (kind) {
            case "negative-entry" -> {
                int p = single(coords, kind);
                if (!(pt.x(p) < 0)) {
                    throw reject(kind + ": " + pt.name(p) + " = " + pt.x(p) + " is not negative");
                }
                if (!exact) {
                    requireC();
                }
                valueAgrees(w, where, exact ? Exact.of(pt.x(p)) : rhoExact(Exact.of(pt.x(p)), grad(p).subtract(c)), p, 1);
                return pt.name(p) + " = " + pt.x(p) + " < 0";
            }
            case "support-gradient", "active-gradient" -> {
                int p = single(coords, kind);
                requireC();
                BigFraction gmc = grad(p).subtract(c);
                if (exact) {
                    boolean support = kind.equals("support-gradient");
                    if (support && !(pt.x(p) > 0 && gmc.signum() != 0)) {
                        throw reject(kind + ": " + pt.name(p) + " = " + pt.x(p) + ", ∂F − c = " + Exact.show(gmc)
                                + ": not a support coordinate with ∂F ≠ c");
                    }
                    if (!support && !(pt.x(p) == 0 && gmc.signum() < 0)) {
                        throw reject(kind + ": " + pt.name(p) + " = " + pt.x(p) + ", ∂F − c = " + Exact.show(gmc)
                                + ": not a zero coordinate with ∂F < c");
                    }
                    String forced = snmf ? "; c is forced by " + forcedBy() : "";
                    valueAgrees(w, where, gmc, p);
                    return pt.name(p) + " = " + Exact.show(Exact.of(pt.x(p))) + " with ∂F − c = " + Exact.show(gmc)
                            + " exactly" + forced;
                }
                requireTolerances();
                BigFraction rho = rhoExact(Exact.of(pt.x(p)), gmc);
                if (rho != null && rho.compareTo(Exact.of(tauFirst)) <= 0) {
                    throw reject(kind + ": relative residual at " + pt.name(p) + " is " + Exact.show(rho)
                            + " ≤ firstOrder = " + tauFirst);
                }
                String est = snmf ? "; c is the documented estimate ⟨x, ∇F⟩/Σx" + estimateAgrees() : "";
                valueAgrees(w, where, rho, p);
                return "relative residual at " + pt.name(p) + " is " + (rho == null ? "∞" : Exact.show(rho))
                        + " > firstOrder = " + tauFirst + est;
            }
            case "sum-constraint" -> {
                if (!snmf) {
                    throw reject("sum-constraint witness for an NMF certificate");
                }
                if (bigC == null) {
                    throw reject("S-NMF without a usable C");
                }
                BigFraction diff = pt.sumExact().subtract(bigC);
                if (exact) {
                    if (diff.signum() == 0) {
                        throw reject("sum-constraint: Σx = C exactly");
                    }
                    BigFraction ve = Json.exact(w, "valueExact", where);
                    if (!ve.equals(diff) && !ve.equals(diff.negate())) {
                        throw reject(where + "valueExact = " + Exact.show(ve) + " but Σx − C = " + Exact.show(diff));
                    }
                    return "Σx − C = " + Exact.show(diff) + " ≠ 0 exactly";
                }
                requireTolerances();
                if (diff.abs().compareTo(Exact.of(tauSum).multiply(bigC)) <= 0) {
                    throw reject("sum-constraint: |Σx − C| = " + Exact.show(diff.abs()) + " ≤ sum·C");
                }
                double value = Json.number(w, "value", where);
                double rel = Exact.toDouble(diff.abs().divide(bigC));
                if (!close(Math.abs(value), rel, 1e-6, 1e-300) && !agrees(Math.abs(value), pt.norm(diff.abs(), 1), 1, 1e-6, 0)) {
                    throw reject(where + "value = " + value + " but |Σx − C|/C = " + fmt(rel));
                }
                return "|Σx − C|/C = " + fmt(rel) + " > sum = " + tauSum;
            }
            case "multiplier-pair" -> {
                if (!snmf) {
                    throw reject("multiplier-pair witness for an NMF certificate");
                }
                if (coords.size() != 2) {
                    throw reject("multiplier-pair needs two coordinates, got " + coords.size());
                }
                int i = coords.get(0);
                int k = coords.get(1);
                BigFraction gi = grad(i);
                BigFraction gk = grad(k);
                if (exact) {
                    double xk = pt.x(k);
                    boolean ok = pt.x(i) > 0 && ((xk > 0 && !gk.equals(gi)) || (xk == 0 && gk.compareTo(gi) < 0) || xk < 0);
                    if (!ok) {
                        throw reject("multiplier-pair: " + pt.name(i) + " = " + pt.x(i) + " (∂F = " + Exact.show(gi) + "), "
                                + pt.name(k) + " = " + xk + " (∂F = " + Exact.show(gk) + ") do not exclude every c");
                    }
                    return pt.name(i) + " > 0 forces c = " + Exact.show(gi) + ", which " + pt.name(k) + " violates exactly";
                }
                requireTolerances();
                if (!(xiS > 0 && gammaS > 0)) {
                    throw reject("multiplier-pair needs positive scales γ and ξ");
                }
                BigFraction tau = Exact.of(tauFirst);
                BigFraction gam = gammaUser();
                boolean big = Exact.of(pt.xn(i)).divide(Exact.of(xiS)).compareTo(tau) > 0;
                boolean below = gk.compareTo(gi.subtract(tau.multiply(2).multiply(gam))) < 0;
                if (!big || !below) {
                    throw reject("multiplier-pair: needs x_i/ξ > firstOrder (" + big + ") and ∂F_k < ∂F_i − 2·firstOrder·γ ("
                            + below + ") for " + pt.name(i) + ", " + pt.name(k));
                }
                return "no c fits both " + pt.name(i) + " (x_i/ξ > firstOrder) and " + pt.name(k)
                        + " (∂F_k < ∂F_i − 2·firstOrder·γ); the value field is not checked";
            }
            default -> throw reject(where + "kind '" + Exact.abbreviate(kind) + "' is unknown");
        }
    }

    /** The witness's coordinates, each with x equal to the file's entry and a matching gradient. */
    private List<Integer> coordinates(JsonNode w, String where) {
        JsonNode arr = Json.get(w, "coordinates");
        List<Integer> out = new ArrayList<>();
        if (arr == null) {
            return out;
        }
        if (!arr.isArray()) {
            throw reject(where + "coordinates is not an array");
        }
        for (int t = 0; t < arr.size(); t++) {
            JsonNode e = arr.get(t);
            String at = where + "coordinates[" + t + "].";
            if (!e.isObject()) {
                throw reject(at + " is not an object");
            }
            String factor = Json.text(e, "factor", at);
            int row = Json.integer(e, "row", at);
            int col = Json.integer(e, "col", at);
            int p = pt.coordinate(factor, row, col);
            if (p < 0) {
                throw reject(at + " " + factor + "(" + row + "," + col + ") is not an entry of W (" + pt.n + "x" + pt.r
                        + ") or H (" + pt.r + "x" + pt.m + ")");
            }
            BigFraction x = Json.exact(e, "x", at);
            if (!x.equals(Exact.of(pt.x(p)))) {
                throw reject(at + "x = " + Exact.show(x) + " but " + pt.name(p) + " = " + pt.x(p) + " in the file");
            }
            BigFraction g = grad(p);
            double gd = Json.number(e, "gradient", at);
            if (exact) {
                BigFraction ge = Json.exact(e, "gradientExact", at);
                if (!ge.equals(g)) {
                    throw reject(at + "gradientExact = " + Exact.show(ge) + " but ∂F/∂" + pt.name(p) + " = " + Exact.show(g));
                }
            }
            // the double may be a floating-point evaluation (also in exact mode): allow its rounding error
            if (!agrees(gd, pt.norm(g, 3), 3, 1e-6, 1e-12 * gammaS + 2 * pt.gradNoise)) {
                throw reject(at + "gradient = " + gd + " but ∂F/∂" + pt.name(p) + " = " + fmtUser(pt.norm(g, 3), 3));
            }
            out.add(p);
        }
        return out;
    }

    private static int single(List<Integer> coords, String kind) {
        if (coords.size() != 1) {
            throw reject(kind + " needs exactly one coordinate, got " + coords.size());
        }
        return coords.get(0);
    }

    /**
     * Exact mode: valueExact (and value) equal {@code expected}; float mode: value ≈ {@code expected}, the relative
     * residual ρ_p (null for +∞).
     */
    private void valueAgrees(JsonNode w, String where, BigFraction expected, int p) {
        valueAgrees(w, where, expected, p, 3);
    }

    /** As above; {@code weight}: the unit of the exact-mode value (3 for a gradient, 1 for an entry). */
    private void valueAgrees(JsonNode w, String where, BigFraction expected, int p, int weight) {
        double value = Json.number(w, "value", where);
        if (exact) {
            BigFraction ve = Json.exact(w, "valueExact", where);
            if (!ve.equals(expected)) {
                throw reject(where + "valueExact = " + Exact.show(ve) + " but the violation at " + pt.name(p) + " is "
                        + Exact.show(expected));
            }
            // the double may be a floating-point evaluation (cancellation): it is not the decisive field
            double tol = weight == 3 ? 1e-12 * gammaS + 2 * pt.gradNoise : 0;
            if (!agrees(value, pt.norm(expected, weight), weight, 1e-6, tol)) {
                throw reject(where + "value = " + value + " but valueExact = " + Exact.show(ve));
            }
            return;
        }
        BigFraction rho = expected;
        if (rho == null) {
            if (!Double.isInfinite(value)) {
                throw reject(where + "value = " + value + " but the relative residual at " + pt.name(p) + " is infinite");
            }
            return;
        }
        if (!close(value, Exact.toDouble(rho), 1e-6, 1e-12)) {
            throw reject(where + "value = " + value + " but the relative residual at " + pt.name(p) + " is " + Exact.show(rho));
        }
    }

    /** Exact S-NMF: a support coordinate whose gradient is c (then every multiplier must be c). */
    private String forcedBy() {
        BigFraction[] g = exactFirst().gradient();
        for (int p = 0; p < pt.size; p++) {
            if (pt.x(p) > 0 && g[p].equals(c)) {
                return pt.name(p) + " (in the support, ∂F = c)";
            }
        }
        throw reject("c = " + Exact.show(c) + " is not ∂F of any support coordinate, so ∂F ≠ c at one coordinate does not"
                + " exclude every multiplier (use a multiplier-pair witness)");
    }

    /** Float S-NMF: c agrees with ⟨x, ∇F⟩/Σx recomputed in double. */
    private String estimateAgrees() {
        double sx = 0;
        double sxg = 0;
        for (int p = 0; p < pt.size; p++) {
            sx += pt.xn(p);
            sxg += pt.xn(p) * pt.grad[p];
        }
        if (!(sx > 0)) {
            throw reject("Σx ≤ 0: the multiplier estimate ⟨x, ∇F⟩/Σx is undefined");
        }
        double est = sxg / sx;
        double tol = 1e-8 * gammaS + 2 * (pt.sumAbs() / sx) * (pt.gradNoise + (pt.size + 2) * 0x1p-52 * pt.gammaAbs);
        if (!(Math.abs(est - cDouble) <= tol)) {
            throw reject("the multiplier c = " + fmtUser(cDouble, 3) + " is not the documented estimate ⟨x, ∇F⟩/Σx = " + fmtUser(est, 3)
                    + ", so a single coordinate does not refute first order");
        }
        return " (" + fmtUser(est, 3) + ")";
    }

    private void counts() {
        if (!"HOLDS".equals(fospVerdict)) {
            if (Json.get(cert, "counts") != null) {
                throw reject("counts must be null when fosp is not HOLDS (the classification exists only at a FOSP)");
            }
            rep.verified("counts", "null: fosp is not HOLDS, so there is no classification");
            return;
        }
        if (Json.get(cert, "counts") == null) {
            throw reject("fosp HOLDS but counts is null");
        }
        JsonNode k = Json.object(cert, "counts", "");
        int[] given = {Json.integer(k, "support", "counts."), Json.integer(k, "stronglyActive", "counts."),
                Json.integer(k, "degenerate", "counts.")};
        for (int v : given) {
            if (v < 0) {
                throw reject("negative count " + v);
            }
        }
        if (countsCentral == null) {
            rep.notRechecked("counts", "fosp HOLDS was not re-checked, so there is no classification");
            return;
        }
        String recomputed = "S = " + countsCentral[S] + ", A = " + countsCentral[A] + ", D = " + countsCentral[D];
        if (given[S] == countsCentral[S] && given[A] == countsCentral[A] && given[D] == countsCentral[D]) {
            rep.verified("counts", recomputed + (exact ? ", exactly" : ""));
            return;
        }
        String msg = "counts S = " + given[S] + ", A = " + given[A] + ", D = " + given[D] + " but recomputed " + recomputed;
        for (int t = 0; t < 3; t++) {
            if (given[t] < countsMin[t] || given[t] > countsMax[t]) {
                throw reject(msg);
            }
        }
        rep.notRechecked("counts", msg + "; the difference is within rounding of the thresholds");
    }

    // ================================================================== second order

    private void secondOrder(String name) {
        JsonNode o = Json.object(cert, name, "");
        String v = verdict(o, name + ".");
        switch (v) {
            case "UNDECIDED" -> undecided(name, secondOrderFinding(name));
            case "HOLDS" -> {
                if (!"HOLDS".equals(fospVerdict)) {
                    throw reject("HOLDS although fosp is " + (fospVerdict == null ? "missing" : fospVerdict)
                            + ": a second-order claim needs a first-order point");
                }
                if (Json.get(o, "witness") != null) {
                    throw reject("HOLDS with a witness: a witness refutes, it cannot support a HOLDS");
                }
                if (exact) {
                    holdsExact(name);
                } else {
                    holdsFloat(name, o);
                }
            }
            default -> {
                if (name.equals("sospCone") && "HOLDS".equals(verdictOrNull("sospPaper"))) {
                    throw reject("FAILS contradicts sospPaper HOLDS (K ⊆ L, so PSD on L implies copositive on K)");
                }
                JsonNode w = Json.get(o, "witness");
                if (w == null) {
                    if ("FAILS".equals(fospVerdict) && fospFailsVerified) {
                        rep.verified(name, "FAILS because fosp FAILS (its witness is verified above)");
                        return;
                    }
                    throw reject("FAILS without a witness");
                }
                if (!w.isObject()) {
                    throw reject(name + ".witness is not an object");
                }
                if (w.has("kind")) {
                    if (!"FAILS".equals(fospVerdict)) {
                        throw reject("FAILS with a first-order witness, but fosp is " + fospVerdict);
                    }
                    rep.verified(name, "FAILS: " + firstOrderWitness(w, name + ".witness."));
                } else if (w.has("set")) {
                    directionWitness(name, w);
                } else {
                    throw reject(name + ".witness has neither \"kind\" (first order) nor \"set\" (a direction)");
                }
            }
        }
    }

    /**
     * The curvature interval {lower, upper} of a claim (issue 12, item 3): each end must be proven by the method it
     * names, recomputed here. lower "gauss-newton": ℓ ≤ −2‖R‖_F (every curvature is ≥ −2‖R‖_F); "exact-elimination":
     * 0, standing with the claim's exact HOLDS verified above; upper "witness": u ≥ dᵀ∇²F d/‖d‖² for the claim's verified
     * direction witness. An end weaker than what the checker recomputes is accepted, and the output says so.
     */
    private void bounds(String name, String field) {
        String where = name + "." + field + ".";
        JsonNode iv = Json.object(Json.object(cert, name, ""), field, name + ".");
        Double lo = Json.optionalNumber(iv, "lower", where);
        Double up = Json.optionalNumber(iv, "upper", where);
        String lm = Json.text(iv, "lowerMethod", where);
        String um = Json.text(iv, "upperMethod", where);
        if (!List.of("gauss-newton", "exact-elimination", "none").contains(lm)) {
            throw reject(where + "lowerMethod is '" + Exact.abbreviate(lm) + "', expected gauss-newton, exact-elimination or none");
        }
        if (!List.of("witness", "none").contains(um)) {
            throw reject(where + "upperMethod is '" + Exact.abbreviate(um) + "', expected witness or none");
        }
        if ((lo == null) != lm.equals("none") || (up == null) != um.equals("none")) {
            throw reject(where + "an end is null exactly when its method is none");
        }
        for (Double x : new Double[] {lo, up}) {
            if (x != null && !Double.isFinite(x)) {
                throw reject(where + "a bound is " + x + ", not a finite number");
            }
        }
        if (!"HOLDS".equals(fospVerdict)) {
            if (lo != null || up != null) {
                throw reject(where + "bounds are given, but L is defined only at a first-order point (fosp is " + fospVerdict + ")");
            }
            rep.verified(name + "." + field, "no bounds (fosp is not HOLDS: L is not defined)");
            return;
        }
        if (!fospHoldsVerified) {
            if (lo == null && up == null) {
                rep.verified(name + "." + field, "no bounds");
                return;
            }
            throw new Unverifiable(where + "the bounds are on L, which rests on fosp HOLDS, not verified");
        }
        if (lo != null && up != null && lo > up) {
            throw reject(where + "lower = " + lo + " > upper = " + up);
        }
        List<String> said = new ArrayList<>();
        double[] rn = residualNorm();
        double gn = -2 * rn[1];
        if (lo == null) {
            said.add("lower: none (weaker than the checker's Gauss–Newton bound " + fmtUser(gn, 2) + ")");
        } else if (lm.equals("gauss-newton")) {
            said.add(gaussNewtonLower(lo, where, rn));
        } else {
            if (!exact || lo != 0) {
                throw reject(where + "lower by exact-elimination must be 0 and needs exact mode");
            }
            List<String> bases = new ArrayList<>();
            if ("HOLDS".equals(verdictOrNull(name))) {
                bases.add(name);
            }
            if (name.equals("sospCone") && "HOLDS".equals(verdictOrNull("sospPaper"))) {
                bases.add("sospPaper"); // K ⊆ L
            }
            if (bases.isEmpty()) {
                throw reject(where + "lower 0 by exact elimination needs a HOLDS (" + name + " is " + verdictOrNull(name) + ")");
            }
            // the lower end is exactly as good as the HOLDS it rests on: verified, rejected or not verified above
            String basis = null;
            boolean rejected = true;
            for (String b : bases) {
                Report.Status st = rep.about(b).isEmpty() ? Report.Status.REJECTED : rep.about(b).get(0).status();
                if (st == Report.Status.VERIFIED) {
                    basis = b;
                    break;
                }
                rejected &= st == Report.Status.REJECTED;
            }
            if (basis == null && rejected) {
                throw reject(where + "lower 0 by exact elimination rests on the HOLDS of " + String.join(" and ", bases)
                        + ", rejected above");
            }
            if (basis == null) {
                throw new Unverifiable(where + "lower 0 by exact elimination rests on the HOLDS of " + String.join(" and ", bases)
                        + ", not verified above");
            }
            said.add("lower 0: stands with the exact HOLDS of " + (basis.equals(name) ? name : "sospPaper (K ⊆ L)")
                    + " verified above");
        }
        Direction d = verifiedWitness.get(name);
        if (up == null) {
            said.add(d == null ? "upper: none" : "upper: none (weaker than the verified witness's Rayleigh quotient)");
        } else {
            if (d == null) {
                throw reject(where + "upper by witness, but " + name + " has no verified direction witness"
                        + (name.equals("strictModuloSymmetry") ? " in L-perp-T" : ""));
            }
            said.add(witnessUpper(up, where, d));
        }
        rep.verified(name + "." + field, String.join("; ", said));
    }

    /** ℓ ≤ −2‖R‖_F: exactly (ℓ ≤ 0, ℓ² ≥ 4F) within the exact limit, else against the rounding bounds on ‖R‖_F. */
    private String gaussNewtonLower(double lo, String where, double[] rn) {
        String weaker = lo * (1 - 1e-9) < pt.user(-2 * rn[1], 2) - 0x1p-1060 ? " (weaker than the checker's "
                + fmtUser(-2 * rn[1], 2) + ")" : "";
        if (pt.work() <= limits.exactLimit) {
            BigFraction l = Exact.of(lo);
            BigFraction f4 = exactFirst().objective().multiply(4);
            if (l.signum() > 0 || l.multiply(l).compareTo(f4) < 0) {
                throw reject(where + "lower = " + lo + " but −2‖R‖_F = " + fmtUser(-2 * rn[0], 2) + " is smaller (exactly: ℓ² < 4F)");
            }
            return "lower " + fmt(lo) + " ≤ −2‖R‖_F, exactly" + weaker;
        }
        double ln = Math.scalb(lo, 2 * pt.ks);
        if (ln <= -2 * rn[1]) {
            return "lower " + fmt(lo) + " ≤ −2‖R‖_F (rigorous rounding bounds)" + weaker;
        }
        if (ln > -2 * rn[0]) {
            throw reject(where + "lower = " + lo + " but −2‖R‖_F ≤ " + fmtUser(-2 * rn[0], 2) + " is smaller");
        }
        throw new Unverifiable(where + "lower = " + lo + " is within rounding of −2‖R‖_F ∈ [" + fmtUser(-2 * rn[1], 2) + ", "
                + fmtUser(-2 * rn[0], 2) + "]");
    }

    /** u ≥ dᵀ∇²F d/‖d‖² for the verified witness d. */
    private String witnessUpper(double up, String where, Direction d) {
        BigFraction nrm = BigFraction.ZERO;
        for (int p = 0; p < d.size(); p++) {
            nrm = nrm.add(d.get(p).multiply(d.get(p)));
        }
        Curv q = curvature(d);
        if (q.exact() != null) {
            BigFraction rq = q.exact().divide(nrm);
            if (Exact.of(up).compareTo(rq) < 0) {
                throw reject(where + "upper = " + up + " but the witness's Rayleigh quotient is " + Exact.show(rq) + " (exact), larger");
            }
            String weaker = Exact.of(up).compareTo(rq.add(rq.abs().multiply(new BigFraction(1, 1_000_000_000)))) > 0
                    ? " (weaker than the witness's Rayleigh quotient " + Exact.show(rq) + ")" : "";
            return "upper " + fmt(up) + " ≥ dᵀ∇²F d/‖d‖² of the witness, exactly" + weaker;
        }
        double un = Math.scalb(up, 2 * pt.ks);
        double nd = Exact.toDouble(nrm);
        if (q.value() + q.bound() <= un * nd * (1 - 8 * U) - (un < 0 ? -un * nd * 16 * U : 0)) {
            return "upper " + fmt(up) + " ≥ dᵀ∇²F d/‖d‖² of the witness (rigorous rounding bounds)";
        }
        if (q.value() - q.bound() > un * nd * (1 + 8 * U) + Math.abs(un * nd) * 16 * U) {
            throw reject(where + "upper = " + up + " but the witness's Rayleigh quotient is larger");
        }
        throw new Unverifiable(where + "upper = " + up + " is within rounding of the witness's Rayleigh quotient");
    }

    /**
     * An UNDECIDED claim claims nothing, so it is accepted; when the checker itself can decide the claim ({@code finding}
     * "HOLDS" or "FAILS", else null) the output says that the certificate claims less than the data give.
     */
    private void undecided(String subject, String finding) {
        rep.notRechecked(subject, finding == null ? "UNDECIDED: claims nothing (the checker cannot decide it either)"
                : "UNDECIDED: claims nothing, weaker than the checker's own finding " + finding
                + " (a weakened claim: the certificate claims less than the data give)");
    }

    /** fosp as the checker decides it, where it can: exactly, or in float beyond the rounding band; else null. */
    private String fospFinding() {
        try {
            if (c == null) {
                return null;
            }
            if (exact) {
                if (pt.work() > limits.exactLimit) {
                    return null;
                }
                BigFraction[] g = exactFirst().gradient();
                for (int p = 0; p < pt.size; p++) {
                    int sign = g[p].subtract(c).signum();
                    if (pt.x(p) < 0 || (pt.x(p) > 0 && sign != 0) || (pt.x(p) == 0 && sign < 0)) {
                        return "FAILS";
                    }
                }
                return !snmf || (bigC != null && pt.sumExact().equals(bigC)) ? "HOLDS" : "FAILS";
            }
            if (!tolerancesOk) {
                return null;
            }
            double[] rm = rhoMax();
            double limit = tauFirst * (1 + 1e-6);
            if (rm[0] - rm[1] > limit) {
                return "FAILS";
            }
            return rm[0] + rm[1] <= limit && !snmf ? "HOLDS" : null;
        } catch (Rejected | Unverifiable e) {
            return null;
        }
    }

    /** A second-order claim as the checker decides it where it can (exact elimination; float: the Gauss–Newton bound). */
    private String secondOrderFinding(String name) {
        if (!fospHoldsVerified) {
            return null;
        }
        try {
            if (exact) {
                Boolean ok = decideExact(name).holds();
                return ok == null ? null : ok ? "HOLDS" : "FAILS";
            }
            return !name.equals("strictModuloSymmetry") && tolerancesOk && gaussNewtonProves() ? "HOLDS" : null;
        } catch (Rejected | Unverifiable e) {
            return null;
        }
    }

    /**
     * A HOLDS the checker did not verify: a problem (NOT VERIFIED) unless the caller accepts unverified claims, when it
     * is listed as ACCEPTED UNVERIFIED. Never "not re-checked": only claims of nothing (UNDECIDED) may pass unchecked.
     */
    private void unverifiedHolds(String subject, String why) {
        if (limits.acceptUnverified) {
            rep.add(subject, Report.Status.ACCEPTED_UNVERIFIED, why);
        } else {
            rep.notVerified(subject, why + "; the checker cannot verify this HOLDS (--accept-unverified lists it"
                    + " instead of failing)");
        }
    }

    private String verdictOrNull(String name) {
        JsonNode o = Json.get(cert, name);
        JsonNode v = o == null ? null : Json.get(o, "verdict");
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /**
     * Float mode: sospPaper and sospCone HOLDS mean λ ≥ −secondOrder·η on L (K); the checker proves that itself when its
     * rigorous Gauss–Newton bound −2‖R‖_F already reaches the threshold (every curvature is ≥ −2‖R‖_F). Otherwise, and
     * for strictness (μ &gt; 0 needs an eigenvalue computation), the HOLDS is not verified.
     */
    private void holdsFloat(String name, JsonNode o) {
        requireTolerances();
        if (!name.equals("strictModuloSymmetry") && gaussNewtonProves()) {
            rep.verified(name, "HOLDS within tolerance, proven: every curvature is ≥ −2‖R‖_F = " + fmtUser(-2 * residualNorm()[1], 2)
                    + " ≥ −secondOrder·η = " + fmtUser(-tauSecond * etaS, 2) + " (Gauss–Newton bound)");
            return;
        }
        unverifiedHolds(name, name.equals("strictModuloSymmetry")
                ? "HOLDS in float mode: μ > 0 needs an eigenvalue computation, which the checker does not repeat"
                : "HOLDS in float mode: the checker's rigorous bound −2‖R‖_F = " + fmtUser(-2 * residualNorm()[1], 2)
                + " does not reach −secondOrder·η = " + fmtUser(-tauSecond * etaS, 2)
                + "; the eigenvalue computation is not repeated");
    }

    /** −2‖R‖_F ≥ −secondOrder·η, rigorously (normalised units). */
    private boolean gaussNewtonProves() {
        return -2 * residualNorm()[1] >= -tauSecond * etaS * (1 - 1e-12);
    }

    /** {lower, upper} bounds on ‖R‖_F at the normalised point (the checker's own rounding analysis). */
    private double[] residualNorm() {
        if (residualNorm == null) {
            residualNorm = pt.residualNormBounds();
        }
        return residualNorm;
    }

    /** The outcome of an exact re-decision: holds (null: beyond the limits, with why) and a description. */
    private record Decision(Boolean holds, String why) {
    }

    /** Exact mode, fosp HOLDS verified: re-decides the claim by exact elimination and reports it as a HOLDS check. */
    private void holdsExact(String name) {
        Decision d = decideExact(name);
        if (d.holds() == null) {
            unverifiedHolds(name, d.why());
        } else if (!d.holds()) {
            throw reject("HOLDS but " + d.why());
        } else {
            rep.verified(name, "HOLDS, exactly: " + d.why());
        }
    }

    /** Exact mode: decides PSD on L, copositivity on K, or definiteness on L ∩ T⊥ by exact elimination. */
    private Decision decideExact(String name) {
        if (!fospHoldsVerified) {
            return new Decision(null, "HOLDS: fosp HOLDS was not verified, so there is no exact classification");
        }
        boolean cone = name.equals("sospCone");
        boolean strict = name.equals("strictModuloSymmetry");
        List<Integer> free = new ArrayList<>();
        int nd = 0;
        for (int want : new int[] {S, D}) {
            for (int p = 0; p < pt.size; p++) {
                if (cls[p] == want) {
                    free.add(p);
                    nd += want == D ? 1 : 0;
                }
            }
        }
        if (cone && nd > limits.maxDegenerate) {
            return new Decision(null, "HOLDS: |D| = " + nd + " > " + limits.maxDegenerate + " degenerate coordinates");
        }
        int maxFree = limits.maxReducedDimension + (snmf ? 1 : 0) + (strict ? pt.r * pt.r : 0);
        if (free.size() > maxFree) {
            return new Decision(null, "HOLDS: reduced dimension ≥ " + (free.size() - maxFree + limits.maxReducedDimension)
                    + " > " + limits.maxReducedDimension);
        }
        BigFraction[][] hess = new BigFraction[free.size()][free.size()];
        for (int a = 0; a < free.size(); a++) {
            for (int b = a; b < free.size(); b++) {
                hess[a][b] = pt.hessian(free.get(a), free.get(b));
                hess[b][a] = hess[a][b];
            }
        }
        List<BigFraction[]> rows = new ArrayList<>();
        if (snmf) {
            BigFraction[] ones = new BigFraction[free.size()];
            java.util.Arrays.fill(ones, BigFraction.ONE);
            rows.add(ones);
        }
        String flatNote = "";
        if (strict) {
            BigFraction[][] hm = hess;
            List<BigFraction[]> t = symmetryT(free, tc -> {
                BigFraction[] tf = restrict(tc, free);
                BigFraction[] out = new BigFraction[free.size()];
                for (int i = 0; i < free.size(); i++) {
                    BigFraction sum = BigFraction.ZERO;
                    for (int j = 0; j < free.size(); j++) {
                        if (tf[j].signum() != 0) {
                            sum = sum.add(hm[i][j].multiply(tf[j]));
                        }
                    }
                    out[i] = sum;
                }
                return out;
            });
            for (BigFraction[] tc : t) {
                rows.add(restrict(tc, free));
            }
            flatNote = "; T has dimension " + t.size() + ", from all r² = " + pt.r * pt.r + " directions (WX, −XH)";
        }
        Forms.Nullspace ns = Forms.nullspace(rows.toArray(new BigFraction[0][]), free.size());
        int dim = ns.basis().length;
        if (dim > limits.maxReducedDimension) {
            return new Decision(null, "HOLDS: reduced dimension " + dim + " > " + limits.maxReducedDimension);
        }
        boolean[] nonneg = new boolean[dim];
        if (cone) {
            boolean[] isFree = new boolean[free.size()];
            for (int t = 0; t < dim; t++) {
                isFree[ns.free()[t]] = true;
                nonneg[t] = cls[free.get(ns.free()[t])] == D;
            }
            for (int a = 0; a < free.size(); a++) {
                if (!isFree[a] && cls[free.get(a)] == D) {
                    return new Decision(null, "HOLDS: the sum constraint pivots on a degenerate coordinate (no support)");
                }
            }
        }
        BigFraction[][] red = rows.isEmpty() ? hess : Forms.restrict(hess, ns.basis());
        String set = strict ? "L ∩ T⊥" : cone ? "K" : "L";
        String property = strict ? "positive definite" : cone ? "copositive" : "positive semidefinite";
        boolean ok = strict ? Forms.pd(red) : cone ? Forms.copositive(red, nonneg) : Forms.psd(red);
        String detail = " (reduced dimension " + dim + (cone ? ", |D| = " + nd : "") + flatNote + ")";
        return new Decision(ok, "∇²F is " + (ok ? "" : "not ") + property + " on " + set + ", by exact elimination" + detail);
    }

    private static BigFraction[] restrict(BigFraction[] full, List<Integer> coords) {
        BigFraction[] out = new BigFraction[coords.size()];
        for (int a = 0; a < coords.size(); a++) {
            out[a] = full[coords.get(a)];
        }
        return out;
    }

    /**
     * T = {t_X : X ∈ ℝ^{r×r}, t_X ∈ L, ∇²F t_X ⊥ L} as independent full vectors (proofs-notes/symmetry-gl-r.md), over
     * all r² directions t_ab (Point.glEntry). Linear conditions on X: (t_X)_p = 0 off {@code free} (the strongly
     * active coordinates), Σt_X = 0 (S-NMF), and (∇²F t_X) on free = 0 (NMF) or ∈ span(1) (S-NMF). {@code hessFree}
     * maps a full t to (∇²F t) on free, or to M_free·t_free: the two agree once t vanishes off free.
     */
    private List<BigFraction[]> symmetryT(List<Integer> free, java.util.function.Function<BigFraction[], BigFraction[]> hessFree) {
        int rr = pt.r * pt.r;
        int cols = rr + (snmf ? 1 : 0);
        boolean[] isFree = new boolean[pt.size];
        for (int p : free) {
            isFree[p] = true;
        }
        BigFraction[][] t = new BigFraction[rr][];
        BigFraction[][] ht = new BigFraction[rr][];
        for (int ab = 0; ab < rr; ab++) {
            t[ab] = new BigFraction[pt.size];
            for (int p = 0; p < pt.size; p++) {
                t[ab][p] = pt.glEntry(ab / pt.r, ab % pt.r, p);
            }
            ht[ab] = hessFree.apply(t[ab]);
        }
        List<BigFraction[]> rows = new ArrayList<>();
        for (int p = 0; p < pt.size; p++) {
            if (!isFree[p]) {
                BigFraction[] row = new BigFraction[cols];
                java.util.Arrays.fill(row, BigFraction.ZERO);
                boolean any = false;
                for (int ab = 0; ab < rr; ab++) {
                    row[ab] = t[ab][p];
                    any |= row[ab].signum() != 0;
                }
                if (any) {
                    rows.add(row);
                }
            }
        }
        if (snmf) {
            BigFraction[] row = new BigFraction[cols];
            java.util.Arrays.fill(row, BigFraction.ZERO);
            for (int ab = 0; ab < rr; ab++) {
                for (BigFraction e : t[ab]) {
                    row[ab] = row[ab].add(e);
                }
            }
            rows.add(row);
        }
        for (int i = 0; i < free.size(); i++) {
            BigFraction[] row = new BigFraction[cols];
            for (int ab = 0; ab < rr; ab++) {
                row[ab] = ht[ab][i];
            }
            if (snmf) {
                row[rr] = BigFraction.MINUS_ONE;
            }
            rows.add(row);
        }
        List<BigFraction[]> images = new ArrayList<>();
        for (BigFraction[] coef : Forms.nullspace(rows.toArray(new BigFraction[0][]), cols).basis()) {
            BigFraction[] v = zeros();
            for (int ab = 0; ab < rr; ab++) {
                if (coef[ab].signum() != 0) {
                    for (int p = 0; p < pt.size; p++) {
                        v[p] = v[p].add(coef[ab].multiply(t[ab][p]));
                    }
                }
            }
            images.add(v);
        }
        return Forms.rowBasis(images, pt.size);
    }

    /** T for a witness: the classification of every coordinate and r² exact Hessian products (cached). */
    private List<BigFraction[]> witnessT() {
        if (witnessT == null) {
            if (exact) {
                exactFirst();
            }
            if (pt.r * pt.r * (double) pt.work() > 4.0 * limits.exactLimit) {
                throw new Unverifiable("deciding orthogonality to T needs " + pt.r * pt.r
                        + " exact Hessian products, too large (n·m·r = " + pt.work() + ")");
            }
            List<Integer> free = new ArrayList<>();
            for (int p = 0; p < pt.size; p++) {
                if (classOf(p) != A) {
                    free.add(p);
                }
            }
            witnessT = symmetryT(free, tc -> restrict(pt.hessianTimes(new Direction(pt.n, pt.m, pt.r, tc)), free));
        }
        return witnessT;
    }

    private BigFraction[] zeros() {
        BigFraction[] z = new BigFraction[pt.size];
        java.util.Arrays.fill(z, BigFraction.ZERO);
        return z;
    }

    // ================================================================== direction witnesses

    /** q(d) exactly (exact != null) or in double with a rigorous error bound. */
    /** dᵀ∇²F d: exact (value: its double in the input's units), or a double and its error bound at the normalised point. */
    private record Curv(BigFraction exact, double value, double bound) {
        boolean negative() {
            return exact != null ? exact.signum() < 0 : value + bound < 0;
        }

        boolean nonPositive() {
            return exact != null ? exact.signum() <= 0 : value + bound <= 0;
        }
    }

    private String show(Curv q) {
        return q.exact() != null ? Exact.show(q.exact()) + " (exact)" : fmtUser(q.value(), 2) + " ± " + fmtUser(q.bound(), 2);
    }

    private Curv curvature(Direction d) {
        if (pt.work() <= limits.exactLimit) {
            BigFraction q = pt.curvatureExact(d);
            return new Curv(q, Exact.toDouble(q), 0);
        }
        Point.Curvature q = pt.curvatureDouble(d);
        return new Curv(null, q.value(), q.bound());
    }

    private void directionWitness(String name, JsonNode w) {
        String where = name + ".witness.";
        String set = Json.text(w, "set", where);
        List<String> allowed = switch (name) {
            case "sospPaper" -> List.of("L");
            case "sospCone" -> List.of("K", "L0");
            default -> List.of("L-perp-T", "L", "L0");
        };
        if (!allowed.contains(set)) {
            throw reject(where + "set is '" + Exact.abbreviate(set) + "', expected one of " + allowed);
        }
        requireC();
        if (!exact) {
            requireTolerances();
        }
        Direction d = direction(w, where);
        if (d.isZero()) {
            throw reject("the witness direction is zero");
        }
        String bad = membership(set.equals("L-perp-T") ? "L" : set, d);
        if (bad != null) {
            throw reject("the witness direction is not in " + set + ": " + bad);
        }
        Curv q = curvature(d);
        curvatureAgrees(w, where, q);
        if (!name.equals("strictModuloSymmetry")) {
            if (!q.negative()) {
                throw reject("the witness direction has curvature " + show(q) + ", not negative");
            }
            rep.verified(name, "FAILS: a direction in " + set + " with dᵀ∇²F d = " + show(q));
            verifiedWitness.put(name, d);
            return;
        }
        Direction dp = d;
        String note = " (T of dimension " + witnessT().size() + ")";
        if (set.equals("L-perp-T")) {
            String orth = orthogonalToT(d);
            if (orth != null) {
                throw reject("the witness direction is not in L-perp-T: " + orth);
            }
        } else {
            dp = projectOutT(d);
            if (dp.isZero()) {
                throw reject("the witness direction lies in T (the flat GL(r) symmetry directions): it says nothing about"
                        + " strictness");
            }
            String badP = membership("L-perp-T", dp);
            if (badP != null) {
                throw reject("the witness projected onto T⊥ is not in L-perp-T: " + badP);
            }
        }
        Curv qp = dp == d ? q : curvature(dp);
        boolean refutes = exact ? qp.nonPositive() : qp.negative();
        if (!refutes) {
            throw reject("the witness " + (dp == d ? "" : "projected onto T⊥ ") + "has curvature " + show(qp) + ", not "
                    + (exact ? "≤ 0" : "< 0"));
        }
        rep.verified(name, "FAILS: a direction in " + set + (dp == d ? "" : ", projected onto T⊥,") + " with dᵀ∇²F d = "
                + show(qp) + note);
        if (dp == d) {
            verifiedWitness.put(name, d);
        }
    }

    private Direction direction(JsonNode w, String where) {
        BigFraction[] d = new BigFraction[pt.size];
        readBlock(w, "dW", pt.n, pt.r, where, d, 0);
        readBlock(w, "dH", pt.r, pt.m, where, d, pt.nw);
        return new Direction(pt.n, pt.m, pt.r, d);
    }

    private static void readBlock(JsonNode w, String field, int rows, int cols, String where, BigFraction[] out, int offset) {
        JsonNode a = Json.get(w, field);
        if (a == null || !a.isArray()) {
            throw reject(where + field + " is missing or not an array");
        }
        if (a.size() != rows) {
            throw reject(where + field + " has " + a.size() + " rows, expected " + rows);
        }
        for (int i = 0; i < rows; i++) {
            JsonNode row = a.get(i);
            if (!row.isArray() || row.size() != cols) {
                throw reject(where + field + "[" + i + "] is not an array of " + cols + " entries");
            }
            for (int j = 0; j < cols; j++) {
                out[offset + i * cols + j] = Json.exactEntry(row.get(j), where + field + "[" + i + "][" + j + "]");
            }
        }
    }

    /** The class of coordinate p (S, A, D or NONE) by the certificate's mode; see proofs-notes/checker.md. */
    private int classOf(int p) {
        if (cls != null) {
            return cls[p];
        }
        double x = pt.x(p);
        BigFraction gmc = null;
        if (exact) {
            if (x > 0) {
                return S;
            }
            if (x < 0) {
                return NONE;
            }
            gmc = grad(p).subtract(c);
            return gmc.signum() > 0 ? A : gmc.signum() == 0 ? D : NONE;
        }
        BigFraction dl = Exact.of(delta);
        if (Exact.of(pt.xn(p)).compareTo(dl.multiply(Exact.of(xiS))) > 0) {
            return S;
        }
        gmc = grad(p).subtract(c);
        BigFraction thr = dl.multiply(gammaUser());
        if (gmc.compareTo(thr) > 0) {
            return A;
        }
        return gmc.abs().compareTo(thr) <= 0 ? D : NONE;
    }

    /** Why d is not in the set (L, K, L0, L-perp-T), or null. */
    private String membership(String set, Direction d) {
        for (int p = 0; p < d.size(); p++) {
            BigFraction dp = d.get(p);
            if (dp.signum() == 0) {
                continue;
            }
            int k = classOf(p);
            if (k == A) {
                return pt.name(p) + " is strongly active (x = " + pt.x(p) + ", ∂F − c > 0) but d = " + Exact.show(dp);
            }
            if (k == D && set.equals("K") && dp.signum() < 0) {
                return pt.name(p) + " is degenerate but d = " + Exact.show(dp) + " < 0";
            }
            if (k == D && set.equals("L0")) {
                return pt.name(p) + " is degenerate but d = " + Exact.show(dp) + " ≠ 0";
            }
        }
        if (snmf) {
            BigFraction s = d.sum();
            if (s.signum() != 0) {
                return "Σd = " + Exact.show(s) + " ≠ 0";
            }
        }
        return set.equals("L-perp-T") ? orthogonalToT(d) : null;
    }

    /** Why d is not orthogonal to T (the flat GL(r) symmetry directions, see {@link #symmetryT}), or null. */
    private String orthogonalToT(Direction d) {
        for (BigFraction[] t : witnessT()) {
            BigFraction dot = dot(d, t);
            if (dot.signum() != 0) {
                return "⟨d, t⟩ = " + Exact.show(dot) + " ≠ 0 for a direction t = (WX, −XH) of T";
            }
        }
        return null;
    }

    private static BigFraction dot(Direction d, BigFraction[] t) {
        BigFraction s = BigFraction.ZERO;
        for (int p = 0; p < t.length; p++) {
            if (d.get(p).signum() != 0 && t[p].signum() != 0) {
                s = s.add(d.get(p).multiply(t[p]));
            }
        }
        return s;
    }

    /** d minus its orthogonal projection onto T (Gram system of the independent basis; T ⊆ L, so L is kept). */
    private Direction projectOutT(Direction d) {
        List<BigFraction[]> t = witnessT();
        int k = t.size();
        if (k == 0) {
            return d;
        }
        BigFraction[][] g = new BigFraction[k][k + 1];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                BigFraction s = BigFraction.ZERO;
                for (int p = 0; p < pt.size; p++) {
                    if (t.get(i)[p].signum() != 0 && t.get(j)[p].signum() != 0) {
                        s = s.add(t.get(i)[p].multiply(t.get(j)[p]));
                    }
                }
                g[i][j] = s;
            }
            g[i][k] = dot(d, t.get(i));
        }
        BigFraction[] a = Forms.solve(g);
        if (a == null) {
            throw new IllegalStateException("the basis of T is dependent");
        }
        BigFraction[] out = new BigFraction[pt.size];
        for (int p = 0; p < pt.size; p++) {
            BigFraction v = d.get(p);
            for (int i = 0; i < k; i++) {
                if (a[i].signum() != 0 && t.get(i)[p].signum() != 0) {
                    v = v.subtract(a[i].multiply(t.get(i)[p]));
                }
            }
            out[p] = v;
        }
        return new Direction(pt.n, pt.m, pt.r, out);
    }

    private void curvatureAgrees(JsonNode w, String where, Curv q) {
        double cur = Json.number(w, "curvature", where);
        if (exact) {
            BigFraction ce = Json.exact(w, "curvatureExact", where);
            if (q.exact() != null) {
                if (!ce.equals(q.exact())) {
                    throw reject(where + "curvatureExact = " + Exact.show(ce) + " but dᵀ∇²F d = " + Exact.show(q.exact()));
                }
            } else if (!(Math.abs(pt.norm(ce, 2) - q.value()) <= q.bound() * (1 + 1e-9) + 1e-300)) {
                throw reject(where + "curvatureExact = " + Exact.show(ce) + " but dᵀ∇²F d = " + show(q));
            }
            if (!agreesExact(cur, ce, REL)) {
                throw reject(where + "curvature = " + cur + " but curvatureExact = " + Exact.show(ce));
            }
            return;
        }
        if (q.exact() != null ? !agreesExact(cur, q.exact(), 1e-6) : !agrees(cur, q.value(), 2, 1e-6, q.bound())) {
            throw reject(where + "curvature = " + cur + " but dᵀ∇²F d = " + show(q));
        }
    }

    // ================================================================== helpers

    /**
     * A claim in the input's units agrees with a quantity of the given weight recomputed at the normalised point
     * (see {@link Point#user}): |claim − e| ≤ rel·max + abs in the input's units, where e is the recomputed value there,
     * plus the spacing of the subnormals (both sides may have underflowed). A claim of ±∞ agrees only with a value that
     * overflows there too (or is within rel of doing so); otherwise a non-finite claim never agrees.
     */
    private boolean agrees(double claim, double normalised, int weight, double rel, double absNormalised) {
        if (Double.isNaN(claim) || !Double.isFinite(normalised) || !Double.isFinite(absNormalised)) {
            return false;
        }
        double e = pt.user(normalised, weight);
        if (Double.isInfinite(claim) || Double.isInfinite(e)) {
            // compare at the normalised point: an overflow in the input's units is the true value's rounding there
            double c = Math.scalb(claim, weight * pt.ks);
            if (Double.isInfinite(c)) {
                return Math.signum(c) == Math.signum(normalised)
                        && Double.isInfinite(pt.user(Math.abs(normalised) * (1 + rel) + absNormalised, weight));
            }
            return close(c, normalised, rel, absNormalised);
        }
        return close(claim, e, rel, pt.user(absNormalised, weight) + 0x1p-1072);
    }

    /**
     * A double claim agrees with an exact value in the input's units: within rel of its rounding there, the subnormal
     * spacing included; ±∞ agrees only with a value beyond the double range with that sign.
     */
    private static boolean agreesExact(double claim, BigFraction value, double rel) {
        double e = Exact.toDouble(value);
        if (Double.isInfinite(claim) || Double.isInfinite(e)) {
            return claim == e || (Double.isFinite(claim) && Math.abs(claim) >= Double.MAX_VALUE * (1 - rel)
                    && Math.signum(claim) == Math.signum(e));
        }
        return close(claim, e, rel, 0x1p-1072);
    }

    /** A claimed scale in the input's units at the normalised point, or the recomputed one when it does not scale exactly. */
    private double normalised(double claim, int weight, double recomputed) {
        double c = Math.scalb(claim, weight * pt.ks);
        return Double.isFinite(c) && c != 0 && Math.abs(c) >= Double.MIN_NORMAL && Math.abs(claim) >= Double.MIN_NORMAL
                && Math.scalb(c, -weight * pt.ks) == claim ? c : recomputed;
    }

    /** γ in the input's units, exactly. */
    private BigFraction gammaUser() {
        return Exact.scalb(Exact.of(gammaS), -3 * pt.ks);
    }

    private String fmtUser(double normalised, int weight) {
        double u = pt.user(normalised, weight);
        return Double.isFinite(u) && (u == 0) == (normalised == 0) && (u == 0 || Math.abs(u) >= Double.MIN_NORMAL) ? fmt(u)
                : fmt(normalised) + "·2^" + (-weight * pt.ks);
    }

    /** |a − b| ≤ rel·max(|a|, |b|) + abs, false for NaN. */
    static boolean close(double a, double b, double rel, double abs) {
        if (a == b) {
            return true;
        }
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return false;   // else ∞ is "close" to everything (rel·∞ = ∞): a number replaced by Infinity passed
        }
        double diff = Math.abs(a - b);
        return diff <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.6e", x);
    }
}
