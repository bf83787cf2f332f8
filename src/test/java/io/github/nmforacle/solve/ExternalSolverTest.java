package io.github.nmforacle.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.DenseMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ExternalSolverTest {
    private static final DenseMatrix V = randomV(7, 5, 11);

    static DenseMatrix randomV(int n, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] d = new double[n * m];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble();
        }
        return new DenseMatrix(n, m, d);
    }

    private static ExternalSolver fixture(String mode, Duration timeout) {
        return new ExternalSolver(ExternalSolverFixture.command(mode), timeout);
    }

    private static String failure(String mode) {
        try {
            fixture(mode, Duration.ofSeconds(60)).solve(V, SolverOptions.rank(2).withSeed(5));
        } catch (ExternalSolver.Failure f) {
            assertThat(f.getMessage()).doesNotContain("\n").startsWith("external solver '");
            return f.getMessage();
        }
        throw new AssertionError(mode + ": no failure");
    }

    @Test
    void theStartIsTheBuiltInRandomStart() {
        SolveResult ext = fixture("start", Duration.ofSeconds(60)).solve(V, SolverOptions.rank(2).withSeed(5));
        SolveResult pg0 = Solvers.byName("pg").solve(V, SolverOptions.rank(2).withSeed(5).withMaxIterations(0));
        assertThat(ext.w()).isEqualTo(pg0.w());
        assertThat(ext.h()).isEqualTo(pg0.h());
        assertThat(ext.stopReason()).isEqualTo(StopReason.EXTERNAL);
        assertThat(ext.objective()).isEqualTo(pg0.objective());
    }

    @Test
    void aWorkingSolverDescendsAndGetsTheIterationLimit() {
        SolverOptions o = SolverOptions.rank(2).withSeed(5).withMaxIterations(50);
        SolveResult start = Solvers.byName("mu").solve(V, o.withMaxIterations(0));
        SolveResult ext = fixture("mu", Duration.ofSeconds(60)).solve(V, o);
        assertThat(ext.objective()).isLessThan(0.9 * start.objective());
        assertThat(ext.trace()).hasSize(1);
        assertThat(ext.trace().get(0).normalisedResidual()).isFinite();
    }

    @Test
    void misbehaviourIsAOneLineFinding() {
        assertThat(failure("crash")).endsWith("exit status 3");
        assertThat(failure("chatty")).contains("exit status 1; its last output: ").contains("reading V")
                .contains("Traceback: something broke");
        assertThat(failure("none")).contains("exited 0 but wrote no W.npy");
        assertThat(failure("shape")).endsWith("W.npy has shape (8, 2), expected (7, 2)");
        assertThat(failure("nan")).endsWith("W.npy: entry [0, 0] is NaN");
        assertThat(failure("negative")).endsWith("H.npy: entry [1, 4] is negative (-1.0)");
    }

    @Test
    void aTimeoutKillsTheProgramAndRemovesTheFolder() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countTemp(tmp);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> fixture("sleep", Duration.ofSeconds(2)).solve(V, SolverOptions.rank(2)))
                .isInstanceOf(ExternalSolver.Failure.class).hasMessageEndingWith("timeout after 2 s");
        assertThat((System.nanoTime() - t0) * 1e-9).isLessThan(30);
        assertThat(countTemp(tmp)).isLessThanOrEqualTo(before);
    }

    @Test
    void aMissingProgramIsAFinding() {
        assertThatThrownBy(() -> new ExternalSolver("/nonexistent/solver --x", Duration.ofSeconds(5)).solve(V, SolverOptions.rank(2)))
                .isInstanceOf(ExternalSolver.Failure.class).hasMessageStartingWith("external solver '/nonexistent/solver --x': cannot start it");
    }

    @Test
    void commandsSplitLikeAShellWithoutExpansion() {
        assertThat(ExternalSolver.split("python  'my nmf.py' \"a b\" c\\ d $HOME")).isEqualTo(
                List.of("python", "my nmf.py", "a b", "c d", "$HOME"));
        assertThatThrownBy(() -> ExternalSolver.split("python 'x")).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> new ExternalSolver("  ", Duration.ofSeconds(1))).hasMessageContaining("empty command");
    }

    private static long countTemp(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("nmf-oracle-external")).count();
        }
    }
}
