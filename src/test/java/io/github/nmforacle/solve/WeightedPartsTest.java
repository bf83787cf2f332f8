package io.github.nmforacle.solve;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link ConcurrentMwu#weightedParts}: P = x∘s, ΣP, ⟨num, P⟩, Σx and the positivity bounds, for any thread count. */
class WeightedPartsTest {

    @Property(tries = 40)
    void theBlockedPassIsTheEntrywiseProductWithItsSumsAndBounds(
            @ForAll @IntRange(min = 1, max = 30000) int len, @ForAll long seed, @ForAll boolean withNum) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[len], s = new double[len], num = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextDouble() < 0.1 ? 0.0 : rnd.nextDouble();
            s[i] = rnd.nextGaussian() * (x[i] == 0 ? 100 : 1);   // large gradients where x = 0 must not count
            num[i] = rnd.nextDouble();
        }
        double b0 = 0, b1 = 0, absSum = 0, xSum = 0;
        double[] ones = new double[len];
        java.util.Arrays.fill(ones, 1.0);
        for (int i = 0; i < len; i++) {
            if (x[i] > 0) {
                b0 = Math.max(b0, s[i]);
                b1 = Math.max(b1, Math.abs(s[i]));
            }
            absSum += Math.abs(x[i] * s[i]);
            xSum += x[i];
        }
        double[] first = null;
        double[] firstOut = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (Parallel par = Parallel.withThreads(threads, Blas.JAVA)) {
                double[] out = new double[len], bounds = new double[2];
                double[] sums = ConcurrentMwu.weightedParts(x, s, out, withNum ? num : null, bounds, par);
                for (int i = 0; i < len; i++) {
                    assertThat(out[i]).isEqualTo(x[i] * s[i]);
                }
                assertThat(bounds).containsExactly(b0, b1);
                // each sum in Kernels.dot's order (blocks of SUM_BLOCK, four partial sums each): ΣP = ⟨P, 1⟩, Σx = ⟨x, 1⟩
                assertThat(sums[0]).isEqualTo(Kernels.dot(out, ones, len));
                assertThat(sums[1]).isEqualTo(withNum ? Kernels.dot(num, out, len) : 0.0);
                assertThat(sums[2]).isEqualTo(Kernels.dot(x, ones, len));
                assertThat(Math.abs(sums[0] - Kernels.sum(out))).isLessThanOrEqualTo(len * 0x1p-52 * absSum);
                assertThat(Math.abs(sums[2] - xSum)).isLessThanOrEqualTo(len * 0x1p-52 * xSum);
                if (first == null) {
                    first = sums;
                    firstOut = out;
                } else {
                    assertThat(sums).containsExactly(first);
                    assertThat(out).containsExactly(firstOut);
                }
            }
        }
    }

    /**
     * The bounds are Math.max's to the bit — sign of zero, NaN (either sign bit), ±∞, subnormals — although the block
     * takes its maxima on the bits of s (dropping the NaN rule, or widening the mask x_i &gt; 0 to x_i ≥ 0, fails it).
     */
    @Property(tries = 200)
    void theBoundsAreMathMaxOnSpecialValues(@ForAll @IntRange(min = 1, max = 40) int len, @ForAll long seed) {
        double[] xs = {0.0, -0.0, Double.MIN_VALUE, 1e-300, 0.5, 3.0, Double.NaN};
        double[] ss = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1.5, -1.5, 2.5, -7.0, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0xfff8000000000001L), Double.MAX_VALUE,
                -Double.MAX_VALUE};
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[len], s = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = xs[rnd.nextInt(xs.length - (rnd.nextInt(8) == 0 ? 0 : 1))];
            s[i] = ss[rnd.nextInt(rnd.nextInt(4) == 0 ? ss.length : ss.length - 4)];
        }
        double b0 = 0, b1 = 0;
        for (int i = 0; i < len; i++) {
            if (x[i] > 0) {
                b0 = Math.max(b0, s[i]);
                b1 = Math.max(b1, Math.abs(s[i]));
            }
        }
        double[] bounds = new double[2];
        ConcurrentMwu.weightedParts(x, s, new double[len], null, bounds, Parallel.sequential());
        assertThat(Double.doubleToLongBits(bounds[0])).as("max s_i").isEqualTo(Double.doubleToLongBits(b0));
        assertThat(Double.doubleToLongBits(bounds[1])).as("max |s_i|").isEqualTo(Double.doubleToLongBits(b1));
    }
}
