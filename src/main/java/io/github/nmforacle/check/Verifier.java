package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.check.Json.Rejected;
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
        step("tolerances", this::tolerances);
        step("scales", this::scales);
        step("objective", this::objective);
        step("multiplier", this::multiplier);
        step("fosp", this::fosp);
        step("counts", this::counts);
        for (String name : SECOND_ORDER) {
            step(name, () -> secondOrder(name));
        }
        return rep;
    }

    private void step(String subject, Runnable r) {
        try {
            r.run();
        } catch (Rejected e) {
            rep.rejected(subject, e.getMessage());
        } catch (Unverifiable e) {
            rep.notVerified(subject, e.getMessage());
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
                } else if (!close(cd, Exact.toDouble(ce), REL, 1e-300)) {
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

    private static final List<String> TOP = List.of("tool", "problem", "C", "CExact", "mode", "n", "m", "r", "objective",
            "fosp", "sospPaper", "sospCone", "strictModuloSymmetry", "tolerances", "counts", "scales", "notes");
    private static final List<String> FOSP = List.of("verdict", "residual", "multiplier", "multiplierExact", "noise", "sum",
            "reason", "witness");
    private static final List<String> SECOND = List.of("verdict", "lambdaMin", "method", "noise", "reason", "witness");
    private static final List<String> STRICT = List.of("verdict", "mu", "method", "noise", "reason", "witness");
    private static final List<String> TOLERANCES = List.of("firstOrder", "degenerate", "secondOrder", "sum", "maxDegenerate",
            "maxDenseDimension", "maxExactDimension");
    private static final List<String> COUNTS = List.of("support", "stronglyActive", "degenerate");
    private static final List<String> SCALES = List.of("gradient", "entry", "hessian");
    private static final List<String> FIRST_WITNESS = List.of("kind", "coordinates", "value", "valueExact", "explanation");
    private static final List<String> COORDINATE = List.of("factor", "row", "col", "x", "gradient", "gradientExact");
    private static final List<String> DIRECTION = List.of("set", "curvature", "curvatureExact", "dW", "dH");

    /**
     * Every object has exactly the fields of the format: an unknown, misspelt or missing field is not silently
     * ignored (it could carry a claim nobody checks). Noise bounds, where given, are finite and ≥ 0.
     */
    private void fields() {
        keys(cert, TOP, "");
        keys(Json.object(cert, "fosp", ""), FOSP, "fosp.");
        keys(Json.object(cert, "sospPaper", ""), SECOND, "sospPaper.");
        keys(Json.object(cert, "sospCone", ""), SECOND, "sospCone.");
        keys(Json.object(cert, "strictModuloSymmetry", ""), STRICT, "strictModuloSymmetry.");
        keys(Json.object(cert, "tolerances", ""), TOLERANCES, "tolerances.");
        JsonNode counts = Json.get(cert, "counts");
        if (counts != null && !counts.isNull()) {
            keys(Json.object(cert, "counts", ""), COUNTS, "counts.");
        }
        keys(Json.object(cert, "scales", ""), SCALES, "scales.");
        JsonNode notes = Json.get(cert, "notes");
        if (notes == null || !notes.isArray()) {
            throw reject("notes is not a list");
        }
        for (JsonNode note : notes) {
            if (!note.isTextual()) {
                throw reject("notes has an entry that is not a string");
            }
        }
        for (String claim : new String[] {"fosp", "sospPaper", "sospCone", "strictModuloSymmetry"}) {
            JsonNode o = Json.object(cert, claim, "");
            witnessKeys(Json.get(o, "witness"), claim + ".witness.");
            Double noise = Json.optionalNumber(o, "noise", claim + ".");
            if (noise != null && !(noise >= 0 && Double.isFinite(noise))) {
                throw reject(claim + ".noise = " + noise + " is not a finite number ≥ 0");
            }
        }
        rep.verified("fields", "every object has exactly the fields of the format");
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
        for (String k : new String[] {"maxDegenerate", "maxDenseDimension", "maxExactDimension"}) {
            if (Json.integer(t, k, "tolerances.") < 0) {
                throw reject("tolerances." + k + " is negative");
            }
        }
        tauFirst = Json.number(t, "firstOrder", "tolerances.");
        delta = Json.number(t, "degenerate", "tolerances.");
        tauSecond = Json.number(t, "secondOrder", "tolerances.");
        tauSum = Json.number(t, "sum", "tolerances.");
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
        if (!floor && !close(g, pt.gamma, REL, 2 * k * 0x1p-52 * pt.gammaAbs + 1e-300)) {
            bad.add("gradient (γ) = " + g + ", recomputed " + pt.gamma);
        }
        if (!close(x, pt.xiMax, REL, 1e-300) && !close(x, pt.xiAbs, REL, 1e-300)) {
            bad.add("entry (ξ) = " + x + ", recomputed " + pt.xiMax);
        }
        // likewise η = 1 where the formula gives η = 0 (W = H = 0 and V = 0: the Hessian is 0, any η > 0 is sound)
        boolean etaFloor = pt.eta == 0 && e == 1.0;
        if (!etaFloor && !close(e, pt.eta, REL, 4 * k * 0x1p-52 * pt.residualScale + 1e-300)) {
            bad.add("hessian (η) = " + e + ", recomputed " + pt.eta);
        }
        if (!bad.isEmpty()) {
            throw reject(String.join("; ", bad) + " (the recomputed values are used below)");
        }
        gammaS = g;
        xiS = x;
        etaS = e;
        rep.verified("scales", String.format(Locale.ROOT, "γ = %.6e, ξ = %.6e, η = %.6e recomputed", g, x, e));
    }

    private void objective() {
        double f = Json.number(cert, "objective", "");
        if (exact && pt.work() <= limits.exactLimit) {
            double fe = Exact.toDouble(exactFirst().objective());
            if (!close(f, fe, REL, 1e-300)) {
                throw reject("objective = " + f + " but F = ‖V − WH‖² = " + Exact.show(exactFirst().objective()) + " exactly");
            }
            rep.verified("objective", "F = " + fmt(fe) + ", exactly recomputed");
            return;
        }
        double a = pt.residualScale;
        double allowance = (pt.n + pt.m + pt.r + 10) * 0x1p-52 * a * a + 1e-300;
        if (!close(f, pt.objective, REL, allowance)) {
            throw reject("objective = " + f + " but F = ‖V − WH‖² = " + fmt(pt.objective) + " (rounding allowance "
                    + fmt(allowance) + ")");
        }
        rep.verified("objective", "F = " + fmt(pt.objective) + " within rounding");
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
            cDouble = md;
            if (exact) {
                throw reject("exact mode needs fosp.multiplierExact");
            }
            return;
        }
        c = me;
        cDouble = Exact.toDouble(me);
        if (md != null && !close(md, cDouble, REL, 1e-300)) {
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
            default -> rep.notRechecked("fosp", "UNDECIDED" + reason(f));
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
        BigFraction gam = Exact.of(gammaS);
        BigFraction xi = Exact.of(xiS);
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
            mx = Math.max(mx, rhoDouble(pt.x(p), pt.grad[p] - cDouble));
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
                if (rhoDouble(pt.x(p), pt.grad[p] - cDouble) == rm[0]) {
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
            double x = pt.x(p);
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
                valueAgrees(w, where, exact ? Exact.of(pt.x(p)) : rhoExact(Exact.of(pt.x(p)), grad(p).subtract(c)), p);
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
                double abs = Exact.toDouble(diff.abs());
                if (!close(Math.abs(value), rel, 1e-6, 1e-300) && !close(Math.abs(value), abs, 1e-6, 1e-300)) {
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
                BigFraction gam = Exact.of(gammaS);
                boolean big = Exact.of(pt.x(i)).divide(Exact.of(xiS)).compareTo(tau) > 0;
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
            if (!close(gd, Exact.toDouble(g), 1e-6, 1e-12 * gammaS + 2 * pt.gradNoise)) {
                throw reject(at + "gradient = " + gd + " but ∂F/∂" + pt.name(p) + " = " + fmt(Exact.toDouble(g)));
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
        double value = Json.number(w, "value", where);
        if (exact) {
            BigFraction ve = Json.exact(w, "valueExact", where);
            if (!ve.equals(expected)) {
                throw reject(where + "valueExact = " + Exact.show(ve) + " but the violation at " + pt.name(p) + " is "
                        + Exact.show(expected));
            }
            // the double may be a floating-point evaluation (cancellation): it is not the decisive field
            if (!close(value, Exact.toDouble(expected), 1e-6, 1e-12 * gammaS + 2 * pt.gradNoise)) {
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
            sx += pt.x(p);
            sxg += pt.x(p) * pt.grad[p];
        }
        if (!(sx > 0)) {
            throw reject("Σx ≤ 0: the multiplier estimate ⟨x, ∇F⟩/Σx is undefined");
        }
        double est = sxg / sx;
        double tol = 1e-8 * gammaS + 2 * (pt.sumAbs() / sx) * (pt.gradNoise + (pt.size + 2) * 0x1p-52 * pt.gammaAbs);
        if (!(Math.abs(est - cDouble) <= tol)) {
            throw reject("the multiplier c = " + cDouble + " is not the documented estimate ⟨x, ∇F⟩/Σx = " + est
                    + ", so a single coordinate does not refute first order");
        }
        return " (" + fmt(est) + ")";
    }

    private void counts() {
        JsonNode k = Json.object(cert, "counts", "");
        int[] given = {Json.integer(k, "support", "counts."), Json.integer(k, "stronglyActive", "counts."),
                Json.integer(k, "degenerate", "counts.")};
        for (int v : given) {
            if (v < 0) {
                throw reject("negative count " + v);
            }
        }
        if (!"HOLDS".equals(fospVerdict)) {
            rep.verified("counts", "fosp is not HOLDS: only checked that they are ≥ 0");
            return;
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
            case "UNDECIDED" -> rep.notRechecked(name, "UNDECIDED" + reason(o));
            case "HOLDS" -> {
                if (!"HOLDS".equals(fospVerdict)) {
                    throw reject("HOLDS although fosp is " + (fospVerdict == null ? "missing" : fospVerdict)
                            + ": a second-order claim needs a first-order point");
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
                if (w == null || !w.isObject() || w.has("kind")) {
                    // FAILS for a first-order reason: no curvature was computed, so none may be claimed
                    for (String k : new String[] {"lambdaMin", "mu", "noise"}) {
                        JsonNode x = Json.get(o, k);
                        if (x != null && !x.isNull()) {
                            throw reject(name + "." + k + " is given, but a FAILS without a direction witness has no"
                                    + " curvature to report");
                        }
                    }
                }
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

    private void holdsFloat(String name, JsonNode o) {
        requireTolerances();
        if (name.equals("strictModuloSymmetry")) {
            Double mu = Json.optionalNumber(o, "mu", name + ".");
            if (mu == null) {
                unverifiedHolds(name, "HOLDS in float mode without mu: nothing to compare" + reason(o));
                return;
            }
            if (!(mu > 0) || !Double.isFinite(mu)) {
                throw reject("HOLDS but mu = " + mu + " is not a finite positive number");
            }
            unverifiedHolds(name, "HOLDS in float mode: mu = " + fmt(mu) + " > 0 (secondOrder·η = " + fmt(tauSecond * etaS)
                    + "); the eigenvalue computation is not repeated" + reason(o));
            return;
        }
        Double lam = Json.optionalNumber(o, "lambdaMin", name + ".");
        if (lam == null) {
            if (name.equals("sospCone") && "HOLDS".equals(verdictOrNull("sospPaper"))) {
                unverifiedHolds(name, "HOLDS, implied by sospPaper HOLDS (K ⊆ L)" + reason(o));
                return;
            }
            unverifiedHolds(name, "HOLDS in float mode without lambdaMin: nothing to compare" + reason(o));
            return;
        }
        double thr = -tauSecond * etaS;
        if (!Double.isFinite(lam)) {
            throw reject("HOLDS but lambdaMin = " + lam + " is not finite");
        }
        if (!(lam >= thr - REL * Math.abs(thr))) {
            throw reject("HOLDS but lambdaMin = " + fmt(lam) + " < −secondOrder·η = " + fmt(thr));
        }
        String method = Json.optionalText(o, "method", name + ".");
        unverifiedHolds(name, "HOLDS in float mode: lambdaMin = " + fmt(lam) + " ≥ −secondOrder·η = " + fmt(thr)
                + "; the eigenvalue computation is not repeated"
                + ("lanczos".equals(method) ? " (a Lanczos value is an upper estimate of λ_min)" : "") + reason(o));
    }

    /** Exact mode: re-decides PSD on L, copositivity on K, or definiteness on L ∩ T⊥ by exact elimination. */
    private void holdsExact(String name) {
        if (!fospHoldsVerified) {
            unverifiedHolds(name, "HOLDS: fosp HOLDS was not verified, so there is no exact classification");
            return;
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
            unverifiedHolds(name, "HOLDS: |D| = " + nd + " > " + limits.maxDegenerate + " degenerate coordinates");
            return;
        }
        int maxFree = limits.maxReducedDimension + (snmf ? 1 : 0) + (strict ? pt.r * pt.r : 0);
        if (free.size() > maxFree) {
            unverifiedHolds(name, "HOLDS: reduced dimension ≥ " + (free.size() - maxFree + limits.maxReducedDimension)
                    + " > " + limits.maxReducedDimension);
            return;
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
            unverifiedHolds(name, "HOLDS: reduced dimension " + dim + " > " + limits.maxReducedDimension);
            return;
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
                    unverifiedHolds(name, "HOLDS: the sum constraint pivots on a degenerate coordinate (no support)");
                    return;
                }
            }
        }
        BigFraction[][] red = rows.isEmpty() ? hess : Forms.restrict(hess, ns.basis());
        String set = strict ? "L ∩ T⊥" : cone ? "K" : "L";
        String property = strict ? "positive definite" : cone ? "copositive" : "positive semidefinite";
        boolean ok = strict ? Forms.pd(red) : cone ? Forms.copositive(red, nonneg) : Forms.psd(red);
        String detail = " (reduced dimension " + dim + (cone ? ", |D| = " + nd : "") + flatNote + ")";
        if (!ok) {
            throw reject("HOLDS but ∇²F is not " + property + " on " + set + ", by exact elimination" + detail);
        }
        rep.verified(name, "HOLDS, exactly: ∇²F is " + property + " on " + set + detail);
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
    private record Curv(BigFraction exact, double value, double bound) {
        boolean negative() {
            return exact != null ? exact.signum() < 0 : value + bound < 0;
        }

        boolean nonPositive() {
            return exact != null ? exact.signum() <= 0 : value + bound <= 0;
        }

        String show() {
            return exact != null ? Exact.show(exact) + " (exact)" : fmt(value) + " ± " + fmt(bound);
        }
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
                throw reject("the witness direction has curvature " + q.show() + ", not negative");
            }
            rep.verified(name, "FAILS: a direction in " + set + " with dᵀ∇²F d = " + q.show());
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
            throw reject("the witness " + (dp == d ? "" : "projected onto T⊥ ") + "has curvature " + qp.show() + ", not "
                    + (exact ? "≤ 0" : "< 0"));
        }
        rep.verified(name, "FAILS: a direction in " + set + (dp == d ? "" : ", projected onto T⊥,") + " with dᵀ∇²F d = "
                + qp.show() + note);
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
        if (Exact.of(x).compareTo(dl.multiply(Exact.of(xiS))) > 0) {
            return S;
        }
        gmc = grad(p).subtract(c);
        BigFraction thr = dl.multiply(Exact.of(gammaS));
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
            } else if (!(Math.abs(Exact.toDouble(ce) - q.value()) <= q.bound() * (1 + 1e-9) + 1e-300)) {
                throw reject(where + "curvatureExact = " + Exact.show(ce) + " but dᵀ∇²F d = " + q.show());
            }
            if (!close(cur, Exact.toDouble(ce), REL, 1e-300)) {
                throw reject(where + "curvature = " + cur + " but curvatureExact = " + Exact.show(ce));
            }
            return;
        }
        if (!close(cur, q.value(), 1e-6, q.bound() + 1e-300)) {
            throw reject(where + "curvature = " + cur + " but dᵀ∇²F d = " + q.show());
        }
    }

    // ================================================================== helpers

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

    private static String reason(JsonNode o) {
        JsonNode r = Json.get(o, "reason");
        if (r == null || !r.isTextual() || r.asText().isBlank()) {
            return "";
        }
        String s = r.asText().replaceAll("\\s+", " ").trim();
        return "; reason given: " + (s.length() > 120 ? s.substring(0, 117) + "..." : s);
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.6e", x);
    }
}
