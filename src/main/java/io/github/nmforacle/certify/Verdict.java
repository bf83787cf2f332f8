package io.github.nmforacle.certify;

/** The three-valued answer to every claim of a certificate (../shared/spec/certify.md, "Verdicts"). */
public enum Verdict {
    /** Holds exactly (exact mode) or within the stated tolerances, outside the rounding-noise band (float mode). */
    HOLDS,
    /** Does not hold; the claim carries a witness that anyone can re-check. */
    FAILS,
    /** Not decided: margins inside the noise band, or a budget (|D|, size) stopped the decision; the reason is given. */
    UNDECIDED
}
