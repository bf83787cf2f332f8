package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Findings of the adversarial malformed-input suite (issue 12, item 5): one-line errors, exit 2, nothing written. */
class MalformedInputTest {
    @TempDir
    Path dir;

    static Run run(String... args) {
        return Run.of(args);
    }

    Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Exit 2, one line on stderr (plus picocli's usage hint at most) naming {@code what} and the problem; no trace. */
    static void assertBadInput(Run r, String what, String problem) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        String first = r.err().lines().findFirst().orElse("");
        assertThat(first).as(r.err()).startsWith("nmf-oracle: ").contains(what).contains(problem);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
        assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
    }

    static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(Arrays.asList(a));
        l.addAll(Arrays.asList(b));
        return l.toArray(new String[0]);
    }

    List<String> listing() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    // ---- item 2: absurd --threads / --jobs ----

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1025", "100000", "2147483647"})
    void absurdThreadsOnEveryCommand(String t) throws IOException {
        Path v = file("v.csv", "1,2,3\n4,5,6\n7,8,9\n");
        Path w = file("w.csv", "1,0\n0,1\n1,1\n");
        Path h = file("h.csv", "1,2,3\n1,1,1\n");
        List<String[]> commands = List.of(
                new String[] {"solve", "--input", v.toString(), "-r", "2", "-q"},
                new String[] {"certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString()},
                new String[] {"audit", "--algorithm", "mu", "--instances", "planted:6:5:2", "--starts", "1", "--max-iter", "3",
                        "--out", dir.resolve("audit").toString(), "-q"},
                new String[] {"bench", "--n", "10", "--m", "10", "-r", "2", "--repeats", "3", "--blas", "java"},
                new String[] {"reproduce", "fig1", "--out", dir.resolve("fig1").toString(), "--n", "6", "-r", "2", "--seeds", "1",
                        "--budget", "3", "-a", "mu", "-q"});
        for (String[] c : commands) {
            assertBadInput(run(concat(c, "--threads", t)), "--threads", "must be in [0, 1024]");
        }
        assertBadInput(run(concat(commands.get(4), "--jobs", t)), "--jobs", "must be in [0, 1024]");
        assertThat(listing()).containsExactlyInAnyOrder("", "v.csv", "w.csv", "h.csv");
    }

    @Test
    void threadsHelpNamesTheBound() {
        for (String c : List.of("solve", "certify", "audit", "bench")) {
            assertThat(run(c, "--help").out()).as(c).contains("at most 1024");
        }
    }

    // ---- item 3: certify --simplex-sum ----

    @ParameterizedTest
    @ValueSource(strings = {"0/0", "1/0", "-3/0", "1e99999999", "1e-99999999", "1e309", "1e-400", "-1", "0", "-1/2", "NaN",
            "Infinity", "-Infinity", "1/x", "1e", "10000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000/1"})
    void simplexSumOutOfRange(String c) throws IOException {
        Path v = file("v.csv", "1,2,3\n4,5,6\n7,8,9\n");
        Path w = file("w.csv", "1,0\n0,1\n1,1\n");
        Path h = file("h.csv", "1,2,3\n1,1,1\n");
        Run r = run("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--simplex-sum=" + c);
        assertBadInput(r, "--simplex-sum", "");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void simplexSumMessages() throws IOException {
        Path v = file("v.csv", "1,2,3\n4,5,6\n7,8,9\n");
        Path w = file("w.csv", "1,0\n0,1\n1,1\n");
        Path h = file("h.csv", "1,2,3\n1,1,1\n");
        String[] base = {"certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString()};
        assertBadInput(run(concat(base, "--simplex-sum", "1/0")), "--simplex-sum 1/0", "the denominator is 0");
        assertBadInput(run(concat(base, "--simplex-sum", "1e99999999")), "--simplex-sum 1e99999999", "overflows to infinity");
        assertBadInput(run(concat(base, "--simplex-sum", "1e-99999999")), "--simplex-sum 1e-99999999", "underflows to 0");
        // negative and huge: refused before the exact conversion would build 10^99999999
        assertBadInput(run(concat(base, "--simplex-sum", "-1e99999999")), "--simplex-sum", "must be positive");
        assertBadInput(run(concat(base, "--simplex-sum", "NaN")), "--simplex-sum", "got 'NaN'");
        assertBadInput(run(concat(base, "--simplex-sum", "-1")), "--simplex-sum", "must be positive");
        // legal values still work, exactly
        assertThat(run(concat(base, "--simplex-sum", "1/3")).code()).isZero();
        assertThat(run(concat(base, "--simplex-sum", "1e300")).code()).isZero();
        assertThat(run(concat(base, "--simplex-sum", "2.5e-300")).code()).isZero();
    }

    // ---- item 5: reproduce ----

    @Test
    void reproduceIntoAnUncreatableFolder() throws IOException {
        Path f = file("afile", "keep");
        for (String what : List.of("fig1", "fig2", "example-2-1")) {
            for (String out : List.of(f.resolve("sub").toString(), "/proc/nmf-oracle-test/x")) {
                String[] a = what.equals("fig1") ? new String[] {"reproduce", what, "--out", out, "--n", "6", "-r", "2", "--seeds", "1",
                        "--budget", "3", "-a", "mu", "-q"} : new String[] {"reproduce", what, "--out", out, "-q"};
                assertBadInput(run(a), out, "cannot create the --out folder");
            }
        }
        assertThat(Files.readString(f)).isEqualTo("keep");
        assertThat(listing()).containsExactlyInAnyOrder("", "afile");
    }

    @Test
    void fig1WithEveryRankAboveN() throws IOException {
        Path out = dir.resolve("fig1");
        assertBadInput(run("reproduce", "fig1", "--out", out.toString(), "--n", "5", "-r", "10", "--seeds", "1", "--budget", "3",
                "-a", "mu", "-q"), "--rank 10", "above every --n");
        assertThat(out).doesNotExist();
    }

    // ---- item 4: audit ----

    Path truncatedNpy() throws IOException {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 3), }";
        header = header + " ".repeat(118 - header.length()) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve("trunc.npy");
        Files.write(p, b.array());
        return p;
    }

    Run audit(String... extra) {
        List<String> a = new ArrayList<>(List.of("audit", "--algorithm", "mu", "--out", dir.resolve("audit").toString(), "-q"));
        if (!Arrays.asList(extra).contains("--starts")) {
            a.addAll(List.of("--starts", "1"));
        }
        if (!Arrays.asList(extra).contains("--max-iter")) {
            a.addAll(List.of("--max-iter", "3"));
        }
        return run(concat(a.toArray(new String[0]), extra));
    }

    @Test
    void auditFileInstances() throws IOException {
        Path v = file("v.csv", "1,2,3\n4,5,6\n7,8,9\n");
        file("neg.csv", "1,2,3\n4,-5,6\n7,8,9\n");
        file("nan.csv", "1,2,3\n4,nan,6\n7,8,9\n");
        truncatedNpy();
        String d = dir.toString();
        assertBadInput(audit("--instances", "file:" + d + "/missing.csv:2"), "missing.csv", "no such file");
        assertBadInput(audit("--instances", "file:" + d + "/neg.csv:2"), "neg.csv", "entry [1, 1] is negative");
        assertBadInput(audit("--instances", "file:" + d + "/nan.csv:2"), "nan.csv", "NaN");
        assertBadInput(audit("--instances", "file:" + d + "/trunc.npy:2"), "trunc.npy", "truncated");
        assertBadInput(audit("--instances", "file:" + v + ":0"), "--instances file:" + v + ":0", "rank 0 is outside [1, min(n, m)] = [1, 3]");
        assertBadInput(audit("--instances", "file:" + v + ":4"), "--instances file:" + v + ":4", "rank 4 is outside");
        assertBadInput(audit("--instances", "file:" + v + ":1.5"), "--instances file:" + v + ":1.5", "'1.5' is not an integer");
        assertBadInput(audit("--instances", "file:" + v + ":x"), "--instances file:" + v + ":x", "'x' is not an integer");
        assertBadInput(audit("--instances", "file:" + v), "--instances file:", "needs a path and a rank");
        assertThat(dir.resolve("audit")).doesNotExist();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "planted:0:5:2|size n x m = 0x5",
            "planted:5:0:2|size n x m = 5x0",
            "planted:-3:5:2|size n x m = -3x5",
            "noisy:0:0:1|size n x m = 0x0",
            "planted:5:5:0|rank 0 is outside [1, min(n, m)] = [1, 5]",
            "planted:5:5:9|rank 9 is outside [1, min(n, m)] = [1, 5]",
            "planted:5:5:2:7|at most 3 fields",
            "overparam:10:10:0:2|rank 0 is outside",
            "overparam:10:10:2:20|rank 20 is outside",
            "planted:100000:100000:5|above the limit",
            "planted:5:5:x|'x' is not an integer",
            "planted:5::2|'' is not an integer",
            "digits:0|rank 0 is outside",
            "digits:x|'x' is not an integer",
            "bogus|unknown family 'bogus'",
            "planted,,noisy|unknown family ''",
    })
    void auditGeneratedInstances(String spec, String problem) {
        assertBadInput(audit("--instances", spec), "--instances", problem);
        assertThat(dir.resolve("audit")).doesNotExist();
    }

    @Test
    void auditOptions() {
        assertBadInput(audit("--starts", "0"), "--starts", "at least 1, got 0");
        assertBadInput(audit("--starts", "-2"), "--starts", "at least 1, got -2");
        assertBadInput(audit("--max-iter", "0"), "--max-iter", "at least 1, got 0");
        assertBadInput(audit("--tol", "NaN"), "--tol", "got NaN");
        assertBadInput(audit("--tol-first-order", "-1"), "--tol-first-order", "got -1.0");
        assertBadInput(audit("--init", "foo"), "--init", "unknown start 'foo'");
        assertThat(dir.resolve("audit")).doesNotExist();
    }

    // ---- item 1: outputs checked before solving ----

    @Test
    void badOutputPathsAreRefusedBeforeSolving() throws IOException {
        Path v = file("v.csv", "1,2,3\n4,5,6\n7,8,9\n");
        Files.createDirectory(dir.resolve("sub"));
        String[] solve = {"solve", "--input", v.toString(), "-r", "2", "-q", "--max-iter", "5"};
        for (String opt : List.of("--out-w", "--out-h")) {
            assertBadInput(run(concat(solve, opt, dir.resolve("h.txt").toString())), opt + " " + dir.resolve("h.txt"), "unsupported file extension");
            assertBadInput(run(concat(solve, opt, dir.resolve("sub").toString())), opt + " " + dir.resolve("sub"), "is a directory");
            assertBadInput(run(concat(solve, opt, "/proc/nmf-x/h.csv")), opt + " /proc/nmf-x/h.csv", "does not exist");
        }
        assertBadInput(run(concat(solve, "--trace", dir.resolve("t.npy").toString())), "--trace", "expected .csv");
        assertBadInput(run(concat(solve, "--trace", dir.resolve("sub").toString())), "--trace " + dir.resolve("sub"), "is a directory");
        Path w = file("w.csv", "1,0\n0,1\n1,1\n");
        Path h = file("h.csv", "1,2,3\n1,1,1\n");
        String[] cert = {"certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString()};
        assertBadInput(run(concat(cert, "--out", dir.resolve("c.txt").toString())), "--out", "expected .json");
        assertBadInput(run(concat(cert, "--out", dir.resolve("sub").toString())), "--out", "is a directory");
        assertThat(listing()).containsExactlyInAnyOrder("", "v.csv", "w.csv", "h.csv", "sub");
    }

    // ---- item 6: extreme but legal scales give finite results, never NaN files (more in ExtremeScaleTest) ----

    @ParameterizedTest
    @ValueSource(strings = {"mwu", "mwu-adaptive", "mu", "mu-concurrent", "hals", "pg", "anls-bpp", "als-truncated", "and"})
    void extremeScaleNeverWritesNaN(String algorithm) throws IOException {
        StringBuilder big = new StringBuilder(), mixed = new StringBuilder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 6; j++) {
                big.append(j > 0 ? "," : "").append(rnd.nextDouble() * 1e308);
                mixed.append(j > 0 ? "," : "").append(((i + j) % 3 == 0 ? 1e200 : 1e-200) * rnd.nextDouble());
            }
            big.append('\n');
            mixed.append('\n');
        }
        for (Path v : List.of(file("big.csv", big.toString()), file("mixed.csv", mixed.toString()))) {
            Path w = dir.resolve("W.csv"), h = dir.resolve("H.csv"), t = dir.resolve("T.csv");
            Run r = run("solve", "--input", v.toString(), "-r", "2", "-a", algorithm, "-q", "--max-iter", "50",
                    "--out-w", w.toString(), "--out-h", h.toString(), "--trace", t.toString());
            // the solvers normalise V by a power of two: no refusal, and never NaN or ∞ in what is written
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).doesNotContain("NaN").doesNotContain("Infinity");
            assertThat(Files.readString(w) + Files.readString(h)).doesNotContain("NaN").doesNotContain("Infinity");
            assertThat(Files.readString(t)).doesNotContain("Infinity");
        }
    }

    // ---- item 7: an interrupted run leaves all outputs or none, and no temporary files ----

    @Test
    void sigtermMidSolveLeavesNoTemporaryFiles() throws Exception {
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < 60; i++) {
            for (int j = 0; j < 50; j++) {
                sb.append(j > 0 ? "," : "").append(rnd.nextDouble());
            }
            sb.append('\n');
        }
        Path v = file("v.csv", sb.toString());
        String before = Files.readString(v);
        Path w = dir.resolve("w.npy"), h = dir.resolve("h.csv"), t = dir.resolve("t.csv");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "io.github.nmforacle.cli.Main",
                "solve", "--input", v.toString(), "-r", "4", "-a", "mu", "--max-iter", "2000000000", "--tol", "0", "-q",
                "--out-w", w.toString(), "--out-h", h.toString(), "--trace", t.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(1500);
        p.destroy();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        List<String> files = listing();
        assertThat(files).noneMatch(f -> f.endsWith(".tmp"));
        long outputs = Stream.of(w, h, t).filter(Files::exists).count();
        assertThat(outputs).isIn(0L, 3L);
        assertThat(Files.readString(v)).isEqualTo(before);
    }
}
