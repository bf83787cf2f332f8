package io.github.nmforacle.solve;

import static io.github.nmforacle.solve.Recorder.sameBits;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.testkit.Instances;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ProjectedGradient}: convergence on planted instances, monotone objective, stationary start, threads. */
class ProjectedGradientTest {
    private static SolverOptions options(int r, int iterations, long seed) {
        return SolverOptions.rank(r).withMaxIterations(iterations).withObjectiveTolerance(0).withSeed(seed);
    }

    /**
     * Planted 50×40, r = 5, seeds 1–5. Measured (2026-11): relative error after 100 outer iterations 5.4e-3 … 9.4e-3,
     * after 500 8.3e-4 … 3.7e-3 (seeds 1–10: at worst 9.4e-3 and 5.1e-3); {@code mu} after 500: 7.2e-3 … 1.3e-2.
     * Asserted: below 2.5e-2 at 100, below 1e-2 at 500, and below {@code mu} on every seed at 500 (ratios 2.6 … 15).
     */
    @Test
    void reachesASmallRelativeErrorOnPlantedInstances() {
        for (long seed = 1; seed <= 5; seed++) {
            DenseMatrix v = Instances.planted(50, 40, 5, seed).v();
            SolveResult res = ProjectedGradient.pg().solve(v, options(5, 500, seed));
            assertThat(res.algorithm()).isEqualTo("pg");
            assertThat(res.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
            assertThat(res.trace().get(100).relativeError()).as("seed %d, 100 iterations", seed).isLessThan(2.5e-2);
            assertThat(res.relativeError()).as("seed %d, 500 iterations", seed).isLessThan(1e-2);
            SolveResult mu = MultiplicativeUpdates.alternating().solve(v, options(5, 500, seed));
            assertThat(res.relativeError()).as("seed %d: pg below mu", seed).isLessThan(mu.relativeError());
            for (double x : res.w().data()) {
                assertThat(x).isGreaterThanOrEqualTo(0.0);
            }
            for (double x : res.h().data()) {
                assertThat(x).isGreaterThanOrEqualTo(0.0);
            }
        }
    }

    /** Every accepted step satisfies Armijo's sufficient-decrease condition: F never increases (directly summed F). */
    @Test
    void objectiveIsMonotoneNonIncreasing() {
        List<DenseMatrix> instances = List.of(Instances.planted(50, 40, 5, 11).v(), Instances.planted(30, 45, 3, 12).v(),
                Instances.uniform(35, 28, 13));
        for (DenseMatrix v : instances) {
            int r = v.rows() == 35 ? 4 : v.rows() == 30 ? 3 : 5;
            Recorder rec = new Recorder();
            ProjectedGradient.pg().solve(v, options(r, 300, 3).withListener(rec));
            NmfProblem p = NmfProblem.of(v, r);
            double previous = Double.POSITIVE_INFINITY;
            for (int t = 0; t < rec.points.size(); t++) {
                FactorPair x = rec.points.get(t);
                double f = p.objective(x.w(), x.h());
                assertThat(f).as("%s: F at t=%d", v.shape(), t).isLessThanOrEqualTo(previous * (1 + 1e-12));
                previous = f;
            }
            assertThat(previous).as("%s: the run moves", v.shape())
                    .isLessThan(0.5 * p.objective(rec.points.get(0).w(), rec.points.get(0).h()));
        }
    }

    /**
     * At an exact factorization with small-integer factors every product is exact, so ∇F = 0 exactly: no step passes
     * the sufficient-decrease test and the run stops at once, returning the start.
     */
    @Test
    void stopsWithNoDescentAtAStationaryStart() {
        int n = 20, m = 15, r = 3;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        DenseMatrix w0 = new DenseMatrix(n, r, rnd.ints(n * r, 0, 4).asDoubleStream().toArray());
        DenseMatrix h0 = new DenseMatrix(r, m, rnd.ints(r * m, 0, 4).asDoubleStream().toArray());
        double[] v = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < r; k++) {
                    v[i * m + j] += w0.get(i, k) * h0.get(k, j);
                }
            }
        }
        SolveResult res = ProjectedGradient.pg().solve(new DenseMatrix(n, m, v),
                options(r, 50, 0).withInitial(new FactorPair(w0, h0)));
        assertThat(res.objective()).isZero();
        assertThat(res.stopReason()).isEqualTo(StopReason.NO_DESCENT);
        assertThat(res.iterations()).isZero();
        assertThat(sameBits(res.w(), w0)).isTrue();
        assertThat(sameBits(res.h(), h0)).isTrue();
    }

    /** The first-order residual ‖min(x, ∇F)‖ falls by orders of magnitude (towards a KKT point). */
    @Test
    void firstOrderResidualDecreases() {
        DenseMatrix v = Instances.planted(40, 30, 3, 17).v();
        SolveResult res = ProjectedGradient.pg().solve(v, options(3, 1000, 4));
        double r0 = res.trace().get(0).firstOrderResidual();
        double rEnd = res.trace().get(res.trace().size() - 1).firstOrderResidual();
        assertThat(rEnd).isLessThan(1e-4 * r0);
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        for (DenseMatrix v : List.of(Instances.planted(67, 53, 4, 2024).v(), Instances.planted(600, 530, 4, 7).v())) {
            SolveResult a = ProjectedGradient.pg().solve(v, options(4, 25, 5).withThreads(1));
            SolveResult b = ProjectedGradient.pg().solve(v, options(4, 25, 5).withThreads(2));
            assertThat(sameBits(a.w(), b.w())).as("%s W", v.shape()).isTrue();
            assertThat(sameBits(a.h(), b.h())).as("%s H", v.shape()).isTrue();
            assertThat(a.stopReason()).isEqualTo(b.stopReason());
            for (int t = 0; t < a.trace().size(); t++) {
                assertThat(Double.doubleToRawLongBits(a.trace().get(t).objective()))
                        .isEqualTo(Double.doubleToRawLongBits(b.trace().get(t).objective()));
                assertThat(Double.doubleToRawLongBits(a.trace().get(t).firstOrderResidual()))
                        .isEqualTo(Double.doubleToRawLongBits(b.trace().get(t).firstOrderResidual()));
            }
        }
    }

    @Test
    void badInputsAreRejectedWithOneLineMessages() {
        DenseMatrix v = Instances.planted(6, 5, 2, 1).v();
        HalsTest.assertOneLine(() -> ProjectedGradient.pg().solve(v, SolverOptions.rank(6)), "rank 6 is outside");
        DenseMatrix neg = v.copy();
        neg.set(0, 1, -1.0);
        HalsTest.assertOneLine(() -> ProjectedGradient.pg().solve(neg, SolverOptions.rank(2)), "entry [0, 1] is negative");
    }
}
