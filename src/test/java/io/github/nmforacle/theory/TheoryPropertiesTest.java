package io.github.nmforacle.theory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.theory.TheoryProperty.Status;
import io.github.nmforacle.theory.TheoryProperty.Trial;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The paper's claims (corrected where errata.md says so) as jqwik properties over the plain predicates of
 * {@link TheoryProperties}; {@code fuzz} runs the same predicates with more trials.
 */
class TheoryPropertiesTest {
    static void holds(String name, long seed, int maxDim) {
        Trial t = TheoryProperties.byName(name).trial(seed, maxDim);
        assertThat(t.status()).as(name + ": " + t.detail() + (t.example() == null ? "" : "\nV = " + t.example().v()
                + "\nW = " + t.example().w() + "\nH = " + t.example().h())).isNotEqualTo(Status.FAIL);
    }

    @Property(tries = 200)
    void lemma3IdentityHoldsExactlyEverywhere(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int maxDim) {
        holds("lemma3", seed, maxDim);
    }

    @Property(tries = 150)
    void lemma4ColumnSumsEqualRowSumsAtSnmfFospsWithNonzeroMultiplier(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int d) {
        holds("lemma4", seed, d);
    }

    @Property(tries = 150)
    void productNormIsBoundedByDataNormAtNmfFosps(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int d) {
        holds("wh-bound", seed, d);
    }

    @Property(tries = 150)
    void lemma1ConstructionGivesAnSnmfFospOfEqualValue(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int d) {
        holds("lemma1", seed, d);
    }

    @Property(tries = 150)
    void lemma2ScalingDirectionHasCurvatureMinusCTimesMass(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int d) {
        holds("lemma2", seed, d);
    }

    @Property(tries = 150)
    void lemma2SnmfSospsAboveThresholdHaveZeroMultiplier(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int d) {
        holds("lemma2-sosp", seed, d);
    }

    @Property(tries = 150)
    void theorem2SnmfSospsAreNmfSospsAndEscapeDirectionsLift(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int d) {
        holds("theorem2", seed, d);
    }

    @Property(tries = 150)
    void theorem2HoldsOnTheCriticalConeToo(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int d) {
        holds("theorem2-cone", seed, d);
    }

    @Property(tries = 100)
    void belowTheThresholdTheConclusionFails(@ForAll long seed) {
        holds("below-threshold", seed, 1);
    }

    @Property(tries = 40)
    void mwuDoesNotConvergeToACertifiedSaddle(@ForAll long seed) {
        holds("main-theorem", seed, 4);
    }

    /** The properties can fail: flipping one sign in Lemma 3's construction is caught, with a 1×1 counterexample. */
    @Test
    void brokenLemma3ConstructionIsCaughtWithASmallCounterexample() {
        Constructions.breakLemma3ForTests = true;
        try {
            Fuzzer.Report r = Fuzzer.run(TheoryProperties.byName("lemma3"), 50, 7L, null);
            assertThat(r.failures()).isPositive();
            var ex = r.smallest().example();
            assertThat(ex.v().rows() + ex.v().cols()).as("shrunk to the smallest shape").isEqualTo(2);
            assertThat(ex.w().cols()).isEqualTo(1);
            assertThat(r.smallest().detail()).contains("differs");
        } finally {
            Constructions.breakLemma3ForTests = false;
        }
        assertThat(Fuzzer.run(TheoryProperties.byName("lemma3"), 50, 7L, null).failures()).isZero();
    }

    @Test
    void everyPropertyHasANameAndAStatement() {
        assertThat(TheoryProperties.all()).hasSizeGreaterThanOrEqualTo(10);
        for (TheoryProperty p : TheoryProperties.all()) {
            assertThat(TheoryProperties.byName(p.name())).isSameAs(p);
            assertThat(p.statement()).isNotBlank();
        }
    }
}
