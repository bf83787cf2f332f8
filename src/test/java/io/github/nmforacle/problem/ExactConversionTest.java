package io.github.nmforacle.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** Every finite double is an exact rational, including subnormals (Hipparchus 4.0.3's BigFraction(double) halves those). */
class ExactConversionTest {
    static BigFraction viaDecimal(double x) {
        BigDecimal d = new BigDecimal(x);
        return d.scale() <= 0 ? new BigFraction(d.toBigIntegerExact())
                : new BigFraction(d.unscaledValue(), java.math.BigInteger.TEN.pow(d.scale()));
    }

    @Test
    void subnormalsAndExtremesConvertExactly() {
        double[] xs = {Double.MIN_VALUE, -Double.MIN_VALUE, 3 * Double.MIN_VALUE, Double.MIN_NORMAL, Double.MIN_NORMAL / 2,
                Double.MAX_VALUE, 1e-320, 0.1, -2.5, 1.0, 4.4786030942324255E-87};
        for (double x : xs) {
            assertThat(ExactNmf.exact(x)).as("%s", x).isEqualTo(viaDecimal(x));
            if (Math.abs(x) >= Double.MIN_NORMAL) {
                // (BigFraction.doubleValue() itself flushes subnormal values to 0 in Hipparchus 4.0.3)
                assertThat(ExactNmf.exact(x).doubleValue()).isEqualTo(x);
            }
        }
    }

    @Test
    void randomBitPatterns() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 20000; i++) {
            double x = Double.longBitsToDouble(rnd.nextLong());
            if (Double.isFinite(x)) {
                assertThat(ExactNmf.exact(x)).isEqualTo(viaDecimal(x));
            }
        }
    }
}
