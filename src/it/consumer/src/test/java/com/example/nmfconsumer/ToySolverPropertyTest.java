package com.example.nmfconsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.StopReason;
import io.github.nmforacle.testkit.Instances;
import io.github.nmforacle.theory.TheoryProperties;
import io.github.nmforacle.theory.TheoryProperty;
import io.github.nmforacle.theory.TheoryProperty.Status;
import io.github.nmforacle.theory.TheoryProperty.Trial;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The user's own solver under nmf-oracle's testkit: the main theorem's property, fuzzed by jqwik. */
class ToySolverPropertyTest {
    static final TheoryProperty ENDS_AT_SOSP = TheoryProperties.endsAtSosp(new Toy());

    @Property(tries = 40, seed = "20260101")
    void toySolverNeverStaysAtACertifiedSaddle(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int maxDim) {
        Trial t = ENDS_AT_SOSP.trial(seed, maxDim);
        assertNotEquals(Status.FAIL, t.status(), ENDS_AT_SOSP.name() + ": " + t.detail());
    }

    @Example
    void toySolverFitsAPlantedInstance() {
        Instances.Planted p = Instances.planted(12, 10, 2, 5L);
        SolveResult res = new Toy().solve(p.v(), SolverOptions.rank(2).withMaxIterations(500).withSeed(1));
        assertTrue(res.relativeError() < 0.05, "relative error " + res.relativeError());
        assertTrue(res.iterations() > 0);
    }

    /** The same property catches a broken solver: one that always returns the origin W = 0, H = 0 (a saddle). */
    @Example
    void aSolverStuckAtTheOriginIsCaught() {
        Solver origin = new Solver() {
            @Override
            public String name() {
                return "origin";
            }

            @Override
            public SolveResult solve(DenseMatrix v, SolverOptions o) {
                return new SolveResult(name(), DenseMatrix.zeros(v.rows(), o.rank()), DenseMatrix.zeros(o.rank(), v.cols()),
                        List.of(), StopReason.MAX_ITERATIONS, o.maxIterations(), Toy.objective(v,
                        DenseMatrix.zeros(v.rows(), o.rank()), DenseMatrix.zeros(o.rank(), v.cols())), 1.0, 0.0, 0, 0L);
            }
        };
        TheoryProperty p = TheoryProperties.endsAtSosp(origin);
        int failures = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Trial t = p.trial(seed);
            if (t.status() == Status.FAIL) {
                failures++;
            }
        }
        assertEquals(5, failures, "the origin is a certified saddle of every positive V");
    }
}
