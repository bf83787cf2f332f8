package io.github.nmforacle.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.testkit.jqwik.Instance;
import io.github.nmforacle.testkit.jqwik.NmfArbitraries;
import io.github.nmforacle.testkit.jqwik.Point;
import io.github.nmforacle.testkit.jqwik.Values;
import io.github.nmforacle.testkit.jqwik.ZeroPattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Shrinkable;

/**
 * The jqwik arbitraries (src/jqwik/java, the "jqwik" classified artifact): what they generate satisfies its invariants
 * (re-checked here independently: products in BigDecimal), and a failing case shrinks to the minimal one through
 * jqwik's own Shrinkable candidates.
 */
class NmfArbitrariesTest {
    static final int GEN_SIZE = 1000;

    // ------------------------------------------------------------------ invariants

    @Provide
    Arbitrary<Point> overparametrized() {
        return NmfArbitraries.builder().rows(2, 4).cols(1, 3).rank(1, 5).overparametrized(true).points();
    }

    @Property(tries = 300)
    void pointsHaveConsistentShapesRanksAndNonNegativeEntries(@ForAll(supplier = NmfArbitraries.AnyPoint.class) Point p) {
        assertShapes(p, 1, 5, 1, 5);
        assertThat(p.rank()).isBetween(1, Math.min(3, Math.min(p.v().rows(), p.v().cols())));
        assertKnownStructure(p);
    }

    @Property(tries = 200)
    void overparametrizedPointsMayExceedMinNM(@ForAll("overparametrized") Point p) {
        assertShapes(p, 2, 4, 1, 3);
        assertThat(p.rank()).isBetween(1, 5);
        assertKnownStructure(p);
    }

    @Example
    void overparametrisationIsOffByDefaultAndReachedWhenAsked() {
        List<Point> capped = samples(NmfArbitraries.builder().rows(2, 4).cols(1, 3).rank(1, 5).points(), 300, 7);
        assertThat(capped).allMatch(p -> p.rank() <= Math.min(p.v().rows(), p.v().cols()));
        assertThat(samples(overparametrized(), 300, 7)).anyMatch(p -> p.rank() > Math.min(p.v().rows(), p.v().cols()));
    }

    @Property(tries = 200)
    void instancesRespectTheBuildersRanges(@ForAll("smallInstances") Instance i) {
        assertThat(i.v().rows()).isBetween(2, 3);
        assertThat(i.v().cols()).isBetween(4, 6);
        assertThat(i.rank()).isBetween(2, 2);
        assertNonNegativeFinite(i.v());
    }

    @Provide
    Arbitrary<Instance> smallInstances() {
        return NmfArbitraries.builder().rows(2, 3).cols(4, 6).rank(2, 2).instances();
    }

    @Example
    void everyKindAndEveryShapeInTheRangeIsGenerated() {
        List<Point> ps = samples(NmfArbitraries.points(), 400, 11);
        for (Point.Kind k : Point.Kind.values()) {
            assertThat(ps).as(k.label()).anyMatch(p -> p.kind() == k);
        }
        for (int n = 1; n <= 5; n++) {
            int nn = n;
            assertThat(ps).as("n=" + n).anyMatch(p -> p.v().rows() == nn);
            assertThat(ps).as("m=" + n).anyMatch(p -> p.v().cols() == nn);
        }
        for (int r = 1; r <= 3; r++) {
            int rr = r;
            assertThat(ps).as("r=" + r).anyMatch(p -> p.rank() == rr);
        }
    }

    // ------------------------------------------------------------------ zero patterns and values

    @Example
    void zeroPatternsPutExactZerosWhereTheySay() {
        List<Instance> none = samples(builder(ZeroPattern.none()).instances(), 200, 1);
        assertThat(none).allMatch(i -> zeros(i.v()) == 0);

        List<Instance> random = samples(builder(ZeroPattern.random(50)).instances(), 400, 2);
        long total = random.stream().mapToLong(i -> i.v().data().length).sum();
        long z = random.stream().mapToLong(i -> zeros(i.v())).sum();
        // about half: a binomial fraction over > 1000 entries, 0.4..0.6 is many standard deviations wide
        assertThat(total).isGreaterThan(1000);
        assertThat((double) z / total).isBetween(0.4, 0.6);

        List<Instance> block = samples(builder(ZeroPattern.block()).instances(), 400, 3);
        assertThat(block).allMatch(i -> isBlockPattern(i.v()));
        assertThat(block).anyMatch(i -> zeros(i.v()) > 0);
        // W of exact factorisations and random points get the pattern too
        assertThat(samples(builder(ZeroPattern.block()).randomPoints(), 200, 4))
                .allMatch(p -> isBlockPattern(p.w()) && isBlockPattern(p.h()) && isBlockPattern(p.v()));
    }

    @Example
    void tinyValuesAreSubnormalAndHugeValuesHuge() {
        NmfArbitraries.Builder tiny = NmfArbitraries.builder().values(Values.tiny());
        assertThat(samples(tiny.instances(), 200, 5)).allMatch(i -> all(i.v(), x -> x == 0 || isSubnormal(x)))
                .anyMatch(i -> all(i.v(), NmfArbitrariesTest::isSubnormal));
        // V = WH stays exact with subnormal W, also balanced (then W and H are normal numbers of like size); block
        // saddles scaled down have a subnormal V
        List<Point> exact = samples(tiny.exactFactorizations(), 200, 6);
        assertThat(exact).allMatch(p -> all(p.v(), x -> x == 0 || isSubnormal(x)))
                .anyMatch(p -> any(p.v(), NmfArbitrariesTest::isSubnormal));
        assertThat(exact).allMatch(NmfArbitrariesTest::isExactProduct);
        assertThat(exact).allMatch(p -> all(p.w(), x -> x == 0 || x >= Double.MIN_NORMAL));
        List<Point> unbalanced = samples(tiny.balanced(false).exactFactorizations(), 200, 6);
        assertThat(unbalanced).allMatch(p -> all(p.w(), x -> x == 0 || isSubnormal(x)));
        assertThat(unbalanced).allMatch(NmfArbitrariesTest::isExactProduct);
        assertThat(samples(tiny.blockSaddles(), 100, 7)).allMatch(p -> all(p.v(), x -> x == 0 || isSubnormal(x)))
                .allMatch(p -> any(p.v(), NmfArbitrariesTest::isSubnormal));
        assertThat(samples(NmfArbitraries.builder().values(Values.huge()).instances(), 100, 8))
                .allMatch(i -> all(i.v(), x -> x == 0 || x >= 0x1p500 && x <= 1024 * 0x1p500));
        // with every distribution (the default) subnormal and huge entries both occur
        List<Instance> mixed = samples(NmfArbitraries.instances(), 300, 9);
        assertThat(mixed).anyMatch(i -> any(i.v(), NmfArbitrariesTest::isSubnormal));
        assertThat(mixed).anyMatch(i -> any(i.v(), x -> x > 1e150));
    }

    // ------------------------------------------------------------------ shrinking

    @Example
    void aPropertyFailingFromThreeRowsShrinksToThreeByOneAllZero() {
        Instance shrunk = shrinkFirstFailing(NmfArbitraries.instances(), i -> i.v().rows() >= 3, 1);
        assertThat(shrunk.v().rows()).isEqualTo(3);
        assertThat(shrunk.v().cols()).isEqualTo(1);
        assertThat(shrunk.rank()).isEqualTo(1);
        assertThat(zeros(shrunk.v())).as(shrunk.toString()).isEqualTo(3);
    }

    @Example
    void aPropertyFailingOnAnEntryAboveOneShrinksToThatOneEntry() {
        Arbitrary<Instance> moderate = NmfArbitraries.builder().values(Values.moderate()).instances();
        Instance shrunk = shrinkFirstFailing(moderate, i -> any(i.v(), x -> x > 1), 2);
        // 1×1 at rank 1, and the value the least on moderate's grid above 1: (1024 + 1)/1024
        assertThat(shrunk.v().rows()).as(shrunk.toString()).isEqualTo(1);
        assertThat(shrunk.v().cols()).isEqualTo(1);
        assertThat(shrunk.rank()).isEqualTo(1);
        assertThat(shrunk.v().get(0, 0)).isEqualTo(1 + 0x1p-10);
    }

    @Example
    void aPropertyFailingOnSubnormalsShrinksToDoubleMinValue() {
        Arbitrary<Point> tiny = NmfArbitraries.builder().dimensions(1, 4).rank(1, 2).values(Values.tiny(), Values.integers())
                .randomPoints();
        Point shrunk = shrinkFirstFailing(tiny, p -> any(p.h(), NmfArbitrariesTest::isSubnormal), 3);
        assertThat(shrunk.h().data()).as(shrunk.toString()).containsExactly(Double.MIN_VALUE);
        assertThat(shrunk.w().data()).containsOnly(0.0);
        assertThat(shrunk.v().data()).containsOnly(0.0);
    }

    @Example
    void aPropertyFailingFromRankTwoShrinksToATwoByTwoExactFactorization() {
        Point shrunk = shrinkFirstFailing(NmfArbitraries.stationaryPoints(), p -> p.rank() >= 2, 4);
        assertThat(shrunk.kind()).as(shrunk.toString()).isEqualTo(Point.Kind.EXACT_FACTORIZATION);
        assertThat(shrunk.rank()).isEqualTo(2);
        assertThat(shrunk.v().rows()).isEqualTo(2);
        assertThat(shrunk.v().cols()).isEqualTo(2);
        assertThat(zeros(shrunk.w()) + zeros(shrunk.h())).isEqualTo(8);
    }

    // ------------------------------------------------------------------ helpers

    static NmfArbitraries.Builder builder(ZeroPattern z) {
        return NmfArbitraries.builder().values(Values.integers(), Values.moderate()).zeros(z);
    }

    /** Values drawn with jqwik's generator from a fixed java.util.Random, for counting what occurs. */
    static <T> List<T> samples(Arbitrary<T> a, int count, long seed) {
        Random rnd = new Random(seed);
        var gen = a.generator(GEN_SIZE);
        List<T> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(gen.next(rnd).value());
        }
        return out;
    }

    /**
     * The first generated value that fails, shrunk as jqwik's shrinker does: take the first of its Shrinkable's
     * candidates that still fails, until none does.
     */
    static <T> T shrinkFirstFailing(Arbitrary<T> a, Predicate<T> fails, long seed) {
        Random rnd = new Random(seed);
        var gen = a.generator(GEN_SIZE);
        Shrinkable<T> s = null;
        for (int k = 0; k < 1000 && s == null; k++) {
            Shrinkable<T> c = gen.next(rnd);
            if (fails.test(c.value())) {
                s = c;
            }
        }
        assertThat(s).as("no failing case generated").isNotNull();
        for (int step = 0; step < 10_000; step++) {
            Optional<Shrinkable<T>> next = s.shrink().filter(c -> fails.test(c.value())).findFirst();
            if (next.isEmpty()) {
                return s.value();
            }
            s = next.get();
        }
        throw new AssertionError("shrinking did not end: " + s.value());
    }

    static void assertShapes(Point p, int minN, int maxN, int minM, int maxM) {
        int n = p.v().rows(), m = p.v().cols(), r = p.rank();
        assertThat(n).isBetween(minN, maxN);
        assertThat(m).isBetween(minM, maxM);
        assertThat(p.w().rows()).isEqualTo(n);
        assertThat(p.h().rows()).isEqualTo(r);
        assertThat(p.h().cols()).isEqualTo(m);
        assertNonNegativeFinite(p.v());
        assertNonNegativeFinite(p.w());
        assertNonNegativeFinite(p.h());
    }

    /** What each kind promises, re-checked from the matrices. */
    static void assertKnownStructure(Point p) {
        switch (p.kind()) {
            case EXACT_FACTORIZATION -> assertThat(isExactProduct(p)).as(p.toString()).isTrue();
            case ORIGIN -> {
                assertThat(p.w().data()).containsOnly(0.0);
                assertThat(p.h().data()).containsOnly(0.0);
                assertThat(p.saddle()).isEqualTo(zeros(p.v()) < p.v().data().length);
            }
            case BLOCK_SADDLE -> {
                // W, H only in component 0; V = WH on the first block, zero off the diagonal blocks, positive on the second
                int n = p.v().rows(), m = p.v().cols();
                for (int k = 1; k < p.rank(); k++) {
                    for (int i = 0; i < n; i++) {
                        assertThat(p.w().get(i, k)).isZero();
                    }
                    for (int j = 0; j < m; j++) {
                        assertThat(p.h().get(k, j)).isZero();
                    }
                }
                assertThat(p.w().get(0, 0)).isPositive();
                assertThat(p.h().get(0, 0)).isPositive();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        boolean top = p.w().get(i, 0) > 0, left = p.h().get(0, j) > 0;
                        double vij = p.v().get(i, j);
                        if (top && left) {
                            assertThat(vij).isEqualTo(p.w().get(i, 0) * p.h().get(0, j));
                        } else if (top != left) {
                            assertThat(vij).isZero();
                        } else {
                            assertThat(vij).isGreaterThan(0);
                        }
                    }
                }
                assertThat(p.saddle()).isTrue();
            }
            case RANDOM -> assertThat(p.stationary()).isFalse();
        }
    }

    /** V = WH exactly: the sums of products in BigDecimal (no rounding). */
    static boolean isExactProduct(Point p) {
        for (int i = 0; i < p.v().rows(); i++) {
            for (int j = 0; j < p.v().cols(); j++) {
                BigDecimal s = BigDecimal.ZERO;
                for (int k = 0; k < p.rank(); k++) {
                    s = s.add(new BigDecimal(p.w().get(i, k)).multiply(new BigDecimal(p.h().get(k, j))));
                }
                if (s.compareTo(new BigDecimal(p.v().get(i, j))) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The zeros of a are exactly the off-diagonal blocks of some split (a, b). */
    static boolean isBlockPattern(DenseMatrix x) {
        for (int a = 0; a <= x.rows(); a++) {
            for (int b = 0; b <= x.cols(); b++) {
                boolean match = true;
                for (int i = 0; i < x.rows() && match; i++) {
                    for (int j = 0; j < x.cols() && match; j++) {
                        match = (x.get(i, j) == 0) == ((i < a) != (j < b));
                    }
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }

    static void assertNonNegativeFinite(DenseMatrix a) {
        assertThat(all(a, x -> x >= 0 && Double.isFinite(x))).as(NmfArbitraries.class.getSimpleName() + " " + a).isTrue();
    }

    static boolean isSubnormal(double x) {
        return x > 0 && x < Double.MIN_NORMAL;
    }

    static long zeros(DenseMatrix a) {
        long z = 0;
        for (double x : a.data()) {
            z += x == 0 ? 1 : 0;
        }
        return z;
    }

    static boolean all(DenseMatrix a, java.util.function.DoublePredicate p) {
        for (double x : a.data()) {
            if (!p.test(x)) {
                return false;
            }
        }
        return true;
    }

    static boolean any(DenseMatrix a, java.util.function.DoublePredicate p) {
        for (double x : a.data()) {
            if (p.test(x)) {
                return true;
            }
        }
        return false;
    }
}
