package io.github.nmforacle.spark;

import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.solve.ConcurrentMwu;
import io.github.nmforacle.solve.MultiplicativeUpdates;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

/**
 * One visit of every row block V_b with its rows W_b of W: what the block contributes to one pass over V. The row-local
 * half of an update (W_b's rows need only V_b, H and H·Hᵀ) is done here; the r×m and r×r sums (Wᵀ·V, WᵀW, …) and the
 * scalars go to the driver as {@link Parts}. Each visit adds 1 to the pass counter.
 */
final class BlockPass implements FlatMapFunction2<Iterator<RowBlock>, Iterator<BlockPass.Result>, BlockPass.Result> {
    private static final long serialVersionUID = 1L;

    /** What a pass computes. */
    enum Kind {
        /** mu-concurrent: V_b·Hᵀ, W_bᵀV_b, W_bᵀW_b and W_{t+1,b} from the same (W_t, H_t). */
        MU_CONCURRENT,
        /** mu, first half: V_b·Hᵀ_t for iterate t's measurement and W_{t+1,b}; W_bᵀV_b only if asked (first pass). */
        MU_W_HALF,
        /** mu, second half: W_{t+1,b}ᵀV_b and W_{t+1,b}ᵀW_{t+1,b}, which the H update needs: the second pass. */
        MU_PRODUCTS_OF_NEW_W,
        /** mwu-adaptive: the pending step W_b(1 − εG_b)/Z, then V_b·Hᵀ, P_bᵀV_b (P = W∘∇_W F) and the Grams of W, P. */
        MWU
    }

    /** The driver's side of a pass: H, H·Hᵀ and the step parameters, broadcast once per pass. */
    record Input(Kind kind, int r, double[] h, double[] hht, boolean wantWtv, double eps, double z, double c)
            implements Serializable {
    }

    /** W_b and what the next pass needs of this one (G_b for mwu's pending step, W_{t+1,b} for mu). */
    record State(double[] w, double[] g, double[] wNext) implements Serializable {
        /** The current W_b of this state, i.e. the next pass's W_b before any pending mwu step. */
        double[] current() {
            return wNext != null ? wNext : w;
        }
    }

    /** A block's sums for the driver (null arrays where the pass does not compute them). */
    record Parts(int block, double[] wtv, double[] wtw, double[] ptv, double[] wtp, double[] ptp, double vhtDotW,
                 double vhtDotP, double sumP, double bound0, double bound1, double residualW)
            implements Serializable {
    }

    record Result(State state, Parts parts) implements Serializable {
    }

    private final Broadcast<Input> input;
    private final LongAccumulator visits;

    BlockPass(Broadcast<Input> input, LongAccumulator visits) {
        this.input = input;
        this.visits = visits;
    }

    @Override
    public Iterator<Result> call(Iterator<RowBlock> blocks, Iterator<Result> previous) {
        RowBlock v = blocks.next();
        State prev = previous.next().state();
        visits.add(1);
        return Collections.singletonList(visit(v, prev, input.value())).iterator();
    }

    static Result visit(RowBlock v, State prev, Input in) {
        int rows = v.rows(), m = v.cols(), r = in.r();
        double[] w = prev.current();
        if (in.kind() == Kind.MU_PRODUCTS_OF_NEW_W) {
            double[] wtv = new double[r * m];
            v.transposedTimes(w, r, wtv);
            Parts parts = new Parts(v.firstRow(), wtv, Kernels.crossCols(w, w, rows, r), null, null, null,
                    0, 0, 0, 0, 0, 0);
            return new Result(new State(w, null, null), parts);
        }
        if (in.kind() == Kind.MWU && prev.g() != null && !Double.isNaN(in.eps())) {
            // the step chosen on the driver, x_i ← x_i (1 − ε g_i) / Z, exactly as ConcurrentMwu
            double[] next = new double[w.length];
            ConcurrentMwu.step(w, prev.g(), in.eps(), in.z(), next);
            w = next;
        }
        double[] vht = new double[rows * r];
        v.timesTransposed(in.h(), r, vht);
        double[] wtv = null;
        if (in.wantWtv()) {
            wtv = new double[r * m];
            v.transposedTimes(w, r, wtv);
        }
        double[] wtw = in.kind() == Kind.MU_W_HALF && !in.wantWtv() ? null : Kernels.crossCols(w, w, rows, r);
        double[] den = new double[rows * r];
        Kernels.mulSmallRight(w, rows, r, in.hht(), den);
        double[] gw = new double[rows * r];
        NmfProblem.gradientFromParts(vht, den, gw);
        double vhtDotW = Kernels.dot(w, vht, rows * r);
        if (in.kind() == Kind.MWU) {
            double c = in.c(), c3 = c * c * c;
            double[] pw = new double[rows * r];
            double[] bounds = new double[2];
            double[] sums = ConcurrentMwu.weightedParts(w, gw, pw, vht, bounds, Parallel.sequential());
            double[] ptv = new double[r * m];
            v.transposedTimes(pw, r, ptv);
            Parts parts = new Parts(v.firstRow(), wtv, wtw, ptv, Kernels.crossCols(w, pw, rows, r),
                    Kernels.crossCols(pw, pw, rows, r), vhtDotW, sums[1], sums[0],
                    bounds[0], bounds[1], residual(w, gw, c, c3));
            return new Result(new State(w, gw, null), parts);
        }
        // Lee–Seung W update from (W_t, H_t): W ∘ (V Hᵀ) / (W H Hᵀ), kept where the denominator is 0 (as MultiplicativeUpdates)
        double[] next = w.clone();
        MultiplicativeUpdates.multiply(next, vht, den);
        Parts parts = new Parts(v.firstRow(), wtv, wtw, null, null, null, vhtDotW, 0, 0, 0, 0,
                residual(w, gw, 1.0, 1.0));
        return new Result(new State(w, null, next), parts);
    }

    /** Σ min(s·x, t·g)² over the block's entries of W: its share of the squared first-order residual. */
    static double residual(double[] x, double[] g, double xScale, double gScale) {
        return NmfProblem.residualSquares(x, g, xScale, gScale);
    }
}
