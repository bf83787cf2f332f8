package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: at a converged fit with noise (R ≠ 0, so the Gauss–Newton bound −2‖R‖_F is far below −τη) the float
 * certifier proves λ_min(∇²F on L) ≥ lower by a verified Cholesky, and the checker re-proves it with its own Hessian
 * and its own Cholesky: the float sospPaper and sospCone HOLDS are verified, not merely accepted.
 */
class VerifiedCholeskyCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static DenseMatrix[] noisyFit() {
        return noisyFit(30, 24, 3, 3000);
    }

    static DenseMatrix[] noisyFit(int n, int m, int r, int iterations) {
        DenseMatrix vm = io.github.nmforacle.testkit.Instances.plantedNoisy(n, m, r, 0.005, 5);
        SolveResult res = Solvers.byName("anls-bpp").solve(vm, SolverOptions.rank(r).withMaxIterations(iterations)
                .withObjectiveTolerance(0).withSeed(1));
        return new DenseMatrix[] {vm, res.w(), res.h()};
    }

    @Test
    void aNoisyConvergedFitHasItsFloatSecondOrderHoldsVerified() throws Exception {
        DenseMatrix[] f = noisyFit();
        Certificate c = Certifier.certify(f[0], f[1], f[2], CertifyOptions.nmf(Mode.FLOAT));
        assertThat(c.fosp().verdict()).as(c.fosp().reason()).isEqualTo(Verdict.HOLDS);
        assertThat(c.sospPaper().verdict()).isEqualTo(Verdict.HOLDS);
        Certificate.Interval iv = c.bounds().paper();
        assertThat(iv.lowerMethod()).isEqualTo("verified-cholesky");
        // the Gauss–Newton bound −2‖R‖_F is weaker than the Cholesky bound on L
        assertThat(iv.lower()).isGreaterThan(-2 * Math.sqrt(c.objective())).isLessThanOrEqualTo(0.0);
        JsonNode cert = JSON.readTree(CertificateJson.toJson(c));
        Report r = Checker.check(f[0], f[1], f[2], cert);
        assertThat(r.about("sospPaper").get(0).status()).as(r.toString()).isEqualTo(Report.Status.VERIFIED);
        assertThat(r.about("sospPaper").get(0).message()).contains("verified Cholesky");
        assertThat(r.about("sospCone").get(0).status()).as(r.toString()).isEqualTo(Report.Status.VERIFIED);
        assertThat(r.about("sospPaper.lambdaMin").get(0).status()).isEqualTo(Report.Status.VERIFIED);
        // a lower end raised above what the Hessian allows cannot be proven: NOT VERIFIED, the check fails
        ObjectNode raised = cert.deepCopy();
        ((ObjectNode) raised.at("/sospPaper/lambdaMin")).put("lower", 1.0);
        Report bad = Checker.check(f[0], f[1], f[2], raised);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.about("sospPaper.lambdaMin").get(0).status()).isEqualTo(Report.Status.NOT_VERIFIED);
        // a verified-cholesky bound on μ needs the symmetry hint: without it the checker cannot bound μ
        ObjectNode noHint = cert.deepCopy();
        assertThat(noHint.at("/strictModuloSymmetry/mu/lowerMethod").asText()).isEqualTo("verified-cholesky");
        ((ObjectNode) noHint.get("strictModuloSymmetry")).remove("symmetry");
        Report nh = Checker.check(f[0], f[1], f[2], noHint);
        assertThat(nh.ok()).isFalse();
        assertThat(nh.about("strictModuloSymmetry.mu").get(0).status()).isEqualTo(Report.Status.NOT_VERIFIED);
    }

    /**
     * Above both dense limits (the certifier's --max-dense, lowered here, and the checker's 2000): the structured
     * factorisation proves the float HOLDS in the certifier, and the checker's own structured factorisation re-proves it.
     */
    @Test
    void aboveTheDenseLimitsTheStructuredFactorisationDecidesAndIsReproven() throws Exception {
        DenseMatrix[] f = noisyFit(70, 60, 16, 1500);
        CertifyOptions o = CertifyOptions.nmf(Mode.FLOAT).withTolerances(
                io.github.nmforacle.certify.Tolerances.DEFAULT.withFirstOrder(1e-4).withDegenerate(1e-4).withMaxDenseDimension(200));
        Certificate c = Certifier.certify(f[0], f[1], f[2], o);
        assertThat(c.fosp().verdict()).as(c.fosp().reason()).isEqualTo(Verdict.HOLDS);
        assertThat(c.counts().support() + c.counts().degenerate()).isGreaterThan(Checker.MAX_CHOLESKY);
        assertThat(c.sospPaper().verdict()).as(c.sospPaper().reason()).isEqualTo(Verdict.HOLDS);
        assertThat(c.sospPaper().method()).isEqualTo("verified-cholesky");
        assertThat(c.bounds().paper().lowerMethod()).isEqualTo("verified-cholesky");
        Report r = Checker.check(f[0], f[1], f[2], JSON.readTree(CertificateJson.toJson(c)));
        assertThat(r.about("sospPaper").get(0).status()).as(r.toString()).isEqualTo(Report.Status.VERIFIED);
        assertThat(r.about("sospCone").get(0).status()).as(r.toString()).isEqualTo(Report.Status.VERIFIED);
        assertThat(r.about("sospPaper.lambdaMin").get(0).status()).as(r.toString()).isEqualTo(Report.Status.VERIFIED);
    }
}
