package com.example.nmfconsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import org.junit.jupiter.api.Test;

/** A user certifies factorizations through nmf-oracle's public API only. */
class CertifyThroughPublicApiTest {
    // V = w hᵀ exactly (small dyadic numbers: every product and sum is exact in double)
    static final DenseMatrix W = DenseMatrix.of(new double[][] {{1}, {2}, {0.5}});
    static final DenseMatrix H = DenseMatrix.of(new double[][] {{2, 0.25, 1, 3}});
    static final DenseMatrix V = Toy.times(W, H);

    @Test
    void exactRankOneFactorizationIsAFirstAndSecondOrderStationaryPoint() {
        assertEquals(0.0, NmfProblem.of(V, 1).objective(W, H));
        for (Mode mode : Mode.values()) {
            Certificate c = Certifier.certify(V, W, H, CertifyOptions.nmf(mode));
            assertEquals(Verdict.HOLDS, c.fosp().verdict(), mode + ": " + c.fosp().reason());
            assertEquals(Verdict.HOLDS, c.sospPaper().verdict(), mode + ": " + c.sospPaper().reason());
            assertEquals(3, c.n());
            assertEquals(4, c.m());
            assertEquals(1, c.r());
        }
    }

    @Test
    void theCertificateJsonPassesTheIndependentChecker() throws Exception {
        // format v2 written by the library, read back as JSON text and re-verified by the checker, all through the API
        Certificate c = Certifier.certify(V, W, H, CertifyOptions.nmf(Mode.EXACT));
        String json = io.github.nmforacle.io.CertificateJson.toJson(c);
        com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertEquals("nmf-oracle certificate v2", tree.get("tool").asText());
        assertEquals(0, tree.get("indexBase").asInt());
        io.github.nmforacle.check.Report r = io.github.nmforacle.check.Checker.check(V, W, H, tree);
        assertTrue(r.ok(), r.toString());
        assertEquals("check: OK", r.lastLine());
        // the certificate is about these matrices: another W of the same shape is rejected by its provenance digest
        DenseMatrix w = W.copy();
        w.set(2, 0, 0.75);
        io.github.nmforacle.check.Report other = io.github.nmforacle.check.Checker.check(V, w, H, tree);
        assertTrue(!other.ok() && other.about("provenance").get(0).status() == io.github.nmforacle.check.Report.Status.REJECTED,
                other.toString());
    }

    @Test
    void nonStationaryPointFailsWithAWitness() {
        DenseMatrix w = W.copy();
        w.set(1, 0, 2.125);   // moved off the factorization: V − WH ≠ 0 and the gradient on the support is not 0
        FactorPair g = NmfProblem.of(V, 1).gradient(w, H);
        assertNotEquals(0.0, g.w().get(1, 0));
        for (Mode mode : Mode.values()) {
            Certificate c = Certifier.certify(V, w, H, CertifyOptions.nmf(mode));
            assertEquals(Verdict.FAILS, c.fosp().verdict(), mode + ": " + c.fosp().reason());
            assertNotNull(c.fosp().witness(), "a FAILS carries a witness");
            assertTrue(c.objective() > 0);
        }
    }
}
