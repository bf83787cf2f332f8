package io.github.nmforacle.solve;

/**
 * One measured iterate x_t = (W_t, H_t) on the scale of V.
 *
 * @param iteration          t (0 is the start)
 * @param objective          F(x_t) = ‖V − W_t H_t‖²_F, from the products the iteration computes anyway
 *                           (absolute rounding error about 1e-16 ‖V‖²; the final objective of a run is summed directly)
 * @param relativeError      √F / ‖V‖_F
 * @param firstOrderResidual ‖min(x_t, ∇F(x_t))‖_F, zero exactly at KKT points of NMF (paper (1))
 * @param step               the step used to reach x_t (ε for MWU, NaN where not applicable)
 * @param seconds            wall-clock seconds since the run started
 */
public record TraceRow(int iteration, double objective, double relativeError, double firstOrderResidual,
                       double step, double seconds) {
}
