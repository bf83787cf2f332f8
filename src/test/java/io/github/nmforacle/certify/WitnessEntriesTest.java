package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast reading of witness entries ({@link Certifier#exactDouble}, {@link Certifier#toDouble(String)},
 * {@link Certifier#entries}) gives the values of the exact path {@code toDouble(parseFraction(s))}, and claims
 * exactness only for a string whose value is exactly that double.
 */
class WitnessEntriesTest {
    @Test
    void theFastPathAgreesWithTheExactOne() {
        SplittableRandom rnd = new SplittableRandom(3);
        java.util.List<String> cases = new java.util.ArrayList<>(java.util.List.of("0", "-0", "1", "0.5", "-2.25", "1E+2",
                "0.1", "1/3", "-7/8", "3.0000000000000000000000000001", Certifier.decimal(Double.MIN_VALUE),
                Certifier.decimal(-Double.MAX_VALUE), Certifier.decimal(Math.nextUp(1.0))));
        for (int i = 0; i < 200; i++) {
            cases.add(Certifier.decimal(Math.scalb(rnd.nextDouble() - 0.5, rnd.nextInt(-1070, 1000))));
        }
        for (String s : cases) {
            double slow = Certifier.toDouble(Certifier.parseFraction(s));
            assertThat(Certifier.toDouble(s)).as(s).isEqualTo(slow);
            Double fast = Certifier.exactDouble(s);
            boolean exact = Certifier.parseFraction(s).compareTo(io.github.nmforacle.problem.ExactNmf.exact(slow)) == 0;
            assertThat(fast != null).as("%s exact", s).isEqualTo(exact && !s.contains("/"));
            if (fast != null) {
                assertThat(fast).as(s).isEqualTo(slow);
            }
        }
    }

    @Test
    void entriesAreParsedOnceAndFlagFractions() {
        String[][] dw = {{"0.5", "1/3"}}, dh = {{"-0.25"}};
        Certifier.Entries e = Certifier.entries(new Certificate.DirectionWitness("L", -1, null, dw, dh));
        assertThat(e.values()).containsExactly(0.5, 1.0 / 3, -0.25);
        assertThat(e.exact()).isFalse();
        assertThat(Certifier.entries(new Certificate.DirectionWitness("K", -1, null, dw, dh))).isSameAs(e);
        String[][] dw2 = {{"0.5", "0.75"}};
        assertThat(Certifier.entries(new Certificate.DirectionWitness("L", -1, null, dw2, dh)).exact()).isTrue();
    }
}
