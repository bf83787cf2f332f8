package io.github.nmforacle.solve;

/**
 * One measured iterate x_t = (W_t, H_t), stored in the units of the normalised problem V' = 2^{-2e} V
 * ({@link Scaling}); the accessors without "normalised" give the values on the scale of V, which may leave the double
 * range when V is near its ends (then use the normalised value with the exponent, e.g. {@link Scaling#format}).
 *
 * @param iteration            t (0 is the start)
 * @param normalisedObjective  F'(x'_t) = ‖V' − W'_t H'_t‖²_F, from the products the iteration computes anyway
 *                             (absolute rounding error about 1e-16 ‖V'‖²; the final objective of a run is summed
 *                             directly); F(x_t) = 2^{4e} F'
 * @param relativeError        √F / ‖V‖_F (scale-free)
 * @param normalisedResidual   ‖min(x'_t, ∇F'(x'_t))‖_F of the normalised problem, zero exactly at KKT points of NMF
 *                             (paper (1)); reported in the units of ∇F as 2^{3e} times this (x and ∇F scale
 *                             differently, so this is not ‖min(x_t, ∇F(x_t))‖ unless e = 0; being canonical, it makes
 *                             the first-order stopping test scale-free)
 * @param normalisedStep       the step used to reach x'_t (ε for MWU, η for AND, NaN where not applicable); on the
 *                             scale of V it is 2^{stepPower·e} times this
 * @param seconds              wall-clock seconds since the run started
 * @param exponent             e of the normalisation
 * @param stepPower            how the step scales: 0 (MWU's ε acts on the scale-free simplex problem), −2 (AND's η)
 */
public record TraceRow(int iteration, double normalisedObjective, double relativeError, double normalisedResidual,
                       double normalisedStep, double seconds, int exponent, int stepPower) {

    /** F(x_t) = ‖V − W_t H_t‖²_F on the scale of V (0 or ∞ if it leaves the double range: see the class comment). */
    public double objective() {
        return Math.scalb(normalisedObjective, 4 * exponent);
    }

    /** The first-order residual in the units of ∇F on the scale of V: 2^{3e} times the normalised one (may leave the double range). */
    public double firstOrderResidual() {
        return Math.scalb(normalisedResidual, 3 * exponent);
    }

    /** The step on the scale of V (may leave the double range). */
    public double step() {
        return Math.scalb(normalisedStep, stepPower * exponent);
    }

    /** Whether objective, residual and step on the scale of V are exact doubles (not under- or overflowed). */
    public boolean representable() {
        return Scaling.representable(normalisedObjective, 4 * exponent)
                && Scaling.representable(normalisedResidual, 3 * exponent)
                && Scaling.representable(normalisedStep, stepPower * exponent);
    }
}
