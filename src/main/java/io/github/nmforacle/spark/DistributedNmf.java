package io.github.nmforacle.spark;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.MultiplicativePath;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.solve.ConcurrentMwu;
import io.github.nmforacle.solve.MultiplicativeUpdates;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Starts;
import io.github.nmforacle.solve.StopReason;
import io.github.nmforacle.solve.TraceRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * The distributed engine of issue 15: V in row blocks ({@link BlockedMatrix}) with W's rows beside them, H on the
 * driver and broadcast. One concurrent iteration is one pass over V ({@link BlockPass}): each block gives V_b·Hᵀ (its
 * rows of the W update) and W_bᵀV_b, W_bᵀW_b, which the driver sums for the H update. The alternating {@code mu}
 * needs the products of the new W before it can update H: a second pass.
 *
 * <p>Semantics are those of the single-JVM solvers of the same name ({@code mu-concurrent}, {@code mwu-adaptive},
 * {@code mu}): the same normalisation V' = 2^{-2e} V, the same start for a seed (ΣV and ‖V‖² are summed in the
 * single-JVM order, {@link OrderedSums}), the same updates, line search and stopping rules. The block sums are added
 * on the driver in block order, so a run's bits do not depend on task scheduling (treeAggregate merges in the order
 * tasks finish); they differ from the single-JVM bits by the rounding of the changed summation order (README, issue 15).
 *
 * <p>Checkpoints every k iterations ({@link Checkpoints}) let a killed run resume with at most k iterations lost, to
 * the same bits as an uninterrupted run.
 */
public final class DistributedNmf {
    /** Passes between lineage cuts (W's blocks re-parallelised from the driver) when no checkpoint cuts it. */
    static final int LINEAGE_PERIOD = 25;

    private final JavaSparkContext sc;
    private final BlockedMatrix v;
    private final List<int[]> ranges;     // per block: first row, rows
    private final LongAccumulator visits;

    public DistributedNmf(JavaSparkContext sc, BlockedMatrix v) {
        this.sc = sc;
        this.v = v;
        this.ranges = v.blocks().map(b -> new int[]{b.firstRow(), b.rows()}).collect();
        this.visits = sc.sc().longAccumulator("nmf-oracle block visits");
    }

    /** The algorithms this engine runs. */
    public static List<String> names() {
        return List.of("mu-concurrent", "mwu-adaptive", "mu");
    }

    /** Where and how often to checkpoint; {@code every} = 0 for never. */
    public record CheckpointOptions(Path directory, int every, boolean resume) {
        public static CheckpointOptions none() {
            return new CheckpointOptions(null, 0, false);
        }
    }

    /**
     * A distributed run: the result as the single-JVM solver reports it, the passes over V its iterations made
     * (block visits / blocks, the measurement of the final iterate included) and the iteration it resumed from (−1
     * for a fresh start).
     */
    public record Outcome(SolveResult result, double passes, int updates, int resumedFrom) {
        /** Passes over V per update, the start's measurement pass not counted. */
        public double passesPerIteration() {
            return updates == 0 ? Double.NaN : (passes - 1) / updates;
        }
    }

    /** The row blocks of V with their first rows and sizes. */
    List<int[]> ranges() {
        return ranges;
    }

    public SolveResult solve(String algorithm, SolverOptions o) {
        return run(algorithm, o, CheckpointOptions.none()).result();
    }

    /** Runs {@code algorithm} (one of {@link #names()}) on V with the options of the single-JVM solvers. */
    public Outcome run(String algorithm, SolverOptions o, CheckpointOptions ck) {
        if (!names().contains(algorithm)) {
            throw new IllegalArgumentException("unknown algorithm '" + algorithm + "' for the distributed engine, expected one of " + names());
        }
        int n = v.n(), m = v.m(), r = o.rank();
        if (r > Math.min(n, m)) {
            throw new IllegalArgumentException("rank " + r + " is outside [1, min(n, m)] = [1, " + Math.min(n, m)
                    + "] for a " + n + "x" + m + " matrix");
        }
        long t0 = System.nanoTime();
        Setup s = setup(algorithm, o);
        Engine engine = new Engine(algorithm, s, o, ck);
        return engine.loop(t0);
    }

    /** V' (or V'' = V'/C² for mwu), its statistics and the start. */
    private record Setup(int exponent, long flushed, JavaRDD<RowBlock> plain, JavaRDD<RowBlock> data, double vNormSquared,
                         double scaledNormSquared, double c, double[] w, double[] h) {
    }

    private Setup setup(String algorithm, SolverOptions o) {
        int n = v.n(), m = v.m(), r = o.rank();
        // Scaling of the single-JVM solvers: e from max V (exact in any order), V' = 2^{-2e} V
        double max = v.blocks().map(RowBlock::max).reduce(Math::max);
        if (!(max > 0)) {
            throw new IllegalArgumentException("V is the zero matrix: nothing to factorise");
        }
        int e = Math.floorDiv(log2(max), 2);
        long flushed = v.blocks().map(b -> b.flushedBy(-2 * e)).reduce(Long::sum);
        JavaRDD<RowBlock> scaled = e == 0 && flushed == 0 ? v.blocks()
                : v.blocks().map(b -> b.scaled(-2 * e, 1.0)).persist(StorageLevel.MEMORY_ONLY());
        OrderedSums sums = orderedSums(scaled);
        FactorPair init = o.initial();
        if (init != null) {
            requireStart(init, n, m, r);
            init = new FactorPair(scalb(init.w(), -e), scalb(init.h(), -e));
        }
        if (algorithm.equals("mwu-adaptive")) {
            double c = ConcurrentMwu.constant(2.0 * NmfProblem.simplexThreshold(n, m, r, sums.sumSquares));
            double s = 1.0 / (c * c);
            JavaRDD<RowBlock> onSimplex = scaled.map(b -> b.scaled(0, s)).persist(StorageLevel.MEMORY_ONLY());
            double[][] x = Starts.simplex(n, m, r, o.seed(), init);
            return new Setup(e, flushed, scaled, onSimplex, sums.sumSquares, orderedSums(onSimplex).sumSquares, c, x[0], x[1]);
        }
        FactorPair start = init != null ? init : Starts.randomPositive(n, m, r, sums.sum, o.seed());
        return new Setup(e, flushed, scaled, scaled, sums.sumSquares, sums.sumSquares, 1.0,
                start.w().data().clone(), start.h().data().clone());
    }

    private static void requireStart(FactorPair init, int n, int m, int r) {
        if (init.w().rows() != n || init.w().cols() != r) {
            throw new IllegalArgumentException("W0 is " + init.w().shape() + ", expected " + n + "x" + r + " (n x r)");
        }
        if (init.h().rows() != r || init.h().cols() != m) {
            throw new IllegalArgumentException("H0 is " + init.h().shape() + ", expected " + r + "x" + m + " (r x m)");
        }
        try {
            NmfProblem.requireFinite(init.w(), true);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("W0: " + ex.getMessage(), ex);
        }
        try {
            NmfProblem.requireFinite(init.h(), true);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("H0: " + ex.getMessage(), ex);
        }
    }

    /** ΣV and ΣV² in row-major order: the sums carried through the blocks one job at a time. */
    private OrderedSums orderedSums(JavaRDD<RowBlock> data) {
        OrderedSums acc = new OrderedSums();
        for (int b = 0; b < v.count(); b++) {
            final int block = b;
            final OrderedSums in = acc;
            acc = data.mapPartitionsWithIndex((idx, it) -> {
                if (idx != block) {
                    return java.util.Collections.emptyIterator();
                }
                it.next().feed(in);     // `in` is this task's deserialised copy
                return java.util.Collections.singletonList(in).iterator();
            }, true).collect().get(0);
        }
        return acc;
    }

    /** ⌊log₂ x⌋ for finite x &gt; 0 (as io.github.nmforacle.solve.Scaling). */
    private static int log2(double x) {
        return x >= Double.MIN_NORMAL ? Math.getExponent(x) : Math.getExponent(x * 0x1p54) - 54;
    }

    static DenseMatrix scalb(DenseMatrix a, int p) {
        double[] d = a.data();
        double[] s = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            s[i] = Math.scalb(d[i], p);
        }
        return new DenseMatrix(a.rows(), a.cols(), s);
    }

    /** The state of one distributed run and its loop (the loop of the single-JVM IterativeSolver). */
    private final class Engine {
        final String algorithm;
        final boolean mwu;
        final boolean alternating;
        final Setup s;
        final SolverOptions o;
        final CheckpointOptions ck;
        final int n;
        final int m;
        final int r;
        final double[] h;
        double[] wtv;
        double[] wtw;
        double[] hht;
        double[] gh;
        boolean wtvValid;
        int updates;
        double step = Double.NaN;
        double pendingEps = Double.NaN;
        double pendingZ = Double.NaN;
        List<BlockPass.Parts> last;
        JavaRDD<BlockPass.Result> states;
        final List<Broadcast<BlockPass.Input>> broadcasts = new ArrayList<>();
        int passesSinceCut;

        Engine(String algorithm, Setup s, SolverOptions o, CheckpointOptions ck) {
            this.algorithm = algorithm;
            this.mwu = algorithm.equals("mwu-adaptive");
            this.alternating = algorithm.equals("mu");
            this.s = s;
            this.o = o;
            this.ck = ck;
            this.n = v.n();
            this.m = v.m();
            this.r = o.rank();
            this.h = s.h();
            setW(s.w());
        }

        /** W's blocks as a fresh RDD of states (cuts the lineage). */
        void setW(double[] w) {
            List<BlockPass.Result> list = new ArrayList<>();
            for (int[] rg : ranges) {
                double[] wb = new double[rg[1] * r];
                System.arraycopy(w, rg[0] * r, wb, 0, wb.length);
                list.add(new BlockPass.Result(new BlockPass.State(wb, null, null), null));
            }
            replaceStates(sc.parallelize(list, list.size()));
        }

        /**
         * States that do not depend on the current ones (re-parallelised from the driver), checkpointed locally so that
         * the tasks of the passes do not ship W's blocks from the driver (see BlockedMatrix.of).
         */
        void replaceStates(JavaRDD<BlockPass.Result> next) {
            JavaRDD<BlockPass.Result> old = states;
            states = next.persist(StorageLevel.MEMORY_AND_DISK());
            states.rdd().localCheckpoint();
            states.count();
            if (old != null) {
                old.unpersist(false);
            }
        }

        /** The blocks' states in block order. */
        List<BlockPass.State> collectStates() {
            return states.map(BlockPass.Result::state).collect();
        }

        /** W_t (the iterate the last pass measured), on the normalised scale of the run. */
        double[] currentW() {
            double[] w = new double[n * r];
            List<BlockPass.State> st = collectStates();
            for (int b = 0; b < st.size(); b++) {
                double[] wb = st.get(b).w();
                System.arraycopy(wb, 0, w, ranges.get(b)[0] * r, wb.length);
            }
            return w;
        }

        /** Cuts the lineage: W's states re-parallelised from the driver, old broadcasts released. */
        void cutLineage() {
            List<BlockPass.State> st = collectStates();
            List<BlockPass.Result> list = new ArrayList<>();
            for (BlockPass.State x : st) {
                list.add(new BlockPass.Result(x, null));
            }
            replaceStates(sc.parallelize(list, list.size()));
            for (Broadcast<BlockPass.Input> b : broadcasts) {
                b.destroy();
            }
            broadcasts.clear();
            passesSinceCut = 0;
        }

        /** One pass over V: every block visited once, its parts returned in block order. */
        List<BlockPass.Parts> pass(BlockPass.Kind kind, boolean wantWtv) {
            hht = Kernels.crossRows(h, h, r, m);
            BlockPass.Input in = new BlockPass.Input(kind, r, h.clone(), hht, wantWtv, pendingEps, pendingZ, s.c());
            Broadcast<BlockPass.Input> bc = sc.broadcast(in);
            broadcasts.add(bc);
            JavaRDD<BlockPass.Result> out = s.data().zipPartitions(states, new BlockPass(bc, visits))
                    .persist(StorageLevel.MEMORY_ONLY());
            List<BlockPass.Parts> parts = out.map(BlockPass.Result::parts).collect();
            // only now may the previous states go: unpersisted earlier, they would be recomputed along the lineage
            states.unpersist(false);
            states = out;
            pendingEps = Double.NaN;
            pendingZ = Double.NaN;
            if (++passesSinceCut >= LINEAGE_PERIOD) {
                cutLineage();
            }
            return parts;
        }

        double[] sumArrays(List<BlockPass.Parts> parts, Function<BlockPass.Parts, double[]> f) {
            double[] acc = f.apply(parts.get(0)).clone();
            for (int b = 1; b < parts.size(); b++) {
                double[] x = f.apply(parts.get(b));
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += x[i];
                }
            }
            return acc;
        }

        double sum(List<BlockPass.Parts> parts, java.util.function.ToDoubleFunction<BlockPass.Parts> f) {
            double acc = 0;
            for (BlockPass.Parts p : parts) {
                acc += f.applyAsDouble(p);
            }
            return acc;
        }

        /** Objective and first-order residual of iterate t (normalised scale), after its measurement pass. */
        double[] measure(boolean first) {
            if (mwu) {
                last = pass(BlockPass.Kind.MWU, !wtvValid);
                if (!wtvValid) {
                    wtv = sumArrays(last, BlockPass.Parts::wtv);
                    wtvValid = true;
                }
            } else if (alternating) {
                // first pass (or resumed): Wᵀ·V of W_t too; later it comes from the previous iteration's second pass
                last = pass(BlockPass.Kind.MU_W_HALF, first);
                if (first) {
                    wtv = sumArrays(last, BlockPass.Parts::wtv);
                    wtw = sumArrays(last, BlockPass.Parts::wtw);
                }
            } else {
                last = pass(BlockPass.Kind.MU_CONCURRENT, true);
                wtv = sumArrays(last, BlockPass.Parts::wtv);
            }
            if (!alternating) {
                wtw = sumArrays(last, BlockPass.Parts::wtw);
            }
            double[] dh = new double[r * m];
            Kernels.mulSmallLeft(wtw, r, h, m, dh);
            gh = new double[r * m];
            NmfProblem.gradientFromParts(wtv, dh, gh);
            double f = NmfProblem.objectiveFromParts(s.scaledNormSquared(), sum(last, BlockPass.Parts::vhtDotW), wtw, hht, r);
            double c = s.c(), c2 = c * c;
            double resW = sum(last, BlockPass.Parts::residualW);
            double res = resW + BlockPass.residual(h, gh, c, mwu ? c2 * c : 1.0);
            return new double[]{mwu ? c2 * c2 * f : f, Math.sqrt(res)};
        }

        /** Moves to iterate t+1; null, or why it cannot. */
        StopReason advance() {
            if (mwu) {
                return advanceMwu();
            }
            if (alternating) {
                // the H update needs Wᵀ_{t+1}V and Wᵀ_{t+1}W_{t+1}: the second pass over V
                List<BlockPass.Parts> second = pass(BlockPass.Kind.MU_PRODUCTS_OF_NEW_W, true);
                wtv = sumArrays(second, BlockPass.Parts::wtv);
                wtw = sumArrays(second, BlockPass.Parts::wtw);
            }
            double[] den = new double[r * m];
            Kernels.mulSmallLeft(wtw, r, h, m, den);
            MultiplicativeUpdates.multiply(h, wtv, den);
            return null;
        }

        /** mwu-adaptive's step as ConcurrentMwu chooses it, from the summed parts; W's rows take it in the next pass. */
        StopReason advanceMwu() {
            double[] bounds = {0, 0};
            for (BlockPass.Parts p : last) {
                bounds[0] = Math.max(bounds[0], p.bound0());
                bounds[1] = Math.max(bounds[1], p.bound1());
            }
            double[] qh = new double[r * m];
            ConcurrentMwu.weightedParts(h, gh, qh, null, bounds, Parallel.sequential());
            double gmax = bounds[0], gabs = bounds[1];
            if (gabs == 0) {
                return StopReason.NO_DESCENT;
            }
            double epsMax = 1.0 / (gmax > 0 ? gmax : gabs);
            double[] ptv = sumArrays(last, BlockPass.Parts::ptv);
            MultiplicativePath path = MultiplicativePath.fromParts(s.scaledNormSquared(), r, m, h, qh,
                    sum(last, BlockPass.Parts::vhtDotW), sum(last, BlockPass.Parts::vhtDotP), sum(last, BlockPass.Parts::sumP),
                    wtv, ptv, wtw, sumArrays(last, BlockPass.Parts::wtp), sumArrays(last, BlockPass.Parts::ptp), hht);
            double eps = ConcurrentMwu.backtrack(ConcurrentMwu.FIRST_FRACTION * epsMax, path::change,
                    e -> path.normaliser(e) > 0, false);
            if (Double.isNaN(eps)) {
                return StopReason.NO_DESCENT;
            }
            double z = path.normaliser(eps);   // the Z the line search evaluated, as the single-JVM mwu-adaptive
            ConcurrentMwu.step(h, gh, eps, z, h);
            updates++;
            wtvValid = ConcurrentMwu.updateProduct(updates, wtv, ptv, eps, z);
            step = eps;
            pendingEps = eps;
            pendingZ = z;
            return null;
        }

        /** The point C·x (mwu) or (W, H), on the normalised scale. */
        FactorPair point(double[] w) {
            double c = s.c();
            double[] ws = w.clone();
            double[] hs = h.clone();
            if (mwu) {
                for (int i = 0; i < ws.length; i++) {
                    ws[i] *= c;
                }
                for (int i = 0; i < hs.length; i++) {
                    hs[i] *= c;
                }
            }
            return new FactorPair(new DenseMatrix(n, r, ws), new DenseMatrix(r, m, hs));
        }

        Outcome loop(long t0) {
            List<TraceRow> trace = new ArrayList<>();
            double residual0 = 0;
            double previous = Double.NaN;
            int t = 0;
            int resumedFrom = -1;
            if (ck.resume() && ck.directory() != null) {
                Checkpoints.State st = Checkpoints.latest(ck.directory(), algorithm, n, m, r, s.exponent());
                if (st != null) {
                    t = st.iteration();
                    resumedFrom = t;
                    trace.addAll(st.trace());
                    residual0 = st.residual0();
                    previous = st.previous();
                    updates = st.updates();
                    step = st.step();
                    System.arraycopy(st.h(), 0, h, 0, h.length);
                    setW(st.w());
                    if (st.wtv() != null) {
                        wtv = st.wtv();
                        wtvValid = true;
                    }
                }
            }
            double vNorm = Math.sqrt(s.vNormSquared());
            int e = s.exponent();
            long visits0 = visits.value();
            boolean first = true;
            StopReason reason;
            while (true) {
                double[] mm = measure(first);
                first = false;
                double seconds = (System.nanoTime() - t0) * 1e-9;
                double relErr = vNorm > 0 ? Math.sqrt(Math.max(mm[0], 0)) / vNorm : 0;
                TraceRow row = new TraceRow(t, mm[0], relErr, mm[1], step, seconds, e, 0);
                trace.add(row);
                if (o.listener() != null) {
                    Supplier<FactorPair> userPoint = () -> {
                        FactorPair x = point(currentW());
                        return new FactorPair(scalb(x.w(), e), scalb(x.h(), e));
                    };
                    o.listener().onIterate(row, userPoint);
                }
                if (o.stopWhen() != null && o.stopWhen().test(row)) {
                    reason = StopReason.CONDITION_MET;
                    break;
                }
                if (t == 0) {
                    residual0 = mm[1];
                }
                StopReason stop = o.stopReason(t, mm[0], mm[1], residual0, previous, System.nanoTime() - t0);
                if (stop != null) {
                    reason = stop;
                    break;
                }
                if (ck.every() > 0 && ck.directory() != null && t % ck.every() == 0 && t != resumedFrom) {
                    Checkpoints.write(ck.directory(), new Checkpoints.State(algorithm, n, m, r, e, t, updates, step,
                            previous, residual0, currentW(), h.clone(), mwu ? wtv.clone() : null,
                            new ArrayList<>(trace.subList(0, trace.size() - 1))));
                    cutLineage();
                }
                StopReason rs = advance();
                if (rs != null) {
                    reason = rs;
                    break;
                }
                previous = mm[0];
                t++;
            }
            double passes = (double) (visits.value() - visits0) / v.count();
            int done = t - Math.max(resumedFrom, 0);
            FactorPair x = point(currentW());
            double f = residualNormSquared(x);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            DenseMatrix w = scalb(x.w(), e);
            DenseMatrix hh = scalb(x.h(), e);
            if (!w.allFinite() || !hh.allFinite()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the factors found do not fit the double"
                        + " range on the scale of V (W and H are 2^%d times factors of the normalised V)", algorithm, e));
            }
            for (Broadcast<BlockPass.Input> b : broadcasts) {
                b.destroy();
            }
            broadcasts.clear();
            states.unpersist(false);
            SolveResult res = new SolveResult(algorithm, w, hh, trace, reason, t, f,
                    vNorm > 0 ? Math.sqrt(f) / vNorm : 0, seconds, e, s.flushed());
            return new Outcome(res, passes, done, resumedFrom);
        }

        /** F = ‖V' − WH‖²_F of the final point, summed entry by entry over the blocks (a pass not counted above). */
        double residualNormSquared(FactorPair x) {
            double[] hs = x.h().data();
            List<double[]> wb = new ArrayList<>();
            for (int b = 0; b < ranges.size(); b++) {
                double[] wr = new double[ranges.get(b)[1] * r];
                System.arraycopy(x.w().data(), ranges.get(b)[0] * r, wr, 0, wr.length);
                wb.add(wr);
            }
            Broadcast<List<double[]>> bw = sc.broadcast(wb);
            Broadcast<double[]> bh = sc.broadcast(hs);
            JavaRDD<RowBlock> data = s.plain();
            int rank = r;       // a local: the closure must not capture the engine
            List<Double> parts = data.mapPartitionsWithIndex((idx, it) -> {
                RowBlock blk = it.next();
                return java.util.Collections.singletonList(blk.residualNormSquared(bw.value().get(idx), rank, bh.value()))
                        .iterator();
            }, true).collect();
            bw.destroy();
            bh.destroy();
            double f = 0;
            for (double p : parts) {
                f += p;
            }
            return f;
        }
    }
}
