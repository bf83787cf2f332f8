package io.github.nmforacle.solve;

import static io.github.nmforacle.solve.Recorder.constant;
import static io.github.nmforacle.solve.Recorder.m;
import static io.github.nmforacle.solve.Recorder.sameBits;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Example 1 of the paper: V = I₂, W⁰ = H⁰ = J (the 2×2 all-ones matrix); the concurrent Lee–Seung update
 * oscillates while the alternating one converges (fixtures/example-1, proofs-notes/errata.md E1).
 *
 * <p>Derivation by hand. J² = 2J, J³ = 4J, and every matrix below is a multiple of J, so all products are
 * scalar multiples of J and every number is a dyadic rational: double arithmetic is exact, and the tests
 * compare with {@code ==}.
 *
 * <p>Concurrent ({@code mu-concurrent}): W' = W ∘ (VHᵀ)/(WHHᵀ), H' = H ∘ (WᵀV)/(WᵀWH), both from (W, H).
 * <ul>
 *   <li>At (J, J): VHᵀ = J, WHHᵀ = J³ = 4J, so W' = J ∘ J/(4J) = J/4; likewise WᵀV = J, WᵀWH = 4J, H' = J/4.</li>
 *   <li>At (J/4, J/4): VHᵀ = J/4, WHHᵀ = J³/64 = J/16, so W' = (J/4)·(1/4)/(1/16) = J; likewise H' = J.</li>
 *   <li>So x_t = (J, J) for even t and (J/4, J/4) for odd t, for ever: period 2.</li>
 *   <li>WH = J² = 2J at even t, (J/4)² = J/8 at odd t.</li>
 *   <li>F = ‖I − 2J‖² = 2·(1−2)² + 2·(−2)² = 10 at even t;
 *       F = ‖I − J/8‖² = 2·(7/8)² + 2·(1/8)² = 100/64 = 1.5625 at odd t.</li>
 * </ul>
 * The trace objective is computed as ‖V‖² − 2⟨W, VHᵀ⟩ + ⟨WᵀW, HHᵀ⟩, also exact here:
 * 2 − 2·4 + ⟨2J, 2J⟩ = 10 and 2 − 2·(1/4) + ⟨J/8, J/8⟩ = 1.5625.
 *
 * <p>Alternating ({@code mu}): W' = W ∘ (VHᵀ)/(WHHᵀ), then H' = H ∘ (W'ᵀV)/(W'ᵀW'H).
 * <ul>
 *   <li>From (J, J): W' = J/4 as above; then W'ᵀV = J/4, W'ᵀW' = 2J/16 = J/8, W'ᵀW'H = J/8·J = J/4, so H' = J.</li>
 *   <li>At (J/4, J): VHᵀ = J and WHHᵀ = J³/4 = J, so W stays J/4; WᵀV = J/4 = WᵀWH, so H stays J.
 *       A fixed point.</li>
 *   <li>WH = J/4·J = J/2; F = ‖I − J/2‖² = 4·(1/2)² = 1.</li>
 * </ul>
 * So the objective sequence is 10, 1, 1, 1, … exactly.
 */
class ExampleOneTest {
    private static final DenseMatrix V = m(new double[] {1, 0}, new double[] {0, 1});
    private static final DenseMatrix J = constant(2, 2, 1.0);
    private static final DenseMatrix J_QUARTER = constant(2, 2, 0.25);
    private static final int ITERATIONS = 1001;

    private static SolverOptions options(Recorder rec) {
        return SolverOptions.rank(2)
                .withMaxIterations(ITERATIONS)
                .withObjectiveTolerance(0)
                .withInitial(new FactorPair(J.copy(), J.copy()))
                .withThreads(1)
                .withListener(rec);
    }

    @Test
    void concurrentMuOscillatesWithPeriodTwoBetweenTheHandDerivedPoints() {
        Recorder rec = new Recorder();
        SolveResult res = Solvers.byName("mu-concurrent").solve(V, options(rec));

        assertThat(res.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(res.iterations()).isEqualTo(ITERATIONS);
        List<TraceRow> trace = res.trace();
        assertThat(trace).hasSize(ITERATIONS + 1);
        assertThat(rec.points).hasSize(ITERATIONS + 1);

        // Period 2 and not period 1, read from the trace alone.
        for (int t = 0; t + 2 < trace.size(); t++) {
            assertThat(trace.get(t + 2).objective()).as("F(t+2) == F(t) at t=%d", t).isEqualTo(trace.get(t).objective());
        }
        for (int t = 0; t + 1 < trace.size(); t++) {
            assertThat(trace.get(t + 1).objective()).as("F(t+1) != F(t) at t=%d", t).isNotEqualTo(trace.get(t).objective());
        }

        // The iterates themselves alternate between the two hand-derived points, bit for bit.
        NmfProblem problem = NmfProblem.of(V, 2);
        for (int t = 0; t < rec.points.size(); t++) {
            FactorPair x = rec.points.get(t);
            DenseMatrix expected = t % 2 == 0 ? J : J_QUARTER;
            assertThat(sameBits(x.w(), expected)).as("W_%d = %s", t, t % 2 == 0 ? "J" : "J/4").isTrue();
            assertThat(sameBits(x.h(), expected)).as("H_%d = %s", t, t % 2 == 0 ? "J" : "J/4").isTrue();
            double expectedF = t % 2 == 0 ? 10.0 : 100.0 / 64.0;
            assertThat(trace.get(t).objective()).as("trace F_%d", t).isEqualTo(expectedF);
            assertThat(problem.objective(x.w(), x.h())).as("direct F_%d", t).isEqualTo(expectedF);
        }
        assertThat(sameBits(rec.points.get(0).w(), rec.points.get(1).w())).as("the two points are distinct").isFalse();

        // WH alternates between 2J and J/8.
        assertThat(product(rec.points.get(0)).data()).containsExactly(2, 2, 2, 2);
        assertThat(product(rec.points.get(1)).data()).containsExactly(0.125, 0.125, 0.125, 0.125);

        // 1001 updates from (J, J): the result is the odd point.
        assertThat(sameBits(res.w(), J_QUARTER)).isTrue();
        assertThat(sameBits(res.h(), J_QUARTER)).isTrue();
        assertThat(res.objective()).isEqualTo(1.5625);
    }

    @Test
    void alternatingMuReachesTheHandDerivedFixedPointAfterOneUpdate() {
        Recorder rec = new Recorder();
        SolveResult res = Solvers.byName("mu").solve(V, options(rec));

        assertThat(res.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        List<TraceRow> trace = res.trace();
        assertThat(trace).hasSize(ITERATIONS + 1);

        for (int t = 0; t + 1 < trace.size(); t++) {
            assertThat(trace.get(t + 1).objective()).as("F non-increasing at t=%d", t)
                    .isLessThanOrEqualTo(trace.get(t).objective());
        }
        assertThat(trace.get(0).objective()).isEqualTo(10.0);
        // Constant from t = 1 on, at the exact limit F = 1.
        for (int t = 1; t < trace.size(); t++) {
            assertThat(trace.get(t).objective()).as("F_%d", t).isEqualTo(1.0);
        }

        NmfProblem problem = NmfProblem.of(V, 2);
        for (int t = 1; t < rec.points.size(); t++) {
            FactorPair x = rec.points.get(t);
            assertThat(sameBits(x.w(), J_QUARTER)).as("W_%d = J/4", t).isTrue();
            assertThat(sameBits(x.h(), J)).as("H_%d = J", t).isTrue();
            assertThat(problem.objective(x.w(), x.h())).as("direct F_%d", t).isEqualTo(1.0);
        }
        assertThat(product(rec.points.get(1)).data()).containsExactly(0.5, 0.5, 0.5, 0.5);
        assertThat(res.objective()).isEqualTo(1.0);
        assertThat(sameBits(res.w(), J_QUARTER)).isTrue();
        assertThat(sameBits(res.h(), J)).isTrue();
    }

    /** W·H of a 2×2 pair, computed naively here (independent of the project's kernels). */
    private static DenseMatrix product(FactorPair x) {
        double[] out = new double[4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                out[i * 2 + j] = x.w().get(i, 0) * x.h().get(0, j) + x.w().get(i, 1) * x.h().get(1, j);
            }
        }
        return new DenseMatrix(2, 2, out);
    }
}
