package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import java.util.List;

/**
 * The output of a run: the factors on the scale of V, the trace of every measured iterate, and why it stopped.
 *
 * @param objective     F(W, H) of the returned factors, summed entry by entry (not from the trace)
 * @param relativeError ‖V − WH‖_F / ‖V‖_F of the returned factors
 * @param iterations    number of updates performed
 */
public record SolveResult(String algorithm, DenseMatrix w, DenseMatrix h, List<TraceRow> trace, StopReason stopReason,
                          int iterations, double objective, double relativeError, double seconds) {
    public SolveResult {
        trace = List.copyOf(trace);
    }
}
