package io.github.nmforacle.solve;

import static io.github.nmforacle.solve.Recorder.sameBits;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 5: every solver runs on V normalised by a power of two chosen from V alone, so solve(2^{2k} V) is
 * exactly 2^k times solve(V): the same W, H bits up to the exponent, iterations, stop reason, relative error and trace
 * in normalised units (proofs-notes/solver-scaling.md).
 */
class ScaleEquivarianceTest {

    /** 2^p·A entrywise, or null when some entry does not scale exactly (then 2^p A is another problem). */
    static DenseMatrix exactly(DenseMatrix a, int p) {
        double[] d = a.data();
        double[] s = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            s[i] = Math.scalb(d[i], p);
            if (!Double.isFinite(s[i]) || Math.scalb(s[i], -p) != d[i]) {
                return null;
            }
        }
        return new DenseMatrix(a.rows(), a.cols(), s);
    }

    /** Entries in [0.5, 8) with some exact zeros and a random power-of-two offset, so that 2^{±1000}·V stays normal. */
    static DenseMatrix instance(long seed, int n, int m) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int offset = rnd.nextInt(-8, 9);
        double[] d = new double[n * m];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextInt(8) == 0 ? 0.0 : Math.scalb(0.5 + 7.5 * rnd.nextDouble(), offset);
        }
        return new DenseMatrix(n, m, d);
    }

    @Provide
    Arbitrary<Integer> k() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 500), Arbitraries.integers().between(-500, -1));
    }

    @Provide
    Arbitrary<String> algorithm() {
        return Arbitraries.of(Solvers.names());
    }

    @Provide
    Arbitrary<String> start() {
        return Arbitraries.of("random", "user", "nndsvda");
    }

    @Property(tries = 250)
    void solveOf2To2kVIs2ToKTimesSolveOfV(@ForAll("algorithm") String algorithm, @ForAll("k") int k,
                                          @ForAll("start") String start, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        DenseMatrix v = instance(seed, 7, 6);
        DenseMatrix vk = exactly(v, 2 * k);
        Assume.that(vk != null);
        int r = 2;
        SolverOptions o = SolverOptions.rank(r).withMaxIterations(25).withSeed(seed).withBlas(Blas.JAVA)
                .withFirstOrderTolerance(seed % 2 == 0 ? 1e-3 : 0.0);
        SolverOptions ok = o.withKappa(Math.scalb(o.kappa(), 2 * k));     // κ has the units of V
        if (start.equals("user")) {
            SplittableRandom rnd = new SplittableRandom(seed + 1L);
            FactorPair x = new FactorPair(new DenseMatrix(7, r, rnd.doubles(7 * r, 0.1, 2).toArray()),
                    new DenseMatrix(r, 6, rnd.doubles(r * 6, 0.1, 2).toArray()));
            o = o.withInitial(x);
            ok = ok.withInitial(new FactorPair(exactly(x.w(), k), exactly(x.h(), k)));
        } else if (start.equals("nndsvda")) {
            o = o.withInitial(Nndsvd.nndsvda(v, r));
            FactorPair xk = Nndsvd.nndsvda(vk, r);
            assertThat(sameBits(xk.w(), exactly(o.initial().w(), k))).as("NNDSVDa W0 of 2^2k V").isTrue();
            assertThat(sameBits(xk.h(), exactly(o.initial().h(), k))).as("NNDSVDa H0 of 2^2k V").isTrue();
            ok = ok.withInitial(xk);
        }
        Solver solver = Solvers.byName(algorithm);
        SolveResult a = solver.solve(v, o);
        SolveResult b = solver.solve(vk, ok);
        DenseMatrix wk = exactly(a.w(), k);
        DenseMatrix hk = exactly(a.h(), k);
        Assume.that(wk != null && hk != null);          // 2^k W must itself be exact to compare bits
        assertThat(sameBits(b.w(), wk)).as("W").isTrue();
        assertThat(sameBits(b.h(), hk)).as("H").isTrue();
        assertThat(b.iterations()).isEqualTo(a.iterations());
        assertThat(b.stopReason()).isEqualTo(a.stopReason());
        assertThat(b.relativeError()).isEqualTo(a.relativeError());
        assertThat(b.normalisedObjective()).isEqualTo(a.normalisedObjective());
        assertThat(b.exponent()).isEqualTo(a.exponent() + k);
        assertThat(b.trace()).hasSameSizeAs(a.trace());
        for (int t = 0; t < a.trace().size(); t++) {
            TraceRow x = a.trace().get(t), y = b.trace().get(t);
            assertThat(List.of(y.normalisedObjective(), y.relativeError(), y.normalisedResidual(), y.normalisedStep()))
                    .as("trace row %d", t)
                    .isEqualTo(List.of(x.normalisedObjective(), x.relativeError(), x.normalisedResidual(), x.normalisedStep()));
        }
    }

    @Test
    void normalisationDependsOnlyOnTheScaleOfTheLargestEntry() {
        DenseMatrix v = Recorder.m(new double[] {3.0, 0.25}, new double[] {0.0, 1.5});
        Scaling s = Scaling.of(v);
        assertThat(s.exponent()).isZero();
        assertThat(s.v()).isSameAs(v);
        Scaling big = Scaling.of(exactly(v, 1000));
        assertThat(big.exponent()).isEqualTo(500);
        assertThat(sameBits(big.denseV(), v)).isTrue();
        Scaling four = Scaling.of(Recorder.m(new double[] {4.0}));
        assertThat(four.exponent()).isEqualTo(1);
        assertThat(four.denseV().get(0, 0)).isEqualTo(1.0);
        assertThat(Scaling.of(Recorder.m(new double[] {Double.MIN_VALUE})).exponent()).isEqualTo(-537);
        assertThat(Scaling.of(Recorder.m(new double[] {Double.MAX_VALUE})).exponent()).isEqualTo(511);
    }

    @Test
    void entriesBelowTheRangeRelativeToTheLargestAreFlushedAndCounted() {
        Scaling s = Scaling.of(Recorder.m(new double[] {1e200, 1e-200, 0.0}, new double[] {1e-200, 1e180, 1e-100}));
        assertThat(s.flushed()).isEqualTo(2);
        assertThat(s.denseV().get(0, 1)).isZero();
        assertThat(s.denseV().get(1, 0)).isZero();
        assertThat(s.denseV().get(1, 2)).isGreaterThanOrEqualTo(Double.MIN_NORMAL);
        // subnormal entries next to an ordinary maximum count as well
        Scaling t = Scaling.of(Recorder.m(new double[] {2.0, 1e-310}));
        assertThat(t.flushed()).isEqualTo(1);
        assertThat(t.denseV().get(0, 1)).isZero();
    }

    @Test
    void formatIsExactInRangeAndHonestOutsideIt() {
        assertThat(Scaling.format("%.3e", 1.5, 4)).isEqualTo("2.400e+01");
        assertThat(Scaling.format("%.3e", 3.2e-4, -1992)).isEqualTo("3.200e-04 × 2^-1992 (≈ 7.135e-604, below the double range)");
        assertThat(Scaling.format("%.3e", 5.0, 2040)).isEqualTo("5.000e+00 × 2^2040 (≈ 6.312e+614, above the double range)");
        assertThat(Scaling.format("%.3e", 0.0, -4000)).isEqualTo("0.000e+00");
        // a subnormal result would have lost bits: shown as normalised value and exponent too
        assertThat(Scaling.format("%.3e", 1.0 + 0x1p-52, -1060)).contains("below the double range");
    }
}
