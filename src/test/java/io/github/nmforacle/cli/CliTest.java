package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: exit codes, one-line errors naming the file and the problem, outputs. */
class CliTest {
    @TempDir
    Path dir;

    Run run(String... args) {
        return Run.of(args);
    }

    Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Exit 2, the file and the problem on the first line of stderr, no stack trace. */
    void assertBadInput(Run r, String fileName, String problem) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        String first = r.err().lines().findFirst().orElse("");
        assertThat(first).startsWith("nmf-oracle: ").contains(fileName).contains(problem);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isLessThanOrEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "nan.csv|1,2\\n3,nan|NaN",
            "inf.csv|1,2\\n3,inf|Infinity",
            "neg.csv|1,2\\n3,-1|negative",
            "ragged.csv|1,2\\n3|expected 2",
            "tok.csv|1,2\\n3,abc|non-numeric",
            "trunc.mtx|%%MatrixMarket matrix coordinate real general\\n3 3 4\\n1 1 1.0\\n2 2 1.0|truncated",
            "huge.mtx|%%MatrixMarket matrix array real general\\n100000000 100000000\\n1|limit",
    })
    void badDataFilesGiveOneLineErrors(String name, String content, String problem) throws IOException {
        Path p = file(name, content.replace("\\n", "\n") + "\n");
        assertBadInput(run("solve", "--input", p.toString(), "--rank", "1", "-q"), name, problem);
    }

    @Test
    void emptyFile() throws IOException {
        Path p = file("empty.csv", "");
        assertBadInput(run("solve", "--input", p.toString(), "--rank", "1"), "empty.csv", "empty");
    }

    @Test
    void truncatedNpy() throws IOException {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 3), }";
        header = header + " ".repeat(118 - header.length()) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve("trunc.npy");
        Files.write(p, b.array());
        assertBadInput(run("solve", "--input", p.toString(), "--rank", "1"), "trunc.npy", "truncated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "4", "-1"})
    void rankOutOfRange(String rank) throws IOException {
        Path p = file("v.csv", "1,2,3\n4,5,6\n7,8,9\n");
        assertBadInput(run("solve", "--input", p.toString(), "--rank", rank), "v.csv", "rank " + rank + " is outside [1, min(n, m)] = [1, 3]");
    }

    @Test
    void shapeMismatchOfStart() throws IOException {
        Path v = file("v.csv", "1,2,3\n4,5,6\n7,8,9\n");
        Path w = file("w.csv", "1,1\n1,1\n");
        Path h = file("h.csv", "1,1,1\n1,1,1\n");
        assertBadInput(run("solve", "--input", v.toString(), "--rank", "2", "--init-w", w.toString(), "--init-h", h.toString()),
                "w.csv", "W0 is 2x2 but must be 3x2");
    }

    @Test
    void negativeStart() throws IOException {
        Path v = file("v.csv", "1,2\n3,4\n");
        Path w = file("w.csv", "1\n-1\n");
        Path h = file("h.csv", "1,1\n");
        assertBadInput(run("solve", "--input", v.toString(), "--rank", "1", "--init-w", w.toString(), "--init-h", h.toString()),
                "w.csv", "negative");
    }

    @Test
    void outputIsNeverTheInput() throws IOException {
        Path v = file("v.csv", "1,2\n3,4\n");
        String before = Files.readString(v);
        assertBadInput(run("solve", "--input", v.toString(), "--rank", "1", "--out-w", v.toString()), "v.csv", "also an input");
        assertBadInput(run("solve", "--input", v.toString(), "--rank", "1", "--trace", dir.resolve("./v.csv").toString()),
                "v.csv", "also an input");
        assertThat(Files.readString(v)).isEqualTo(before);
    }

    @Test
    void missingFileAndExtensionAndFolder() throws IOException {
        assertBadInput(run("solve", "--input", dir.resolve("nope.csv").toString(), "--rank", "1"), "nope.csv", "no such file");
        Path t = file("v.txt", "1\n");
        assertBadInput(run("solve", "--input", t.toString(), "--rank", "1"), "v.txt", "extension");
        Path v = file("v.csv", "1,2\n3,4\n");
        assertBadInput(run("solve", "--input", v.toString(), "--rank", "1", "--out-w", dir.resolve("no/w.csv").toString()),
                "w.csv", "does not exist");
    }

    @Test
    void usageErrors() {
        Run r = run("solve", "--example", "planted", "--max-iter", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("nmf-oracle: ").contains("--max-iter").doesNotContain("Exception");
        assertThat(run("solve", "--example", "planted", "--algorithm", "foo").err()).contains("unknown algorithm 'foo'");
        assertThat(run("solve", "--example", "nope").code()).isEqualTo(2);
        assertThat(run("solve", "--rank", "2").code()).isEqualTo(2);
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("solve", "--example", "planted", "--time-limit", "-1").err()).contains("--time-limit");
    }

    @Test
    void blasChoice() {
        Run bad = run("solve", "--example", "planted", "--blas", "mkl", "-q");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("nmf-oracle: unknown BLAS 'mkl': expected java, native or auto\n");
        // the OpenBLAS comes with the Maven dependencies: no system library is involved (NoNativeBlasTest: without it)
        org.junit.jupiter.api.Assumptions.assumeTrue(io.github.nmforacle.linalg.NativeBlas.shippedForThisPlatform(),
                "no OpenBLAS is shipped for this platform");
        assertThat(io.github.nmforacle.linalg.NativeBlas.available())
                .as("bundled OpenBLAS: %s", io.github.nmforacle.linalg.NativeBlas.unavailableReason()).isTrue();
        Run nat = run("solve", "--example", "planted", "--blas", "native", "--max-iter", "50", "-q");
        assertThat(nat.code()).as(nat.err()).isZero();
        // the same run on the Java kernels ends at the same objective up to rounding
        Run java = run("solve", "--example", "planted", "--blas", "java", "--max-iter", "50", "-q");
        assertThat(objective(nat.out())).isCloseTo(objective(java.out()), org.assertj.core.api.Assertions.withinPercentage(1e-6));
        Run auto = run("solve", "--example", "planted", "--max-iter", "50", "-q");
        // the default is auto, i.e. native here: the same bits, so the same printed summary but for the time
        assertThat(auto.out().replaceAll("time [0-9.]+ s", "time X s"))
                .isEqualTo(nat.out().replaceAll("time [0-9.]+ s", "time X s"));
    }

    @Test
    void targetRelativeErrorStopsTheRun() {
        Run r = run("solve", "--example", "planted", "--algorithm", "hals", "--target-relative-error", "0.01",
                "--max-iter", "5000", "-q");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("(condition met)");
        assertThat(summaryValue(r.out(), "relative error")).isLessThanOrEqualTo(0.01);
        Run bad = run("solve", "--example", "planted", "--target-relative-error", "-1", "-q");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("nmf-oracle: --target-relative-error must be a finite number >= 0, got -1.0\n");
    }

    private static double objective(String summary) {
        return summaryValue(summary, "objective");
    }

    /** The number after {@code name} in solve's summary line. */
    private static double summaryValue(String summary, String name) {
        java.util.regex.Matcher mm = java.util.regex.Pattern.compile(name + " ([0-9.eE+-]+)").matcher(summary);
        assertThat(mm.find()).as(summary).isTrue();
        return Double.parseDouble(mm.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "solve", "bench"})
    void helpOnEveryCommand(String cmd) {
        Run r = run(cmd, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage:").contains(cmd);
        assertThat(run("help", cmd).out()).contains("Usage:");
    }

    @Test
    void solveWritesFactorsAndTraceAndSummary() throws IOException {
        Path w = dir.resolve("w.npy");
        Path h = dir.resolve("h.mtx");
        Path t = dir.resolve("trace.csv");
        Run r = run("solve", "--example", "planted", "--algorithm", "mu", "--max-iter", "30", "--tol", "0",
                "--out-w", w.toString(), "--out-h", h.toString(), "--trace", t.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("objective").contains("relative error").contains("iterations 30").contains("time");
        DenseMatrix wm = MatrixIO.read(w);
        DenseMatrix hm = MatrixIO.read(h);
        assertThat(wm.shape()).isEqualTo("60x4");
        assertThat(hm.shape()).isEqualTo("4x50");
        List<String> lines = Files.readAllLines(t);
        assertThat(lines).hasSize(32);
        assertThat(lines.get(0)).startsWith("iteration,objective");
    }

    @Test
    void userStartIsUsedAndSameSeedGivesSameAnswer() throws IOException {
        Path v = file("v.csv", "1,0,2\n0,3,1\n2,1,0\n1,1,1\n");
        Path w0 = file("w0.csv", "1,0.5\n0.5,1\n1,1\n0.2,0.3\n");
        Path h0 = file("h0.csv", "1,1,0.5\n0.5,1,1\n");
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        assertThat(run("solve", "--input", v.toString(), "--rank", "2", "--init-w", w0.toString(), "--init-h", h0.toString(),
                "--algorithm", "mu", "--max-iter", "5", "--out-w", a.toString()).code()).isZero();
        assertThat(run("solve", "--input", v.toString(), "--rank", "2", "--seed", "3", "--threads", "1", "--out-w", b.toString()).code()).isZero();
        Path c = dir.resolve("c.csv");
        assertThat(run("solve", "--input", v.toString(), "--rank", "2", "--seed", "3", "--threads", "2", "--out-w", c.toString()).code()).isZero();
        assertThat(Files.readString(b)).isEqualTo(Files.readString(c));
        assertThat(Files.readString(a)).isNotEqualTo(Files.readString(b));
    }

    @Test
    void demoAndSolveHelpNameEveryAlgorithm() {
        // the help texts are literal strings: a new solver must be added to them
        for (String cmd : new String[] {"demo", "solve"}) {
            String help = run(cmd, "--help").out().replaceAll("\\s+", " ");
            for (String alg : io.github.nmforacle.solve.Solvers.names()) {
                assertThat(help).as("%s --help names %s", cmd, alg).containsPattern("[ ,|(]" + alg + "[ ,|)]");
            }
        }
    }

    @Test
    void demoPrintsASolvedExample() {
        Run r = run("demo", "--max-iter", "100", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("mwu-adaptive on example planted").contains("relative error");
    }

    @Test
    void namedStartsAndNewSolvers() {
        for (String alg : new String[] {"hals", "pg"}) {
            Run r = run("solve", "--example", "planted", "--algorithm", alg, "--init", "nndsvd", "--max-iter", "5", "-q");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains(alg + " on example planted");
        }
        Run bad = run("solve", "--example", "planted", "--init", "svd", "-q");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--init: unknown start 'svd'");
    }
}
