package io.github.nmforacle.testkit.jqwik;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.testkit.StationaryPoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries of NMF instances and points, built only from jqwik's combinators so that jqwik shrinks a failing
 * case natively: toward fewer rows and columns (rows and columns are drawn as subsets of a larger grid, so any one of
 * them can be dropped, not only the last), a smaller rank, fewer non-zeros and simpler values (1, small integers,
 * Double.MIN_VALUE, 2⁵⁰⁰ — see {@link Values}). The seed-driven generators ({@code testkit.Instances},
 * {@link StationaryPoints}) stay for the CLI's fuzz and audit, where a seed is the reproducible unit.
 *
 * <p>Use the static methods from a {@code @Provide} method, or the nested {@link ArbitrarySupplier}s with
 * {@code @ForAll(supplier = NmfArbitraries.AnyPoint.class)}; {@link #builder()} configures sizes, rank, values and zero
 * patterns. Shipped as the {@code jqwik}-classified artifact (jqwik is the user's own test dependency).
 */
public final class NmfArbitraries {
    /** Largest number of rows or columns a builder accepts (the grids behind the subsets are max×max). */
    public static final int MAX_DIMENSION = 64;

    private NmfArbitraries() {
    }

    /** A builder with the defaults: 1..5 rows and columns, rank 1..3 ≤ min(n, m), every {@link Values}, every pattern. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@link Builder#instances()} with the defaults. */
    public static Arbitrary<Instance> instances() {
        return builder().instances();
    }

    /** {@link Builder#points()} with the defaults. */
    public static Arbitrary<Point> points() {
        return builder().points();
    }

    /** {@link Builder#stationaryPoints()} with the defaults. */
    public static Arbitrary<Point> stationaryPoints() {
        return builder().stationaryPoints();
    }

    /** {@link Builder#exactFactorizations()} with the defaults. */
    public static Arbitrary<Point> exactFactorizations() {
        return builder().exactFactorizations();
    }

    /** {@link Builder#origins()} with the defaults. */
    public static Arbitrary<Point> origins() {
        return builder().origins();
    }

    /** {@link Builder#blockSaddles()} with the defaults. */
    public static Arbitrary<Point> blockSaddles() {
        return builder().blockSaddles();
    }

    /** {@link Builder#randomPoints()} with the defaults. */
    public static Arbitrary<Point> randomPoints() {
        return builder().randomPoints();
    }

    /** {@link Builder#shapes()} with the defaults. */
    public static Arbitrary<Shape> shapes() {
        return builder().shapes();
    }

    /** Matrices of one fixed shape: entries from {@code values}, zeros where {@code zeros} puts them. */
    public static Arbitrary<DenseMatrix> matrices(int rows, int cols, Values values, ZeroPattern zeros) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a matrix needs at least one row and one column, got " + rows + "x" + cols);
        }
        return grid(rows, cols, values, zeros).map(g -> g.select(range(rows), range(cols)));
    }

    /** For {@code @ForAll(supplier = NmfArbitraries.AnyInstance.class) Instance i}: {@link #instances()}. */
    public static final class AnyInstance implements ArbitrarySupplier<Instance> {
        @Override
        public Arbitrary<Instance> get() {
            return instances();
        }
    }

    /** For {@code @ForAll(supplier = NmfArbitraries.AnyPoint.class) Point p}: {@link #points()}. */
    public static final class AnyPoint implements ArbitrarySupplier<Point> {
        @Override
        public Arbitrary<Point> get() {
            return points();
        }
    }

    /** For {@code @ForAll(supplier = NmfArbitraries.AnyStationaryPoint.class) Point p}: {@link #stationaryPoints()}. */
    public static final class AnyStationaryPoint implements ArbitrarySupplier<Point> {
        @Override
        public Arbitrary<Point> get() {
            return stationaryPoints();
        }
    }

    /**
     * The dimensions of a case.
     *
     * @param rows n
     * @param cols m
     * @param rank r
     */
    public record Shape(int rows, int cols, int rank) {
    }

    /** Configures the arbitraries; every setter returns this builder. */
    public static final class Builder {
        private int minRows = 1, maxRows = 5, minCols = 1, maxCols = 5, minRank = 1, maxRank = 3;
        private boolean overparametrized;
        private boolean balanced = true;
        private List<Values> values = List.of(Values.integers(), Values.moderate(), Values.dyadic(), Values.tiny(),
                Values.huge());
        private List<ZeroPattern> zeros = List.of(ZeroPattern.random(30), ZeroPattern.none(), ZeroPattern.block());

        private Builder() {
        }

        /** n in [min, max] (1 ≤ min ≤ max ≤ {@link #MAX_DIMENSION}). */
        public Builder rows(int min, int max) {
            checkRange("rows", min, max, MAX_DIMENSION);
            minRows = min;
            maxRows = max;
            return this;
        }

        /** m in [min, max] (1 ≤ min ≤ max ≤ {@link #MAX_DIMENSION}). */
        public Builder cols(int min, int max) {
            checkRange("cols", min, max, MAX_DIMENSION);
            minCols = min;
            maxCols = max;
            return this;
        }

        /** Both n and m in [min, max]. */
        public Builder dimensions(int min, int max) {
            return rows(min, max).cols(min, max);
        }

        /** r in [min, max], capped at min(n, m) unless {@link #overparametrized(boolean)}. */
        public Builder rank(int min, int max) {
            checkRange("rank", min, max, MAX_DIMENSION);
            minRank = min;
            maxRank = max;
            return this;
        }

        /** Whether r may exceed min(n, m) (default false): the overparametrised regime. */
        public Builder overparametrized(boolean allow) {
            overparametrized = allow;
            return this;
        }

        /**
         * Whether exact factorisations are balanced (default true): (2^t·W, 2^−t·H) with max W ≈ max H, the same V = WH
         * (F is invariant under W ↦ WD, H ↦ D⁻¹H). false keeps W on its distribution's scale against H's small integers,
         * e.g. subnormal W with H = 1 — a badly unbalanced point, which the certifier's scales cannot always express.
         */
        public Builder balanced(boolean balance) {
            balanced = balance;
            return this;
        }

        /** The value distributions to draw from, one per matrix; shrinking prefers the first. */
        public Builder values(Values... choices) {
            if (choices.length == 0) {
                throw new IllegalArgumentException("give at least one value distribution");
            }
            values = List.of(choices);
            return this;
        }

        /** The zero patterns to draw from, one per matrix; shrinking prefers the first. */
        public Builder zeros(ZeroPattern... choices) {
            if (choices.length == 0) {
                throw new IllegalArgumentException("give at least one zero pattern");
            }
            zeros = List.of(choices);
            return this;
        }

        /** n, m and r. */
        public Arbitrary<Shape> shapes() {
            return selections().map(s -> new Shape(s.rows.length, s.cols.length, s.rank));
        }

        /** Non-negative n×m matrices of any allowed shape. */
        public Arbitrary<DenseMatrix> matrices() {
            return Combinators.combine(selections(), anyGrid(maxRows, maxCols, values)).as((s, g) -> g.select(s.rows, s.cols));
        }

        /** Instances (V, r) with V drawn entrywise (values and zero pattern chosen per instance). */
        public Arbitrary<Instance> instances() {
            return Combinators.combine(selections(), anyGrid(maxRows, maxCols, values))
                    .as((s, g) -> new Instance(g.select(s.rows, s.cols), s.rank));
        }

        /** V, W and H drawn independently (each with its own values and zero pattern): {@link Point.Kind#RANDOM}. */
        public Arbitrary<Point> randomPoints() {
            return Combinators.combine(selections(), anyGrid(maxRows, maxCols, values), anyGrid(maxRows, maxRank, values),
                    anyGrid(maxRank, maxCols, values)).as((s, gv, gw, gh) -> new Point(Point.Kind.RANDOM,
                    gv.select(s.rows, s.cols), gw.select(s.rows, range(s.rank)), gh.select(range(s.rank), s.cols)));
        }

        /**
         * V = WH, W from the configured values, H small integers (so that WH is exact at any scale of W, subnormal
         * included), zeros in W and H from the patterns, then balanced by a power of two ({@link #balanced(boolean)}):
         * {@link Point.Kind#EXACT_FACTORIZATION}, a global minimum. With {@link Values#tiny()} V is subnormal.
         */
        public Arbitrary<Point> exactFactorizations() {
            boolean balance = balanced;
            return Combinators.combine(selections(), anyGrid(maxRows, maxRank, values),
                    anyGrid(maxRank, maxCols, List.of(Values.integers()))).as((s, gw, gh) -> {
                        DenseMatrix w = gw.select(s.rows, range(s.rank)), h = gh.select(range(s.rank), s.cols);
                        DenseMatrix v = StationaryPoints.product(w, h);
                        if (balance) {
                            balance(w, h);
                        }
                        return new Point(Point.Kind.EXACT_FACTORIZATION, v, w, h);
                    });
        }

        /** W = 0, H = 0 on a drawn V: {@link Point.Kind#ORIGIN}, a FOSP and, when V ≠ 0, a saddle. */
        public Arbitrary<Point> origins() {
            return Combinators.combine(selections(), anyGrid(maxRows, maxCols, values)).as((s, g) -> {
                int n = s.rows.length, m = s.cols.length;
                return new Point(Point.Kind.ORIGIN, g.select(s.rows, s.cols), DenseMatrix.zeros(n, s.rank),
                        DenseMatrix.zeros(s.rank, m));
            });
        }

        /**
         * StationaryPoints.blockSaddle's saddle: V = diag(pqᵀ, B) with p, q in [1/4, 1] (k/4) and B in [4, 6] (k/4),
         * W = (p; 0) and H = (q, 0) in component 0, zero elsewhere (blocks n1×m1, n2×m2 with n1, n2, m1, m2 ≥ 1). Scaled
         * as (c²V, cW, cH), c = 2^s from a value distribution (s ≈ half its log₂, at least −535 so that c²·pq does not
         * underflow): F is homogeneous, so the point stays a FOSP with a negative curvature direction in K, and
         * {@link Values#tiny()} gives subnormal V. Needs a builder that allows 2 rows and 2 columns.
         *
         * @throws IllegalStateException when the builder allows fewer than 2 rows or columns
         */
        public Arbitrary<Point> blockSaddles() {
            check();
            if (maxRows < 2 || maxCols < 2) {
                throw new IllegalStateException("a block saddle needs 2 rows and 2 columns; the builder allows at most "
                        + maxRows + "x" + maxCols);
            }
            // the builder's settings as they are now (it may be changed after this arbitrary is made)
            int lr = minRows, hr = maxRows, lc = minCols, hc = maxCols;
            boolean over = overparametrized;
            Arbitrary<int[]> dims = Combinators.combine(Arbitraries.integers().between(1, hr - 1),
                    Arbitraries.integers().between(1, hr - 1), Arbitraries.integers().between(1, hc - 1),
                    Arbitraries.integers().between(1, hc - 1), Arbitraries.integers().between(minRank, maxRank))
                    .as((n1, n2, m1, m2, r) -> {
                        int b2 = split(n1, n2, lr, hr), c2 = split(m1, m2, lc, hc);
                        int rank = over ? r : Math.min(r, Math.min(n1 + b2, m1 + c2));
                        return new int[] {n1, b2, m1, c2, rank};
                    });
            Arbitrary<List<Integer>> p = quarters(1, 4, 4, maxRows - 1), q = quarters(1, 4, 4, maxCols - 1);
            Arbitrary<List<Integer>> b = quarters(16, 24, 16, (maxRows - 1) * (maxCols - 1));
            Arbitrary<Integer> scale = Arbitraries.of(values).map(v -> Math.max(-535, Math.floorDiv(v.log2Target(), 2)));
            return Combinators.combine(dims, p, q, b, scale).as((d, pk, qk, bk, s) -> blockSaddle(d, pk, qk, bk, s, hc - 1));
        }

        /** Exact factorisations, origins and (when 2×2 is allowed) block saddles: all first-order stationary. */
        public Arbitrary<Point> stationaryPoints() {
            List<Arbitrary<Point>> kinds = new ArrayList<>(List.of(exactFactorizations(), origins()));
            if (maxRows >= 2 && maxCols >= 2) {
                kinds.add(blockSaddles());
            }
            return Arbitraries.oneOf(kinds);
        }

        /** Random points and every stationary kind. */
        public Arbitrary<Point> points() {
            List<Arbitrary<Point>> kinds = new ArrayList<>(List.of(randomPoints()));
            kinds.add(stationaryPoints());
            return Arbitraries.oneOf(kinds);
        }

        private void check() {
            if (!overparametrized && minRank > Math.min(minRows, minCols)) {
                throw new IllegalArgumentException("rank at least " + minRank + " needs at least that many rows and columns ("
                        + minRows + " and " + minCols + " allowed), or overparametrized(true)");
            }
        }

        /** Rows and columns as subsets of the grid's, rank capped at min(n, m) unless overparametrised. */
        private Arbitrary<Selection> selections() {
            check();
            Arbitrary<Set<Integer>> rs = Arbitraries.subsetOf(list(maxRows)).ofMinSize(minRows).ofMaxSize(maxRows);
            Arbitrary<Set<Integer>> cs = Arbitraries.subsetOf(list(maxCols)).ofMinSize(minCols).ofMaxSize(maxCols);
            boolean over = overparametrized;
            return Combinators.combine(rs, cs, Arbitraries.integers().between(minRank, maxRank)).as((a, c, r) ->
                    new Selection(sorted(a), sorted(c), over ? r : Math.min(r, Math.min(a.size(), c.size()))));
        }

        private Arbitrary<Grid> anyGrid(int rows, int cols, List<Values> vs) {
            List<ZeroPattern> zs = zeros;
            return choose(vs, v -> choose(zs, z -> grid(rows, cols, v, z)));
        }
    }

    // ------------------------------------------------------------------ parts

    /** The chosen rows and columns of the grids (sorted), and the rank. */
    private record Selection(int[] rows, int[] cols, int rank) {
    }

    /**
     * A rows×cols grid of entries (row-major) with its zero pattern; a case's matrices are sub-grids, so dropping any
     * row or column keeps the others' entries (what makes a counterexample shrink to the entry that matters).
     */
    private record Grid(double[] a, int cols, ZeroPattern zeros, int splitRow, int splitCol) {
        DenseMatrix select(int[] rows, int[] cs) {
            int n = rows.length, m = cs.length;
            int sa = Math.min(splitRow, n), sb = Math.min(splitCol, m);
            double[] out = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    boolean zero = zeros.type == ZeroPattern.Type.BLOCK && ZeroPattern.offDiagonal(i, j, sa, sb);
                    out[i * m + j] = zero ? 0.0 : a[rows[i] * cols + cs[j]];
                }
            }
            return new DenseMatrix(n, m, out);
        }
    }

    /**
     * Every pattern builds the same structure (per entry a zero flag and a value; a split), so that the shrinking
     * distances of all patterns have one length: jqwik's flatMap drops a candidate whose distance is longer, which would
     * stop a choice of pattern from shrinking toward the first.
     */
    private static Arbitrary<Grid> grid(int rows, int cols, Values v, ZeroPattern z) {
        // zero first: jqwik shrinks a frequency choice toward its first alternative, i.e. toward fewer non-zeros
        Arbitrary<Boolean> zero = z.type == ZeroPattern.Type.RANDOM
                ? Arbitraries.frequency(Tuple.of(z.percent, true), Tuple.of(100 - z.percent, false)) : Arbitraries.just(false);
        Arbitrary<Double> entry = Combinators.combine(zero, v.arbitrary()).as((isZero, x) -> isZero ? 0.0 : x);
        Arbitrary<double[]> entries = entry.list().ofSize(rows * cols)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
        boolean block = z.type == ZeroPattern.Type.BLOCK;
        Arbitrary<Integer> sa = block ? Arbitraries.integers().between(0, rows) : Arbitraries.just(0);
        Arbitrary<Integer> sb = block ? Arbitraries.integers().between(0, cols) : Arbitraries.just(0);
        return Combinators.combine(entries, sa, sb).as((a, i, j) -> new Grid(a, cols, z, i, j));
    }

    /** One option drawn from several (shrinking toward the first), without a flatMap when there is only one. */
    private static <T, U> Arbitrary<U> choose(List<T> options, Function<T, Arbitrary<U>> f) {
        return options.size() == 1 ? f.apply(options.get(0)) : Arbitraries.of(options).flatMap(f::apply);
    }

    /** Fixed-size lists of integers k in [lo, hi] shrinking toward target (entries k/4 of a block saddle). */
    private static Arbitrary<List<Integer>> quarters(int lo, int hi, int target, int size) {
        return Arbitraries.integers().between(lo, hi).shrinkTowards(target).list().ofSize(size);
    }

    /**
     * W ← 2^t·W, H ← 2^−t·H with t = ⌊(⌊log₂ max H⌋ − ⌊log₂ max W⌋)/2⌋: WH is unchanged, and exactly so (a power of two;
     * W's entries are k·2^e with k &lt; 2³¹ and H's small integers, so neither side under- or overflows).
     */
    private static void balance(DenseMatrix w, DenseMatrix h) {
        double mw = max(w), mh = max(h);
        if (mw == 0) {
            return;
        }
        // H = 0 (so V = 0): W to [1, 2)
        int t = mh == 0 ? -exponent(mw) : Math.floorDiv(Math.getExponent(mh) - exponent(mw), 2);
        double[] a = w.data(), b = h.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.scalb(a[i], t);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.scalb(b[i], -t);
        }
    }

    /** ⌊log₂ x⌋ for x &gt; 0, subnormals included (Math.getExponent gives −1023 for all of them). */
    private static int exponent(double x) {
        return x >= Double.MIN_NORMAL ? Math.getExponent(x) : Math.getExponent(x * 0x1p54) - 54;
    }

    private static double max(DenseMatrix a) {
        double m = 0;
        for (double x : a.data()) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** The second block's size given the first's, within [min, max] in total. */
    private static int split(int first, int second, int min, int max) {
        int s = Math.min(second, max - first);
        return first + s < min ? min - first : s;
    }

    private static Point blockSaddle(int[] d, List<Integer> pk, List<Integer> qk, List<Integer> bk, int s, int bCols) {
        int n1 = d[0], n2 = d[1], m1 = d[2], m2 = d[3], r = d[4], n = n1 + n2, m = m1 + m2;
        double c = Math.scalb(1.0, s), c2 = Math.scalb(1.0, 2 * s);
        DenseMatrix v = DenseMatrix.zeros(n, m), w = DenseMatrix.zeros(n, r), h = DenseMatrix.zeros(r, m);
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < m1; j++) {
                // (p_i/4)(q_j/4)·c²: an exact multiple of 2^(2s−4) ≥ 2^−1074
                v.set(i, j, (pk.get(i) * qk.get(j)) / 16.0 * c2);
            }
        }
        for (int i = 0; i < n2; i++) {
            for (int j = 0; j < m2; j++) {
                v.set(n1 + i, m1 + j, bk.get(i * bCols + j) / 4.0 * c2);
            }
        }
        for (int i = 0; i < n1; i++) {
            w.set(i, 0, pk.get(i) / 4.0 * c);
        }
        for (int j = 0; j < m1; j++) {
            h.set(0, j, qk.get(j) / 4.0 * c);
        }
        return new Point(Point.Kind.BLOCK_SADDLE, v, w, h);
    }

    private static void checkRange(String what, int min, int max, int cap) {
        if (min < 1 || min > max || max > cap) {
            throw new IllegalArgumentException(what + ": need 1 <= min <= max <= " + cap + ", got [" + min + ", " + max + "]");
        }
    }

    private static List<Integer> list(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static int[] sorted(Set<Integer> s) {
        return s.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static int[] range(int n) {
        return IntStream.range(0, n).toArray();
    }

    /** V's rows for a sample's description (jqwik prints samples with toString). */
    static String rows(DenseMatrix a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.rows(); i++) {
            double[] row = Arrays.copyOfRange(a.data(), i * a.cols(), (i + 1) * a.cols());
            sb.append(i > 0 ? ", " : "").append(Arrays.toString(row));
        }
        return sb.append(']').toString();
    }
}
