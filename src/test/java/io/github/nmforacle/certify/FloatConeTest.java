package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nmforacle.check.Checker;
import io.github.nmforacle.check.Report;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: float mode refutes copositivity on K from the witness of L when it (or its negation, or either with the
 * degenerate entries clipped to ≥ 0) lies in K; before, the origin saddle of V = [1], which exact mode refutes, was
 * UNDECIDED in float mode.
 */
class FloatConeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOriginSaddleIsRefutedOnTheConeInFloatMode() throws Exception {
        DenseMatrix one = new DenseMatrix(1, 1, new double[] {1}), zero = new DenseMatrix(1, 1, new double[] {0});
        Certificate c = Certifier.certify(one, zero, zero, CertifyOptions.nmf(Mode.FLOAT));
        assertThat(c.sospCone().verdict()).as(c.sospCone().reason()).isEqualTo(Verdict.FAILS);
        assertThat(((Certificate.DirectionWitness) c.sospCone().witness()).set()).isEqualTo("K");
        Report r = Checker.check(one, zero, zero, JSON.readTree(CertificateJson.toJson(c)));
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.about("sospCone").get(0).message()).contains("FAILS: a direction in K");
    }

    /** A float cone FAILS is never a wrong FAILS: exact mode refutes the cone at the same (exact dyadic) point. */
    @Property(tries = 150)
    void aFloatConeFailsIsAnExactConeFails(@ForAll long seed) {
        Case c = HomogeneityTest.randomCase(new SplittableRandom(seed));
        Certificate f = Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.FLOAT));
        if (f.sospCone().verdict() == Verdict.FAILS && f.sospCone().witness() instanceof Certificate.DirectionWitness
                && !c.kind().equals("planted")) {
            Certificate e = Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.EXACT));
            assertThat(e.sospCone().verdict()).as(c.kind()).isEqualTo(Verdict.FAILS);
        }
    }
}
