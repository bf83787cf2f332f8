package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The paper's Section 2.1 instance V = [1], r = 1, F = (1 − xy)², at the points derived by hand in
 * proofs-notes/scalar-example.md. Float mode must agree with exact mode wherever it decides.
 */
class ScalarExampleTest {
    static Certificate run(double x, double y, String c, Mode mode) {
        DenseMatrix v = DenseMatrix.of(new double[][] {{1}});
        CertifyOptions o = c.isEmpty() ? CertifyOptions.nmf(mode) : CertifyOptions.simplex(Certifier.parseFraction(c), mode);
        return Certifier.certify(v, DenseMatrix.of(new double[][] {{x}}), DenseMatrix.of(new double[][] {{y}}), o);
    }

    @ParameterizedTest(name = "({0}, {1}) C={2}: fosp {3}, paper {4}, cone {5}, strict {6}")
    @CsvSource({
            // x, y, C ('' = NMF), fosp, sospPaper, sospCone, strict, multiplier
            "0, 0, '', HOLDS, FAILS, FAILS, FAILS, ''",
            "2, 0.5, '', HOLDS, HOLDS, HOLDS, HOLDS, ''",
            "1, 1, '', HOLDS, HOLDS, HOLDS, HOLDS, ''",
            "1, 0, '', FAILS, FAILS, FAILS, FAILS, ''",
            "0, 3, '', FAILS, FAILS, FAILS, FAILS, ''",
            "0.5, 0.5, 1, HOLDS, HOLDS, HOLDS, HOLDS, -3/4",
            "0, 1, 1, FAILS, FAILS, FAILS, FAILS, ''",
            "1, 0, 1, FAILS, FAILS, FAILS, FAILS, ''",
            "2, 2, 4, HOLDS, FAILS, FAILS, FAILS, 12",
            "0, 4, 4, FAILS, FAILS, FAILS, FAILS, ''",
            "0, 1, 4, FAILS, FAILS, FAILS, FAILS, ''",
    })
    void exactVerdictsMatchTheDerivation(double x, double y, String c, Verdict fosp, Verdict paper, Verdict cone,
                                         Verdict strict, String multiplier) {
        Certificate cert = run(x, y, c, Mode.EXACT);
        assertThat(cert.fosp().verdict()).as("fosp " + cert.fosp().reason()).isEqualTo(fosp);
        assertThat(cert.sospPaper().verdict()).as("paper " + cert.sospPaper().reason()).isEqualTo(paper);
        assertThat(cert.sospCone().verdict()).as("cone " + cert.sospCone().reason()).isEqualTo(cone);
        assertThat(cert.strictModuloSymmetry().verdict()).as("strict " + cert.strictModuloSymmetry().reason()).isEqualTo(strict);
        if (!multiplier.isEmpty()) {
            assertThat(Certifier.parseFraction(cert.fosp().multiplierExact())).isEqualTo(Certifier.parseFraction(multiplier));
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 0, ''", "2, 0.5, ''", "1, 0, ''", "0.5, 0.5, 1", "2, 2, 4", "0, 4, 4", "0.25, 4, ''"})
    void floatNeverContradictsExact(double x, double y, String c) {
        Certificate ex = run(x, y, c, Mode.EXACT);
        Certificate fl = run(x, y, c, Mode.FLOAT);
        agree(ex.fosp().verdict(), fl.fosp().verdict(), "fosp");
        agree(ex.sospPaper().verdict(), fl.sospPaper().verdict(), "sospPaper");
        agree(ex.sospCone().verdict(), fl.sospCone().verdict(), "sospCone");
        agree(ex.strictModuloSymmetry().verdict(), fl.strictModuloSymmetry().verdict(), "strict");
    }

    static void agree(Verdict exact, Verdict fl, String what) {
        if (fl != Verdict.UNDECIDED) {
            assertThat(fl).as(what + ": float says " + fl + ", exact says " + exact).isEqualTo(exact);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void saddleAtTheCentreForC4HasTheDerivedWitness(Mode mode) {
        Certificate cert = run(2, 2, "4", mode);
        assertThat(cert.sospPaper().verdict()).isEqualTo(Verdict.FAILS);
        Certificate.DirectionWitness w = (Certificate.DirectionWitness) cert.sospPaper().witness();
        BigFraction dx = Certifier.parseFraction(w.dW()[0][0]);
        BigFraction dy = Certifier.parseFraction(w.dH()[0][0]);
        assertThat(dx.add(dy)).isEqualTo(BigFraction.ZERO);
        // q(t, −t) = t²(8 + 8 − 28) = −12 t²
        assertThat(w.curvature()).isCloseTo(-12 * dx.doubleValue() * dx.doubleValue(), org.assertj.core.data.Offset.offset(1e-9));
    }
}
