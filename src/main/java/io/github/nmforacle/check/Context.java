package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.check.Json.Rejected;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hipparchus.fraction.BigFraction;

/**
 * The checker's shared state and vocabulary: the point, the certificate, the report, what earlier stages established
 * (mode, problem, C, the multiplier, the tolerances, the scales, the verified classification), and the comparisons
 * every stage uses (claims in the input's units against recomputed values, proofs-notes/checker.md "Scale").
 */
abstract class Context {
    Context(Checker limits, Point pt, JsonNode cert) {
        this.limits = limits;
        this.pt = pt;
        this.cert = cert;
        this.gammaS = pt.gamma;
        this.xiS = pt.xiMax;
        this.etaS = pt.eta;
    }

    static final double REL = 1e-9;
    static final double U = Point.U;
    static final int S = 0;
    static final int A = 1;
    static final int D = 2;
    static final int NONE = 3;
    static final String[] SECOND_ORDER = {"sospPaper", "sospCone", "strictModuloSymmetry"};

    /** Something that must be re-checked and cannot be (a size limit): reported as NOT VERIFIED. */
    static final class Unverifiable extends RuntimeException {
        Unverifiable(String message) {
            super(message, null, false, false);
        }
    }

    final Checker limits;
    final Point pt;
    final JsonNode cert;
    final Report rep = new Report();

    boolean exact;
    boolean snmf;
    /** S-NMF: the sum C (exact). */
    BigFraction bigC;
    /** The multiplier c (0 for NMF); null when an S-NMF certificate gives none. */
    BigFraction c = BigFraction.ZERO;
    double cDouble;
    boolean tolerancesOk;
    double tauFirst;
    double delta;
    double tauSecond;
    double tauSum;
    /** The scales used by the relative tests: the certificate's when they match the recomputation. */
    double gammaS;
    double xiS;
    double etaS;
    String fospVerdict;
    boolean fospHoldsVerified;
    boolean fospFailsVerified;
    /** Exact mode, fosp HOLDS verified: the class (S, A, D) of every coordinate. */
    int[] cls;
    List<BigFraction[]> witnessT;   // T for witnesses, computed on first use
    /** fosp HOLDS: the recomputed counts {S, A, D} and, in float mode, the range rounding allows. */
    int[] countsCentral;
    int[] countsMin;
    int[] countsMax;
    /** Float mode, fosp HOLDS: per coordinate 1 in L, 0 strongly active, −1 undecided by rounding. */
    int[] floatL;
    /** Float mode, fosp HOLDS: per coordinate, degenerate beyond rounding doubt (a doubtful one counts as free). */
    boolean[] floatD;
    /** The checker's own verified Cholesky lower bounds on λ_min on L tried so far: target → proven. */
    final Map<Double, Boolean> choleskyProofs = new HashMap<>();
    Point.ExactFirstOrder exactFirst;
    final Map<Integer, BigFraction> gradCache = new HashMap<>();
    double[] residualNorm;
    /** The direction witnesses verified per claim (the upper ends of the curvature intervals rest on them). */
    final Map<String, Direction> verifiedWitness = new HashMap<>();

    void step(String subject, Runnable r) {
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

    static Rejected reject(String message) {
        return Json.reject(message);
    }

    void requireTolerances() {
        if (!tolerancesOk) {
            throw reject("float mode needs valid tolerances (see the tolerances line)");
        }
    }

    void requireC() {
        if (c == null) {
            throw reject("S-NMF: no usable multiplier (fosp.multiplierExact) to check against");
        }
    }

    // ================================================================== first order

    Point.ExactFirstOrder exactFirst() {
        if (exactFirst == null) {
            if (pt.work() > limits.exactLimit) {
                throw new Unverifiable("too large to re-check exactly (" + pt.workText() + " > " + limits.exactLimit + ")");
            }
            exactFirst = pt.exactFirstOrder();
        }
        return exactFirst;
    }

    BigFraction grad(int p) {
        if (exactFirst != null) {
            return exactFirst.gradient()[p];
        }
        return gradCache.computeIfAbsent(p, pt::gradientExact);
    }

    static String verdict(JsonNode o, String where) {
        String v = Json.text(o, "verdict", where);
        if (!v.equals("HOLDS") && !v.equals("FAILS") && !v.equals("UNDECIDED")) {
            throw reject(where + "verdict is '" + Exact.abbreviate(v) + "', expected HOLDS, FAILS or UNDECIDED");
        }
        return v;
    }

    /**
     * An UNDECIDED claim claims nothing, so it is accepted; when the checker itself can decide the claim ({@code finding}
     * "HOLDS" or "FAILS", else null) the output says that the certificate claims less than the data give.
     */
    void undecided(String subject, String finding) {
        rep.notRechecked(subject, finding == null ? "UNDECIDED: claims nothing (the checker cannot decide it either)"
                : "UNDECIDED: claims nothing, weaker than the checker's own finding " + finding
                + " (a weakened claim: the certificate claims less than the data give)");
    }

    /**
     * A HOLDS the checker did not verify: a problem (NOT VERIFIED) unless the caller accepts unverified claims, when it
     * is listed as ACCEPTED UNVERIFIED. Never "not re-checked": only claims of nothing (UNDECIDED) may pass unchecked.
     */
    void unverifiedHolds(String subject, String why) {
        if (limits.acceptUnverified) {
            rep.add(subject, Report.Status.ACCEPTED_UNVERIFIED, why);
        } else {
            rep.notVerified(subject, why + "; the checker cannot verify this HOLDS (--accept-unverified lists it"
                    + " instead of failing)");
        }
    }

    String verdictOrNull(String name) {
        JsonNode o = Json.get(cert, name);
        JsonNode v = o == null ? null : Json.get(o, "verdict");
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** {lower, upper} bounds on ‖R‖_F at the normalised point (the checker's own rounding analysis). */
    double[] residualNorm() {
        if (residualNorm == null) {
            residualNorm = pt.residualNormBounds();
        }
        return residualNorm;
    }

    // ================================================================== helpers

    /**
     * A claim in the input's units agrees with a quantity of the given weight recomputed at the normalised point
     * (see {@link Point#user}): |claim − e| ≤ rel·max + abs in the input's units, where e is the recomputed value there,
     * plus the spacing of the subnormals (both sides may have underflowed). A claim of ±∞ agrees only with a value that
     * overflows there too (or is within rel of doing so); otherwise a non-finite claim never agrees.
     */
    boolean agrees(double claim, double normalised, int weight, double rel, double absNormalised) {
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
    static boolean agreesExact(double claim, BigFraction value, double rel) {
        double e = Exact.toDouble(value);
        if (Double.isInfinite(claim) || Double.isInfinite(e)) {
            return claim == e || (Double.isFinite(claim) && Math.abs(claim) >= Double.MAX_VALUE * (1 - rel)
                    && Math.signum(claim) == Math.signum(e));
        }
        return close(claim, e, rel, 0x1p-1072);
    }

    /** A claimed scale in the input's units at the normalised point, or the recomputed one when it does not scale exactly. */
    double normalised(double claim, int weight, double recomputed) {
        double c = Math.scalb(claim, weight * pt.ks);
        return Double.isFinite(c) && c != 0 && Math.abs(c) >= Double.MIN_NORMAL && Math.abs(claim) >= Double.MIN_NORMAL
                && Math.scalb(c, -weight * pt.ks) == claim ? c : recomputed;
    }

    /** γ in the input's units, exactly. */
    BigFraction gammaUser() {
        return Exact.scalb(Exact.of(gammaS), -3 * pt.ks);
    }

    String fmtUser(double normalised, int weight) {
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

    /** dim L when the checker's Cholesky runs on the dense Hessian (else the structured factorisation, or nothing). */
    boolean denseCholesky() {
        return hessianL != null;
    }

    /** The checker's Hessian on L (float NMF) and the bound on its error, once computed. */
    double[][] hessianL;
    double hessianLNoise;

    /**
     * Whether the checker itself proves λ_min(∇²F on L) ≥ {@code target} (normalised units) by a verified Cholesky
     * ({@link Forms#choleskyProves}): float NMF at a verified FOSP whose L rounding leaves no doubt, of dimension at most
     * {@link Checker#MAX_CHOLESKY}. Throws Unverifiable with the reason where it cannot try.
     */
    boolean choleskyOnL(double target) {
        if (exact || snmf) {
            throw new Unverifiable("a verified Cholesky bound is checked in float NMF certificates only");
        }
        if (!fospHoldsVerified || floatL == null) {
            throw new Unverifiable("L rests on fosp HOLDS, not verified");
        }
        Boolean known = choleskyProofs.get(target);
        if (known != null) {
            return known;
        }
        for (Map.Entry<Double, Boolean> e : choleskyProofs.entrySet()) {
            if (e.getValue() && target <= e.getKey()) {
                return true; // λ_min ≥ a larger target is already proven
            }
        }
        if (hessianL == null) {
            int count = 0;
            for (int f : floatL) {
                if (f < 0) {
                    throw new Unverifiable("rounding leaves the class of some coordinate (strongly active or not) undecided, so L is");
                }
                count += f;
            }
            if (count > Checker.MAX_CHOLESKY && lambdaFromStrict(target)) {
                // one factorisation fewer: the strict claim's proof and the flatness of T bound λ_min on L too
                lambdaViaStrict = true;
                choleskyProofs.put(target, true);
                return true;
            }
            if (count > Checker.MAX_CHOLESKY) {
                // above the dense limit: the structured factorisation (the larger factor eliminated first)
                boolean[] free = new boolean[floatL.length];
                long fw = 0, fh = 0;
                for (int p = 0; p < floatL.length; p++) {
                    free[p] = floatL[p] == 1;
                    if (free[p]) {
                        if (pt.isW(p)) {
                            fw++;
                        } else {
                            fh++;
                        }
                    }
                }
                long bytes = 8 * (Math.min(fw, fh) * Math.max(fw, fh) + Math.min(fw, fh) * Math.min(fw, fh));
                if (bytes > limits.factorBudget()) {
                    throw new Unverifiable("dim L = " + count + ": the checker's structured Cholesky needs " + (bytes >> 20)
                            + " MiB, more than its factorisation budget of " + (limits.factorBudget() >> 20)
                            + " MiB (--max-factor-memory; default a third of the heap, raise -Xmx with it)");
                }
                boolean ok = pt.structuredCholeskyProves(free, target);
                choleskyProofs.put(target, ok);
                return ok;
            }
            int[] coords = new int[count];
            for (int p = 0, t = 0; p < floatL.length; p++) {
                if (floatL[p] == 1) {
                    coords[t++] = p;
                }
            }
            double[] noise = new double[1];
            hessianL = pt.restrictedHessian(coords, noise);
            hessianLNoise = noise[0];
        }
        boolean ok = Forms.choleskyProves(hessianL, target, hessianLNoise);
        choleskyProofs.put(target, ok);
        return ok;
    }

    /** λ_min on L was proven through the strict claim ({@link #lambdaFromStrict}), not by its own Cholesky on L. */
    boolean lambdaViaStrict;

    /**
     * λ_min(∇²F on L) ≥ {@code target} from the strict claim, when its μ.lower is a verified-cholesky bound μ &gt; 0 with
     * the symmetry hint: for d = y + s ∈ L, y in T = span Y, s ⊥ T, the checker's proofs give sᵀAs ≥ μ‖s‖² (Finsler)
     * and ‖P_L A y‖ ≤ ε‖y‖, ε = secondOrder·η/2 (T flat), so dᵀAd ≥ μ‖s‖² − 2ε‖y‖‖s‖ − ε‖y‖² ≥ −(ε + ε²/μ)‖d‖²
     * (curvature-bounds.md §5). Used above the dense limit, where it saves the structured factorisation on L.
     */
    boolean lambdaFromStrict(double target) {
        JsonNode st = cert.get("strictModuloSymmetry");
        if (st == null || !st.isObject() || !st.has("symmetry") || !st.path("mu").isObject()) {
            return false;
        }
        JsonNode mu = st.get("mu");
        if (!"verified-cholesky".equals(mu.path("lowerMethod").asText()) || !mu.path("lower").isNumber()) {
            return false;
        }
        double lo = Math.scalb(mu.get("lower").asDouble(), 2 * pt.ks);
        double eps = tauSecond * etaS / 2;
        if (!(lo > 0) || !Double.isFinite(lo) || !(target <= -(eps + eps * eps / lo) * (1 + 1e-12))) {
            return false;
        }
        try {
            return finslerProves(lo);
        } catch (Unverifiable | Rejected e) {
            return false;
        }
    }

    /** The checker's own bordered-Cholesky bounds on μ tried so far: target → proven. */
    final Map<Double, Boolean> finslerProofs = new HashMap<>();
    /** The strict claim's symmetry directions on L and off it, once parsed and verified flat. */
    double[][] symmetryY;

    /** The checker's bordered Cholesky runs on the dense matrix (dim L ≤ {@link Checker#MAX_CHOLESKY}). */
    boolean denseFinsler() {
        int count = 0;
        for (boolean f : freeL()) {
            count += f ? 1 : 0;
        }
        return count <= Checker.MAX_CHOLESKY;
    }

    /** free[p]: p is in L (float NMF, fosp HOLDS verified, every class decided by rounding). */
    boolean[] freeL() {
        if (exact || snmf) {
            throw new Unverifiable("a verified Cholesky bound is checked in float NMF certificates only");
        }
        if (!fospHoldsVerified || floatL == null) {
            throw new Unverifiable("L rests on fosp HOLDS, not verified");
        }
        boolean[] free = new boolean[floatL.length];
        for (int p = 0; p < floatL.length; p++) {
            if (floatL[p] < 0) {
                throw new Unverifiable("rounding leaves the class of some coordinate (strongly active or not) undecided, so L is");
            }
            free[p] = floatL[p] == 1;
        }
        return free;
    }

    /**
     * Whether the checker proves μ ≥ {@code target} (normalised units) on L ⊥ T, T = span P_L t_X over the strict
     * claim's symmetry hint, by its own bordered Cholesky (Finsler's lemma, {@link Point#borderedDelta}), after verifying
     * that T is flat within tolerance ({@link #symmetryDirections}). Throws Unverifiable where it cannot try.
     */
    boolean finslerProves(double target) {
        boolean[] free = freeL();
        Boolean known = finslerProofs.get(target);
        if (known != null) {
            return known;
        }
        for (Map.Entry<Double, Boolean> e : finslerProofs.entrySet()) {
            if (e.getValue() && target <= e.getKey()) {
                return true;
            }
        }
        double[][] y = symmetryDirections(free);
        int[] sides = pt.sides(free);
        long fw = sides[0], fh = sides[1];
        boolean dense = fw + fh <= Checker.MAX_CHOLESKY;
        long s1 = Math.max(fw, fh), s2 = Math.min(fw, fh) + y.length;
        long bytes = dense ? 8 * (fw + fh + y.length) * (fw + fh + y.length) : 8 * (s2 * s1 + s2 * s2 + (long) y.length * free.length);
        if (bytes > limits.factorBudget()) {
            throw new Unverifiable("the checker's bordered Cholesky needs " + (bytes >> 20) + " MiB, more than its"
                    + " factorisation budget of " + (limits.factorBudget() >> 20) + " MiB (--max-factor-memory; default a"
                    + " third of the heap, raise -Xmx with it)");
        }
        // c − δ ≥ target: δ is known after the factorisation; a first guess from the scale, then once more with δ
        double guess = Math.abs(target) * 1e-9 + pt.restrictedHessianNoise() * 4;
        boolean ok = false;
        for (int attempt = 0; attempt < 2 && !ok; attempt++) {
            double c = target + guess;
            for (int widen = 0; widen < 2 && !ok; widen++) {
                double delta = pt.borderedDelta(free, c, y, widen, dense);
                if (Double.isFinite(delta)) {
                    ok = c - delta >= target;
                    guess = Math.max(guess, 2 * delta);
                }
            }
        }
        finslerProofs.put(target, ok);
        return ok;
    }

    /**
     * The strict claim's hint parsed (1 to r² matrices of r² finite numbers) into P_L t_X, after proving T flat within
     * tolerance: for every y ∈ T = span{P_L t_X}, ‖t_X − y‖² + ‖P_L∇²F y‖²/η² ≤ (τ/2)²‖y‖² (proofs-notes/symmetry-gl-r.md
     * §7): the checker proves θ²G_Y − G_E − G_Z/η² ⪰ 0, θ = 0.99·τ/2, for the Gram matrices of Y, of the parts off L and
     * of its own P_L∇²F Y by a verified Cholesky, and λ_min(G_Y) ≥ s with 101·φ_F²/(sη²) ≤ (1 − 1.01·0.99²)(τ/2)², φ_F
     * bounding the error of its Hessian products: then (a + b)² ≤ 1.01a² + 101b² gives the claim (curvature-bounds.md §5).
     */
    double[][] symmetryDirections(boolean[] free) {
        if (symmetryY != null) {
            return symmetryY;
        }
        JsonNode hint = Json.object(cert, "strictModuloSymmetry", "").get("symmetry");
        String where = "strictModuloSymmetry.symmetry";
        if (hint == null || hint.isNull()) {
            throw new Unverifiable(where + " is absent: without the symmetry directions the checker cannot bound μ");
        }
        int r = pt.r, rr = r * r;
        if (!hint.isArray() || hint.size() < 1 || hint.size() > rr) {
            throw reject(where + " must be an array of 1 to r² = " + rr + " matrices");
        }
        double[][] xs = new double[hint.size()][];
        for (int t = 0; t < xs.length; t++) {
            JsonNode a = hint.get(t);
            if (!a.isArray() || a.size() != rr) {
                throw reject(where + "[" + t + "] must be an array of r² = " + rr + " numbers (X row-major)");
            }
            xs[t] = new double[rr];
            for (int i = 0; i < rr; i++) {
                JsonNode x = a.get(i);
                if (!x.isNumber() || !Double.isFinite(x.asDouble())) {
                    throw reject(where + "[" + t + "][" + i + "] is not a finite number");
                }
                xs[t][i] = x.asDouble();
            }
        }
        double[][][] ye = pt.symmetryRows(xs, free);
        double[][] y = ye[0], e = ye[1];
        int q = y.length;
        double[][] z = new double[q][];
        double yF2 = 0, eF2 = 0, zF2 = 0;
        for (int t = 0; t < q; t++) {
            z[t] = pt.hessianTimesOnL(y[t], free);
            yF2 += Forms.dot(y[t], y[t]);
            eF2 += Forms.dot(e[t], e[t]);
            zF2 += Forms.dot(z[t], z[t]);
        }
        double tau = tauSecond, eta = etaS, n = free.length;
        double gN = Point.gammaK((int) Math.min(2 * n, Integer.MAX_VALUE / 2));
        double safe = 1 + 4 * n * U;
        double phiF = (pt.hessianTimesBound() * Math.sqrt(yF2 * safe) + Math.sqrt(q) * pt.hessianTimesUnderflow()) * safe;
        double theta2 = 0.99 * 0.99 * tau * tau / 4, room = (1 - 1.01 * 0.99 * 0.99) * tau * tau / 4;
        double[][] gy = new double[q][q], mm = new double[q][q];
        double absM = 0;
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
                gy[a][b] = Forms.dot(y[a], y[b]);
                double t1 = theta2 * gy[a][b], t2 = Forms.dot(e[a], e[b]), t3 = Forms.dot(z[a], z[b]) / (eta * eta);
                mm[a][b] = t1 - t2 - t3;
                absM += (Math.abs(t1) + Math.abs(t2) + Math.abs(t3)) * (Math.abs(t1) + Math.abs(t2) + Math.abs(t3));
            }
        }
        // entries of Grams err by γ_N Σ|a||b| ≤ γ_N‖a‖‖b‖, so in Frobenius norm by γ_N·q·‖·‖_F²; the combination (a product, a division by η², two subtractions) by 8u
        double noiseY = gN * q * yF2 * safe + q * Double.MIN_NORMAL;
        double noiseM = (gN * q * (theta2 * yF2 + eF2 + zF2 / (eta * eta)) + 8 * U * Math.sqrt(absM)) * safe * (1 + 4 * U)
                + q * Double.MIN_NORMAL;
        double s = 101 * phiF * phiF / (eta * eta * room) * (1 + 1e-6);
        if (!Double.isFinite(s) || !Forms.choleskyProves(gy, s, noiseY)) {
            throw new Unverifiable(where + ": the checker cannot prove the symmetry directions independent enough for its"
                    + " rounding bounds (λ_min of their Gram matrix ≥ " + fmt(s) + ")");
        }
        if (!Forms.choleskyProves(mm, 0, noiseM)) {
            throw new Unverifiable(where + ": the checker cannot prove T flat within tolerance (‖t_X − y‖² + ‖P_L∇²F y‖²/η²"
                    + " ≤ (τ/2)²‖y‖² on T)");
        }
        symmetryY = y;
        return y;
    }
}
