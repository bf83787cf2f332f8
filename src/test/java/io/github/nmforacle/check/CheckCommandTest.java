package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.cli.CheckCommand;
import io.github.nmforacle.io.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The check command: exit codes, output, and bad input as one-line InputExceptions naming the file. */
class CheckCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, Exception error) {
    }

    /** Runs the command as Main will: InputException and IllegalArgumentException give exit 2. */
    Run run(String... args) {
        StringWriter out = new StringWriter();
        AtomicReference<Exception> error = new AtomicReference<>();
        CommandLine cl = new CommandLine(new CheckCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            error.set(ex);
            return ex instanceof InputException || ex instanceof IllegalArgumentException ? 2 : 3;
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), error.get());
    }

    Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    String[] args(Path v, Path w, Path h, Path cert, String... more) {
        String[] base = {"--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--certificate", cert.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void correctCertificateExitsZeroAndPrintsTheReport() throws IOException {
        Run r = run(args(file("v.csv", "1\n"), file("w.csv", "0\n"), file("h.csv", "0\n"), file("c.json", Certs.SADDLE)));
        assertThat(r.error()).isNull();
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("fosp: verified", "sospPaper: verified").endsWith("check: OK" + System.lineSeparator());
    }

    @Test
    void rejectedCertificateExitsOneAndQuietPrintsOnlyTheLastLine() throws IOException {
        Path cert = file("c.json", Certs.SADDLE.replace("\"objective\": 1.0", "\"objective\": 2.0"));
        Run r = run(args(file("v.csv", "1\n"), file("w.csv", "0\n"), file("h.csv", "0\n"), cert, "--quiet"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().strip()).isEqualTo("check: REJECTED (1 problem)");
    }

    @Test
    void floatSecondOrderHoldsFailsTheCheckUnlessAcceptUnverifiedIsGiven() throws IOException {
        Path v = file("v.csv", "1\n");
        Path w = file("w.csv", "2\n");
        Path h = file("h.csv", "0.5\n");
        // sospPaper and sospCone are proven by the checker's Gauss–Newton bound (R = 0); strictness is not
        Path cert = file("c.json", Certs.MINIMUM_FLOAT);
        Run strict = run(args(v, w, h, cert));
        assertThat(strict.code()).as(strict.out()).isEqualTo(1);
        assertThat(strict.out()).contains("sospPaper: verified", "strictModuloSymmetry: NOT VERIFIED: ", "--accept-unverified")
                .endsWith("check: NOT VERIFIED (1 problem)" + System.lineSeparator());
        Run lenient = run(args(v, w, h, cert, "--accept-unverified"));
        assertThat(lenient.code()).as(lenient.out()).isZero();
        assertThat(lenient.out()).contains("strictModuloSymmetry: ACCEPTED UNVERIFIED: ")
                .endsWith("check: OK, with 1 claim accepted UNVERIFIED (--accept-unverified)" + System.lineSeparator());
        // where the bound does not reach −secondOrder·η, the float sospPaper and sospCone HOLDS are not verified either
        Path vs = file("vs.csv", "1,0\n"), ws = file("ws.csv", "0.5\n"), hs = file("hs.csv", "0.5,0\n");
        Path simplex = file("s.json", Certs.SIMPLEX_ACTIVE_FLOAT);
        Run s = run(args(vs, ws, hs, simplex));
        assertThat(s.code()).as(s.out()).isEqualTo(1);
        assertThat(s.out()).contains("sospPaper: NOT VERIFIED: ", "sospCone: NOT VERIFIED: ")
                .endsWith("check: NOT VERIFIED (2 problems)" + System.lineSeparator());
        assertThat(run(args(vs, ws, hs, simplex, "--accept-unverified")).code()).isZero();
    }

    @Test
    void aCertificateOfOtherMatricesIsRejected() throws IOException {
        // the SADDLE certificate is about W = H = [[0]]: its provenance digests do not match W = [[1]]
        Run r = run(args(file("v.csv", "1\n"), file("w.csv", "1\n"), file("h.csv", "0\n"), file("c.json", Certs.SADDLE)));
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("provenance: REJECTED: provenance.sha256 of W does not match");
        // the same numbers in another file format give the same digests: .mtx (coordinate) instead of .csv
        Run mtx = run(args(file("v.mtx", "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 1\n"),
                file("w.csv", "0\n"), file("h.csv", "0\n"), file("c.json", Certs.SADDLE)));
        assertThat(mtx.code()).as(mtx.out()).isZero();
        assertThat(mtx.out()).contains("provenance: verified");
    }

    @Test
    void missingFilesAreBadInput() throws IOException {
        Path v = file("v.csv", "1\n");
        Path w = file("w.csv", "0\n");
        Path h = file("h.csv", "0\n");
        Run r = run(args(v, w, h, dir.resolve("absent.json")));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).isInstanceOf(InputException.class).hasMessageContaining("absent.json").hasMessageContaining("no such file");
        Run r2 = run(args(dir.resolve("nov.csv"), w, h, file("c.json", Certs.SADDLE)));
        assertThat(r2.code()).isEqualTo(2);
        assertThat(r2.error()).isInstanceOf(InputException.class).hasMessageContaining("nov.csv");
    }

    @Test
    void malformedOrForeignJsonIsNotACertificate() throws IOException {
        Path v = file("v.csv", "1\n");
        Path w = file("w.csv", "0\n");
        Path h = file("h.csv", "0\n");
        for (String[] c : new String[][] {
                {"trunc.json", Certs.SADDLE.substring(0, 200), "malformed JSON at line"},
                {"array.json", "[1, 2, 3]", "top level is not a JSON object"},
                {"empty.json", "", "the file is empty"},
                {"tool.json", "{\"tool\": \"something else\"}", "expected 'nmf-oracle certificate v2'"},
                {"notool.json", "{\"problem\": \"NMF\"}", "no \"tool\" field"},
                {"dup.json", "{\"tool\": \"nmf-oracle certificate v2\", \"n\": 1, \"n\": 2}", "duplicate key 'n'"},
                {"v1.json", Certs.SADDLE.replace("certificate v2", "certificate v1"), "expected 'nmf-oracle certificate v2'"},
                {"trailing.json", Certs.SADDLE + " {}", "not a certificate"},
                {"garbage.json", Certs.SADDLE + " garbage", "Unrecognized token 'garbage'"},
                {"digits.json", Certs.SADDLE.replaceFirst("\"n\": 1", "\"n\": 1" + "0".repeat(2000)),
                        "a number of 2001 characters (at most 1000)"},
                {"deep.json", "[".repeat(5000) + "]".repeat(5000), "nesting 1001 levels deep (at most 1000)"},
                {"utf.json", "\u00ff\u00fe{}", "malformed JSON at line 1"}}) {
            Path cert = file(c[0], c[1]);
            Run r = run(args(v, w, h, cert));
            assertThat(r.code()).as(c[0]).isEqualTo(2);
            assertThat(r.error()).as(c[0]).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(cert + ": not a certificate: ").hasMessageContaining(c[2]);
            assertThat(r.error().getMessage()).as(c[0]).doesNotContain("\n");
            // words, not Jackson's class and feature names
            assertThat(r.error().getMessage()).as(c[0]).doesNotContain("`").doesNotContain("Source:")
                    .doesNotContain("Feature").doesNotContain("Constraints").doesNotContain("ObjectNode");
            assertThatThrownBy(() -> Checker.readCertificate(cert)).isInstanceOf(InputException.class);
        }
    }

    @Test
    void matricesThatDoNotFitAreBadInput() throws IOException {
        Path cert = file("c.json", Certs.SADDLE);
        Run r = run(args(file("v.csv", "1,2\n"), file("w.csv", "0\n"), file("h.csv", "0\n"), cert));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).isInstanceOf(InputException.class).hasMessageContaining("h.csv").hasMessageContaining("columns");
        Run neg = run(args(file("vn.csv", "-1\n"), file("w.csv", "0\n"), file("h.csv", "0\n"), cert));
        assertThat(neg.code()).isEqualTo(2);
        assertThat(neg.error()).hasMessageContaining("vn.csv").hasMessageContaining("negative");
    }

    @Test
    void missingOptionIsAUsageError() {
        Run r = run("--input", "v.csv");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.error()).isNull();
    }
}
