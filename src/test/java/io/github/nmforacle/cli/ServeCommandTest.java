package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}: JSON lines in and out, errors as answers, the same options and checks as the CLI. */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V = "[[1,2],[3,4]]";
    private static final String W = "[[1],[2]]";
    private static final String H = "[[1,1.5]]";

    @TempDir
    Path dir;

    static List<JsonNode> serve(int maxLine, String... lines) throws IOException {
        StringWriter sw = new StringWriter();
        ServeCommand.serve(new StringReader(String.join("\n", lines) + "\n"), new PrintWriter(sw), maxLine);
        List<JsonNode> out = new ArrayList<>();
        for (String l : sw.toString().split("\n")) {
            if (!l.isEmpty()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    static List<JsonNode> serve(String... lines) throws IOException {
        return serve(ServeCommand.MAX_LINE_CHARS, lines);
    }

    private Path write(String name, String csv) throws IOException {
        return Files.writeString(dir.resolve(name), csv);
    }

    private static String certify(String extra) {
        return "{\"id\":1,\"op\":\"certify\",\"V\":" + V + ",\"W\":" + W + ",\"H\":" + H + extra + "}";
    }

    @Test
    void oneAnswerPerRequestInOrderAndErrorsAreAnswers() throws IOException {
        List<JsonNode> a = serve("{\"id\":\"a\",\"op\":\"ping\"}", "{oops", "", certify(",\"mode\":\"exact\""),
                "{\"id\":7,\"op\":\"certify\",\"V\":[[1,2],[3]],\"W\":" + W + ",\"H\":" + H + "}");
        assertThat(a).hasSize(4);
        assertThat(a.get(0).get("id").asText()).isEqualTo("a");
        assertThat(a.get(1).get("ok").asBoolean()).isFalse();
        assertThat(a.get(1).get("error").asText()).startsWith("malformed JSON");
        assertThat(a.get(2).get("result").get("mode").asText()).isEqualTo("exact");
        assertThat(a.get(3).get("id").asInt()).isEqualTo(7);
        assertThat(a.get(3).get("error").asText()).isEqualTo("V: ragged rows: row 1 has 1 entries, row 0 has 2");
        assertThat(a.get(3).get("exit").asInt()).isEqualTo(2);
    }

    /**
     * V by path is read as the command line reads it: a Matrix Market coordinate V of 3e9 entries (six times the dense
     * limit) with 3 non-zeros is certified and solved sparse, not refused with the dense size.
     */
    @Test
    void aSparseVByPathStaysSparse() throws IOException {
        int n = 100_000, m = 30_000;
        Path v = write("V.mtx", "%%MatrixMarket matrix coordinate real general\n" + n + " " + m + " 3\n1 1 2\n2 2 3\n" + n + " " + m
                + " 5\n");
        io.github.nmforacle.io.MatrixIO.write(io.github.nmforacle.linalg.DenseMatrix.zeros(n, 1), dir.resolve("W.npy"));
        io.github.nmforacle.io.MatrixIO.write(io.github.nmforacle.linalg.DenseMatrix.zeros(1, m), dir.resolve("H.npy"));
        String paths = "\"V\":{\"path\":\"" + v + "\"},\"W\":{\"path\":\"" + dir.resolve("W.npy") + "\"},\"H\":{\"path\":\""
                + dir.resolve("H.npy") + "\"}";
        JsonNode c = serve("{\"id\":1,\"op\":\"certify\"," + paths + "}").get(0);
        assertThat(c.get("ok").asBoolean()).as(c.toString()).isTrue();
        // W = H = 0: ∇F = 0, a FOSP; dᵀ∇²F d = −4⟨V, dW·dH⟩ < 0 for dW = e₁, dH = e₁ᵀ in K: a saddle
        assertThat(c.get("result").get("fosp").get("verdict").asText()).as(c.toString()).isEqualTo("HOLDS");
        assertThat(c.get("result").get("sospCone").get("verdict").asText()).as(c.toString()).isEqualTo("FAILS");
        JsonNode s = serve("{\"id\":2,\"op\":\"solve\",\"V\":{\"path\":\"" + v + "\"},\"rank\":1,\"max-iter\":3}").get(0);
        assertThat(s.get("ok").asBoolean()).as(s.toString()).isTrue();
    }

    @Test
    void optionsAreValidatedByTheCommandItself() throws IOException {
        Path v = write("V.csv", "1,2\n3,4\n");
        Path w = write("W.csv", "1\n2\n");
        Path h = write("H.csv", "1,1.5\n");
        Run cli = Run.of("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--mode", "bogus");
        JsonNode a = serve(certify(",\"mode\":\"bogus\"")).get(0);
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err()).contains("nmf-oracle: " + a.get("error").asText());
        assertThat(serve(certify(",\"max-dense\":\"x\"")).get(0).get("error").asText())
                .contains("'--max-dense'").contains("'x'");
        assertThat(serve(certify(",\"json\":true")).get(0).get("error").asText()).startsWith("field 'json': not a field of certify");
        assertThat(serve(certify(",\"require\":\"sosp\"")).get(0).get("exit").asInt()).isEqualTo(1);
    }

    @Test
    void inlineAndFileMatricesGiveTheCliCertificate() throws IOException {
        Path v = write("V.csv", "1,2\n3,4\n");
        Path w = write("W.csv", "1\n2\n");
        Path h = write("H.csv", "1,1.5\n");
        JsonNode cli = JSON.readTree(Run.of("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(),
                "--json").out());
        JsonNode inline = serve(certify("")).get(0).get("result");
        JsonNode files = serve("{\"op\":\"certify\",\"V\":{\"path\":\"" + v + "\"},\"W\":\"" + w + "\",\"H\":{\"path\":\"" + h
                + "\"}}").get(0).get("result");
        for (String k : List.of("fosp", "sospPaper", "sospCone", "strictModuloSymmetry", "objective", "provenance")) {
            assertThat(inline.get(k)).as(k).isEqualTo(cli.get(k));
            assertThat(files.get(k)).as(k).isEqualTo(cli.get(k));
        }
    }

    @Test
    void checkTakesTheCertificateInlineAndAnswersLikeCheckJson() throws IOException {
        JsonNode cert = serve(certify(",\"mode\":\"exact\"")).get(0).get("result");
        JsonNode a = serve("{\"op\":\"check\",\"V\":" + V + ",\"W\":" + W + ",\"H\":" + H + ",\"certificate\":" + cert + "}").get(0);
        assertThat(a.get("ok").asBoolean()).isTrue();
        assertThat(a.get("result").get("verdict").asText()).isEqualTo("check: OK");
        assertThat(a.get("result").get("problems")).isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) cert).put("objective", 99.0);
        JsonNode bad = serve("{\"op\":\"check\",\"V\":" + V + ",\"W\":" + W + ",\"H\":" + H + ",\"certificate\":" + cert + "}").get(0);
        assertThat(bad.get("exit").asInt()).isEqualTo(1);
        assertThat(bad.get("result").get("ok").asBoolean()).isFalse();
        assertThat(bad.get("result").get("problems").get(0).get("status").asText()).isEqualTo("REJECTED");
    }

    @Test
    void solveAnswersWithFactorsAndBothUnits() throws IOException {
        JsonNode r = serve("{\"op\":\"solve\",\"V\":" + V + ",\"rank\":1,\"algorithm\":\"hals\",\"max-iter\":100}").get(0).get("result");
        assertThat(r.get("W")).hasSize(2);
        assertThat(r.get("H").get(0)).hasSize(2);
        double err = r.get("reconstructionErr").asDouble();
        assertThat(err * err).isCloseTo(r.get("objective").asDouble(), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(serve("{\"op\":\"solve\",\"V\":" + V + ",\"rank\":3}").get(0).get("error").asText()).contains("rank 3");
    }

    @Test
    void anOverlongLineIsAnErrorAndTheNextLineIsAnswered() throws IOException {
        List<JsonNode> a = serve(64, certify(""), "{\"op\":\"ping\",\"id\":2}");
        assertThat(a).hasSize(2);
        assertThat(a.get(0).get("error").asText()).startsWith("request line longer than 64 characters");
        assertThat(a.get(1).get("ok").asBoolean()).isTrue();
    }

    @Test
    void solveAndCheckPrintJsonOnTheCommandLine() throws IOException {
        Path v = dir.resolve("V.csv");
        Files.writeString(v, "1,2\n3,4\n");
        Path w = dir.resolve("W.csv");
        Path h = dir.resolve("H.csv");
        Run s = Run.of("solve", "--input", v.toString(), "--rank", "1", "-a", "hals", "--max-iter", "50",
                "--out-w", w.toString(), "--out-h", h.toString(), "--json");
        assertThat(s.code()).as(s.err()).isZero();
        JsonNode sj = JSON.readTree(s.out());
        assertThat(sj.get("written").get("W").asText()).isEqualTo(w.toString());
        assertThat(sj.get("iterations").asInt()).isBetween(1, 50);
        assertThat(sj.has("W")).isFalse();
        Path cert = dir.resolve("c.json");
        assertThat(Run.of("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--out",
                cert.toString()).code()).isZero();
        Run c = Run.of("check", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--certificate",
                cert.toString(), "--json", "--accept-unverified");
        JsonNode cj = JSON.readTree(c.out());
        assertThat(cj.get("exit").asInt()).isEqualTo(c.code());
        assertThat(cj.get("verdict").asText()).startsWith("check: ");
        assertThat(cj.get("items").size()).isGreaterThan(3);
    }

    @Test
    void hugeAndDeeplyNestedInputsAreErrorAnswers() throws IOException {
        StringBuilder row = new StringBuilder("[0");
        row.append(",0".repeat(2000)).append(']');
        String big = "[" + (row + ",").repeat(1999) + row + "]"; // 2000 x 2001 > MAX_INLINE_ENTRIES
        String deep = "[".repeat(5000) + "]".repeat(5000);
        List<JsonNode> a = serve("{\"op\":\"certify\",\"V\":" + big + ",\"W\":" + W + ",\"H\":" + H + "}",
                "{\"op\":\"certify\",\"V\":" + deep + ",\"W\":" + W + ",\"H\":" + H + "}",
                "{\"op\":\"certify\",\"V\":[[1,true]],\"W\":" + W + ",\"H\":" + H + "}",
                "{\"id\":[1,2]}", "{\"op\":\"ping\"}");
        assertThat(a).hasSize(5);
        assertThat(a.get(0).get("error").asText()).isEqualTo("V: 2000x2001 has more than 4000000 entries, too many to send"
                + " inline; pass it as {\"path\": ...}");
        assertThat(a.get(1).get("error").asText()).startsWith("malformed JSON");
        assertThat(a.get(2).get("error").asText()).isEqualTo("V[0][1]: not a number: true");
        assertThat(a.get(3).get("id")).hasSize(2);
        assertThat(a.get(3).get("error").asText()).startsWith("field 'op' is required");
        assertThat(a.get(4).get("ok").asBoolean()).isTrue();
        for (JsonNode x : a) {
            assertThat(x.toString()).doesNotContain("Exception").doesNotContain("jackson");
        }
    }
}
