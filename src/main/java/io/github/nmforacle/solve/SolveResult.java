package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import java.util.List;

/**
 * The output of a run: the factors on the scale of V, the trace of every measured iterate, and why it stopped.
 * Solvers run on V' = 2^{-2e} V ({@link Scaling}); the objective is kept in those units with e, since on the scale of V
 * it may leave the double range.
 *
 * @param normalisedObjective F'(W', H') = 2^{-4e} F(W, H) of the returned factors, summed entry by entry (not from
 *                            the trace)
 * @param relativeError       ‖V − WH‖_F / ‖V‖_F of the returned factors (scale-free)
 * @param iterations          number of updates performed
 * @param exponent            e of the normalisation (W = 2^e W', H = 2^e H')
 * @param flushedEntries      positive entries of V that were below the double range relative to max V and counted as 0
 */
public record SolveResult(String algorithm, DenseMatrix w, DenseMatrix h, List<TraceRow> trace, StopReason stopReason,
                          int iterations, double normalisedObjective, double relativeError, double seconds,
                          int exponent, long flushedEntries) {
    public SolveResult {
        trace = List.copyOf(trace);
    }

    /** F(W, H) = ‖V − WH‖²_F on the scale of V: 0 or ∞ if it leaves the double range (see {@link #objectiveText}). */
    public double objective() {
        return Math.scalb(normalisedObjective, 4 * exponent);
    }

    /** The objective for output: exact in the units of V, or honestly as F' × 2^{4e} when that is no double. */
    public String objectiveText(String format) {
        return Scaling.format(format, normalisedObjective, 4 * exponent);
    }
}
