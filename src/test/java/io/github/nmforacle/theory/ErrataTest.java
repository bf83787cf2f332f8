package io.github.nmforacle.theory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.solve.ConcurrentMwu;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.testkit.StationaryPoints;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** Each erratum of proofs-notes/errata.md (E7–E10 and the observations) shown on its fixture: the printed claim fails. */
class ErrataTest {
    static DenseMatrix m(double... row) {
        return DenseMatrix.of(new double[][] {row});
    }

    static DenseMatrix read(String fixture, String file) {
        return MatrixIO.read(Path.of("fixtures", fixture, file));
    }

    /** E7: at the origin of V = [1] (value 1) no S-NMF(4) FOSP has value 1, and Lemma 1's construction is undefined. */
    @Test
    void lemma1FailsAtTheOriginOfTheScalarInstance() {
        DenseMatrix v = m(1), zero = m(0);
        Certificate origin = Certifier.certify(v, zero, zero, CertifyOptions.nmf(Mode.EXACT));
        assertThat(origin.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(origin.objective()).isEqualTo(1.0);
        Constructions.Lemma1Result res = Constructions.lemma1(Exact.of(v, zero, zero));
        assertThat(res.defined()).isFalse();
        // every dyadic point of x + y = 4 on a grid of step 1/64: the only exact S-NMF FOSP is (2, 2), of value 9;
        // the other FOSPs, (2 ± √3, 2 ∓ √3), are irrational and have value 0 (scalar-example.md §4)
        BigFraction four = new BigFraction(4);
        int fosps = 0;
        for (int k = 0; k <= 256; k++) {
            double x = k / 64.0;
            Certificate c = Certifier.certify(v, m(x), m(4 - x), CertifyOptions.simplex(four, Mode.EXACT));
            if (c.fosp().verdict() == Verdict.HOLDS) {
                fosps++;
                assertThat(x).isEqualTo(2.0);
                assertThat(c.objective()).isEqualTo(9.0);
            }
            if (k > 0 && k < 256) {
                assertThat(c.objective()).as("value 1 needs xy = 0 or xy = 2, i.e. a vertex or x = 2 ± √2").isNotEqualTo(1.0);
            }
        }
        assertThat(fosps).isEqualTo(1);
        // the two vertices have value 1 and are not FOSPs (E6)
        for (double x : new double[] {0, 4}) {
            Certificate c = Certifier.certify(v, m(x), m(4 - x), CertifyOptions.simplex(four, Mode.EXACT));
            assertThat(c.objective()).isEqualTo(1.0);
            assertThat(c.fosp().verdict()).isEqualTo(Verdict.FAILS);
        }
    }

    /** E8: ‖W^kH_k‖² nm ≥ ‖W^k‖₁²‖H_k‖₁² (no 1/16), and the fixture with C* < C ≤ 2C* still escapes. */
    @Test
    void lemma2ChainHoldsWithoutTheFactorSixteen() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int t = 0; t < 200; t++) {
            int n = 1 + rnd.nextInt(4), mm = 1 + rnd.nextInt(4);
            StationaryPoints.SimplexCase sc = StationaryPoints.plantedMultiplier(rnd, n, mm, 1 + rnd.nextInt(Math.min(2, Math.min(n, mm))),
                    rnd.nextInt(30));
            Exact x = Exact.of(sc.point().v(), sc.point().w(), sc.point().h());
            for (int k = 0; k < x.r; k++) {
                BigFraction lhs = x.rankOneNormSquared(k).multiply(x.n * x.m);
                BigFraction rhs = x.columnSum(k).multiply(x.rowSum(k)).pow(2);
                assertThat(lhs.compareTo(rhs)).isGreaterThanOrEqualTo(0);
            }
        }
        DenseMatrix v = read("lemma2-constant", "V.csv"), w = read("lemma2-constant", "W.csv"), h = read("lemma2-constant", "H.csv");
        Exact x = Exact.of(v, w, h);
        BigFraction c = new BigFraction(7);
        assertThat(x.aboveThreshold(c)).isTrue();
        assertThat(x.aboveThreshold(c.divide(2))).as("C ≤ 2C*: outside what the printed chain proves").isFalse();
        Constructions.Direction s = Constructions.lemma2Escape(x);
        assertThat(s.sum()).isEqualTo(BigFraction.ZERO);
        assertThat(x.curvature(s.dw(), s.dh())).isEqualTo(new BigFraction(-147, 4));
    }

    /** E9: at c = 0 the direction s̃_k has curvature exactly 0, so Lemma 2's argument cannot give t ≠ 0. */
    @Test
    void sTildeHasZeroCurvatureWhenCIsZero() {
        SplittableRandom rnd = new SplittableRandom(5);
        int checked = 0;
        for (int t = 0; t < 100; t++) {
            StationaryPoints.Case c = StationaryPoints.exactFactorization(rnd, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), 1);
            Constructions.Lemma1Result res = Constructions.lemma1(Exact.of(c.v(), c.w(), c.h()));
            Exact x = res.point();
            for (int k = 0; k < x.r; k++) {
                Constructions.Direction s = Constructions.scalingDirection(x, k);
                assertThat(x.curvature(s.dw(), s.dh()).signum()).isZero();
                // the heaviest column is unbalanced above the threshold (the correct reason for t ≠ 0)
                int heavy = Constructions.heaviestColumn(x);
                assertThat(x.columnSum(heavy)).isNotEqualTo(x.rowSum(heavy));
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    /** E10: the fixed step with κ = 176 increases F; κ = 1 decreases it. */
    @Test
    void fixedStepWithALargeConstantIncreasesTheObjective() {
        DenseMatrix v = read("mwu-step-increase", "V.csv");
        FactorPair start = new FactorPair(read("mwu-step-increase", "W0.csv"), read("mwu-step-increase", "H0.csv"));
        for (double kappa : new double[] {176, 1}) {
            SolveResult r = ConcurrentMwu.fixedStep().solve(v, SolverOptions.rank(1).withMaxIterations(1).withObjectiveTolerance(0)
                    .withKappa(kappa).withInitial(start));
            double f0 = r.trace().get(0).objective(), f1 = r.trace().get(1).objective();
            assertThat(f0).isCloseTo(0.5625, org.assertj.core.data.Offset.offset(1e-12));
            if (kappa > 1) {
                assertThat(f1).isCloseTo(0.5651571, org.assertj.core.data.Offset.offset(1e-6)).isGreaterThan(f0);
            } else {
                assertThat(f1).isLessThan(f0);
            }
        }
    }

    /** Observation: a certified saddle at 3,000 iterations, escaped by 100,000. */
    @Test
    void mwuSitsAtACertifiedSaddleBeforeEscaping() {
        DenseMatrix v = read("mwu-saddle-plateau", "V.csv");
        Certificate at3000 = Certifier.certify(v, read("mwu-saddle-plateau", "W.csv"), read("mwu-saddle-plateau", "H.csv"),
                CertifyOptions.nmf(Mode.FLOAT));
        assertThat(at3000.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(at3000.sospPaper().verdict()).isEqualTo(Verdict.FAILS);
        SolveResult later = ConcurrentMwu.adaptiveStep().solve(v, SolverOptions.rank(2).withMaxIterations(100_000)
                .withObjectiveTolerance(0).withSeed(7839043687897634315L).withThreads(1));
        assertThat(later.objective()).isLessThan(1e-5);
        Certificate end = Certifier.certify(v, later.w(), later.h(), CertifyOptions.nmf(Mode.FLOAT));
        assertThat(end.sospPaper().verdict()).isNotEqualTo(Verdict.FAILS);
        assertThat(ExactNmf.exact(at3000.objective()).doubleValue()).isGreaterThan(0.011);
    }
}
