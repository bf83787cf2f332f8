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
        DenseMatrix w = read("mwu-saddle-plateau", "W.csv"), h = read("mwu-saddle-plateau", "H.csv");
        // default tolerance 1e-6: first order holds at the given scaling (3.7e-7) but not at the balanced one (1.5e-6)
        Certificate strict = Certifier.certify(v, w, h, CertifyOptions.nmf(Mode.FLOAT));
        assertThat(strict.fosp().verdict()).isEqualTo(Verdict.UNDECIDED);
        // first-order tolerance 1e-5: first order holds at both scalings, and the negative curvature is certified
        CertifyOptions loose = CertifyOptions.nmf(Mode.FLOAT).withTolerances(io.github.nmforacle.certify.Tolerances.DEFAULT
                .withFirstOrder(1e-5));
        Certificate at3000 = Certifier.certify(v, w, h, loose);
        assertThat(at3000.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(at3000.sospPaper().verdict()).isEqualTo(Verdict.FAILS);
        SolveResult later = ConcurrentMwu.adaptiveStep().solve(v, SolverOptions.rank(2).withMaxIterations(100_000)
                .withObjectiveTolerance(0).withSeed(7839043687897634315L).withThreads(1));
        assertThat(later.objective()).isLessThan(1e-5);
        Certificate end = Certifier.certify(v, later.w(), later.h(), CertifyOptions.nmf(Mode.FLOAT));
        assertThat(end.sospPaper().verdict()).isNotEqualTo(Verdict.FAILS);
        assertThat(ExactNmf.exact(at3000.objective()).doubleValue()).isGreaterThan(0.011);
    }

    /** E1: the printed concurrent Lee–Seung update indexes (WᵀV)_ik with W n×r; for n > r that entry does not exist. */
    @Test
    void printedExampleOneUpdateDoesNotTypeCheckUnlessSquare() {
        org.hipparchus.linear.RealMatrix v = org.hipparchus.linear.MatrixUtils.createRealMatrix(new double[][] {{1, 0}, {0, 1}, {1, 1}});
        org.hipparchus.linear.RealMatrix w = org.hipparchus.linear.MatrixUtils.createRealMatrix(new double[][] {{1, 1}, {1, 1}, {1, 1}});
        org.hipparchus.linear.RealMatrix wtv = w.transpose().multiply(v);   // r×m = 2×2, but W is 3×2
        assertThat(wtv.getRowDimension()).isLessThan(w.getRowDimension());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> wtv.getEntry(2, 0))
                .as("the printed numerator (W_tᵀV)_ik for i = 3").isInstanceOf(org.hipparchus.exception.MathIllegalArgumentException.class);
    }

    /** E2: on the built-in example the printed step 1/C² is 10⁵ times below 1/L, and Algorithm 1 as printed barely moves. */
    @Test
    void printedStepIsFarBelowOneOverL() {
        DenseMatrix v = read("mwu-step-size", "V.csv");
        io.github.nmforacle.problem.NmfProblem p = io.github.nmforacle.problem.NmfProblem.of(v, 4);
        double c = p.algorithmOneConstant();
        double maxV = 0;
        for (double x : v.data()) {
            maxV = Math.max(maxV, x);
        }
        int nn = (v.rows() + v.cols()) * 4;
        double lUpper = 2 * (maxV / (c * c) + 0.25) * Math.sqrt(nn);   // ‖∇F̃‖₂ on the unit simplex (errata E2)
        assertThat(lUpper / (c * c)).as("ε·L with ε = 1/C²").isLessThan(2e-5);
        SolverOptions o = SolverOptions.rank(4).withMaxIterations(100).withObjectiveTolerance(0).withSeed(0);
        SolveResult fixed = ConcurrentMwu.fixedStep().solve(v, o);
        SolveResult adaptive = ConcurrentMwu.adaptiveStep().solve(v, o);
        double f0 = fixed.trace().get(0).objective();
        assertThat(fixed.objective() / f0).as("Algorithm 1 as printed, 100 iterations").isGreaterThan(0.99);
        assertThat(adaptive.objective() / adaptive.trace().get(0).objective()).as("steps near 1/L").isLessThan(1e-3);
    }

    /** E3: the printed third line of Lemma 3's proof (with the factor 2) is not −∂F/∂W_ik; the lemma itself is. */
    @Test
    void printedLemma3ProofLineDiffersFromTheTruth() {
        SplittableRandom rnd = new SplittableRandom(2);
        StationaryPoints.Case c = StationaryPoints.randomPoint(rnd, 3, 3, 2, 0);
        Exact x = Exact.of(c.v(), c.w(), c.h());
        int i = 1, k = 0;
        // line 3: ∂²F/∂²W_ik·W_ik + 2Σ_j ∂²F/∂W_ik∂H_kj·(−H_kj), with (7): ∂²F/∂W_ik∂H_kj = −2V_ij + 2(WH)_ij + 2W_ikH_kj
        var wh = x.w.multiply(x.h);
        BigFraction hk2 = BigFraction.ZERO, cross = BigFraction.ZERO;
        for (int j = 0; j < x.m; j++) {
            BigFraction hkj = x.h.getEntry(k, j);
            hk2 = hk2.add(hkj.multiply(hkj));
            BigFraction mixed = x.f.data().getEntry(i, j).multiply(-2).add(wh.getEntry(i, j).multiply(2))
                    .add(x.w.getEntry(i, k).multiply(hkj).multiply(2));
            cross = cross.add(mixed.multiply(hkj.negate()));
        }
        BigFraction printed = hk2.multiply(2).multiply(x.w.getEntry(i, k)).add(cross.multiply(2));
        BigFraction truth = x.gradient()[0].getEntry(i, k).negate();
        Constructions.Direction hs = Constructions.hessianTimes(x, Constructions.scalingDirection(x, k));
        assertThat(hs.dw().getEntry(i, k)).as("Lemma 3 holds").isEqualTo(truth);
        assertThat(printed).as("the printed line with its factor 2").isNotEqualTo(truth);
    }
}
