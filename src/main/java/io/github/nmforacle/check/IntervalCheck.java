package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.fraction.BigFraction;

/**
 * Stage 4, curvature intervals: each end of lambdaMin and mu proven by the method it names (Gauss–Newton −2‖R‖_F,
 * exact elimination, the witness's Rayleigh quotient).
 */
abstract class IntervalCheck extends SecondOrderCheck {
    IntervalCheck(Checker limits, Point pt, JsonNode cert) {
        super(limits, pt, cert);
    }


    /**
     * The curvature interval {lower, upper} of a claim (issue 12, item 3): each end must be proven by the method it
     * names, recomputed here. lower "gauss-newton": ℓ ≤ −2‖R‖_F (every curvature is ≥ −2‖R‖_F); "exact-elimination":
     * 0, standing with the claim's exact HOLDS verified above; upper "witness": u ≥ dᵀ∇²F d/‖d‖² for the claim's verified
     * direction witness. An end weaker than what the checker recomputes is accepted, and the output says so.
     */
    void bounds(String name, String field) {
        String where = name + "." + field + ".";
        JsonNode iv = Json.object(Json.object(cert, name, ""), field, name + ".");
        Double lo = Json.optionalNumber(iv, "lower", where);
        Double up = Json.optionalNumber(iv, "upper", where);
        String lm = Json.text(iv, "lowerMethod", where);
        String um = Json.text(iv, "upperMethod", where);
        if (!List.of("gauss-newton", "verified-cholesky", "exact-elimination", "none").contains(lm)) {
            throw reject(where + "lowerMethod is '" + Exact.abbreviate(lm) + "', expected gauss-newton, verified-cholesky,"
                    + " exact-elimination or none");
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
        } else if (lm.equals("verified-cholesky")) {
            double ln = Math.scalb(lo, 2 * pt.ks);
            if (name.equals("strictModuloSymmetry")) {
                if (!finslerProves(ln)) {
                    throw new Unverifiable(where + "lower = " + lo + ": the checker's own bordered Cholesky (Finsler's lemma, T"
                            + " from the symmetry hint) does not prove it");
                }
                String weaker = weaker(ln, denseFinsler(), this::finslerProves);
                said.add("lower " + fmt(lo) + " ≤ μ on L ⊥ T by the checker's own bordered Cholesky (T from the symmetry"
                        + " hint, verified flat within tolerance)" + weaker);
                said.add(upperPart(name, where, up));
                rep.verified(name + "." + field, String.join("; ", said));
                return;
            }
            if (!choleskyOnL(ln)) {
                throw new Unverifiable(where + "lower = " + lo + ": the checker's own Cholesky of ∇²F_L − lower·I (with its"
                        + " rounding bounds) does not complete, so it cannot prove it");
            }
            String weaker = weaker(ln, denseCholesky(), this::choleskyOnL);
            said.add("lower " + fmt(lo) + " ≤ λ_min(∇²F on L) by the checker's own verified Cholesky"
                    + (name.equals("sospCone") ? " (K ⊆ L)" : "") + weaker);
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
        said.add(upperPart(name, where, up));
        rep.verified(name + "." + field, String.join("; ", said));
    }

    /**
     * A noticeably better bound the checker also proves makes this one weaker, and the output says so (on the dense
     * matrix only: above it each factorisation costs seconds).
     */
    String weaker(double ln, boolean dense, java.util.function.DoublePredicate proves) {
        double better = ln + Math.abs(ln) * 5e-4 + 0x1p-1000;
        return dense && proves.test(better) ? " (weaker: the checker also proves " + fmtUser(better, 2) + ")" : "";
    }

    /** The upper end: none, or the Rayleigh quotient of the claim's verified direction witness. */
    String upperPart(String name, String where, Double up) {
        Direction d = verifiedWitness.get(name);
        if (up == null) {
            return d == null ? "upper: none" : "upper: none (weaker than the verified witness's Rayleigh quotient)";
        }
        if (d == null) {
            throw reject(where + "upper by witness, but " + name + " has no verified direction witness"
                    + (name.equals("strictModuloSymmetry") ? " in L-perp-T" : ""));
        }
        return witnessUpper(up, where, d);
    }

    /** ℓ ≤ −2‖R‖_F: exactly (ℓ ≤ 0, ℓ² ≥ 4F) within the exact limit, else against the rounding bounds on ‖R‖_F. */
    String gaussNewtonLower(double lo, String where, double[] rn) {
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
    String witnessUpper(double up, String where, Direction d) {
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
}
