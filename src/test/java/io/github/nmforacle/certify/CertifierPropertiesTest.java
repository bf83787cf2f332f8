package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.fraction.BigFractionField;
import org.hipparchus.linear.FieldMatrix;
import org.hipparchus.linear.MatrixUtils;

/**
 * Issue 3's properties on generated instances and points: no HOLDS on non-stationary points or saddles, every
 * witness re-checks exactly (recomputed here with ExactNmf, not with the certifier's code paths), and float mode
 * never contradicts exact mode.
 */
class CertifierPropertiesTest {

    static Certificate certify(Case c, Mode mode) {
        return Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(mode));
    }

    @Property(tries = 150)
    void noHoldsOnNonStationaryPoints(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int r,
                                      @ForAll @IntRange(min = 0, max = 40) int zeros) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = rnd.nextBoolean() ? StationaryPoints.randomPoint(rnd, r + 1 + rnd.nextInt(3), r + 1 + rnd.nextInt(3), r, zeros)
                : StationaryPoints.perturbedFactorization(rnd, r + 1 + rnd.nextInt(3), r + 1 + rnd.nextInt(3), r);
        Certificate exact = certify(c, Mode.EXACT);
        if (exact.fosp().verdict() == Verdict.HOLDS) {
            // a random point can be a FOSP only by accident; then it must really be one
            assertExactFosp(c);
            return;
        }
        assertThat(exact.fosp().verdict()).isEqualTo(Verdict.FAILS);
        recheckFirstOrder(c, exact.fosp().witness());
        Certificate fl = certify(c, Mode.FLOAT);
        assertThat(fl.fosp().verdict()).isNotEqualTo(Verdict.HOLDS);
        for (Certificate cert : new Certificate[] {exact, fl}) {
            assertThat(cert.sospPaper().verdict()).isNotEqualTo(Verdict.HOLDS);
            assertThat(cert.sospCone().verdict()).isNotEqualTo(Verdict.HOLDS);
            assertThat(cert.strictModuloSymmetry().verdict()).isNotEqualTo(Verdict.HOLDS);
        }
    }

    @Property(tries = 100)
    void noHoldsOnSaddlesAndTheirWitnessesRecheck(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int r) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = rnd.nextBoolean() ? StationaryPoints.origin(rnd, r + rnd.nextInt(3), r + rnd.nextInt(3), r)
                : StationaryPoints.blockSaddle(rnd, 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1 + rnd.nextInt(2),
                Math.min(r, 2));
        Certificate exact = certify(c, Mode.EXACT);
        assertThat(exact.fosp().verdict()).as(exact.fosp().reason()).isEqualTo(Verdict.HOLDS);
        assertThat(exact.sospPaper().verdict()).isEqualTo(Verdict.FAILS);
        assertThat(exact.sospCone().verdict()).isEqualTo(Verdict.FAILS);
        recheckDirection(c, (Certificate.DirectionWitness) exact.sospPaper().witness(), false);
        recheckDirection(c, (Certificate.DirectionWitness) exact.sospCone().witness(), true);
        Certificate fl = certify(c, Mode.FLOAT);
        assertThat(fl.sospPaper().verdict()).isNotEqualTo(Verdict.HOLDS);
        assertThat(fl.sospCone().verdict()).isNotEqualTo(Verdict.HOLDS);
        assertThat(fl.strictModuloSymmetry().verdict()).isNotEqualTo(Verdict.HOLDS);
        if (fl.sospPaper().witness() instanceof Certificate.DirectionWitness dw) {
            recheckDirection(c, dw, false);
        }
    }

    @Property(tries = 100)
    void floatNeverContradictsExactOnExactFactorizations(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int r) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = StationaryPoints.exactFactorization(rnd, r + rnd.nextInt(3), r + rnd.nextInt(3), r);
        Certificate exact = certify(c, Mode.EXACT);
        Certificate fl = certify(c, Mode.FLOAT);
        assertThat(exact.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(exact.sospPaper().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(exact.sospCone().verdict()).isEqualTo(Verdict.HOLDS);
        ScalarExampleTest.agree(exact.fosp().verdict(), fl.fosp().verdict(), "fosp");
        ScalarExampleTest.agree(exact.sospPaper().verdict(), fl.sospPaper().verdict(), "sospPaper");
        ScalarExampleTest.agree(exact.sospCone().verdict(), fl.sospCone().verdict(), "sospCone");
        ScalarExampleTest.agree(exact.strictModuloSymmetry().verdict(), fl.strictModuloSymmetry().verdict(), "strict");
        if (GlSymmetryTest.fullRank(c.w(), c.h())) {
            // the kernel of ∇²F is exactly the r²-dimensional orbit tangent {(WX, −XH)} = T (symmetry-gl-r.md §4)
            assertThat(exact.strictModuloSymmetry().verdict()).isEqualTo(Verdict.HOLDS);
            assertThat(FixturesTest.dimensionOfT(exact)).isEqualTo(r * r);
        }
    }

    // ------------------------------------------------------------------ independent re-checks

    static FieldMatrix<BigFraction> exact(DenseMatrix a) {
        return ExactNmf.exact(a);
    }

    static BigFraction[] exactGradient(Case c) {
        ExactNmf ex = ExactNmf.of(c.v(), c.rank());
        FieldMatrix<BigFraction>[] g = ex.gradient(exact(c.w()), exact(c.h()));
        int n = c.v().rows(), m = c.v().cols(), r = c.rank();
        BigFraction[] out = new BigFraction[(n + m) * r];
        for (int i = 0; i < n * r; i++) {
            out[i] = g[0].getEntry(i / r, i % r);
        }
        for (int i = 0; i < r * m; i++) {
            out[n * r + i] = g[1].getEntry(i / m, i % m);
        }
        return out;
    }

    static double[] flat(Case c) {
        return new io.github.nmforacle.problem.FactorPair(c.w(), c.h()).flatten();
    }

    static void assertExactFosp(Case c) {
        BigFraction[] g = exactGradient(c);
        double[] x = flat(c);
        for (int i = 0; i < x.length; i++) {
            assertThat(x[i]).isGreaterThanOrEqualTo(0);
            if (x[i] > 0) {
                assertThat(g[i].signum()).isZero();
            } else {
                assertThat(g[i].signum()).isGreaterThanOrEqualTo(0);
            }
        }
    }

    /** The flat index of a witness coordinate (0-based row and col, certificate format v2). */
    static int index(Case c, Certificate.Coordinate co) {
        int n = c.v().rows(), m = c.v().cols(), r = c.rank();
        boolean w = co.factor().equals("W");
        assertThat(co.factor()).isIn("W", "H");
        assertThat(co.row()).isBetween(0, (w ? n : r) - 1);
        assertThat(co.col()).isBetween(0, (w ? r : m) - 1);
        return w ? co.row() * r + co.col() : n * r + co.row() * m + co.col();
    }

    static void recheckFirstOrder(Case c, Certificate.FirstOrderWitness w) {
        BigFraction[] g = exactGradient(c);
        double[] x = flat(c);
        int i = index(c, w.coordinates().get(0));
        assertThat(Certifier.parseFraction(w.coordinates().get(0).x())).isEqualTo(ExactNmf.exact(x[i]));
        switch (w.kind()) {
            case "negative-entry" -> assertThat(x[i]).isNegative();
            case "support-gradient" -> {
                assertThat(x[i]).isPositive();
                assertThat(g[i].signum()).isNotZero();
                assertThat(Certifier.parseFraction(w.valueExact())).isEqualTo(g[i]);
            }
            case "active-gradient" -> {
                assertThat(x[i]).isZero();
                assertThat(g[i].signum()).isNegative();
                assertThat(Certifier.parseFraction(w.valueExact())).isEqualTo(g[i]);
            }
            default -> throw new AssertionError("unexpected NMF witness kind " + w.kind());
        }
    }

    static void recheckDirection(Case c, Object witness, boolean cone) {
        recheckDirection(c, witness, cone, false);
    }

    /** d ∈ L (d_A = 0), in K if asked (d_D ≥ 0), and q(d) &lt; 0 (≤ 0 and d ≠ 0 when flatAllowed), exactly. */
    static void recheckDirection(Case c, Object witness, boolean cone, boolean flatAllowed) {
        assertThat(witness).isInstanceOf(Certificate.DirectionWitness.class);
        Certificate.DirectionWitness w = (Certificate.DirectionWitness) witness;
        int n = c.v().rows(), m = c.v().cols(), r = c.rank();
        FieldMatrix<BigFraction> dw = MatrixUtils.createFieldMatrix(BigFractionField.getInstance(), n, r);
        FieldMatrix<BigFraction> dh = MatrixUtils.createFieldMatrix(BigFractionField.getInstance(), r, m);
        BigFraction[] d = new BigFraction[(n + m) * r];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                dw.setEntry(i, k, Certifier.parseFraction(w.dW()[i][k]));
                d[i * r + k] = dw.getEntry(i, k);
            }
        }
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                dh.setEntry(k, j, Certifier.parseFraction(w.dH()[k][j]));
                d[n * r + k * m + j] = dh.getEntry(k, j);
            }
        }
        BigFraction[] g = exactGradient(c);
        double[] x = flat(c);
        boolean nonzero = false;
        for (int i = 0; i < d.length; i++) {
            nonzero |= d[i].signum() != 0;
            if (x[i] == 0 && g[i].signum() > 0) {
                assertThat(d[i].signum()).as("d on a strongly active coordinate").isZero();
            }
            if (cone && x[i] == 0 && g[i].signum() == 0) {
                assertThat(d[i].signum()).as("d on a degenerate coordinate (K needs ≥ 0)").isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(nonzero).isTrue();
        BigFraction q = ExactNmf.of(c.v(), r).hessianQuadraticForm(exact(c.w()), exact(c.h()), dw, dh);
        if (flatAllowed) {
            assertThat(q.signum()).isLessThanOrEqualTo(0);
        } else {
            assertThat(q.signum()).as("exact curvature " + q).isNegative();
        }
        if (w.curvatureExact() != null) {
            assertThat(Certifier.parseFraction(w.curvatureExact())).isEqualTo(q);
        }
    }
}
