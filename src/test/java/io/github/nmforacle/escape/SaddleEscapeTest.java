package io.github.nmforacle.escape;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Tolerances;
import io.github.nmforacle.certify.Verdict;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nmforacle.check.Checker;
import io.github.nmforacle.check.Report;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.TraceRow;
import io.github.nmforacle.testkit.StationaryPoints;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The certified saddle escape (issue 14, item 4; proofs-notes/saddle-escape.md). */
class SaddleEscapeTest {
    private static final CertifyOptions FLOAT = CertifyOptions.nmf(Mode.FLOAT).withThreads(1);

    private static DenseMatrix fixture(String file) {
        return MatrixIO.read(Path.of("fixtures", "mwu-saddle-plateau", file));
    }

    /** Every step decreases F strictly and the trace's iterations increase strictly across the restarts. */
    private static void assertConsistent(SaddleEscape.Outcome out) {
        for (SaddleEscape.Step s : out.steps()) {
            assertThat(s.objectiveAfter()).isLessThan(s.objectiveBefore());
            assertThat(s.curvature()).isNegative();
            assertThat(s.step()).isPositive();
        }
        List<TraceRow> t = out.result().trace();
        for (int i = 1; i < t.size(); i++) {
            assertThat(t.get(i).iteration()).isGreaterThan(t.get(i - 1).iteration());
        }
        assertThat(t.get(t.size() - 1).iteration()).isEqualTo(out.result().iterations());
    }

    /** The independent checker verifies every claim of the final certificate, accepting no unverified HOLDS. */
    private static void assertVerified(DenseMatrix v, SaddleEscape.Outcome out) throws Exception {
        Report report = Checker.check(v, out.result().w(), out.result().h(),
                new ObjectMapper().readTree(CertificateJson.toJson(out.certificate())), false);
        assertThat(report.ok()).as(report.toString()).isTrue();
    }

    /**
     * fixtures/mwu-saddle-plateau: MWU started at its own certified saddle stalls there (the objective tolerance 1e-8 stops
     * it after one iteration, still a certified saddle); with the escape it ends at a certified SOSP with F below 1e-8.
     */
    @Test
    void mwuSaddlePlateauEndsCertifiedSospWithTheEscape() throws Exception {
        DenseMatrix v = fixture("V.csv");
        CertifyOptions co = FLOAT.withTolerances(Tolerances.DEFAULT.withFirstOrder(1e-5)); // as in the fixture's README
        SolverOptions o = SolverOptions.rank(2).withMaxIterations(300_000).withObjectiveTolerance(1e-8)
                .withSeed(7839043687897634315L).withThreads(1).withInitial(new FactorPair(fixture("W.csv"), fixture("H.csv")));
        Solver mwu = Solvers.byName("mwu-adaptive");
        SolveResult alone = mwu.solve(v, o);
        Certificate stalled = Certifier.certify(v, alone.w(), alone.h(), co);
        assertThat(stalled.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(stalled.sospCone().verdict()).isEqualTo(Verdict.FAILS);
        assertThat(alone.objective()).isGreaterThan(0.011);

        SaddleEscape.Outcome out = new SaddleEscape(mwu, co, 10).run(v, o);
        assertThat(out.status()).isEqualTo(SaddleEscape.Status.CERTIFIED_SOSP);
        assertThat(out.reason()).startsWith("certified SOSP within tolerance");
        assertThat(out.steps()).isNotEmpty();
        assertThat(out.steps().get(0).objectiveBefore()).isGreaterThan(0.011);
        assertThat(out.steps().get(0).set()).isEqualTo("K");
        assertThat(out.result().objective()).isLessThan(1e-8);
        assertThat(out.certificate().sospCone().verdict()).isEqualTo(Verdict.HOLDS);
        // the certificate it reports is the certifier's on the returned point, recomputed independently here
        assertThat(Certifier.certify(v, out.result().w(), out.result().h(), co).sospCone().verdict()).isEqualTo(Verdict.HOLDS);
        assertVerified(v, out);
        assertThat(out.result().algorithm()).isEqualTo("mwu-adaptive+escape");
        assertConsistent(out);
        // deterministic for a seed
        SaddleEscape.Outcome again = new SaddleEscape(mwu, co, 10).run(v, o);
        assertThat(again.result().w().data()).isEqualTo(out.result().w().data());
        assertThat(again.result().h().data()).isEqualTo(out.result().h().data());
    }

    /** The same run on V in CSR form (never made dense: the step's quartic by Grams) ends certified SOSP the same way. */
    @Test
    void theEscapeRunsOnASparseV() throws Exception {
        DenseMatrix v = fixture("V.csv");
        CertifyOptions co = FLOAT.withTolerances(Tolerances.DEFAULT.withFirstOrder(1e-5));
        SolverOptions o = SolverOptions.rank(2).withMaxIterations(300_000).withObjectiveTolerance(1e-8)
                .withSeed(7839043687897634315L).withThreads(1).withInitial(new FactorPair(fixture("W.csv"), fixture("H.csv")));
        SaddleEscape.Outcome out = new SaddleEscape(Solvers.byName("mwu-adaptive"), co, 10)
                .run(io.github.nmforacle.linalg.CsrMatrix.of(v), o);
        assertThat(out.status()).isEqualTo(SaddleEscape.Status.CERTIFIED_SOSP);
        assertThat(out.steps()).isNotEmpty();
        assertThat(out.steps().get(0).set()).isEqualTo("K");
        assertThat(out.result().objective()).isLessThan(1e-8);
        assertVerified(v, out);
    }

    /**
     * V = [1], W = H = 0: a FOSP (∇F = 0) and a saddle (K = {d ≥ 0}, dᵀ∇²F d = −4 dW dH). Multiplicative updates cannot
     * leave exact zeros, so MU stays at F = 1; the escape step along d = (1, 1)/√2 goes to the global minimiser
     * t² = 1/(dW dH) = 2, W = H = 1, exactly.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mu", "mu-concurrent", "hals", "pg", "anls-bpp"})
    void originOfOneByOneEscapesToTheOptimum(String algorithm) throws Exception {
        DenseMatrix v = DenseMatrix.of(new double[][] {{1}});
        SolverOptions o = SolverOptions.rank(1).withMaxIterations(100).withThreads(1)
                .withInitial(new FactorPair(DenseMatrix.zeros(1, 1), DenseMatrix.zeros(1, 1)));
        Solver base = Solvers.byName(algorithm);
        if (algorithm.startsWith("mu")) {
            SolveResult alone = base.solve(v, o);
            assertThat(alone.objective()).isEqualTo(1.0);
            assertThat(Certifier.certify(v, alone.w(), alone.h(), FLOAT).sospCone().verdict()).isEqualTo(Verdict.FAILS);
        }
        SaddleEscape.Outcome out = new SaddleEscape(base, FLOAT, 10).run(v, o);
        assertThat(out.status()).isEqualTo(SaddleEscape.Status.CERTIFIED_SOSP);
        assertThat(out.steps()).hasSize(1);
        assertThat(out.steps().get(0).objectiveBefore()).isEqualTo(1.0);
        assertThat(out.steps().get(0).curvature()).isCloseTo(-2.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(out.result().objective()).isLessThan(1e-20);
        assertThat(out.result().w().get(0, 0) * out.result().h().get(0, 0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-10));
        assertConsistent(out);
        assertVerified(v, out);
    }

    /**
     * Planted saddles (testkit.StationaryPoints.plantedSaddle, proofs-notes/planted-saddles.md): exactly stationary, so MU
     * and HALS stay there; with the escape they end certified SOSP. On the cone saddle the negative curvature needs the
     * degenerate coordinates (PSD on L ∩ {d_D = 0}), and the step must make zeros positive.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mu:false", "hals:false", "mu:true", "hals:true", "anls-bpp:true"})
    void plantedSaddleEscapes(String spec) throws Exception {
        String[] a = spec.split(":");
        boolean cone = Boolean.parseBoolean(a[1]);
        StationaryPoints.PlantedSaddle ps = StationaryPoints.plantedSaddle(8, 6, 2, cone, 1e-3, 1L);
        DenseMatrix v = ps.point().v();
        SolverOptions o = SolverOptions.rank(2).withMaxIterations(5000).withThreads(1)
                .withInitial(new FactorPair(ps.point().w(), ps.point().h()));
        Solver base = Solvers.byName(a[0]);
        Certificate at = Certifier.certify(v, ps.point().w(), ps.point().h(), FLOAT);
        assertThat(at.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(at.sospCone().verdict()).isEqualTo(Verdict.FAILS);
        SolveResult alone = base.solve(v, o);
        Certificate stays = Certifier.certify(v, alone.w(), alone.h(), FLOAT);
        assertThat(stays.sospCone().verdict()).as("the base algorithm alone").isEqualTo(Verdict.FAILS);

        SaddleEscape.Outcome out = new SaddleEscape(base, FLOAT, 10).run(v, o);
        assertThat(out.status()).as(out.reason()).isEqualTo(SaddleEscape.Status.CERTIFIED_SOSP);
        assertThat(out.steps()).isNotEmpty();
        assertThat(out.result().objective()).isLessThan(out.steps().get(0).objectiveBefore());
        assertConsistent(out);
        assertVerified(v, out);
    }

    /** With no escape allowed, a certified saddle is returned as it is and the output says why it is not certified. */
    @Test
    void aSaddleWithNoEscapeLeftSaysWhy() {
        StationaryPoints.PlantedSaddle ps = StationaryPoints.plantedSaddle(7, 6, 3, false, 0.01, 3L);
        SolverOptions o = SolverOptions.rank(3).withMaxIterations(50).withThreads(1)
                .withInitial(new FactorPair(ps.point().w(), ps.point().h()));
        SaddleEscape.Outcome out = new SaddleEscape(Solvers.byName("mu"), FLOAT, 0).run(ps.point().v(), o);
        assertThat(out.status()).isEqualTo(SaddleEscape.Status.BUDGET);
        assertThat(out.reason()).startsWith("sospCone FAILS after 0 escapes");
        assertThat(out.steps()).isEmpty();
    }

    /** A point that is not first-order stationary is not stepped from: the status says fosp is not HOLDS. */
    @Test
    void aPointThatIsNotFirstOrderIsReportedAsSuch() {
        StationaryPoints.PlantedSaddle ps = StationaryPoints.plantedSaddle(7, 6, 3, false, 0.01, 3L);
        SolverOptions o = SolverOptions.rank(3).withMaxIterations(3).withObjectiveTolerance(0).withThreads(1).withSeed(5);
        SaddleEscape.Outcome out = new SaddleEscape(Solvers.byName("mu"), FLOAT, 10).run(ps.point().v(), o);
        assertThat(out.status()).isEqualTo(SaddleEscape.Status.NOT_FOSP);
        assertThat(out.reason()).startsWith("fosp FAILS");
        assertThat(out.steps()).isEmpty();
    }
}
