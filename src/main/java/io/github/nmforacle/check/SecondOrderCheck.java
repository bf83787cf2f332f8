package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.check.Json.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hipparchus.fraction.BigFraction;

/**
 * Stage 3, second order: sospPaper (PSD on L), sospCone (copositive on K) and strictModuloSymmetry (definite on L ⊥ T,
 * T the flat GL(r) orbit directions): exact HOLDS re-decided by elimination, float HOLDS by the Gauss–Newton bound
 * where it suffices, every direction witness re-checked (membership exactly, curvature exactly or with its bound).
 */
abstract class SecondOrderCheck extends FirstOrderCheck {
    SecondOrderCheck(Checker limits, Point pt, JsonNode cert) {
        super(limits, pt, cert);
    }


    // ================================================================== second order

    void secondOrder(String name) {
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
     * A second-order claim as the checker decides it where it can (exact elimination; float: the Gauss–Newton bound, its
     * Cholesky on L, for the cone its enumeration on K).
     */
    String secondOrderFinding(String name) {
        if (!fospHoldsVerified) {
            return null;
        }
        try {
            if (exact) {
                Boolean ok = decideExact(name).holds();
                return ok == null ? null : ok ? "HOLDS" : "FAILS";
            }
            return !name.equals("strictModuloSymmetry") && tolerancesOk && (gaussNewtonProves() || choleskyProvesThreshold()
                    || name.equals("sospCone") && coneEnumerationProves() != null) ? "HOLDS" : null;
        } catch (Rejected | Unverifiable e) {
            return null;
        }
    }

    /**
     * Float mode: sospPaper and sospCone HOLDS mean λ ≥ −secondOrder·η on L (K); the checker proves that itself when its
     * rigorous Gauss–Newton bound −2‖R‖_F already reaches the threshold (every curvature is ≥ −2‖R‖_F). Otherwise, and
     * for strictness (μ &gt; 0 needs an eigenvalue computation), the HOLDS is not verified.
     */
    void holdsFloat(String name, JsonNode o) {
        requireTolerances();
        String threshold = fmtUser(-tauSecond * etaS, 2);
        String proof;
        if (name.equals("strictModuloSymmetry")) {
            strictFloat(o);
        } else if (gaussNewtonProves()) {
            rep.verified(name, "HOLDS within tolerance, proven: every curvature is ≥ −2‖R‖_F = " + fmtUser(-2 * residualNorm()[1], 2)
                    + " ≥ −secondOrder·η = " + threshold + " (Gauss–Newton bound)");
        } else if (choleskyProvesThreshold()) {
            rep.verified(name, "HOLDS within tolerance, proven: λ_min(∇²F on L) ≥ −secondOrder·η = " + threshold
                    + (lambdaViaStrict ? " from the checker's own bordered Cholesky on L ⊥ T and its proof that T is flat"
                    + " within tolerance (λ_min ≥ −(ε + ε²/μ), ε = secondOrder·η/2; curvature-bounds.md §5)"
                    : " by the checker's own verified Cholesky of ∇²F_L + secondOrder·η·I (Rump 2006)")
                    + (name.equals("sospCone") ? "; K ⊆ L" : ""));
        } else if (name.equals("sospCone") && (proof = coneEnumerationProves()) != null) {
            rep.verified(name, "HOLDS within tolerance, proven: dᵀ∇²F d ≥ −secondOrder·η‖d‖² = " + threshold + "·‖d‖² on K: "
                    + proof);
        } else {
            unverifiedHolds(name, "HOLDS in float mode: neither the checker's Gauss–Newton bound −2‖R‖_F = "
                    + fmtUser(-2 * residualNorm()[1], 2) + " nor its own Cholesky (where it applies) reaches −secondOrder·η = "
                    + threshold + (name.equals("sospCone") ? ", and its own enumeration on K (where it applies) does not prove it"
                    : ""));
        }
    }

    /**
     * Float strict HOLDS (μ &gt; τη on L ⊥ T): proven by the checker's own bordered Cholesky on T = span P_L t_X of the
     * claim's symmetry hint, verified flat within tolerance first ({@link #finslerProves}); at the claimed lower end of
     * μ when it is a verified-cholesky bound above τη (one factorisation serves both), else at τη.
     */
    void strictFloat(JsonNode o) {
        String name = "strictModuloSymmetry";
        if (snmf) {
            unverifiedHolds(name, "HOLDS in float mode for S-NMF: μ > 0 rests on an eigenvalue computation, which the checker"
                    + " does not repeat");
            return;
        }
        double threshold = tauSecond * etaS;
        JsonNode mu = Json.object(o, "mu", name + ".");
        Double lo = Json.optionalNumber(mu, "lower", name + ".mu.");
        double target = threshold * (1 + 1e-12);
        if (lo != null && "verified-cholesky".equals(Json.text(mu, "lowerMethod", name + ".mu.")) && Double.isFinite(lo)) {
            target = Math.max(target, Math.scalb(lo, 2 * pt.ks));
        }
        try {
            if (finslerProves(target) || target > threshold * (1 + 1e-12) && finslerProves(threshold * (1 + 1e-12))) {
                rep.verified(name, "HOLDS within tolerance, proven: μ ≥ " + fmtUser(Math.min(target, finslerBest(target)), 2)
                        + " > secondOrder·η = " + fmtUser(threshold, 2) + " on L ⊥ T by the checker's own bordered Cholesky"
                        + " (Finsler's lemma), T = span of the " + symmetryY.length + " symmetry directions of the hint,"
                        + " verified flat within tolerance");
            } else {
                unverifiedHolds(name, "HOLDS in float mode: the checker's own bordered Cholesky does not prove μ > secondOrder·η"
                        + " = " + fmtUser(threshold, 2) + " on L ⊥ T");
            }
        } catch (Unverifiable e) {
            unverifiedHolds(name, "HOLDS in float mode: " + e.getMessage());
        }
    }

    /** The largest target proven so far, at most {@code cap}. */
    double finslerBest(double cap) {
        double best = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Double, Boolean> e : finslerProofs.entrySet()) {
            if (e.getValue()) {
                best = Math.max(best, e.getKey());
            }
        }
        return Math.min(best, cap);
    }

    /**
     * Float NMF, dense L: copositivity on K within tolerance by the checker's own enumeration ({@link ConeEnumeration});
     * K is taken with only the coordinates that are degenerate beyond rounding doubt constrained (a larger cone, so a
     * proof on it covers every reading). Null where it cannot try or does not prove it.
     */
    String coneEnumerationProves() {
        double t = tauSecond * etaS * (1 - 1e-12);
        try {
            choleskyOnL(-t);   // forms the checker's dense Hessian on L where that applies
        } catch (Unverifiable e) {
            return null;
        }
        if (!denseCholesky()) {
            return null;
        }
        boolean[] cons = new boolean[hessianL.length];
        int nd = 0;
        for (int p = 0, i = 0; p < pt.size; p++) {
            if (floatL[p] == 1) {
                cons[i] = floatD[p];
                nd += cons[i++] ? 1 : 0;
            }
        }
        return nd > limits.maxDegenerate ? null : ConeEnumeration.proves(hessianL, cons, t, hessianLNoise);
    }

    /** λ_min on L ≥ −secondOrder·η by the checker's own Cholesky, where it can try (float NMF). */
    boolean choleskyProvesThreshold() {
        try {
            return choleskyOnL(-tauSecond * etaS * (1 - 1e-12));
        } catch (Unverifiable e) {
            return false;
        }
    }

    /** −2‖R‖_F ≥ −secondOrder·η, rigorously (normalised units). */
    boolean gaussNewtonProves() {
        return -2 * residualNorm()[1] >= -tauSecond * etaS * (1 - 1e-12);
    }

    /** The outcome of an exact re-decision: holds (null: beyond the limits, with why) and a description. */
    record Decision(Boolean holds, String why) {
    }

    /** Exact mode, fosp HOLDS verified: re-decides the claim by exact elimination and reports it as a HOLDS check. */
    void holdsExact(String name) {
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
    Decision decideExact(String name) {
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

    static BigFraction[] restrict(BigFraction[] full, List<Integer> coords) {
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
    List<BigFraction[]> symmetryT(List<Integer> free, java.util.function.Function<BigFraction[], BigFraction[]> hessFree) {
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
    List<BigFraction[]> witnessT() {
        if (witnessT == null) {
            if (exact) {
                exactFirst();
            }
            if (pt.r * pt.r * (double) pt.work() > 4.0 * limits.exactLimit) {
                throw new Unverifiable("deciding orthogonality to T needs " + pt.r * pt.r
                        + " exact Hessian products, too large (" + pt.workText() + ")");
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

    BigFraction[] zeros() {
        BigFraction[] z = new BigFraction[pt.size];
        java.util.Arrays.fill(z, BigFraction.ZERO);
        return z;
    }

    // ================================================================== direction witnesses

    /** q(d) exactly (exact != null) or in double with a rigorous error bound. */
    /** dᵀ∇²F d: exact (value: its double in the input's units), or a double and its error bound at the normalised point. */
    record Curv(BigFraction exact, double value, double bound) {
        boolean negative() {
            return exact != null ? exact.signum() < 0 : value + bound < 0;
        }

        boolean nonPositive() {
            return exact != null ? exact.signum() <= 0 : value + bound <= 0;
        }
    }

    String show(Curv q) {
        return q.exact() != null ? Exact.show(q.exact()) + " (exact)" : fmtUser(q.value(), 2) + " ± " + fmtUser(q.bound(), 2);
    }

    Curv curvature(Direction d) {
        if (pt.work() <= limits.exactLimit) {
            BigFraction q = pt.curvatureExact(d);
            return new Curv(q, Exact.toDouble(q), 0);
        }
        Point.Curvature q = pt.curvatureDouble(d);
        return new Curv(null, q.value(), q.bound());
    }

    void directionWitness(String name, JsonNode w) {
        String where = name + ".witness.";
        String set = Json.text(w, "set", where);
        List<String> allowed = switch (name) {
            case "sospPaper" -> List.of("L");
            case "sospCone" -> List.of("K", "L0");
            default -> List.of("L-perp-T"); // one form: a witness of strictness is orthogonal to T itself
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
        String orth = orthogonalToT(d);
        if (orth != null) {
            throw reject("the witness direction is not in L-perp-T: " + orth);
        }
        boolean refutes = exact ? q.nonPositive() : q.negative();
        if (!refutes) {
            throw reject("the witness has curvature " + show(q) + ", not " + (exact ? "≤ 0" : "< 0"));
        }
        rep.verified(name, "FAILS: a direction in L-perp-T (T of dimension " + witnessT().size() + ") with dᵀ∇²F d = " + show(q));
        verifiedWitness.put(name, d);
    }

    Direction direction(JsonNode w, String where) {
        BigFraction[] d = new BigFraction[pt.size];
        readBlock(w, "dW", pt.n, pt.r, where, d, 0);
        readBlock(w, "dH", pt.r, pt.m, where, d, pt.nw);
        return new Direction(pt.n, pt.m, pt.r, d);
    }

    static void readBlock(JsonNode w, String field, int rows, int cols, String where, BigFraction[] out, int offset) {
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
    int classOf(int p) {
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
    String membership(String set, Direction d) {
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
    String orthogonalToT(Direction d) {
        for (BigFraction[] t : witnessT()) {
            BigFraction dot = dot(d, t);
            if (dot.signum() != 0) {
                return "⟨d, t⟩ = " + Exact.show(dot) + " ≠ 0 for a direction t = (WX, −XH) of T";
            }
        }
        return null;
    }

    static BigFraction dot(Direction d, BigFraction[] t) {
        BigFraction s = BigFraction.ZERO;
        for (int p = 0; p < t.length; p++) {
            if (d.get(p).signum() != 0 && t[p].signum() != 0) {
                s = s.add(d.get(p).multiply(t[p]));
            }
        }
        return s;
    }

    void curvatureAgrees(JsonNode w, String where, Curv q) {
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
        if (Json.get(w, "curvatureExact") != null) {
            throw reject(where + "curvatureExact must be null in float mode");
        }
        if (q.exact() != null ? !agreesExact(cur, q.exact(), 1e-6) : !agrees(cur, q.value(), 2, 1e-6, q.bound())) {
            throw reject(where + "curvature = " + cur + " but dᵀ∇²F d = " + show(q));
        }
    }
}
