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
                throw new Unverifiable("too large to re-check exactly (n·m·r = " + pt.work() + " > " + limits.exactLimit + ")");
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
                if (bytes > Runtime.getRuntime().maxMemory() / 3) {
                    throw new Unverifiable("dim L = " + count + ": the checker's structured Cholesky needs " + (bytes >> 20)
                            + " MiB, more than a third of the heap; raise -Xmx");
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
}
