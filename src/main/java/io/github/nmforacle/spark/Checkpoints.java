package io.github.nmforacle.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.io.NpyMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.TraceRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checkpoints of a distributed run: everything the driver needs to redo iterate t's pass and go on to the very bits an
 * uninterrupted run reaches — W_t, H_t (and mwu-adaptive's maintained Wᵀ·V) as .npy; the trace so far, the counters
 * and the line-search state in state.json, with doubles as their bit patterns (exact, NaN included).
 * Each is written into a temporary folder that is then renamed to {@code ckpt-<t>} (atomic on one file system), so a
 * run killed while writing leaves the previous checkpoint intact; older ones are then deleted.
 */
final class Checkpoints {
    private static final String PREFIX = "ckpt-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /** The state of iterate t, before its measurement pass. */
    record State(String algorithm, int n, int m, int r, int exponent, int iteration, int updates, double step,
                 double previous, double residual0, double[] w, double[] h, double[] wtv, List<TraceRow> trace) {
    }

    static void write(Path dir, State s) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, ".tmp-" + PREFIX);
            NpyMatrix.write(new DenseMatrix(s.n(), s.r(), s.w()), tmp.resolve("W.npy"));
            NpyMatrix.write(new DenseMatrix(s.r(), s.m(), s.h()), tmp.resolve("H.npy"));
            if (s.wtv() != null) {
                NpyMatrix.write(new DenseMatrix(s.r(), s.m(), s.wtv()), tmp.resolve("WtV.npy"));
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("algorithm", s.algorithm()).put("n", s.n()).put("m", s.m()).put("r", s.r())
                    .put("exponent", s.exponent()).put("iteration", s.iteration()).put("updates", s.updates())
                    .put("step", bits(s.step())).put("previous", bits(s.previous()))
                    .put("residual0", bits(s.residual0()));
            com.fasterxml.jackson.databind.node.ArrayNode trace = o.putArray("trace");
            for (TraceRow t : s.trace()) {
                com.fasterxml.jackson.databind.node.ArrayNode row = trace.addArray();
                row.add(t.iteration()).add(bits(t.normalisedObjective())).add(bits(t.relativeError()))
                        .add(bits(t.normalisedResidual())).add(bits(t.normalisedStep())).add(bits(t.seconds()))
                        .add(t.exponent()).add(t.stepPower());
            }
            Files.writeString(tmp.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            Path target = dir.resolve(PREFIX + s.iteration());
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            for (Path old : checkpoints(dir)) {
                if (!old.equals(target)) {
                    deleteTree(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the checkpoint (" + e.getMessage() + ")", e);
        }
    }

    /** The latest complete checkpoint in {@code dir} (null if none); refused if it belongs to another run. */
    static State latest(Path dir, String algorithm, int n, int m, int r, int exponent) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> all;
        try {
            all = checkpoints(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the checkpoints (" + e.getMessage() + ")", e);
        }
        if (all.isEmpty()) {
            return null;
        }
        Path p = all.get(all.size() - 1);
        try {
            JsonNode o = JSON.readTree(Files.readString(p.resolve("state.json")));
            String alg = o.get("algorithm").asText();
            if (!alg.equals(algorithm) || o.get("n").asInt() != n || o.get("m").asInt() != m || o.get("r").asInt() != r
                    || o.get("exponent").asInt() != exponent) {
                throw new IllegalArgumentException(p + ": a checkpoint of " + alg + " on " + o.get("n").asInt() + "x"
                        + o.get("m").asInt() + " with r = " + o.get("r").asInt() + ", not of this run (" + algorithm + " on "
                        + n + "x" + m + " with r = " + r + "); use another --checkpoint-dir");
            }
            double[] w = NpyMatrix.read(p.resolve("W.npy"), (long) n * r).data();
            double[] h = NpyMatrix.read(p.resolve("H.npy"), (long) r * m).data();
            Path wtvPath = p.resolve("WtV.npy");
            double[] wtv = Files.exists(wtvPath) ? NpyMatrix.read(wtvPath, (long) r * m).data() : null;
            List<TraceRow> trace = new ArrayList<>();
            for (JsonNode t : o.get("trace")) {
                trace.add(new TraceRow(t.get(0).asInt(), unbits(t.get(1).asText()), unbits(t.get(2).asText()),
                        unbits(t.get(3).asText()), unbits(t.get(4).asText()), unbits(t.get(5).asText()), t.get(6).asInt(),
                        t.get(7).asInt()));
            }
            return new State(alg, n, m, r, exponent, o.get("iteration").asInt(), o.get("updates").asInt(),
                    unbits(o.get("step").asText()), unbits(o.get("previous").asText()),
                    unbits(o.get("residual0").asText()), w, h, wtv, trace);
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException(p + ": not a readable checkpoint (" + e.getMessage() + ")", e);
        }
    }

    private static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+") && Files.isDirectory(p))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(PREFIX.length()))))
                    .toList();
        }
    }

    private static String bits(double x) {
        return Long.toHexString(Double.doubleToRawLongBits(x));
    }

    private static double unbits(String s) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(s, 16));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
