package io.github.nmforacle.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.check.Report;
import io.github.nmforacle.escape.SaddleEscape;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.TraceRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The JSON of {@code solve --json}, {@code check --json} and {@code serve}'s answers (README "Serve protocol"). */
final class CliJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CliJson() {
    }

    /** One line, no indentation (JSON lines). */
    static String compact(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** check --json: ok, exit, verdict (the report's last line), problems and every item. */
    static ObjectNode check(Report report) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ok", report.ok());
        o.put("exit", report.exitCode());
        o.put("verdict", report.lastLine());
        ArrayNode problems = o.putArray("problems");
        ArrayNode items = o.putArray("items");
        for (Report.Item i : report.items()) {
            ObjectNode it = MAPPER.createObjectNode();
            it.put("subject", i.subject());
            it.put("status", i.status().name());
            it.put("message", i.message());
            it.put("line", i.line());
            items.add(it);
            if (i.problem()) {
                problems.add(it.deepCopy());
            }
        }
        return o;
    }

    /**
     * solve --json. Units: objective = ‖V − WH‖²_F (the paper's F), reconstructionErr = ‖V − WH‖_F (scikit-learn's
     * reconstruction_err_), relativeError = ‖V − WH‖_F / ‖V‖_F; a value outside the double range is null, with
     * objectiveText giving it as F'·2^k.
     */
    static ObjectNode solve(SolveCommand.Outcome oc, Path outW, Path outH, Path trace) {
        SolveResult r = oc.result();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("algorithm", r.algorithm());
        o.put("input", oc.name());
        o.put("n", oc.v().rows());
        o.put("m", oc.v().cols());
        o.put("rank", r.w().cols());
        number(o, "objective", r.objective());
        o.put("objectiveText", r.objectiveText("%.17g"));
        number(o, "reconstructionErr", Math.scalb(Math.sqrt(r.normalisedObjective()), 2 * r.exponent()));
        number(o, "relativeError", r.relativeError());
        List<TraceRow> t = r.trace();
        if (t.isEmpty()) {
            o.putNull("firstOrderResidual");
        } else {
            number(o, "firstOrderResidual", Math.scalb(t.get(t.size() - 1).normalisedResidual(), 3 * r.exponent()));
        }
        o.put("iterations", r.iterations());
        o.put("stopReason", r.stopReason().name().toLowerCase(Locale.ROOT));
        o.put("stopReasonText", r.stopReason().description());
        o.put("seconds", r.seconds());
        o.put("flushedEntries", r.flushedEntries());
        ObjectNode written = o.putObject("written");
        path(written, "W", outW);
        path(written, "H", outH);
        path(written, "trace", trace);
        SaddleEscape.Outcome e = oc.escaped();
        if (e == null) {
            o.putNull("escape");
        } else {
            ObjectNode es = o.putObject("escape");
            es.put("status", e.status().name());
            es.put("reason", e.reason());
            ArrayNode steps = es.putArray("steps");
            for (SaddleEscape.Step s : e.steps()) {
                steps.add(MAPPER.valueToTree(s));
            }
        }
        return o;
    }

    /** A matrix as nested arrays of rows. */
    static ArrayNode matrix(DenseMatrix a) {
        ArrayNode rows = MAPPER.createArrayNode();
        for (int i = 0; i < a.rows(); i++) {
            ArrayNode row = rows.addArray();
            for (int j = 0; j < a.cols(); j++) {
                row.add(a.get(i, j));
            }
        }
        return rows;
    }

    private static void number(ObjectNode o, String field, double x) {
        if (Double.isFinite(x)) {
            o.put(field, x);
        } else {
            o.putNull(field);
        }
    }

    private static void path(ObjectNode o, String field, Path p) {
        if (p == null) {
            o.putNull(field);
        } else {
            o.put(field, p.toString());
        }
    }
}
