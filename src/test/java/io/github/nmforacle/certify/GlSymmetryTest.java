package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.fraction.BigFractionField;
import org.junit.jupiter.api.Test;

/**
 * Strictness modulo the whole symmetry group GL(r) (proofs-notes/symmetry-gl-r.md): the identity
 * ∇²F·t_X = −(∇_W F·Xᵀ, −Xᵀ·∇_H F), and dim T in the three situations (interior, a flat direction outside the orbit,
 * strongly active zeros), in exact and float mode.
 */
class GlSymmetryTest {

    static Certificate certify(Path dir, Mode mode) throws IOException {
        return Certifier.certify(MatrixIO.read(dir.resolve("V.csv")), MatrixIO.read(dir.resolve("W.csv")),
                MatrixIO.read(dir.resolve("H.csv")), CertifyOptions.nmf(mode));
    }

    /** W full column rank and H full row rank, exactly (WᵀW and HHᵀ non-singular). */
    static boolean fullRank(DenseMatrix w, DenseMatrix h) {
        FieldMatrix<BigFraction> we = ExactNmf.exact(w), he = ExactNmf.exact(h);
        return nonSingular(we.transpose().multiply(we)) && nonSingular(he.multiply(he.transpose()));
    }

    static boolean nonSingular(FieldMatrix<BigFraction> g) {
        return ExactForms.nullSpace(g.getData(), g.getColumnDimension()).isEmpty();
    }

    @Property(tries = 40)
    void hessianTimesOrbitTangentIsMinusGradientTimesXTransposed(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int r = 1 + rnd.nextInt(3), n = r + rnd.nextInt(2), m = r + rnd.nextInt(2);
        Case c = StationaryPoints.randomPoint(rnd, n, m, r, 30);   // any point: the identity needs no stationarity
        ExactNmf ex = ExactNmf.of(c.v(), r);
        FieldMatrix<BigFraction> w = ExactNmf.exact(c.w()), h = ExactNmf.exact(c.h());
        FieldMatrix<BigFraction> x = MatrixUtils.createFieldMatrix(BigFractionField.getInstance(), r, r);
        for (int a = 0; a < r; a++) {
            for (int b = 0; b < r; b++) {
                x.setEntry(a, b, new BigFraction(rnd.nextInt(-5, 6), 1 + rnd.nextInt(4)));
            }
        }
        FieldMatrix<BigFraction>[] g = ex.gradient(w, h);
        FieldMatrix<BigFraction>[] ht = ex.hessianTimes(w, h, w.multiply(x), h.preMultiply(x).scalarMultiply(BigFraction.MINUS_ONE));
        assertThat(ht[0]).isEqualTo(g[0].multiply(x.transpose()).scalarMultiply(BigFraction.MINUS_ONE));
        assertThat(ht[1]).isEqualTo(x.transpose().multiply(g[1]));
    }

    @Test
    void interiorMinimumHasTheWholeOrbitAsTAndIsStrict() throws IOException {
        Path dir = Path.of("fixtures/planted-exact-rank2");
        Certificate ex = certify(dir, Mode.EXACT), fl = certify(dir, Mode.FLOAT);
        assertThat(FixturesTest.dimensionOfT(ex)).isEqualTo(4);
        assertThat(ex.strictModuloSymmetry().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(FixturesTest.dimensionOfT(fl)).isEqualTo(4);
        assertThat(fl.strictModuloSymmetry().verdict()).as(fl.strictModuloSymmetry().reason()).isEqualTo(Verdict.HOLDS);
        assertThat(fl.strictModuloSymmetry().mu()).isPositive();
    }

    @Test
    void aFlatDirectionOutsideTheOrbitIsNotProjectedOut() throws IOException {
        Path dir = Path.of("fixtures/gl-equal-columns");
        Certificate ex = certify(dir, Mode.EXACT), fl = certify(dir, Mode.FLOAT);
        assertThat(FixturesTest.dimensionOfT(ex)).isEqualTo(4);
        assertThat(ex.strictModuloSymmetry().verdict()).isEqualTo(Verdict.FAILS);
        assertThat(ex.strictModuloSymmetry().witness()).isNotNull();
        assertThat(FixturesTest.dimensionOfT(fl)).isEqualTo(4);
        assertThat(fl.strictModuloSymmetry().verdict()).isNotEqualTo(Verdict.HOLDS);
    }

    @Test
    void stronglyActiveZerosCutTBetweenTheScalingsAndTheWholeOrbit() throws IOException {
        // gl-active-partial: t_10 puts W[0,1] on the strongly active W[0,0], t_01 stays: r < dim T = 3 < r²
        Path dir = Path.of("fixtures/gl-active-partial");
        Certificate ex = certify(dir, Mode.EXACT), fl = certify(dir, Mode.FLOAT);
        assertThat(ex.counts().stronglyActive()).isEqualTo(2);
        assertThat(FixturesTest.dimensionOfT(ex)).isEqualTo(3);
        assertThat(ex.strictModuloSymmetry().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(FixturesTest.dimensionOfT(fl)).isEqualTo(3);
        assertThat(fl.strictModuloSymmetry().verdict()).isEqualTo(Verdict.HOLDS);
    }

    @Test
    void stronglyActiveZerosCanCutTDownToTheScalings() throws IOException {
        // cone-vs-subspace-d2: |A| = 4 removes every off-diagonal t_X from L; the scalings stay (Lemma 3)
        Path dir = Path.of("fixtures/cone-vs-subspace-d2");
        assertThat(FixturesTest.dimensionOfT(certify(dir, Mode.EXACT))).isEqualTo(2);
        assertThat(FixturesTest.dimensionOfT(certify(dir, Mode.FLOAT))).isEqualTo(2);
    }

    @Test
    void aScalingThatIsNotFlatOnTheSimplexIsNotInT() {
        // V = [1], C = 4 at (2, 2): c = 12, q(s) = −48, T = {0} in both modes (else a saddle would be "strict")
        DenseMatrix one = DenseMatrix.of(new double[][] {{1}}), two = DenseMatrix.of(new double[][] {{2}});
        for (Mode mode : Mode.values()) {
            Certificate c = Certifier.certify(one, two, two, CertifyOptions.simplex(new BigFraction(4), mode));
            assertThat(FixturesTest.dimensionOfT(c)).as(mode.name()).isZero();
            assertThat(c.strictModuloSymmetry().verdict()).isNotEqualTo(Verdict.HOLDS);
        }
    }

    @Property(tries = 60)
    void randomInteriorExactFactorizationsAreStrictModuloGlR(@ForAll long seed, @ForAll @IntRange(min = 2, max = 3) int r) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = StationaryPoints.exactFactorization(rnd, r + rnd.nextInt(2), r + rnd.nextInt(2), r);
        Assume.that(fullRank(c.w(), c.h()));
        Certificate ex = Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.EXACT));
        assertThat(ex.counts().stronglyActive()).isZero();
        assertThat(ex.strictModuloSymmetry().verdict()).as(ex.strictModuloSymmetry().reason()).isEqualTo(Verdict.HOLDS);
        assertThat(FixturesTest.dimensionOfT(ex)).isEqualTo(r * r);
    }
}
