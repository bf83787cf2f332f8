package io.github.nmforacle.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.check.Report;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.io.InputException;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code serve}: one long-lived process answering JSON-lines requests (certify, check, solve, ping, version) on
 * stdin with one JSON line each on stdout, in order. Each request is turned into the command line of the same
 * command and parsed and validated by it (picocli and the command's own checks), so options, limits and error
 * messages are those of the CLI. An error is an answer ({@code "ok": false}), never the end of the server; EOF ends it
 * with exit 0. Protocol: README "Serve protocol".
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Answer JSON-lines requests on stdin (certify, check, solve, ping, version) with one JSON line each",
                "on stdout; matrices as {\"path\": ...} or inline arrays of rows. Errors are answers; EOF ends with exit 0.",
                "Protocol: README \"Serve protocol\"."})
public final class ServeCommand implements Callable<Integer> {
    /** Version of the request/answer format; bumped on incompatible changes. */
    static final int PROTOCOL = 1;
    /** Longest request line, in chars: larger matrices go by path. */
    static final int MAX_LINE_CHARS = 64 << 20;
    /** Most entries of one inline matrix. */
    static final long MAX_INLINE_ENTRIES = 4_000_000L;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The matrix fields of each operation and the option they stand for. */
    private static final Map<String, Map<String, String>> MATRICES = Map.of(
            "certify", ordered("V", "--input", "W", "--w", "H", "--h"),
            "check", ordered("V", "--input", "W", "--w", "H", "--h"),
            "solve", ordered("V", "--input", "init-w", "--init-w", "init-h", "--init-h"));
    /** Options a request may not set: the server prints JSON and nothing else, and the inputs are the matrix fields. */
    private static final Set<String> RESERVED = Set.of("--input", "--w", "--h", "--json", "--help", "--version",
            "--quiet", "--certificate");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintStream saved = System.out;
        // stdout carries only answers: anything a library prints goes to stderr
        System.setOut(System.err);
        try {
            serve(new InputStreamReader(System.in, StandardCharsets.UTF_8), out);
        } finally {
            System.setOut(saved);
        }
        return Main.EXIT_OK;
    }

    /** Answers every line of {@code in} on {@code out}, one line each, until EOF. */
    static void serve(Reader in, PrintWriter out) throws IOException {
        serve(in, out, MAX_LINE_CHARS);
    }

    static void serve(Reader in, PrintWriter out, int maxLineChars) throws IOException {
        LineReader lines = new LineReader(in, maxLineChars);
        for (String line = lines.next(); line != null; line = lines.next()) {
            if (line.isBlank() && !lines.tooLong()) {
                continue;
            }
            ObjectNode answer = lines.tooLong()
                    ? error(null, null, "request line longer than " + maxLineChars + " characters; pass large"
                    + " matrices as {\"path\": ...}", Main.EXIT_BAD_INPUT)
                    : answer(line);
            out.println(CliJson.compact(answer));
            out.flush();
        }
    }

    /** The answer to one request line; never throws. */
    static ObjectNode answer(String line) {
        JsonNode id = null;
        String op = null;
        try {
            JsonNode req;
            try {
                req = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                String at = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
                return error(null, null, "malformed JSON" + at + ": " + io.github.nmforacle.check.Checker.plain(
                        e.getOriginalMessage()), Main.EXIT_BAD_INPUT);
            }
            if (req == null || !req.isObject()) {
                return error(null, null, "a request must be a JSON object", Main.EXIT_BAD_INPUT);
            }
            id = req.get("id");
            JsonNode o = req.get("op");
            if (o == null || !o.isTextual()) {
                throw new InputException("field 'op' is required: certify, check, solve, ping or version");
            }
            op = o.asText();
            ObjectNode ok = CliJson.MAPPER.createObjectNode();
            if (id != null) {
                ok.set("id", id);
            }
            ok.put("op", op);
            ok.put("ok", true);
            switch (op) {
                case "ping" -> ok.put("exit", Main.EXIT_OK);
                case "version" -> {
                    ok.put("exit", Main.EXIT_OK);
                    ok.put("version", Main.Version.projectVersion());
                    ok.put("protocol", PROTOCOL);
                }
                case "certify" -> {
                    CertifyCommand c = new CertifyCommand();
                    parse(c, op, req);
                    Certificate cert = c.run();
                    ok.put("exit", c.exitCode(cert));
                    ok.set("result", CertificateJson.tree(cert));
                }
                case "check" -> {
                    CheckCommand c = new CheckCommand();
                    JsonNode cert = req.get("certificate");
                    if (cert == null || cert.isNull()) {
                        throw new InputException("field 'certificate' is required: the certificate object or {\"path\": ...}");
                    }
                    List<String> extra = new ArrayList<>();
                    extra.add("--certificate");
                    if (cert.isObject() && !cert.has("path")) {
                        c.inlineCertificate = cert;
                        extra.add("certificate");
                    } else {
                        extra.add(path("certificate", cert).toString());
                    }
                    parse(c, op, req, extra);
                    Report report = c.run();
                    ok.put("exit", report.exitCode());
                    ok.set("result", CliJson.check(report));
                }
                case "solve" -> {
                    SolveCommand c = new SolveCommand();
                    parse(c, op, req);
                    SolveCommand.Outcome oc = c.run();
                    ok.put("exit", Main.EXIT_OK);
                    ObjectNode r = CliJson.solve(oc, c.outW, c.outH, c.trace);
                    r.set("W", CliJson.matrix(oc.result().w()));
                    r.set("H", CliJson.matrix(oc.result().h()));
                    ok.set("result", r);
                }
                default -> throw new InputException("field 'op': unknown operation '" + op
                        + "', expected certify, check, solve, ping or version");
            }
            return ok;
        } catch (CommandLine.ParameterException e) {
            return error(id, op, Main.oneLine(e.getMessage()), Main.EXIT_BAD_INPUT);
        } catch (OutOfMemoryError e) {
            return error(id, op, "out of memory; give Java more heap (java -Xmx...) or send a smaller input", Main.EXIT_BAD_INPUT);
        } catch (RuntimeException | StackOverflowError e) {
            String user = Main.userMessage(e);
            if (user != null) {
                return error(id, op, user, Main.EXIT_BAD_INPUT);
            }
            return error(id, op, "internal error: " + Main.oneLine(String.valueOf(e.getMessage()))
                    + " (please report it with the request)", Main.EXIT_INTERNAL);
        }
    }

    private static void parse(Object command, String op, JsonNode req) {
        parse(command, op, req, new ArrayList<>());
    }

    /**
     * Turns the request into the command's arguments and lets picocli parse them: field "k" is option "--k"
     * (true adds a flag, false and null leave it out), the matrix fields become placeholder paths read from the request.
     */
    private static void parse(Object command, String op, JsonNode req, List<String> args) {
        CommandLine cl = new CommandLine(command);
        Map<String, String> matrices = MATRICES.get(op);
        for (String required : op.equals("solve") ? List.of("V") : List.of("V", "W", "H")) {
            JsonNode f = req.get(required);
            if ((f == null || f.isNull()) && !(op.equals("solve") && req.has("example"))) {
                throw new InputException("field '" + required + "' is required: an array of rows or {\"path\": ...}");
            }
        }
        Map<Path, DenseMatrix> inline = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = req.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode value = f.getValue();
            if (key.equals("id") || key.equals("op") || (op.equals("check") && key.equals("certificate")) || value.isNull()) {
                continue;
            }
            String matrixOption = matrices.get(key);
            if (matrixOption != null) {
                args.add(matrixOption);
                if (value.isArray()) {
                    Path placeholder = Path.of(key);
                    inline.put(placeholder, matrix(key, value));
                    args.add(placeholder.toString());
                } else {
                    args.add(path(key, value).toString());
                }
                continue;
            }
            CommandLine.Model.OptionSpec opt = key.startsWith("-") ? null : cl.getCommandSpec().findOption("--" + key);
            if (opt == null || RESERVED.contains("--" + key)) {
                throw new InputException("field '" + key + "': not a field of " + op + " (" + String.join(", ", fields(cl, matrices)) + ")");
            }
            boolean flag = opt.typeInfo().isBoolean();
            if (flag) {
                if (!value.isBoolean()) {
                    throw new InputException("field '" + key + "' must be true or false");
                }
                if (value.asBoolean()) {
                    args.add("--" + key);
                }
            } else if (value.isNumber() || value.isTextual()) {
                args.add("--" + key);
                args.add(value.asText());
            } else {
                throw new InputException("field '" + key + "' must be a number or a string");
            }
        }
        Inputs.Reader reader = new Inputs.Reader() {
            @Override
            public DenseMatrix read(Path p) {
                DenseMatrix m = inline.get(p);
                return m != null ? m : MatrixIO.read(p);
            }

            /** V by path as the command line reads it: a sparse file stays sparse. */
            @Override
            public io.github.nmforacle.linalg.DataMatrix readV(Path p) {
                DenseMatrix m = inline.get(p);
                return m != null ? m : MatrixIO.readData(p);
            }
        };
        if (command instanceof CertifyCommand c) {
            c.reader = reader;
        } else if (command instanceof CheckCommand c) {
            c.reader = reader;
        } else if (command instanceof SolveCommand c) {
            c.reader = reader;
        }
        cl.parseArgs(args.toArray(new String[0]));
        if (command instanceof SolveCommand c) {
            c.quiet = true;      // after parsing: picocli resets options to their defaults
        }
    }

    private static List<String> fields(CommandLine cl, Map<String, String> matrices) {
        List<String> names = new ArrayList<>(matrices.keySet());
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            if (o.longestName().startsWith("--") && !RESERVED.contains(o.longestName())) {
                names.add(o.longestName().substring(2));
            }
        }
        return names;
    }

    /** A file given as "path" or {"path": "..."}; made absolute so it never meets an inline field's placeholder. */
    private static Path path(String field, JsonNode value) {
        JsonNode p = value.isObject() ? value.get("path") : value;
        if (value.isObject() && value.size() != 1 || p == null || !p.isTextual() || p.asText().isEmpty()) {
            throw new InputException("field '" + field + "' must be an array of rows, a file name or {\"path\": \"...\"}");
        }
        try {
            return Path.of(p.asText()).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new InputException("field '" + field + "': not a valid path: " + e.getReason());
        }
    }

    /** An inline matrix: non-empty rows of equal length, every entry a finite JSON number. */
    static DenseMatrix matrix(String field, JsonNode a) {
        int rows = a.size();
        if (rows == 0 || !a.get(0).isArray() || a.get(0).size() == 0) {
            throw new InputException(field + ": an inline matrix must be a non-empty array of non-empty rows (arrays of numbers)");
        }
        int cols = a.get(0).size();
        if ((long) rows * cols > MAX_INLINE_ENTRIES) {
            throw new InputException(field + ": " + rows + "x" + cols + " has more than " + MAX_INLINE_ENTRIES
                    + " entries, too many to send inline; pass it as {\"path\": ...}");
        }
        double[] d = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            JsonNode row = a.get(i);
            if (!row.isArray()) {
                throw new InputException(field + "[" + i + "]: a row must be an array of numbers");
            }
            if (row.size() != cols) {
                throw new InputException(field + ": ragged rows: row " + i + " has " + row.size() + " entries, row 0 has " + cols);
            }
            for (int j = 0; j < cols; j++) {
                JsonNode x = row.get(j);
                if (!x.isNumber()) {
                    throw new InputException(field + "[" + i + "][" + j + "]: not a number: "
                            + abbreviate(x.toString()));
                }
                double v = x.asDouble();
                if (!Double.isFinite(v)) {
                    throw new InputException(field + "[" + i + "][" + j + "]: the number overflows double precision");
                }
                d[i * cols + j] = v;
            }
        }
        return new DenseMatrix(rows, cols, d);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static ObjectNode error(JsonNode id, String op, String message, int exit) {
        ObjectNode e = CliJson.MAPPER.createObjectNode();
        if (id != null) {
            e.set("id", id);
        }
        if (op != null) {
            e.put("op", op);
        }
        e.put("ok", false);
        e.put("exit", exit);
        e.put("error", message);
        return e;
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Lines of at most {@code max} chars; the rest of a longer line is skipped and {@link #tooLong()} set. */
    static final class LineReader {
        private final Reader in;
        private final int max;
        private final char[] buf = new char[1 << 16];
        private int pos;
        private int len;
        private boolean tooLong;

        LineReader(Reader in, int max) {
            this.in = in;
            this.max = max;
        }

        boolean tooLong() {
            return tooLong;
        }

        /** The next line without its terminator (a trailing '\r' dropped), or null at EOF. */
        String next() throws IOException {
            StringBuilder sb = new StringBuilder();
            tooLong = false;
            boolean any = false;
            while (true) {
                if (pos == len) {
                    len = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        return any ? finish(sb) : null;
                    }
                }
                any = true;
                int start = pos;
                while (pos < len && buf[pos] != '\n') {
                    pos++;
                }
                if (!tooLong) {
                    if (sb.length() + (pos - start) > max) {
                        tooLong = true;
                        sb.setLength(0);
                    } else {
                        sb.append(buf, start, pos - start);
                    }
                }
                if (pos < len) {
                    pos++; // the '\n'
                    return finish(sb);
                }
            }
        }

        private static String finish(StringBuilder sb) {
            int n = sb.length();
            return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
        }
    }
}
