package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.certify.FloatFormsAccess;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.hipparchus.fraction.BigFraction;

/**
 * Issue 13: the float proofs of copositivity on K within tolerance, the checker's ({@link ConeEnumeration#proves}) and
 * the certifier's (FloatCone.decide), never claim more than is exactly true. For a random symmetric a (free block a
 * possibly singular Gram matrix, D couplings of either sign, D of size 1–4), bisection finds the smallest shift t
 * the proof accepts (up to 2⁻³⁰ relative), and at that t the exact rational matrix a + (t − ν)I must be copositive on K
 * ({@link Forms#copositive}, exact elimination and enumeration) — what the proof asserts for A = a − νI.
 */
class ConeEnumerationTest {

    interface Proof {
        boolean proves(double[][] a, boolean[] deg, double t, double noise);
    }

    static double[][] randomForm(SplittableRandom rnd, int nf, int nd) {
        int size = nf + nd, cols = Math.max(1, nf - rnd.nextInt(3)) + nd;
        double[][] g = new double[size][cols];
        for (double[] row : g) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextInt(-16, 17) / 8.0 + (rnd.nextInt(4) == 0 ? rnd.nextDouble(-1e-3, 1e-3) : 0);
            }
        }
        double[][] a = new double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int l = 0; l < cols; l++) {
                    s += g[i][l] * g[j][l];
                }
                if (i >= nf && j >= nf && i != j) {
                    s = rnd.nextDouble(-2, 2);   // D–D couplings of either sign: copositive need not be PSD
                }
                a[i][j] = s;
                a[j][i] = s;
            }
        }
        double down = rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble(0, 4);   // mostly not copositive until shifted back
        for (int i = 0; i < size; i++) {
            a[i][i] -= down;
        }
        return a;
    }

    static void soundAtTheBoundary(long seed, Proof proof) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int nf = rnd.nextInt(5), nd = 1 + rnd.nextInt(4);
        double[][] a = randomForm(rnd, nf, nd);
        boolean[] deg = new boolean[nf + nd];
        for (int i = nf; i < deg.length; i++) {
            deg[i] = true;
        }
        double noise = rnd.nextBoolean() ? 0 : Math.scalb(1.0, -rnd.nextInt(10, 40));
        double hi = 64;
        for (double[] row : a) {
            for (double x : row) {
                hi += Math.abs(x) * a.length;
            }
        }
        if (!proof.proves(a, deg, hi, noise)) {
            Statistics.collect("not proven even at a large shift");
            return;
        }
        double lo = 0;
        if (proof.proves(a, deg, Math.scalb(1.0, -60), noise)) {
            hi = Math.scalb(1.0, -60);
            Statistics.collect("proven at a tiny shift");
        } else {
            for (int it = 0; it < 60 && hi - lo > Math.scalb(hi, -30); it++) {
                double mid = 0.5 * (lo + hi);
                if (proof.proves(a, deg, mid, noise)) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            Statistics.collect("bisected");
        }
        BigFraction shift = Exact.of(hi).subtract(Exact.of(noise));
        BigFraction[][] n = new BigFraction[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                n[i][j] = Exact.of(a[i][j]).add(i == j ? shift : BigFraction.ZERO);
            }
        }
        assertThat(Forms.copositive(n, deg)).as("proven at t = " + hi + ", seed " + seed).isTrue();
    }

    @Property(tries = 150)
    void theCheckersProofIsSoundAtTheBoundary(@ForAll long seed) {
        soundAtTheBoundary(seed, (a, deg, t, noise) -> ConeEnumeration.proves(a, deg, t, noise) != null);
        Statistics.coverage(cov -> cov.check("bisected").percentage(p -> p > 40));
    }

    @Property(tries = 150)
    void theCertifiersProofIsSoundAtTheBoundary(@ForAll long seed) {
        soundAtTheBoundary(seed, FloatFormsAccess::coneHolds);
        Statistics.coverage(cov -> cov.check("bisected").percentage(p -> p > 40));
    }
}
