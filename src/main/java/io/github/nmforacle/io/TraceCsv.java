package io.github.nmforacle.io;

import io.github.nmforacle.solve.TraceRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a solver trace as CSV: {@code iteration,objective,relative_error,first_order_residual,step,seconds} on the
 * scale of V. If some objective, residual or step leaves the double range on that scale (V near the ends of the
 * range), the whole trace is written in the solver's normalised units instead, under {@link #HEADER_NORMALISED}, so
 * that no value is a rounded-away 0 or an overflowed ∞: objective = objective_normalised · 2^(4·exponent),
 * first_order_residual = first_order_residual_normalised · 2^(3·exponent), step = step_normalised ·
 * 2^(step_power·exponent). A reader of the usual header fails on the other one instead of misreading it.
 */
public final class TraceCsv {
    public static final String HEADER = "iteration,objective,relative_error,first_order_residual,step,seconds";
    public static final String HEADER_NORMALISED = "iteration,objective_normalised,relative_error,"
            + "first_order_residual_normalised,step_normalised,seconds,exponent,step_power";

    private TraceCsv() {
    }

    /** Writes atomically (a temporary file in the same folder, then a move; the temporary file never outlives a failure). */
    public static void write(List<TraceRow> rows, Path p) {
        MatrixIO.writeAtomically(p, out -> out.write(content(rows).getBytes(StandardCharsets.UTF_8)));
    }

    /** The CSV text: the header and one line per row. */
    static String content(List<TraceRow> rows) {
        boolean inRange = rows.stream().allMatch(TraceRow::representable);
        StringBuilder sb = new StringBuilder(inRange ? HEADER : HEADER_NORMALISED).append('\n');
        for (TraceRow r : rows) {
            if (inRange) {
                sb.append(r.iteration()).append(',').append(r.objective()).append(',').append(r.relativeError()).append(',')
                        .append(r.firstOrderResidual()).append(',').append(r.step()).append(',').append(r.seconds()).append('\n');
            } else {
                sb.append(r.iteration()).append(',').append(r.normalisedObjective()).append(',').append(r.relativeError())
                        .append(',').append(r.normalisedResidual()).append(',').append(r.normalisedStep()).append(',')
                        .append(r.seconds()).append(',').append(r.exponent()).append(',').append(r.stepPower()).append('\n');
            }
        }
        return sb.toString();
    }
}
