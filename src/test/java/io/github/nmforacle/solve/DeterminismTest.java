package io.github.nmforacle.solve;

import static io.github.nmforacle.solve.Recorder.sameBits;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.NativeBlas;
import io.github.nmforacle.testkit.Instances;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SolverOptions.seed: "equal seeds give bit-identical runs for any thread count". Checked for every algorithm
 * with 1, 2 and 3 threads on sizes that are not multiples of the kernels' block sizes (rows per block 32,
 * columns per block 256): 67×53 (three row blocks, the last partial) as the brief asks, and 70×530, whose
 * column dimension also splits Wᵀ·V (computed as (Vᵀ·W)ᵀ) into several row blocks, so both parallel
 * kernels actually run on several threads.
 */
class DeterminismTest {
    private static final int ITERATIONS = 30;

    private static SolveResult run(String alg, DenseMatrix v, int r, long seed, int threads, Blas blas) {
        return Solvers.byName(alg).solve(v, SolverOptions.rank(r).withMaxIterations(ITERATIONS)
                .withObjectiveTolerance(0).withSeed(seed).withThreads(threads).withBlas(blas));
    }

    /** Both backends: the Java kernels, and the bundled OpenBLAS (single-threaded calls on fixed blocks). */
    static List<Blas> backends() {
        if (!NativeBlas.shippedForThisPlatform()) {
            return List.of(Blas.JAVA);
        }
        assertThat(NativeBlas.available()).as("bundled OpenBLAS: %s", NativeBlas.unavailableReason()).isTrue();
        return List.of(Blas.JAVA, Blas.NATIVE);
    }

    private static void assertBitIdentical(SolveResult a, SolveResult b, String what) {
        assertThat(sameBits(a.w(), b.w())).as("%s: W", what).isTrue();
        assertThat(sameBits(a.h(), b.h())).as("%s: H", what).isTrue();
        assertThat(a.stopReason()).as("%s: stop reason", what).isEqualTo(b.stopReason());
        assertThat(a.iterations()).as("%s: iterations", what).isEqualTo(b.iterations());
        assertThat(Double.doubleToRawLongBits(a.objective())).as("%s: objective", what)
                .isEqualTo(Double.doubleToRawLongBits(b.objective()));
        List<TraceRow> ta = a.trace();
        List<TraceRow> tb = b.trace();
        assertThat(ta).as("%s: trace length", what).hasSameSizeAs(tb);
        for (int t = 0; t < ta.size(); t++) {
            TraceRow x = ta.get(t);
            TraceRow y = tb.get(t);
            assertThat(Double.doubleToRawLongBits(x.objective())).as("%s: trace objective %d", what, t)
                    .isEqualTo(Double.doubleToRawLongBits(y.objective()));
            assertThat(Double.doubleToRawLongBits(x.firstOrderResidual())).as("%s: residual %d", what, t)
                    .isEqualTo(Double.doubleToRawLongBits(y.firstOrderResidual()));
            assertThat(Double.doubleToRawLongBits(x.step())).as("%s: step %d", what, t)
                    .isEqualTo(Double.doubleToRawLongBits(y.step()));
        }
    }

    private static void check(DenseMatrix v, int r, String shape) {
        for (Blas blas : backends()) {
            for (String alg : Solvers.names()) {
                String what = alg + " " + shape + " " + blas;
                SolveResult one = run(alg, v, r, 5, 1, blas);
                assertThat(one.iterations()).as("%s ran", what).isEqualTo(ITERATIONS);
                assertThat(one.trace()).hasSize(ITERATIONS + 1);
                for (int threads : new int[] {2, 3}) {
                    assertBitIdentical(one, run(alg, v, r, 5, threads, blas), what + " threads=1 vs " + threads);
                }
                // Same seed, same thread count, run again: also identical (no hidden state between runs).
                assertBitIdentical(one, run(alg, v, r, 5, 1, blas), what + " rerun");

                SolveResult other = run(alg, v, r, 6, 1, blas);
                assertThat(sameBits(one.w(), other.w())).as("%s: seeds 5 and 6 give different W", what).isFalse();
                assertThat(sameBits(one.h(), other.h())).as("%s: seeds 5 and 6 give different H", what).isFalse();
                assertThat(one.trace().get(0).objective()).as("%s: different starts", what)
                        .isNotEqualTo(other.trace().get(0).objective());
            }
        }
    }

    @Test
    void equalSeedsGiveBitIdenticalRunsForOneTwoAndThreeThreads() {
        check(Instances.planted(67, 53, 4, 2024).v(), 4, "planted 67x53 r=4");
    }

    @Test
    void bitIdenticalAlsoWhenTheColumnProductIsSplitIntoBlocks() {
        check(Instances.planted(70, 530, 3, 77).v(), 3, "planted 70x530 r=3");
    }

    @Test
    void bitIdenticalWhenGramMatricesAndTheTransposedProductSpanSeveralBlocks() {
        // n, m > 2·512: several Gram blocks, row-dot blocks of V·Hᵀ and of Vᵀ·W; native: 5 row and 5 column blocks
        check(Instances.planted(1100, 1040, 2, 5).v(), 2, "planted 1100x1040 r=2");
    }

    @Test
    void bitIdenticalWhenTheEntrywisePassesSpanSeveralSumBlocks() {
        // n·r = 3·8192 + 1470 entries: the measurement pass, the sums of P = W∘∇F and the MWU step run over four blocks
        check(Instances.planted(2090, 24, 12, 9).v(), 12, "planted 2090x24 r=12");
    }
}
