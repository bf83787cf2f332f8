package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.check.Json.Rejected;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.fraction.BigFraction;

/**
 * Stage 2, first order: the fosp claim (paper (1), (3)) re-decided exactly or within the rounding band, every
 * first-order witness re-checked, and the counts of the classification S, A, D.
 */
abstract class FirstOrderCheck extends StructureCheck {
    FirstOrderCheck(Checker limits, Point pt, JsonNode cert) {
        super(limits, pt, cert);
    }


    void fosp() {
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
        }
        // which numbers may be absent: the residual and (S-NMF) the multiplier only at an infeasible point
        JsonNode fw = Json.get(f, "witness");
        String kind = "FAILS".equals(fospVerdict) && fw != null && fw.isObject() && fw.has("kind") && fw.get("kind").isTextual()
                ? fw.get("kind").asText() : "";
        // (an UNDECIDED claims nothing: its numbers may be missing where the certifier's arithmetic failed)
        boolean mayLack = kind.equals("negative-entry") || kind.equals("sum-constraint") || "UNDECIDED".equals(fospVerdict);
        if (residual == null && !mayLack) {
            throw reject("fosp.residual is missing: it is given at every feasible point");
        }
        if (snmf && c == null && !mayLack) {
            throw reject("fosp.multiplier is missing: S-NMF gives c at every feasible point");
        }
        Double sum = Json.optionalNumber(f, "sum", "fosp.");
        if (snmf && sum == null) {
            throw reject("fosp.sum is missing: S-NMF gives Σx");
        }
        if (snmf && !agreesExact(sum, pt.sumExact(), REL)) {
            throw reject("fosp.sum = " + sum + " but Σx = " + Exact.show(pt.sumExact()));
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
            default -> {
                residualAgrees(residual);
                undecided("fosp", fospFinding());
            }
        }
    }

    void fospHoldsExact(Double residual) {
        if (pt.work() > limits.exactLimit) {
            throw new Unverifiable("HOLDS: too large to re-check exactly (" + pt.workText() + " > " + limits.exactLimit
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
    double rhoDouble(double x, double gmc) {
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
    BigFraction rhoExact(BigFraction x, BigFraction gmc) {
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
    double[] rhoMax() {
        double mx = 0;
        double gmax = 0;
        for (int p = 0; p < pt.size; p++) {
            mx = Math.max(mx, rhoDouble(pt.xn(p), pt.grad[p] - cDouble));
            gmax = Math.max(gmax, Math.abs(pt.grad[p]));
        }
        double noise = gammaS > 0 ? (pt.gradNoise + 2 * U * (Math.abs(cDouble) + gmax)) / gammaS + 4 * U * mx : 0;
        return new double[] {mx, noise};
    }

    void residualAgrees(Double residual) {
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

    void fospHoldsFloat(Double residual) {
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
    void classifyFloat() {
        double thrX = delta * xiS;
        double thrG = delta * gammaS;
        int[] central = new int[4];
        int[] min = new int[4];
        int[] max = new int[4];
        floatL = new int[pt.size];
        floatD = new boolean[pt.size];
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
            // membership in L (not strongly active) is decided only when rounding leaves no doubt
            floatL[p] = !classes[A] && !classes[NONE] ? 1 : classes[A] && nPossible == 1 ? 0 : -1;
            floatD[p] = classes[D] && nPossible == 1;
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
    static boolean[] possible(boolean surelyTrue, boolean surelyFalse) {
        return new boolean[] {!surelyTrue, !surelyFalse};
    }

    /** Re-checks a first-order witness; returns what it shows, or throws. */
    String firstOrderWitness(JsonNode w, String where) {
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
                // in both modes the value is the entry itself, exactly
                BigFraction ve = Json.exact(w, "valueExact", where);
                if (!ve.equals(Exact.of(pt.x(p)))) {
                    throw reject(where + "valueExact = " + Exact.show(ve) + " but " + pt.name(p) + " = " + pt.x(p));
                }
                if (!agreesExact(Json.number(w, "value", where), ve, REL)) {
                    throw reject(where + "value = " + Json.number(w, "value", where) + " but " + pt.name(p) + " = " + pt.x(p));
                }
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
                // the kind is the certifier's classification: x > degenerate·ξ is support, else zero-like with g − c < 0
                BigFraction thr = Exact.of(delta).multiply(Exact.of(xiS));
                int side = Exact.of(pt.xn(p)).compareTo(thr);
                boolean borderline = Math.abs(pt.xn(p) - delta * xiS) <= 4 * U * delta * xiS;
                if (!borderline && (kind.equals("support-gradient") ? side <= 0 : side > 0 || gmc.signum() >= 0)) {
                    throw reject(kind + ": " + pt.name(p) + " = " + pt.x(p) + " with ∂F − c = " + fmtUser(pt.norm(gmc, 3), 3)
                            + " is not a" + (kind.equals("support-gradient") ? " support coordinate (x > degenerate·ξ)"
                            : " zero-like coordinate (x ≤ degenerate·ξ) with ∂F − c < 0"));
                }
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
                    BigFraction ve = Json.exact(w, "valueExact", where);
                    if (!ve.equals(gi.subtract(gk)) || !agreesExact(Json.number(w, "value", where), ve, REL)) {
                        throw reject(where + "value/valueExact must be ∂F_i − ∂F_k = " + Exact.show(gi.subtract(gk)));
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
                double val = Exact.toDouble(gi.subtract(gk).divide(gam));
                if (!close(Json.number(w, "value", where), val, 1e-6, 1e-12) || Json.get(w, "valueExact") != null) {
                    throw reject(where + "value must be (∂F_i − ∂F_k)/γ = " + fmt(val) + ", valueExact null in float mode");
                }
                return "no c fits both " + pt.name(i) + " (x_i/ξ > firstOrder) and " + pt.name(k)
                        + " (∂F_k < ∂F_i − 2·firstOrder·γ)";
            }
            default -> throw reject(where + "kind '" + Exact.abbreviate(kind) + "' is unknown");
        }
    }

    /** The witness's coordinates, each with x equal to the file's entry and a matching gradient. */
    List<Integer> coordinates(JsonNode w, String where) {
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
            } else if (Json.get(e, "gradientExact") != null) {
                throw reject(at + "gradientExact must be null in float mode");
            }
            // the double may be a floating-point evaluation (also in exact mode): allow its rounding error
            if (!agrees(gd, pt.norm(g, 3), 3, 1e-6, 1e-12 * gammaS + 2 * pt.gradNoise)) {
                throw reject(at + "gradient = " + gd + " but ∂F/∂" + pt.name(p) + " = " + fmtUser(pt.norm(g, 3), 3));
            }
            out.add(p);
        }
        return out;
    }

    static int single(List<Integer> coords, String kind) {
        if (coords.size() != 1) {
            throw reject(kind + " needs exactly one coordinate, got " + coords.size());
        }
        return coords.get(0);
    }

    /**
     * Exact mode: valueExact (and value) equal {@code expected}; float mode: value ≈ {@code expected}, the relative
     * residual ρ_p (null for +∞).
     */
    void valueAgrees(JsonNode w, String where, BigFraction expected, int p) {
        valueAgrees(w, where, expected, p, 3);
    }

    /** As above; {@code weight}: the unit of the exact-mode value (3 for a gradient, 1 for an entry). */
    void valueAgrees(JsonNode w, String where, BigFraction expected, int p, int weight) {
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
        if (Json.get(w, "valueExact") != null) {
            throw reject(where + "valueExact must be null in float mode (the value is a relative residual)");
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
    String forcedBy() {
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
    String estimateAgrees() {
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

    void counts() {
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

    /** fosp as the checker decides it, where it can: exactly, or in float beyond the rounding band; else null. */
    String fospFinding() {
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
}
