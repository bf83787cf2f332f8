package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.check.Json.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hipparchus.fraction.BigFraction;

/**
 * Stage 1, structure: the certificate describes these matrices (problem, mode, shape, C), has exactly the fields of
 * format v2, the SHA-256 digests of V, W, H match, the tolerances are well-formed, and the scales, the objective and
 * the multiplier agree with their recomputation.
 */
abstract class StructureCheck extends Context {
    StructureCheck(Checker limits, Point pt, JsonNode cert) {
        super(limits, pt, cert);
    }


    // ================================================================== structure

    boolean header() {
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

    static <T> T attempt(java.util.function.Supplier<T> s, List<String> problems) {
        try {
            return s.get();
        } catch (Rejected e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    // ================================================================== fields

    static final List<String> TOP = List.of("tool", "indexBase", "problem", "C", "CExact", "mode", "n", "m", "r",
            "objective", "fosp", "sospPaper", "sospCone", "strictModuloSymmetry", "tolerances", "counts", "scales",
            "provenance", "info");
    static final List<String> FOSP = List.of("verdict", "residual", "multiplier", "multiplierExact", "sum", "witness");
    static final List<String> SECOND = List.of("verdict", "lambdaMin", "witness");
    static final List<String> STRICT = List.of("verdict", "mu", "witness");
    /** With the optional hint behind a verified bound on μ (the symmetry directions X, checked in stage 3). */
    static final List<String> STRICT_HINTED = List.of("verdict", "mu", "witness", "symmetry");
    static final List<String> INTERVAL = List.of("lower", "lowerMethod", "upper", "upperMethod");
    static final List<String> TOLERANCES_EXACT = List.of("maxDegenerate", "maxExactDimension");
    static final List<String> TOLERANCES_FLOAT = List.of("firstOrder", "degenerate", "secondOrder",
            "maxDenseDimension");
    static final List<String> TOLERANCES_FLOAT_SNMF = List.of("firstOrder", "degenerate", "secondOrder", "sum",
            "maxDenseDimension");
    static final List<String> COUNTS = List.of("support", "stronglyActive", "degenerate");
    static final List<String> SCALES = List.of("gradient", "entry", "hessian");
    static final List<String> PROVENANCE = List.of("version", "options", "sha256");
    static final List<String> SHA = List.of("V", "W", "H");
    static final List<String> FIRST_WITNESS = List.of("kind", "coordinates", "value", "valueExact");
    static final List<String> COORDINATE = List.of("factor", "row", "col", "x", "gradient", "gradientExact");
    static final List<String> DIRECTION = List.of("set", "curvature", "curvatureExact", "dW", "dH");

    /**
     * Every object has exactly the fields of the format: an unknown, misspelt or missing field is not silently
     * ignored (it could carry a claim nobody checks). "info" is the one free-form object: informational text and
     * estimates, which the checker ignores and says so.
     */
    void fields() {
        keys(cert, TOP, "");
        JsonNode base = Json.get(cert, "indexBase");
        if (base == null || !base.isIntegralNumber() || base.asInt() != 0 || !base.canConvertToInt()) {
            throw reject("indexBase must be 0 (indices are 0-based, numpy's convention)");
        }
        keys(Json.object(cert, "fosp", ""), FOSP, "fosp.");
        for (String claim : SECOND_ORDER) {
            JsonNode o = Json.object(cert, claim, "");
            boolean strict = claim.equals("strictModuloSymmetry");
            keys(o, strict ? o.has("symmetry") ? STRICT_HINTED : STRICT : SECOND, claim + ".");
            if (strict && o.has("symmetry") && (exact || snmf)) {
                throw reject(claim + ".symmetry: the symmetry hint belongs to float NMF certificates (exact mode and S-NMF"
                        + " do not use it)");
            }
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
        rep.verified("fields", "every object has exactly the fields of format v2");
        rep.notRechecked("info", "ignored: informational text and estimates (reasons, methods, float eigenvalue estimates,"
                + " notes, provenance.version and provenance.options) are not claims and are not read");
    }

    static void keys(JsonNode o, List<String> expected, String where) {
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

    static void witnessKeys(JsonNode w, String where) {
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

    void tolerances() {
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
    void provenance() {
        JsonNode sha = Json.object(Json.object(cert, "provenance", ""), "sha256", "provenance.");
        List<String> bad = new ArrayList<>();
        String[] names = {"V", "W", "H"};
        String[] digests = {pt.sha256V(), Point.sha256(pt.w), Point.sha256(pt.h)};
        for (int i = 0; i < 3; i++) {
            String given = Json.text(sha, names[i], "provenance.sha256.");
            if (!given.equals(digests[i])) {
                bad.add(names[i]);
            }
        }
        if (!bad.isEmpty()) {
            throw reject("provenance.sha256 of " + String.join(", ", bad) + " does not match the matrices given (SHA-256 of"
                    + " rows, cols and the binary64 entries, row-major)");
        }
        rep.verified("provenance", "SHA-256 of V, W and H match");
    }

    void scales() {
        JsonNode s = Json.object(cert, "scales", "");
        double g = Json.number(s, "gradient", "scales.");
        double x = Json.number(s, "entry", "scales.");
        double e = Json.number(s, "hessian", "scales.");
        int k = pt.n + pt.m + pt.r + 10;
        List<String> bad = new ArrayList<>();
        // when the formula gives γ = 0 (then ∇F = 0 if W, H ≥ 0), a floor γ = 1 is accepted: it only rescales ρ = 0
        boolean floor = pt.gammaAbs == 0 && g == 1.0;
        if (pt.gammaAbs == 0 && !floor) {
            bad.add("gradient (γ) = " + g + ", but the formula gives 0, where the format's floor is 1");
        }
        if (!floor && !agrees(g, pt.gamma, 3, REL, 2 * k * 0x1p-52 * pt.gammaAbs)) {
            bad.add("gradient (γ) = " + g + ", recomputed " + pt.user(pt.gamma, 3));
        }
        if (!agrees(x, pt.xiMax, 1, REL, 0) && !agrees(x, pt.xiAbs, 1, REL, 0)) {
            bad.add("entry (ξ) = " + x + ", recomputed " + pt.user(pt.xiMax, 1));
        }
        // likewise η = 1 where the formula gives η = 0 (W = H = 0 and V = 0: the Hessian is 0, any η > 0 is sound)
        boolean etaFloor = pt.eta == 0 && e == 1.0;
        if (pt.eta == 0 && !etaFloor) {
            bad.add("hessian (η) = " + e + ", but the formula gives 0, where the format's floor is 1");
        }
        if (!etaFloor && !agrees(e, pt.eta, 2, REL, 4 * k * 0x1p-52 * pt.residualScale + pt.etaSlack)) {
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

    void objective() {
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
        double allowance = (pt.n + pt.m + pt.r + 10) * 0x1p-52 * a * a + pt.objectiveSlack;
        if (!agrees(f, pt.objective, 4, REL, allowance)) {
            throw reject("objective = " + f + " but F = ‖V − WH‖² = " + fmtUser(pt.objective, 4) + " (rounding allowance "
                    + fmtUser(allowance, 4) + ")");
        }
        rep.verified("objective", "F = " + fmtUser(pt.objective, 4) + " within rounding");
    }

    void multiplier() {
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
        if (me == null || md == null) {
            c = null;
            throw reject("fosp.multiplier and fosp.multiplierExact are given together (one is null)");
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
}
