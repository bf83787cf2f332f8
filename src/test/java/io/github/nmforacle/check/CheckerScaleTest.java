package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.HomogeneityTest;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 12: the checker does its double work at its own power-of-two normalised point (Point, "Scale"), so a genuine
 * certificate of (2^{2k}V, 2^k W, 2^k H) is accepted at every k in ±[0, 530] where the scaling is exact; before, products
 * and squares under- or overflowed there and correct certificates were rejected (662 of 1780 at k up to ±500).
 */
class CheckerScaleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static DenseMatrix scalb(DenseMatrix a, int e) {
        double[] d = a.data().clone();
        for (int i = 0; i < d.length; i++) {
            double y = Math.scalb(d[i], e);
            if (!Double.isFinite(y) || Math.scalb(y, -e) != d[i]) {
                return null;
            }
            d[i] = y;
        }
        return new DenseMatrix(a.rows(), a.cols(), d);
    }

    @Property(tries = 120)
    void genuineCertificatesAreAcceptedAtEveryExactScale(@ForAll long seed, @ForAll @IntRange(min = -530, max = 510) int k,
                                                         @ForAll boolean exactMode) throws Exception {
        Case c = HomogeneityTest.randomCase(new SplittableRandom(seed));
        DenseMatrix v = scalb(c.v(), 2 * k), w = scalb(c.w(), k), h = scalb(c.h(), k);
        Assume.that(v != null && w != null && h != null);
        Certificate cert = Certifier.certify(v, w, h, CertifyOptions.nmf(exactMode ? Mode.EXACT : Mode.FLOAT));
        io.github.nmforacle.io.CertificateSchemaTest.requireValid(cert, c.kind() + " at k = " + k);
        Report rep = Checker.check(v, w, h, JSON.readTree(CertificateJson.toJson(cert)), true);
        assertThat(rep.ok()).as(c.kind() + " at k = " + k + ": " + rep.lines()).isTrue();
    }

    /**
     * Found by the property above (seed −1, k = −258, exact mode): the block saddle's witness has a Rayleigh quotient in
     * the subnormal range (≈ −9.58e-309), and the certifier rounded the upper end up with new BigFraction(double), which
     * halves subnormals: the upper end came out 1 ulp below the quotient, and the checker rejected sospPaper.lambdaMin
     * and strictModuloSymmetry.mu.
     */
    @org.junit.jupiter.api.Test
    void aSubnormalRayleighQuotientIsRoundedUpCorrectly() throws Exception {
        Case c = HomogeneityTest.randomCase(new SplittableRandom(-1));
        DenseMatrix v = scalb(c.v(), -516), w = scalb(c.w(), -258), h = scalb(c.h(), -258);
        Certificate cert = Certifier.certify(v, w, h, CertifyOptions.nmf(Mode.EXACT));
        Double u = cert.bounds().paper().upper();
        assertThat(u).isNotNull();
        assertThat(Math.abs(u)).isLessThan(Double.MIN_NORMAL);
        io.github.nmforacle.io.CertificateSchemaTest.requireValid(cert, "subnormal Rayleigh quotient");
        Report rep = Checker.check(v, w, h, JSON.readTree(CertificateJson.toJson(cert)), true);
        assertThat(rep.ok()).as(rep.toString()).isTrue();
        assertThat(status(rep, "sospPaper.lambdaMin")).isEqualTo(Report.Status.VERIFIED);
        assertThat(status(rep, "strictModuloSymmetry.mu")).isEqualTo(Report.Status.VERIFIED);
    }

    private static Report.Status status(Report r, String subject) {
        return CheckerTest.status(r, subject);
    }
}
