package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --version} and {@code -V} print the POM's version (surefire passes it as project.version), Java and platform. */
class VersionTest {
    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void printsThePomVersionJavaAndPlatform(String option) {
        String pomVersion = System.getProperty("project.version");
        assertThat(pomVersion).as("surefire's systemPropertyVariables set project.version").isNotBlank()
                .doesNotContain("${");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(new String[] {option}, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(e.toString(StandardCharsets.UTF_8)).isEmpty();
        List<String> lines = o.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("nmf-oracle " + pomVersion);
        assertThat(lines.get(1)).startsWith("Java ").contains(System.getProperty("java.version"));
        assertThat(lines.get(2)).isEqualTo("Platform " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    @Test
    void resourceIsFiltered() {
        assertThat(Main.Version.projectVersion()).isEqualTo(System.getProperty("project.version"));
    }
}
