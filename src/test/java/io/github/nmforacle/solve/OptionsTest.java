package io.github.nmforacle.solve;

import static io.github.nmforacle.solve.Recorder.sameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.testkit.Instances;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Validation of {@link SolverOptions} and of a solver's inputs, and the stopping rules. */
class OptionsTest {
    private static final SolverOptions BASE = SolverOptions.rank(2);

    /** Throws IllegalArgumentException whose message is one non-blank line containing {@code fragment}. */
    private static void assertRejected(ThrowingCallable call, String fragment) {
        assertThatThrownBy(call)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> {
                    assertThat(e.getMessage()).isNotBlank();
                    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
                });
    }

    @Test
    void optionsRejectInvalidValues() {
        assertRejected(() -> BASE.withMaxIterations(-1), "maxIterations");
        assertRejected(() -> BASE.withObjectiveTolerance(Double.NaN), "objective tolerance");
        assertRejected(() -> BASE.withObjectiveTolerance(-1e-9), "objective tolerance");
        assertRejected(() -> BASE.withObjectiveTolerance(Double.POSITIVE_INFINITY), "objective tolerance");
        assertRejected(() -> BASE.withFirstOrderTolerance(Double.NaN), "first-order tolerance");
        assertRejected(() -> BASE.withFirstOrderTolerance(-1e-9), "first-order tolerance");
        assertRejected(() -> BASE.withKappa(0), "kappa");
        assertRejected(() -> BASE.withKappa(-0.0), "kappa");
        assertRejected(() -> BASE.withKappa(-1), "kappa");
        assertRejected(() -> BASE.withKappa(Double.NaN), "kappa");
        assertRejected(() -> BASE.withThreads(-1), "threads");
        assertRejected(() -> BASE.withTimeLimit(Duration.ZERO), "time limit");
        assertRejected(() -> BASE.withTimeLimit(Duration.ofMillis(-1)), "time limit");
        assertRejected(() -> SolverOptions.rank(0), "rank");
        assertRejected(() -> SolverOptions.rank(-3), "rank");

        // The boundary values are accepted.
        assertThat(BASE.withMaxIterations(0).maxIterations()).isZero();
        assertThat(BASE.withObjectiveTolerance(0).objectiveTolerance()).isZero();
        assertThat(BASE.withFirstOrderTolerance(0).firstOrderTolerance()).isZero();
        assertThat(BASE.withThreads(0).threads()).isZero();
        assertThat(BASE.withKappa(Double.MIN_VALUE).kappa()).isEqualTo(Double.MIN_VALUE);
        assertThat(BASE.withTimeLimit(Duration.ofNanos(1)).timeLimit()).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void solversRejectRankAboveMinOfTheShape() {
        DenseMatrix v = Instances.uniform(5, 3, 1);
        for (String alg : Solvers.names()) {
            assertRejected(() -> Solvers.byName(alg).solve(v, SolverOptions.rank(4)), "rank 4");
            // r = min(n, m) = 3 is allowed.
            assertThat(Solvers.byName(alg).solve(v, SolverOptions.rank(3).withMaxIterations(2)).w().cols()).isEqualTo(3);
        }
    }

    @Test
    void solversRejectBadInitialFactors() {
        DenseMatrix v = Instances.uniform(5, 4, 2);
        for (String alg : Solvers.names()) {
            Solver s = Solvers.byName(alg);
            // Wrong shapes (the pair itself is consistent: W n'×r', H r'×m').
            assertRejected(() -> s.solve(v, BASE.withInitial(pair(6, 2, 4, 1.0))), "W is 6x2");
            assertRejected(() -> s.solve(v, BASE.withInitial(pair(5, 2, 3, 1.0))), "H is 2x3");
            assertRejected(() -> s.solve(v, BASE.withInitial(pair(5, 3, 4, 1.0))), "W is 5x3");
            // Negative and NaN entries, in W and in H.
            FactorPair negW = pair(5, 2, 4, 1.0);
            negW.w().set(3, 1, -1e-300);
            assertRejected(() -> s.solve(v, BASE.withInitial(negW)), "W0: entry [3, 1] is negative");
            FactorPair nanH = pair(5, 2, 4, 1.0);
            nanH.h().set(1, 0, Double.NaN);
            assertRejected(() -> s.solve(v, BASE.withInitial(nanH)), "H0: entry [1, 0] is NaN");
            FactorPair infW = pair(5, 2, 4, 1.0);
            infW.w().set(0, 0, Double.POSITIVE_INFINITY);
            assertRejected(() -> s.solve(v, BASE.withInitial(infW)), "W0: entry [0, 0]");
        }
    }

    private static FactorPair pair(int n, int r, int m, double value) {
        return new FactorPair(Recorder.constant(n, r, value), Recorder.constant(r, m, value));
    }

    /**
     * maxIterations = 0 measures the start only: no update, one trace row, MAX_ITERATIONS, and the result is
     * the start (for mwu, the start scaled onto the simplex, i.e. the recorded iterate 0).
     */
    @Test
    void zeroIterationsReturnsTheStartWithOneTraceRow() {
        DenseMatrix v = Instances.uniform(6, 5, 3);
        NmfProblem p = NmfProblem.of(v, 2);
        SplittableRandom rnd = new SplittableRandom(4);
        double[] w = new double[12];
        double[] h = new double[10];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextDouble();
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = rnd.nextDouble();
        }
        FactorPair start = new FactorPair(new DenseMatrix(6, 2, w), new DenseMatrix(2, 5, h));
        for (String alg : Solvers.names()) {
            for (FactorPair init : new FactorPair[] {start, null}) {
                Recorder rec = new Recorder();
                SolveResult res = Solvers.byName(alg).solve(v, BASE.withMaxIterations(0).withInitial(init).withListener(rec));
                String what = alg + (init == null ? " random start" : " user start");
                assertThat(res.iterations()).as(what).isZero();
                assertThat(res.trace()).as(what).hasSize(1);
                assertThat(res.trace().get(0).iteration()).isZero();
                assertThat(res.stopReason()).as(what).isEqualTo(StopReason.MAX_ITERATIONS);
                assertThat(rec.points).hasSize(1);
                assertThat(sameBits(res.w(), rec.points.get(0).w())).as(what).isTrue();
                assertThat(sameBits(res.h(), rec.points.get(0).h())).as(what).isTrue();
                assertThat(res.objective()).as(what).isEqualTo(p.objective(res.w(), res.h()));
                if (init != null && alg.startsWith("mu")) {
                    assertThat(sameBits(res.w(), start.w())).as(what + ": W0 returned").isTrue();
                    assertThat(sameBits(res.h(), start.h())).as(what + ": H0 returned").isTrue();
                }
            }
        }
        // The caller's arrays are not modified by a run either.
        assertThat(start.w().data()).containsExactly(w);
    }

    /**
     * firstOrderTolerance: the run stops at the first t with residual_t ≤ tol·residual_0, and not before.
     */
    @Test
    void firstOrderToleranceStopsAtTheFirstIterateBelowIt() {
        DenseMatrix v = Instances.planted(20, 15, 3, 9).v();
        for (String alg : List.of("mu", "mwu-adaptive")) {
            double tol = 1e-2;
            SolveResult res = Solvers.byName(alg).solve(v, SolverOptions.rank(3).withMaxIterations(100_000)
                    .withObjectiveTolerance(0).withFirstOrderTolerance(tol).withSeed(1));
            assertThat(res.stopReason()).as(alg).isEqualTo(StopReason.FIRST_ORDER_TOLERANCE);
            List<TraceRow> trace = res.trace();
            double r0 = trace.get(0).firstOrderResidual();
            assertThat(r0).isPositive();
            assertThat(trace.get(trace.size() - 1).firstOrderResidual()).as(alg).isLessThanOrEqualTo(tol * r0);
            for (int t = 0; t < trace.size() - 1; t++) {
                assertThat(trace.get(t).firstOrderResidual()).as("%s row %d", alg, t).isGreaterThan(tol * r0);
            }
            assertThat(res.iterations()).as(alg).isEqualTo(trace.size() - 1).isPositive().isLessThan(100_000);
        }
    }

    /** stopWhen: every solver stops at the first trace row where the condition holds, and not before. */
    @Test
    void stopConditionEndsTheRunAtTheFirstRowWhereItHolds() {
        DenseMatrix v = Instances.planted(20, 15, 3, 9).v();
        for (String alg : Solvers.names()) {
            SolveResult free = Solvers.byName(alg).solve(v, SolverOptions.rank(3).withMaxIterations(60)
                    .withObjectiveTolerance(0).withSeed(1));
            // a target the free run meets strictly inside its trace (rows 1..59), so the condition must cut it
            List<TraceRow> all = free.trace();
            double target = all.get(Math.min(all.size() - 2, 20)).relativeError();
            int first = 0;
            while (all.get(first).relativeError() > target) {
                first++;
            }
            SolveResult res = Solvers.byName(alg).solve(v, SolverOptions.rank(3).withMaxIterations(60)
                    .withObjectiveTolerance(0).withSeed(1).withStopWhen(row -> row.relativeError() <= target));
            assertThat(res.stopReason()).as(alg).isEqualTo(StopReason.CONDITION_MET);
            assertThat(res.iterations()).as(alg).isEqualTo(first);
            assertThat(res.trace()).as(alg).hasSize(first + 1);
            assertThat(res.trace().get(first).relativeError()).as(alg).isEqualTo(all.get(first).relativeError());
        }
    }

    /**
     * objectiveTolerance: the run stops at the first t ≥ 1 with |F_t − F_{t−1}| ≤ tol·|F_{t−1}|, and not before.
     * (Not mu-concurrent: on this instance it settles into a period-2 oscillation, F ≈ 17.611 ↔ 18.297, like
     * Example 1, and never meets the rule in 10⁵ iterations.)
     */
    @Test
    void objectiveToleranceStopsAtTheFirstSmallChange() {
        DenseMatrix v = Instances.uniform(20, 15, 10);
        for (String alg : List.of("mu", "mwu-adaptive")) {
            double tol = 1e-6;
            SolveResult res = Solvers.byName(alg).solve(v, SolverOptions.rank(3).withMaxIterations(100_000)
                    .withObjectiveTolerance(tol).withSeed(2));
            assertThat(res.stopReason()).as(alg).isEqualTo(StopReason.OBJECTIVE_TOLERANCE);
            List<TraceRow> trace = res.trace();
            int last = trace.size() - 1;
            assertThat(last).as(alg).isPositive().isLessThan(100_000);
            assertThat(Math.abs(trace.get(last).objective() - trace.get(last - 1).objective()))
                    .as(alg).isLessThanOrEqualTo(tol * Math.abs(trace.get(last - 1).objective()));
            for (int t = 1; t < last; t++) {
                assertThat(Math.abs(trace.get(t).objective() - trace.get(t - 1).objective()))
                        .as("%s row %d", alg, t).isGreaterThan(tol * Math.abs(trace.get(t - 1).objective()));
            }
        }
    }

    @Test
    void aOneMillisecondTimeLimitStopsALongRun() {
        DenseMatrix v = Instances.uniform(300, 300, 12);
        for (String alg : List.of("mu", "mwu-adaptive")) {
            long t0 = System.nanoTime();
            SolveResult res = Solvers.byName(alg).solve(v, SolverOptions.rank(10).withMaxIterations(1_000_000)
                    .withObjectiveTolerance(0).withTimeLimit(Duration.ofMillis(1)));
            double wall = (System.nanoTime() - t0) * 1e-9;
            assertThat(res.stopReason()).as(alg).isEqualTo(StopReason.TIME_LIMIT);
            assertThat(res.iterations()).as(alg).isLessThan(1_000_000);
            assertThat(res.seconds()).as(alg).isGreaterThanOrEqualTo(1e-3);
            // The limit is checked after every iterate, and one iteration on 300×300, r = 10 (≈ 10⁷ flops) takes
            // milliseconds, so the run may overshoot 1 ms by that much, not by 1000×: 1 s is a generous bound.
            assertThat(res.seconds()).as(alg).isLessThan(1.0);
            assertThat(wall).as(alg + " wall-clock seconds").isLessThan(1.0);
        }
    }
}
