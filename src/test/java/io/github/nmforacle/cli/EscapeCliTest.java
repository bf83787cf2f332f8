package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code solve --escape} and {@code audit --escape} (issue 14, item 4). */
class EscapeCliTest {
    private static final String FIX = "fixtures/mwu-saddle-plateau/";

    @TempDir
    Path dir;

    /** The fixture's saddle: one escape line, then the certified status; the trace counts across the restart. */
    @Test
    void solveEscapeEndsCertifiedOnTheMwuPlateau() throws IOException {
        Path trace = dir.resolve("trace.csv");
        Run r = Run.of("solve", "--input", FIX + "V.csv", "--rank", "2", "--algorithm", "mwu-adaptive", "--seed",
                "7839043687897634315", "--init-w", FIX + "W.csv", "--init-h", FIX + "H.csv", "--max-iter", "300000", "--tol",
                "1e-8", "--threads", "1", "--escape", "--escape-tol-first-order", "1e-5", "--trace", trace.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("mwu-adaptive+escape on ");
        assertThat(lines.get(1)).startsWith("escape 1 at iteration 1: F 1.1132").contains("along a K witness of curvature -4.3");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("escape: certified SOSP within tolerance (sospCone HOLDS, after 1 escape)");
        List<String> rows = Files.readAllLines(trace);
        String iterations = lines.get(0).replaceAll(".*iterations (\\d+) .*", "$1");
        assertThat(rows.get(rows.size() - 1)).startsWith(iterations + ",");
        // without --escape the same run stays at the saddle
        Run plain = Run.of("solve", "--input", FIX + "V.csv", "--rank", "2", "--algorithm", "mwu-adaptive", "--seed",
                "7839043687897634315", "--init-w", FIX + "W.csv", "--init-h", FIX + "H.csv", "--max-iter", "300000", "--tol",
                "1e-8", "--threads", "1", "-q");
        assertThat(plain.out()).contains("objective 1.1132").doesNotContain("escape");
    }

    /** A saddle with no escape that can finish: the status line says why it is not certified. */
    @Test
    void solveEscapeSaysWhyNot() {
        Run r = Run.of("solve", "--input", FIX + "V.csv", "--rank", "2", "--algorithm", "mwu-adaptive", "--seed",
                "7839043687897634315", "--init-w", FIX + "W.csv", "--init-h", FIX + "H.csv", "--max-iter", "10", "--tol", "0",
                "--threads", "1", "--escape", "--max-escapes", "1", "--escape-tol-first-order", "1e-5", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("escape 1 at iteration 10: ").contains("escape: not certified SOSP: fosp ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--max-escapes=0", "--max-escapes=-3", "--escape-tol-first-order=0", "--escape-tol-first-order=1.5",
            "--escape-tol-first-order=NaN"})
    void badEscapeOptionsGiveOneLineErrorsAndExitTwo(String option) {
        Run r = Run.of("solve", "--input", FIX + "V.csv", "--rank", "2", "--escape", option, "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nmf-oracle: --" + option.substring(2, option.indexOf('=')) + " must be");
        Run audit = Run.of("audit", "--algorithm", "hals", "--out", dir.resolve("a").toString(), "--escape", option.startsWith(
                "--max") ? option : "--max-escapes=0", "-q");
        assertThat(audit.code()).isEqualTo(2);
        assertThat(audit.err().strip().lines()).hasSize(1);
    }

    @Test
    void maxEscapesNeedsEscape() {
        Run r = Run.of("solve", "--input", FIX + "V.csv", "--rank", "2", "--max-escapes", "3", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("nmf-oracle: --max-escapes needs --escape");
    }

    /** audit --escape names the wrapped solvers and its table has no certified saddle left on the planted family. */
    @Test
    void auditEscapeTabulatesTheWrappedSolvers() throws IOException {
        Run r = Run.of("audit", "--algorithm", "hals", "--instances", "planted", "--starts", "3", "--seed", "1", "--threads",
                "1", "--out", dir.resolve("audit").toString(), "--escape", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        String row = r.out().lines().filter(l -> l.startsWith("hals+escape")).findFirst().orElseThrow();
        assertThat(row.trim().split("\\s+")).containsSequence("1", "0", "2", "0");
        assertThat(Files.readString(dir.resolve("audit").resolve("summary.csv"))).contains("hals+escape,planted 50x40 r5,1,0,2,0,");
        List<String> runs = Files.readAllLines(dir.resolve("audit").resolve("runs.csv"));
        assertThat(runs.get(0)).endsWith(",reason,escapes,escape_status");
        assertThat(runs.stream().filter(l -> l.endsWith(",CERTIFIED_SOSP"))).hasSize(1);
    }
}
