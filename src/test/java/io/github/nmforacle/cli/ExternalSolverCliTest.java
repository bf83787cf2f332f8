package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.solve.ExternalSolverFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --solver-command on solve, audit and fuzz: results, and misbehaviour as findings (issue 16 item 4). */
class ExternalSolverCliTest {
    private static final String V = "fixtures/mwu-saddle-plateau/V.csv";

    @TempDir
    Path dir;

    @Test
    void solveRunsTheProgramAndWritesItsFactors() throws IOException {
        Path w = dir.resolve("W.csv");
        Run r = Run.of("solve", "--input", V, "--rank", "2", "--max-iter", "30", "--solver-command",
                ExternalSolverFixture.command("mu"), "--out-w", w.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("external");
        assertThat(Files.readAllLines(w)).isNotEmpty();
    }

    @Test
    void solveReportsACrashInOneLine() {
        Path w = dir.resolve("W.csv");
        Run r = Run.of("solve", "--input", V, "--rank", "2", "--solver-command", ExternalSolverFixture.command("crash"),
                "--out-w", w.toString(), "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nmf-oracle: external solver '").contains("exit status 3").doesNotContain("Exception");
        assertThat(w).doesNotExist();
    }

    @Test
    void badCombinationsAreOneLineErrors() {
        Run both = Run.of("solve", "--input", V, "--rank", "2", "--algorithm", "pg", "--solver-command", "x", "-q");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err().strip()).isEqualTo("nmf-oracle: --solver-command and --algorithm exclude each other (the command is the solver)");
        Run timeout = Run.of("solve", "--input", V, "--rank", "2", "--solver-timeout", "5", "-q");
        assertThat(timeout.err().strip()).isEqualTo("nmf-oracle: --solver-timeout needs --solver-command");
        Run neg = Run.of("solve", "--input", V, "--rank", "2", "--solver-command", "x", "--solver-timeout", "-1", "-q");
        assertThat(neg.err().strip()).startsWith("nmf-oracle: --solver-timeout must be");
        Run none = Run.of("audit", "--out", dir.resolve("a").toString(), "-q");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--algorithm A[,B...] or --solver-command CMD is required");
        Run fuzz = Run.of("fuzz", "--property", "sosp:external", "--trials", "1");
        assertThat(fuzz.code()).isEqualTo(2);
        assertThat(fuzz.err().strip()).isEqualTo("nmf-oracle: --property sosp:external needs --solver-command CMD");
    }

    @Test
    void auditCountsFailedRunsAsFindings() throws IOException {
        Run r = Run.of("audit", "--solver-command", ExternalSolverFixture.command("negative"), "--instances", "planted:6:5:2",
                "--starts", "2", "--out", dir.resolve("a").toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).endsWith("failed");
        List<String> runs = Files.readAllLines(dir.resolve("a").resolve("runs.csv"));
        assertThat(runs).hasSize(3);
        assertThat(runs.get(1)).contains("solver failed,").contains("solver failed: external solver '")
                .contains("H.npy: entry [1, 4] is negative (-1.0)");
        assertThat(Files.readAllLines(dir.resolve("a").resolve("summary.csv")).get(1)).endsWith(",2");
    }

    @Test
    void auditWithEscapeCountsAFailedRunToo() throws IOException {
        Run r = Run.of("audit", "--solver-command", ExternalSolverFixture.command("crash"), "--instances", "planted:6:5:2",
                "--starts", "1", "--escape", "--out", dir.resolve("e").toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> runs = Files.readAllLines(dir.resolve("e").resolve("runs.csv"));
        assertThat(runs.get(1)).startsWith("external+escape,").contains("solver failed: external solver '").contains("exit status 3");
    }

    @Test
    void auditCertifiesAWorkingProgram() throws IOException {
        Run r = Run.of("audit", "--solver-command", ExternalSolverFixture.command("mu"), "--instances", "planted:6:5:2",
                "--starts", "2", "--max-iter", "20", "--out", dir.resolve("a").toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> runs = Files.readAllLines(dir.resolve("a").resolve("runs.csv"));
        assertThat(runs).hasSize(3).allSatisfy(l -> assertThat(l).doesNotContain("solver failed"));
    }

    @Test
    void fuzzReportsATimeoutAsAFailedTrial() {
        Run r = Run.of("fuzz", "--property", "sosp:external", "--solver-command", ExternalSolverFixture.command("sleep"),
                "--solver-timeout", "1", "--trials", "1", "--seed", "3", "-q");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("sosp:external").contains("1 failed").contains("timeout after 1 s");
        assertThat(r.err()).doesNotContain("internal error");
    }
}
