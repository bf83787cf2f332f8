package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.certify.HomogeneityTest;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.hipparchus.fraction.BigFraction;

/**
 * Issue 13: the checker's structured Cholesky ({@link Point#structuredCholeskyProves}) proves λ_min(∇²F on L) ≥ t
 * only when ∇²F_L − tI is PSD exactly (its own exact Hessian, at the normalised point), and it is not vacuous.
 */
class StructuredCholeskyCheckTest {

    @Property(tries = 200)
    void aCompletedStructuredCholeskyIsAProof(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = HomogeneityTest.randomCase(rnd);
        Point pt = new Point(c.v(), c.w(), c.h());
        boolean[] free = new boolean[pt.size];
        for (int p = 0; p < pt.size; p++) {
            free[p] = rnd.nextInt(5) > 0;
        }
        int[] coords = java.util.stream.IntStream.range(0, pt.size).filter(p -> free[p]).toArray();
        BigFraction[][] a = new BigFraction[coords.length][coords.length];
        double[][] ad = new double[coords.length][coords.length];
        for (int i = 0; i < coords.length; i++) {
            for (int j = 0; j < coords.length; j++) {
                a[i][j] = Exact.scalb(pt.hessian(coords[i], coords[j]), 2 * pt.ks);
                ad[i][j] = Exact.toDouble(a[i][j]);
            }
        }
        double lam = coords.length == 0 ? 0 : CholeskyProofTest.lambdaMin(ad);
        int proven = 0;
        for (double t : new double[] {lam, lam - 1e-13, lam + 1e-13, lam - 1e-6, lam - 10}) {
            if (pt.structuredCholeskyProves(free, t)) {
                BigFraction[][] m = new BigFraction[a.length][];
                for (int i = 0; i < a.length; i++) {
                    m[i] = a[i].clone();
                    m[i][i] = m[i][i].subtract(Exact.of(t));
                }
                assertThat(Forms.psd(m)).as(c.kind() + ", λ ≈ " + lam + ", t = " + t).isTrue();
                proven++;
            }
        }
        assertThat(pt.structuredCholeskyProves(free, lam - 10 - 10 * Math.abs(lam))).as(c.kind()).isTrue();
        assertThat(proven).isGreaterThan(0);
    }
}
