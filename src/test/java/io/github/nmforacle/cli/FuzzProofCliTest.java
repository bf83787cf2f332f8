package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fuzz --proof}: one row per line; known errata do not fail the run; bad options are one-line errors. */
class FuzzProofCliTest {
    @TempDir
    Path dir;

    @Test
    void knownErrataAreReportedAndExitZero() throws Exception {
        Run r = Run.of("fuzz", "--proof", "lemma3", "--trials", "20", "--seed", "3", "--out", dir.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("lemma3.P1.1 ").contains("FAILS (erratum E3)").contains("lemma3.stmt")
                .contains("smallest counterexample").doesNotContain("UNEXPECTED");
        assertThat(Files.exists(dir.resolve("lemma3.P1.1").resolve("V.csv"))).isTrue();
    }

    @Test
    void allProofsRun() {
        Run r = Run.of("fuzz", "--proof", "all", "--trials", "5");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Lemma 1 (§3)").contains("Theorem 2 (§5)").contains("theorem2.t.4");
    }

    @Test
    void badOptionsAreOneLineErrors() {
        for (String[] args : new String[][] {{"fuzz", "--proof", "lemma9"}, {"fuzz", "--proof", "lemma1", "--property", "lemma3"},
                {"fuzz", "--proof", "lemma1", "--trials", "0"}}) {
            Run r = Run.of(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines().findFirst().orElse("")).startsWith("nmf-oracle: ");
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
