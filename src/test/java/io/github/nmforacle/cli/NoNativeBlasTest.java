package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CLI on a JVM where the bundled OpenBLAS cannot load: JavaCPP is told it runs on a platform no jar ships
 * ({@code -Dorg.bytedeco.javacpp.platform=linux-none}), as on a platform without binaries. {@code --blas native}
 * must fail in one line that says what to do, without an exception class name; the default (auto) and
 * {@code --blas java} must work. Each case is a fresh JVM: the library is loaded at most once per process.
 */
class NoNativeBlasTest {
    private static final String NO_PLATFORM = "-Dorg.bytedeco.javacpp.platform=linux-none";

    record Proc(int code, String out, String err) {
    }

    private static Proc cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 22) {   // as the cli jar's manifest does for java -jar (JEP 472)
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of(NO_PLATFORM, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        // outputs are a few lines: read them after exit without risk of filling the pipes
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("CLI finished within 120 s: %s", cmd).isTrue();
        return new Proc(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void nativeFailsInOneLineThatSaysWhatToDo() throws Exception {
        Proc r = cli("solve", "--example", "planted", "--blas", "native", "--max-iter", "20", "-q");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("nmf-oracle: --blas native: the OpenBLAS bundled with nmf-oracle could not be"
                        + " loaded on this platform (linux-none; binaries are shipped for linux-x86_64")
                .contains("use --blas java");
        assertThat(r.err()).doesNotContainPattern("[A-Za-z]+(Exception|Error)\\b").doesNotContain("\tat ")
                .doesNotContain(".;");
    }

    @Test
    void theDefaultAndJavaRunOnTheJavaKernels() throws Exception {
        Proc auto = cli("solve", "--example", "planted", "--max-iter", "20", "-q");
        assertThat(auto.code()).as(auto.err()).isZero();
        assertThat(auto.err()).isEmpty();
        Proc java = cli("solve", "--example", "planted", "--max-iter", "20", "--blas", "java", "-q");
        assertThat(java.code()).as(java.err()).isZero();
        // auto fell back to the Java kernels: bit for bit the run of --blas java
        assertThat(auto.out().replaceAll("time [0-9.]+ s", "time X s"))
                .isEqualTo(java.out().replaceAll("time [0-9.]+ s", "time X s"));
    }

    @Test
    void benchSaysNativeIsUnavailableAndTimesJava() throws Exception {
        Proc r = cli("bench", "--n", "60", "--m", "50", "-r", "3", "--repeats", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("native: unavailable").contains("java");
    }
}
