package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Tolerances;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.testkit.Instances;
import io.github.nmforacle.testkit.StationaryPoints;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, strictness at any size (proofs-notes/curvature-bounds.md §5): a float strict HOLDS rests on the bordered
 * Cholesky of Finsler's lemma over the symmetry hint, its μ bound is true exactly, the checker re-proves it with its own
 * code, and neither a false bound nor a hint that is not flat gets through.
 */
class FinslerStrictnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Exact oracle: for positive exact factorizations (L = every coordinate), ∇²F − ℓI is PSD on {d : Yᵀd = 0}, Y the
     * hint's directions computed as the certificate specifies, ℓ the reported μ.lower; and the checker verifies the claim.
     */
    @Property(tries = 40)
    void theReportedBoundOnMuIsTrueExactlyAndTheCheckerReprovesIt(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int r) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = r + 1 + rnd.nextInt(4), m = r + 1 + rnd.nextInt(4);
        StationaryPoints.Case c = StationaryPoints.exactFactorization(rnd, n, m, r);
        Certificate cert = Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.FLOAT));
        if (cert.strictModuloSymmetry().verdict() != Verdict.HOLDS) {
            return; // a degenerate draw (e.g. rank-deficient W); mostGenericExactFactorizationsAreStrictAndDecided keeps count
        }
        Certificate.Interval mu = cert.bounds().strict();
        assertThat(mu.lowerMethod()).isEqualTo("verified-cholesky");
        assertThat(mu.lower()).isGreaterThan(cert.tolerances().secondOrder() * cert.scales().hessian());
        double[][] xs = cert.strictModuloSymmetry().symmetry();
        assertThat(xs).isNotNull();
        assertThat(psdOffSymmetry(c.v(), c.w(), c.h(), xs, Exact.of(mu.lower()))).as("μ ≥ lower, exactly").isTrue();
        Report rep = Checker.check(c.v(), c.w(), c.h(), JSON.valueToTree(CertificateJson.tree(cert)));
        assertThat(rep.ok()).as(rep.toString()).isTrue();
        assertThat(rep.about("strictModuloSymmetry").get(0).status()).isEqualTo(Report.Status.VERIFIED);
        assertThat(rep.about("strictModuloSymmetry.mu").get(0).status()).isEqualTo(Report.Status.VERIFIED);
    }

    @Test
    void mostGenericExactFactorizationsAreStrictAndDecided() {
        int holds = 0;
        SplittableRandom rnd = new SplittableRandom(13);
        for (int t = 0; t < 20; t++) {
            StationaryPoints.Case c = StationaryPoints.exactFactorization(rnd, 5, 4, 2);
            holds += Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.FLOAT)).strictModuloSymmetry().verdict()
                    == Verdict.HOLDS ? 1 : 0;
        }
        assertThat(holds).isGreaterThanOrEqualTo(15);
    }

    /** A lower end on μ above the true μ (the dense estimate) cannot be proven: NOT VERIFIED, the check fails. */
    @Test
    void aBoundAboveMuIsNotVerified() throws Exception {
        StationaryPoints.Case c = StationaryPoints.exactFactorization(new SplittableRandom(7), 6, 5, 2);
        Certificate cert = Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.FLOAT));
        assertThat(cert.strictModuloSymmetry().verdict()).isEqualTo(Verdict.HOLDS);
        JsonNode genuine = JSON.readTree(CertificateJson.toJson(cert));
        double est = genuine.at("/info/estimates/strictModuloSymmetry/mu").asDouble();
        assertThat(cert.bounds().strict().lower()).isBetween(0.99 * est, est);
        ObjectNode raised = genuine.deepCopy();
        ((ObjectNode) raised.at("/strictModuloSymmetry/mu")).put("lower", est * 1.01);
        Report bad = Checker.check(c.v(), c.w(), c.h(), raised);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.about("strictModuloSymmetry.mu").get(0).status()).isEqualTo(Report.Status.NOT_VERIFIED);
        // a bound well below what the checker proves is accepted and said to be weaker
        ObjectNode lowered = genuine.deepCopy();
        ((ObjectNode) lowered.at("/strictModuloSymmetry/mu")).put("lower", est / 2);
        Report weak = Checker.check(c.v(), c.w(), c.h(), lowered);
        assertThat(weak.ok()).as(weak.toString()).isTrue();
        assertThat(weak.about("strictModuloSymmetry.mu").get(0).message()).contains("weaker");
    }

    /**
     * fixture gl-active-partial: only part of the orbit tangent is flat on L (symmetry-gl-r.md). A hint with every
     * E_ab, including directions that leave L or are not flat, is not accepted as T: the HOLDS is not verified.
     */
    @Test
    void aHintThatIsNotFlatIsNotAccepted() throws Exception {
        Path d = Path.of("fixtures/gl-active-partial");
        DenseMatrix v = MatrixIO.read(d.resolve("V.csv")), w = MatrixIO.read(d.resolve("W.csv")), h = MatrixIO.read(d.resolve("H.csv"));
        Certificate cert = Certifier.certify(v, w, h, CertifyOptions.nmf(Mode.FLOAT));
        assertThat(cert.strictModuloSymmetry().verdict()).isEqualTo(Verdict.HOLDS);
        int r = w.cols();
        assertThat(cert.strictModuloSymmetry().symmetry().length).isLessThan(r * r);
        ObjectNode doctored = JSON.readTree(CertificateJson.toJson(cert)).deepCopy();
        ArrayNode all = ((ObjectNode) doctored.get("strictModuloSymmetry")).putArray("symmetry");
        for (int ab = 0; ab < r * r; ab++) {
            ArrayNode x = all.addArray();
            for (int t = 0; t < r * r; t++) {
                x.add(t == ab ? 1.0 : 0.0);
            }
        }
        Report rep = Checker.check(v, w, h, doctored);
        assertThat(rep.ok()).isFalse();
        assertThat(rep.about("strictModuloSymmetry").get(0).status()).isEqualTo(Report.Status.NOT_VERIFIED);
        assertThat(rep.about("strictModuloSymmetry").get(0).message()).contains("flat");
        // the hint belongs to float NMF: on an exact certificate it is rejected
        Certificate ex = Certifier.certify(v, w, h, CertifyOptions.nmf(Mode.EXACT));
        ObjectNode exHinted = JSON.readTree(CertificateJson.toJson(ex)).deepCopy();
        ((ObjectNode) exHinted.get("strictModuloSymmetry")).set("symmetry", doctored.at("/strictModuloSymmetry/symmetry"));
        Report rx = Checker.check(v, w, h, exHinted);
        assertThat(rx.ok()).isFalse();
        assertThat(rx.toString()).contains("belongs to float NMF");
        // malformed hints are rejected in words
        ((ObjectNode) doctored.get("strictModuloSymmetry")).putArray("symmetry").addArray().add(1.0);
        Report bad = Checker.check(v, w, h, doctored);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.toString()).contains("r² = " + r * r + " numbers");
    }

    /**
     * Above both dense limits (the certifier's 1500 and the checker's 2000): a converged HALS fit of a planted 0.5 %-noise
     * 70×60 matrix at r = 16 (dim L = 2080) gets strict HOLDS from the structured bordered factorisation, and the checker
     * re-proves it with its own structured factorisation.
     */
    @Test
    void aboveTheDenseLimitsStrictnessIsProvenAndReproven() throws Exception {
        DenseMatrix v = Instances.plantedNoisy(70, 60, 16, 0.005, 13);
        SolveResult s = Solvers.byName("hals").solve(v, SolverOptions.rank(16).withMaxIterations(5000)
                .withObjectiveTolerance(0).withSeed(1));
        Certificate cert = Certifier.certify(v, s.w(), s.h(), CertifyOptions.nmf(Mode.FLOAT).withTolerances(Tolerances.DEFAULT));
        assertThat(cert.counts().support() + cert.counts().degenerate()).isGreaterThan(Checker.MAX_CHOLESKY);
        assertThat(cert.strictModuloSymmetry().verdict()).as(cert.strictModuloSymmetry().reason()).isEqualTo(Verdict.HOLDS);
        assertThat(cert.bounds().strict().lowerMethod()).isEqualTo("verified-cholesky");
        Report rep = Checker.check(v, s.w(), s.h(), JSON.readTree(CertificateJson.toJson(cert)));
        assertThat(rep.ok()).as(rep.toString()).isTrue();
        assertThat(rep.about("strictModuloSymmetry").get(0).status()).isEqualTo(Report.Status.VERIFIED);
        assertThat(rep.about("strictModuloSymmetry").get(0).message()).contains("bordered Cholesky");
        // above its dense limit the checker derives λ_min on L from the strict proof and the flatness of T
        assertThat(rep.about("sospPaper").get(0).status()).isEqualTo(Report.Status.VERIFIED);
        assertThat(rep.about("sospPaper").get(0).message()).contains("bordered Cholesky on L ⊥ T");
        assertThat(rep.about("sospPaper.lambdaMin").get(0).status()).isEqualTo(Report.Status.VERIFIED);
        // without the strict claim's hint it falls back to its own structured Cholesky on L
        ObjectNode noHint = JSON.readTree(CertificateJson.toJson(cert)).deepCopy();
        ((ObjectNode) noHint.get("strictModuloSymmetry")).remove("symmetry");
        Report fallback = Checker.check(v, s.w(), s.h(), noHint);
        assertThat(fallback.about("sospPaper").get(0).status()).isEqualTo(Report.Status.VERIFIED);
        assertThat(fallback.about("sospPaper").get(0).message()).contains("Rump 2006");
    }

    /** Zᵀ(∇²F − ℓI)Z ⪰ 0 exactly, Z a basis of {d : y_Xᵀd = 0 for the hint's X} (every coordinate in L). */
    static boolean psdOffSymmetry(DenseMatrix v, DenseMatrix w, DenseMatrix h, double[][] xs, BigFraction l) {
        Point pt = new Point(v, w, h);
        int size = pt.size, n = pt.n, m = pt.m, r = pt.r;
        BigFraction[][] rows = new BigFraction[xs.length][size];
        for (int t = 0; t < xs.length; t++) {
            // the certificate's formula, in double at the given scale (a power-of-two rescaling gives the same span)
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < r; k++) {
                    double s = 0;
                    for (int q = 0; q < r; q++) {
                        s += w.get(i, q) * xs[t][q * r + k];
                    }
                    rows[t][i * r + k] = Exact.of(s);
                }
            }
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int q = 0; q < r; q++) {
                        s += xs[t][k * r + q] * h.get(q, j);
                    }
                    rows[t][n * r + k * m + j] = Exact.of(-s);
                }
            }
        }
        Forms.Nullspace ns = Forms.nullspace(rows, size);
        BigFraction[][] hess = new BigFraction[size][size];
        for (int p = 0; p < size; p++) {
            for (int q = 0; q < size; q++) {
                hess[p][q] = pt.hessian(p, q).subtract(p == q ? l : BigFraction.ZERO);
            }
        }
        return Forms.psd(Forms.restrict(hess, ns.basis()));
    }
}
