package io.github.nmforacle.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.check.Checker;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The distributed certifier (issue 15 item 2) in local[2] against the single-JVM certifier and the checker. */
class DistributedCertifierTest {
    static final double U = 0x1p-53;
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkSession2.start("DistributedCertifierTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    record Case(DenseMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
    }

    static Case fixture(String name) throws Exception {
        Path d = Path.of("fixtures", name);
        String c = null;
        for (String line : Files.readAllLines(d.resolve("expected.properties"))) {
            if (line.startsWith("C=") && line.length() > 2) {
                c = line.substring(2).trim();
            }
        }
        CertifyOptions o = c == null ? CertifyOptions.nmf(Mode.FLOAT)
                : CertifyOptions.simplex(Certifier.parseFraction(c), Mode.FLOAT);
        return new Case(MatrixIO.read(d.resolve("V.csv")), MatrixIO.read(d.resolve("W.csv")),
                MatrixIO.read(d.resolve("H.csv")), o);
    }

    /** V = W₀H₀ (+ noise) with n = 70 rows: three row blocks (32, 32, 6), so the block partials are exercised. */
    static Case planted(long seed, double noise, boolean perturb) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 70, m = 9, r = 2;
        DenseMatrix w = new DenseMatrix(n, r, rnd.doubles(n * r, 0.1, 2).toArray());
        DenseMatrix h = new DenseMatrix(r, m, rnd.doubles(r * m, 0.1, 2).toArray());
        double[] vd = io.github.nmforacle.testkit.StationaryPoints.product(w, h).data();
        for (int p = 0; p < vd.length; p++) {
            vd[p] += noise * rnd.nextDouble();
        }
        if (perturb) {
            h = h.copy();
            h.set(0, 0, h.get(0, 0) * 1.5);
        }
        return new Case(new DenseMatrix(n, m, vd), w, h, CertifyOptions.nmf(Mode.FLOAT));
    }

    static Certificate distributed(Case c) {
        return DistributedCertifier.certify(BlockedMatrix.of(sc, c.v(), 3, Blas.JAVA), c.w(), c.h(), c.o());
    }

    static boolean skipped(String reason) {
        return reason != null && reason.contains("V is distributed in row blocks");
    }

    /** Same verdict, or UNDECIDED because a stage that needs V on one machine was skipped (and then says so). */
    static void sameVerdict(Verdict local, Verdict dist, String distReason) {
        if (dist != local) {
            assertThat(dist).isEqualTo(Verdict.UNDECIDED);
            assertThat(distReason).contains("V is distributed in row blocks");
        }
    }

    static void agree(Case c) {
        Certificate loc = Certifier.certify(c.v(), c.w(), c.h(), c.o());
        Certificate dis = distributed(c);
        assertThat(dis.fosp().verdict()).isEqualTo(loc.fosp().verdict());
        sameVerdict(loc.sospPaper().verdict(), dis.sospPaper().verdict(), dis.sospPaper().reason());
        sameVerdict(loc.sospCone().verdict(), dis.sospCone().verdict(), dis.sospCone().reason());
        sameVerdict(loc.strictModuloSymmetry().verdict(), dis.strictModuloSymmetry().verdict(),
                dis.strictModuloSymmetry().reason());
        // F is a sum of nm non-negative squares of r-term residuals: each evaluation is within γ_{nm+B+r+2} of it
        long len = (long) c.v().rows() * c.v().cols() + 3 + c.w().cols() + 2;
        double g = len * U / (1 - len * U);
        assertThat(Math.abs(dis.objective() - loc.objective())).isLessThanOrEqualTo(2 * g * loc.objective()
                + 1e3 * Double.MIN_NORMAL);
        // λ_min on L: both estimates lie within their stated noise of the same exact value
        if (loc.sospPaper().lambdaMin() != null && dis.sospPaper().lambdaMin() != null
                && loc.sospPaper().noise() != null && dis.sospPaper().noise() != null) {
            assertThat(Math.abs(dis.sospPaper().lambdaMin() - loc.sospPaper().lambdaMin()))
                    .isLessThanOrEqualTo(loc.sospPaper().noise() + dis.sospPaper().noise());
        }
        assertThat(dis.provenance().sha256V()).isEqualTo(loc.provenance().sha256V());
        JsonNode json = CertificateJson.tree(dis);
        var report = Checker.check(c.v(), c.w(), c.h(), json);
        assertThat(report.ok()).as(report.items().toString()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"planted-exact-rank2", "cone-vs-subspace", "zero-point", "lemma2-constant",
        "scalar-snmf-c4-centre"})
    void fixturesAgreeWithTheSingleJvmCertifierAndPassTheChecker(String name) throws Exception {
        agree(fixture(name));
    }

    /** CSR row blocks (each made dense on its executor for the certifier's block functions) certify as dense blocks. */
    @Test
    void csrRowBlocksGiveTheDenseBlocksCertificate() {
        Case c = planted(2, 0.05, true);
        double[] d = c.v().data().clone();
        for (int p = 0; p < d.length; p += 3) {
            d[p] = 0;
        }
        DenseMatrix v = new DenseMatrix(c.v().rows(), c.v().cols(), d);
        Certificate dense = DistributedCertifier.certify(BlockedMatrix.of(sc, v, 3, Blas.JAVA), c.w(), c.h(), c.o());
        Certificate csr = DistributedCertifier.certify(BlockedMatrix.of(sc,
                io.github.nmforacle.linalg.CsrMatrix.of(v), 3, Blas.JAVA), c.w(), c.h(), c.o());
        assertThat(csr.fosp()).isEqualTo(dense.fosp());
        assertThat(csr.sospPaper().verdict()).isEqualTo(dense.sospPaper().verdict());
        assertThat(csr.sospCone().verdict()).isEqualTo(dense.sospCone().verdict());
        assertThat(csr.objective()).isEqualTo(dense.objective());
        var report = Checker.check(v, c.w(), c.h(), CertificateJson.tree(csr));
        assertThat(report.ok()).as(report.items().toString()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {1})
    void plantedInstancesInThreeBlocksAgree(long seed) {   // more seeds: the same paths, 3 s each
        agree(planted(seed, 0, false));
        agree(planted(seed, 0.05, true));
    }

    @Test
    void aTamperedDistributedCertificateIsRejected() {
        Case c = planted(4, 0.05, true);
        Certificate dis = distributed(c);
        assertThat(dis.fosp().verdict()).isEqualTo(Verdict.FAILS);
        ObjectNode json = CertificateJson.tree(dis);
        assertThat(Checker.check(c.v(), c.w(), c.h(), json).ok()).isTrue();
        ((ObjectNode) json.get("fosp")).put("verdict", "HOLDS");
        assertThat(Checker.check(c.v(), c.w(), c.h(), json).ok()).isFalse();
    }

    @Test
    void aStageNeedingAllOfVSaysItWasSkipped() throws Exception {
        Case c = fixture("planted-exact");
        Certificate loc = Certifier.certify(c.v(), c.w(), c.h(), c.o());
        Certificate dis = distributed(c);
        assertThat(loc.strictModuloSymmetry().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(dis.strictModuloSymmetry().verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(dis.strictModuloSymmetry().reason()).contains("V is distributed in row blocks");
    }

    /** Above maxDenseDimension (dim L = 1530 here) λ_min on L is proven by the structured Cholesky, skipped here. */
    @Test
    void aLargeReducedDimensionSaysTheStructuredProofWasSkipped() {
        SplittableRandom rnd = new SplittableRandom(9);
        int n = 500, m = 10, r = 3;
        DenseMatrix w = new DenseMatrix(n, r, rnd.doubles(n * r, 0.1, 2).toArray());
        DenseMatrix h = new DenseMatrix(r, m, rnd.doubles(r * m, 0.1, 2).toArray());
        Case c = new Case(io.github.nmforacle.testkit.StationaryPoints.product(w, h), w, h, CertifyOptions.nmf(Mode.FLOAT));
        Certificate loc = Certifier.certify(c.v(), c.w(), c.h(), c.o());
        Certificate dis = distributed(c);
        assertThat(loc.sospPaper().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(dis.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(dis.sospPaper().verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(dis.sospPaper().reason()).contains("V is distributed in row blocks")
                .contains("the structured Cholesky that could prove PSD on L");
        assertThat(Checker.check(c.v(), c.w(), c.h(), CertificateJson.tree(dis)).ok()).isTrue();
    }

    @Test
    void exactModeAndBadInputAreRefusedInOneLine() {
        Case c = planted(5, 0, false);
        BlockedMatrix b = BlockedMatrix.of(sc, c.v(), 3, Blas.JAVA);
        assertThatThrownBy(() -> DistributedCertifier.certify(b, c.w(), c.h(), CertifyOptions.nmf(Mode.EXACT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exact mode needs all of V");
        assertThatThrownBy(() -> DistributedCertifier.certify(b, c.h(), c.h(), c.o()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shapes do not fit");
    }
}
