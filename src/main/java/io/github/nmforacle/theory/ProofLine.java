package io.github.nmforacle.theory;

import io.github.nmforacle.testkit.StationaryPoints.Case;
import io.github.nmforacle.theory.Constructions.Direction;
import org.hipparchus.fraction.BigFraction;

/**
 * One displayed relation of a proof of the paper (proofs-notes/proof-lines.md), as an exact predicate over a
 * generated point. {@code erratum} is null when the printed line is expected to hold everywhere, else the erratum
 * (proofs-notes/errata.md) that records it as false; a corrected line carries {@code corrects} = the printed id.
 *
 * @param id        e.g. {@code lemma2.(11).4}
 * @param printed   the relation as printed (or our corrected relation)
 * @param location  where in the paper
 * @param hypothesis what makes a case eligible (otherwise the trial is a DISCARD)
 * @param erratum   null, or e.g. "E12": the printed line is known to be false
 * @param corrects  null, or the id of the printed line this one corrects
 * @param check     the exact predicate: TRUE/FALSE, or null when the hypothesis is not met
 */
public record ProofLine(String id, String printed, String location, String hypothesis, String erratum, String corrects,
                        Check check) {

    /** An exact predicate; returns null when the case does not meet the line's hypothesis. */
    @FunctionalInterface
    public interface Check {
        Boolean test(Ctx c);
    }

    /**
     * The generated case a proof's lines are evaluated on.
     *
     * @param x     the point (V, W, H) in exact rationals
     * @param c     the simplex sum C (S-NMF contexts), else null
     * @param sHat  Theorem 2's direction ŝ (in L_NMF), else null
     * @param example the case as doubles (for the counterexample)
     */
    public record Ctx(Exact x, BigFraction c, Direction sHat, Case example) {
    }

    public boolean expectedToHold() {
        return erratum == null;
    }
}
