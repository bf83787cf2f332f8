package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.testkit.StationaryPoints;
import java.nio.file.Path;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * KKT and second-order status are invariant under (WD, D⁻¹H); the float tolerances are not. A float HOLDS must
 * survive rebalancing — found on truncated-ALS iterates (fixtures/truncated-als-increase) whose columns grow
 * without bound while the point is not stationary.
 */
class ScaleInvarianceTest {
    static DenseMatrix read(String f) {
        return MatrixIO.read(Path.of("fixtures", "truncated-als-increase", f));
    }

    @Test
    void unboundedTruncatedAlsIterateIsNotCertifiedStationary() {
        DenseMatrix v = read("V.csv");
        SolveResult r = Solvers.byName("als-truncated").solve(v, SolverOptions.rank(2).withMaxIterations(1000)
                .withObjectiveTolerance(0).withInitial(new FactorPair(read("W0.csv"), read("H0.csv"))));
        Certificate exact = Certifier.certify(v, r.w(), r.h(), CertifyOptions.nmf(Mode.EXACT));
        Certificate fl = Certifier.certify(v, r.w(), r.h(), CertifyOptions.nmf(Mode.FLOAT));
        assertThat(exact.fosp().verdict()).isEqualTo(Verdict.FAILS);
        assertThat(fl.fosp().verdict()).as(fl.fosp().reason()).isNotEqualTo(Verdict.HOLDS);
        assertThat(fl.sospPaper().verdict()).isNotEqualTo(Verdict.HOLDS);
    }

    /** Rescaling a column pair by 2^e never turns a float verdict into its opposite, and never creates a HOLDS. */
    @Property(tries = 80)
    void verdictsAreStableUnderPowerOfTwoRescaling(@ForAll long seed, @ForAll @IntRange(min = -30, max = 30) int e) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StationaryPoints.Case c = switch (rnd.nextInt(3)) {
            case 0 -> StationaryPoints.exactFactorization(rnd, 3, 3, 2);
            case 1 -> StationaryPoints.blockSaddle(rnd, 1, 2, 2, 1, 2);
            default -> StationaryPoints.randomPoint(rnd, 3, 3, 2, 20);
        };
        DenseMatrix w = c.w().copy(), h = c.h().copy();
        for (int i = 0; i < w.rows(); i++) {
            w.set(i, 0, Math.scalb(w.get(i, 0), e));
        }
        for (int j = 0; j < h.cols(); j++) {
            h.set(0, j, Math.scalb(h.get(0, j), -e));
        }
        Certificate exact = Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.EXACT));
        Certificate scaled = Certifier.certify(c.v(), w, h, CertifyOptions.nmf(Mode.FLOAT));
        ScalarExampleTest.agree(exact.fosp().verdict(), scaled.fosp().verdict(), "fosp after scaling by 2^" + e);
        ScalarExampleTest.agree(exact.sospPaper().verdict(), scaled.sospPaper().verdict(), "sospPaper after scaling by 2^" + e);
        ScalarExampleTest.agree(exact.sospCone().verdict(), scaled.sospCone().verdict(), "sospCone after scaling by 2^" + e);
    }
}
