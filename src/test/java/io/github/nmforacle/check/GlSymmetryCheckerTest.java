package io.github.nmforacle.check;

import static io.github.nmforacle.check.CheckerTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checker's own T over all r² directions (WX, −XH) (proofs-notes/symmetry-gl-r.md, checker.md). */
class GlSymmetryCheckerTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    record Fixture(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        static Fixture of(String name) throws Exception {
            Path d = Path.of("fixtures", name);
            return new Fixture(MatrixIO.read(d.resolve("V.csv")), MatrixIO.read(d.resolve("W.csv")),
                    MatrixIO.read(d.resolve("H.csv")));
        }

        JsonNode certificate() throws Exception {
            Certificate c = Certifier.certify(v, w, h, CertifyOptions.nmf(Mode.EXACT));
            return MAPPER.readTree(CertificateJson.toJson(c));
        }

        Report check(JsonNode cert) {
            return Checker.check(v, w, h, cert);
        }
    }

    @Test
    void strictHoldsAtAnInteriorMinimumIsVerifiedExactly() throws Exception {
        Fixture f = Fixture.of("planted-exact-rank2");
        JsonNode cert = f.certificate();
        assertThat(cert.at("/strictModuloSymmetry/verdict").asText()).isEqualTo("HOLDS");
        Report r = f.check(cert);
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(CheckerTest.status(r, "strictModuloSymmetry")).isEqualTo(Report.Status.VERIFIED);
        assertThat(r.about("strictModuloSymmetry").get(0).message()).contains("T has dimension 4");
    }

    @Test
    void strictFailsWithAnOrbitDirectionAsWitnessIsRejected() throws Exception {
        // the pre-GL(r) witness (W E_01, −E_01 H) is null but lies in T: it refutes nothing
        Fixture f = Fixture.of("planted-exact-rank2");
        ObjectNode cert = (ObjectNode) f.certificate();
        ObjectNode st = (ObjectNode) cert.get("strictModuloSymmetry");
        st.put("verdict", "FAILS");
        st.set("mu", MAPPER.readTree("{\"lower\": null, \"lowerMethod\": \"none\", \"upper\": 0.0, \"upperMethod\": \"witness\"}"));
        st.set("witness", MAPPER.readTree("""
                {"set": "L-perp-T", "curvature": 0.0, "curvatureExact": "0",
                 "dW": [["0", "1"], ["0", "1/2"], ["0", "2"], ["0", "1"]],
                 "dH": [["-1/2", "-2", "-1"], ["0", "0", "0"]]}"""));
        Report r = f.check(cert);
        assertRejected(r, "strictModuloSymmetry", "not in L-perp-T");
        // and the upper end μ ≤ 0 "by witness" has no verified witness to rest on
        assertRejected(r, "strictModuloSymmetry.mu", "no verified direction witness");
        st.set("witness", MAPPER.readTree("""
                {"set": "L", "curvature": 0.0, "curvatureExact": "0",
                 "dW": [["0", "1"], ["0", "1/2"], ["0", "2"], ["0", "1"]],
                 "dH": [["-1/2", "-2", "-1"], ["0", "0", "0"]]}"""));
        // the same direction given "in L" is not a strictness witness at all (one form: L-perp-T, no projection)
        assertRejected(f.check(cert), "strictModuloSymmetry", "expected one of [L-perp-T]");
    }

    @Test
    void strictFailsWithAFlatDirectionOutsideTIsVerifiedAndAClaimedHoldsIsRejected() throws Exception {
        Fixture f = Fixture.of("gl-equal-columns");
        JsonNode cert = f.certificate();
        assertThat(cert.at("/strictModuloSymmetry/verdict").asText()).isEqualTo("FAILS");
        Report ok = f.check(cert);
        assertThat(ok.ok()).as(ok.toString()).isTrue();
        assertThat(CheckerTest.status(ok, "strictModuloSymmetry")).isEqualTo(Report.Status.VERIFIED);
        ObjectNode st = (ObjectNode) ((ObjectNode) cert).get("strictModuloSymmetry");
        st.put("verdict", "HOLDS");
        st.set("mu", MAPPER.readTree("{\"lower\": 0.0, \"lowerMethod\": \"exact-elimination\", \"upper\": null, \"upperMethod\": \"none\"}"));
        st.putNull("witness");
        ((ObjectNode) cert.get("info").get("reasons")).put("strictModuloSymmetry", "doctored");
        Report r = f.check(cert);
        assertRejected(r, "strictModuloSymmetry", "not positive definite on L ∩ T⊥");
        assertRejected(r, "strictModuloSymmetry.mu", "rejected above");
    }

    @Test
    void strictHoldsWithStronglyActiveZerosIsVerifiedWithTheCheckersOwnT() throws Exception {
        Fixture f = Fixture.of("gl-active-partial");
        Report r = f.check(f.certificate());
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.about("strictModuloSymmetry").get(0).message()).contains("T has dimension 3");
    }
}
