package io.github.nmforacle.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.cli.ReproduceCommand;
import io.github.nmforacle.io.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code reproduce} command, run through picocli with the same error mapping as cli.Main (InputException and
 * IllegalArgumentException: one line, exit 2; usage errors: exit 2).
 */
class ReproduceCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = new CommandLine(new ReproduceCommand());
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            e.write("nmf-oracle: " + ex.getMessage() + "\n");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof InputException || ex instanceof IllegalArgumentException) {
                e.write("nmf-oracle: " + ex.getMessage() + "\n");
                return 2;
            }
            throw ex;
        });
        int code = cl.execute(args);
        return new Run(code, o.toString(), e.toString());
    }

    @Test
    void fig2WritesItsFilesIntoANewFolder() {
        Run r = run("fig2", "--out", dir.resolve("a/b").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("period-2 oscillation").contains("wrote ");
        assertThat(dir.resolve("a/b/fig2.csv")).isRegularFile();
        assertThat(dir.resolve("a/b/fig2.png")).isRegularFile();
    }

    @Test
    void exampleTwoOnePrintsTheMarkdownTable() {
        Run r = run("example-2-1", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("The certifier agrees with the derivation on all");
        assertThat(dir.resolve("example-2-1.md")).isRegularFile();
    }

    @Test
    void fig1TinyGridQuiet() {
        Run r = run("fig1", "--out", dir.toString(), "--n", "20", "--rank", "2", "--seeds", "1", "--budget", "300",
                "--algorithms", "mu,mwu-adaptive", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("iterations to 1% of the initial error").contains("wrote " + dir.resolve("fig1.png"));
    }

    @Test
    void anOutputPathThatIsAFileIsRefusedWithOneLine() throws IOException {
        Path f = Files.writeString(dir.resolve("taken.txt"), "user data");
        Run r = run("fig2", "--out", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("nmf-oracle: " + f).contains("not a folder").doesNotContain("\n");
        assertThat(Files.readString(f)).isEqualTo("user data");
    }

    @Test
    void aFolderWhereAnOutputFileShouldGoIsNotReplaced() throws IOException {
        Files.createDirectories(dir.resolve("fig2.png"));
        Run r = run("fig2", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("fig2.png").contains("not a regular file");
        assertThat(dir.resolve("fig2.png")).isDirectory();
    }

    @Test
    void helpIsFormattedWithoutPicocliWarnings() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String[] args : new String[][] {{"--help"}, {"fig1", "--help"}, {"fig2", "--help"}, {"example-2-1", "--help"}}) {
                Run r = run(args);
                assertThat(r.code()).isZero();
                assertThat(r.out()).contains("Usage:").doesNotContain("%%");
            }
            assertThat(run("fig1", "--help").out()).contains("1% of the initial error");
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("WARN");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("fig2").code()).isEqualTo(2);  // --out is required
        assertThat(run("fig3", "--out", dir.toString()).code()).isEqualTo(2);
        Run bad = run("fig1", "--out", dir.toString(), "--budget", "0");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("budget");
    }
}
