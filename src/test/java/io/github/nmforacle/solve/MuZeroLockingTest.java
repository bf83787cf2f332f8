package io.github.nmforacle.solve;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.testkit.Instances;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The "zero-locking" of Lee–Seung MU: x ← x·num/den keeps an exact 0 at 0 (0·anything = 0, and the
 * implementation adds no ε), so an entry of W0 that is 0 is 0 in every iterate and in the result.
 */
class MuZeroLockingTest {
    private static FactorPair randomStart(int n, int r, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[n * r];
        double[] h = new double[r * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.1 + rnd.nextDouble();
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = 0.1 + rnd.nextDouble();
        }
        return new FactorPair(new DenseMatrix(n, r, w), new DenseMatrix(r, m, h));
    }

    @Test
    void aZeroEntryOfW0StaysExactlyZero() {
        DenseMatrix v = Instances.planted(10, 8, 3, 21).v();
        FactorPair start = randomStart(10, 3, 8, 5);
        start.w().set(4, 1, 0.0);
        start.h().set(2, 6, 0.0);

        Recorder rec = new Recorder();
        SolveResult res = Solvers.byName("mu").solve(v, SolverOptions.rank(3).withMaxIterations(300)
                .withObjectiveTolerance(0).withInitial(start).withListener(rec));

        assertThat(res.iterations()).isEqualTo(300);
        for (int t = 0; t < rec.points.size(); t++) {
            assertThat(Double.doubleToRawLongBits(rec.points.get(t).w().get(4, 1))).as("W_%d(5, 2) is +0.0", t).isZero();
            assertThat(Double.doubleToRawLongBits(rec.points.get(t).h().get(2, 6))).as("H_%d(3, 7) is +0.0", t).isZero();
        }
        assertThat(Double.doubleToRawLongBits(res.w().get(4, 1))).as("result W(5, 2) is +0.0").isZero();
        assertThat(Double.doubleToRawLongBits(res.h().get(2, 6))).as("result H(3, 7) is +0.0").isZero();

        // The other entries did move (the run is not a no-op) and are positive and finite.
        int moved = 0;
        double[] w = res.w().data();
        for (int p = 0; p < w.length; p++) {
            if (p != 4 * 3 + 1) {
                assertThat(w[p]).as("W entry %d", p).isPositive().isFinite();
                if (w[p] != start.w().data()[p]) {
                    moved++;
                }
            }
        }
        assertThat(moved).isEqualTo(w.length - 1);
        assertThat(res.objective()).isLessThan(rec.rows.get(0).objective());
    }

    /**
     * A whole zero column k of W0: W's column stays 0, and the denominators (WᵀW H)_kj are 0, so by the class
     * contract the entries of row k of H are kept unchanged instead of becoming NaN.
     */
    @Test
    void aZeroColumnOfW0StaysZeroAndLeavesItsRowOfHUnchanged() {
        DenseMatrix v = Instances.uniform(7, 6, 22);
        FactorPair start = randomStart(7, 2, 6, 6);
        for (int i = 0; i < 7; i++) {
            start.w().set(i, 0, 0.0);
        }
        double[] row0 = new double[6];
        for (int j = 0; j < 6; j++) {
            row0[j] = start.h().get(0, j);
        }
        for (String alg : new String[] {"mu", "mu-concurrent"}) {
            SolveResult res = Solvers.byName(alg).solve(v, SolverOptions.rank(2).withMaxIterations(50)
                    .withObjectiveTolerance(0).withInitial(start));
            for (int i = 0; i < 7; i++) {
                assertThat(Double.doubleToRawLongBits(res.w().get(i, 0))).as("%s W(%d, 1)", alg, i + 1).isZero();
            }
            for (int j = 0; j < 6; j++) {
                assertThat(res.h().get(0, j)).as("%s H(1, %d)", alg, j + 1).isEqualTo(row0[j]);
            }
            assertThat(res.objective()).as(alg).isFinite();
        }
    }
}
