package io.github.nmforacle.io;

import io.github.nmforacle.solve.TraceRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Writes a solver trace as CSV: {@code iteration,objective,relative_error,first_order_residual,step,seconds}. */
public final class TraceCsv {
    public static final String HEADER = "iteration,objective,relative_error,first_order_residual,step,seconds";

    private TraceCsv() {
    }

    /** Writes atomically (a temporary file in the same folder, then a move; the temporary file never outlives a failure). */
    public static void write(List<TraceRow> rows, Path p) {
        MatrixIO.writeAtomically(p, out -> out.write(content(rows).getBytes(StandardCharsets.UTF_8)));
    }

    /** The CSV text: the header and one line per row. */
    static String content(List<TraceRow> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (TraceRow r : rows) {
            sb.append(r.iteration()).append(',').append(r.objective()).append(',').append(r.relativeError()).append(',')
                    .append(r.firstOrderResidual()).append(',').append(r.step()).append(',').append(r.seconds()).append('\n');
        }
        return sb.toString();
    }
}
