package io.github.nmforacle.io;

import io.github.nmforacle.solve.TraceRow;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes a solver trace as CSV: {@code iteration,objective,relative_error,first_order_residual,step,seconds}. */
public final class TraceCsv {
    public static final String HEADER = "iteration,objective,relative_error,first_order_residual,step,seconds";

    private TraceCsv() {
    }

    /** Writes atomically (a temporary file in the same folder, then a move). */
    public static void write(List<TraceRow> rows, Path p) {
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException(p + ": folder does not exist");
        }
        try {
            Path tmp = Files.createTempFile(dir, ".trace", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(HEADER);
                w.write('\n');
                for (TraceRow r : rows) {
                    w.write(r.iteration() + "," + r.objective() + "," + r.relativeError() + "," + r.firstOrderResidual()
                            + "," + r.step() + "," + r.seconds() + "\n");
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InputException(p + ": cannot write: " + e.getMessage());
        }
    }
}
