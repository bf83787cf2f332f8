package com.example.nmfconsumer;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.StopReason;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The user's own toy solver: Lee and Seung's multiplicative updates H ← H∘(WᵀV)/(WᵀWH), W ← W∘(VHᵀ)/(WHHᵀ), written
 * here from scratch and plugged into nmf-oracle through its {@link Solver} interface.
 */
final class Toy implements Solver {
    @Override
    public String name() {
        return "toy-lee-seung";
    }

    @Override
    public SolveResult solve(DenseMatrix v, SolverOptions o) {
        long t0 = System.nanoTime();
        int n = v.rows(), m = v.cols(), r = o.rank();
        DenseMatrix w, h;
        if (o.initial() != null) {
            w = o.initial().w().copy();
            h = o.initial().h().copy();
        } else {
            // positive random start on the scale of V
            double mean = 0;
            for (double x : v.data()) {
                mean += x;
            }
            double scale = Math.sqrt(Math.max(mean / (n * m), 1e-12) / r);
            SplittableRandom rnd = new SplittableRandom(o.seed());
            w = DenseMatrix.zeros(n, r);
            h = DenseMatrix.zeros(r, m);
            for (double[] a : new double[][] {w.data(), h.data()}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = scale * (0.1 + rnd.nextDouble());
                }
            }
        }
        double f = objective(v, w, h);
        int it = 0;
        StopReason why = StopReason.MAX_ITERATIONS;
        while (it < o.maxIterations()) {
            DenseMatrix wt = w.transpose();
            h = update(h, times(wt, v), times(times(wt, w), h));
            DenseMatrix ht = h.transpose();
            w = update(w, times(v, ht), times(w, times(h, ht)));
            it++;
            double g = objective(v, w, h);
            boolean small = o.objectiveTolerance() > 0 && Math.abs(f - g) <= o.objectiveTolerance() * f;
            f = g;
            if (small) {
                why = StopReason.OBJECTIVE_TOLERANCE;
                break;
            }
        }
        double norm = v.frobeniusNorm();
        // exponent 0, no flushed entries: this solver works on V as given, so f is F in the units of V
        return new SolveResult(name(), w, h, List.of(), why, it, f, norm == 0 ? 0 : Math.sqrt(f) / norm,
                (System.nanoTime() - t0) / 1e9, 0, 0L);
    }

    /** x ∘ num / den entrywise; an entry whose denominator is 0 stays as it is. */
    static DenseMatrix update(DenseMatrix x, DenseMatrix num, DenseMatrix den) {
        DenseMatrix out = x.copy();
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                double d = den.get(i, j);
                if (d > 0) {
                    out.set(i, j, x.get(i, j) * num.get(i, j) / d);
                }
            }
        }
        return out;
    }

    static DenseMatrix times(DenseMatrix a, DenseMatrix b) {
        DenseMatrix c = DenseMatrix.zeros(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int k = 0; k < a.cols(); k++) {
                double x = a.get(i, k);
                for (int j = 0; j < b.cols(); j++) {
                    c.set(i, j, c.get(i, j) + x * b.get(k, j));
                }
            }
        }
        return c;
    }

    static double objective(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        DenseMatrix wh = times(w, h);
        double s = 0;
        for (int i = 0; i < v.data().length; i++) {
            double d = v.data()[i] - wh.data()[i];
            s += d * d;
        }
        return s;
    }
}
