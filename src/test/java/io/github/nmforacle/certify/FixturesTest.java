package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every folder under fixtures/ with an expected.properties (answers derived by hand in proofs-notes/, not by this
 * code): exact mode must reproduce every verdict, the multiplier and the counts; float mode must not contradict it.
 */
class FixturesTest {
    static final Path ROOT = Path.of("fixtures");

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(p -> Files.exists(p.resolve("expected.properties"))).sorted().toList().stream();
        }
    }

    @Test
    void thereAreCertifierFixtures() throws IOException {
        assertThat(fixtures().count()).isGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void exactModeDecidesTheFixtureAsDerived(Path dir) throws IOException {
        Properties e = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("expected.properties"))) {
            e.load(r);
        }
        DenseMatrix v = MatrixIO.read(dir.resolve("V.csv"));
        DenseMatrix w = MatrixIO.read(dir.resolve("W.csv"));
        DenseMatrix h = MatrixIO.read(dir.resolve("H.csv"));
        String c = e.getProperty("C", "").trim();
        boolean simplex = e.getProperty("problem", "NMF").trim().equals("S-NMF");
        assertThat(simplex).isEqualTo(!c.isEmpty());
        CertifyOptions o = simplex ? CertifyOptions.simplex(Certifier.parseFraction(c), Mode.EXACT) : CertifyOptions.nmf(Mode.EXACT);
        Certificate cert = Certifier.certify(v, w, h, o);
        assertThat(cert.fosp().verdict().name()).as(dir + " fosp: " + cert.fosp().reason()).isEqualTo(e.getProperty("fosp").trim());
        assertThat(cert.sospPaper().verdict().name()).as(dir + " sospPaper: " + cert.sospPaper().reason())
                .isEqualTo(e.getProperty("sospPaper").trim());
        assertThat(cert.sospCone().verdict().name()).as(dir + " sospCone: " + cert.sospCone().reason())
                .isEqualTo(e.getProperty("sospCone").trim());
        assertThat(cert.strictModuloSymmetry().verdict().name()).as(dir + " strict: " + cert.strictModuloSymmetry().reason())
                .isEqualTo(e.getProperty("strict").trim());
        String mult = e.getProperty("multiplier", "").trim();
        if (!mult.isEmpty()) {
            assertThat(Certifier.parseFraction(cert.fosp().multiplierExact())).as(dir + " multiplier")
                    .isEqualTo(Certifier.parseFraction(mult));
        }
        if (cert.fosp().verdict() == Verdict.HOLDS) {
            for (String[] k : List.of(new String[] {"support", "s"}, new String[] {"stronglyActive", "a"},
                    new String[] {"degenerate", "d"})) {
                String want = e.getProperty(k[0], "").trim();
                if (!want.isEmpty()) {
                    int got = switch (k[1]) {
                        case "s" -> cert.counts().support();
                        case "a" -> cert.counts().stronglyActive();
                        default -> cert.counts().degenerate();
                    };
                    assertThat(got).as(dir + " " + k[0]).isEqualTo(Integer.parseInt(want));
                }
            }
        }
        String dimT = e.getProperty("dimT", "").trim();
        if (!dimT.isEmpty()) {
            assertThat(dimensionOfT(cert)).as(dir + " dim T").isEqualTo(Integer.parseInt(dimT));
        }
        Certificate fl = Certifier.certify(v, w, h, new CertifyOptions(o.simplexSum(), Mode.FLOAT, o.tolerances(), 0, 0L));
        ScalarExampleTest.agree(cert.fosp().verdict(), fl.fosp().verdict(), dir + " float fosp");
        ScalarExampleTest.agree(cert.sospPaper().verdict(), fl.sospPaper().verdict(), dir + " float sospPaper");
        ScalarExampleTest.agree(cert.sospCone().verdict(), fl.sospCone().verdict(), dir + " float sospCone");
        ScalarExampleTest.agree(cert.strictModuloSymmetry().verdict(), fl.strictModuloSymmetry().verdict(), dir + " float strict");
    }

    /** dim T as reported in the certificate's note (symmetry-gl-r.md); fails if there is no such note. */
    static int dimensionOfT(Certificate c) {
        String prefix = "strictModuloSymmetry projects out T of dimension ";
        String note = c.notes().stream().filter(n -> n.startsWith(prefix)).findFirst().orElseThrow();
        return Integer.parseInt(note.substring(prefix.length(), note.indexOf(',', prefix.length())));
    }
}
