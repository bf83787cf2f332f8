package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.problem.FactorPair;
import java.util.SplittableRandom;

/**
 * The random starts of the solvers, from the shapes, the seed and (for the positive start) ΣV alone, so that an engine
 * that holds V in pieces (io.github.nmforacle.spark) draws exactly the start a single-JVM solver draws for the same seed.
 */
public final class Starts {
    private Starts() {
    }

    /**
     * Uniform entries in (0, 2·√(mean V / r)], mean V = ΣV/(nm), so that E[WH] matches the mean of V (scikit-learn's
     * scale); {@code sumOfV} is ΣV summed in row-major order (its bits fix the start's).
     */
    public static FactorPair randomPositive(int n, int m, int r, double sumOfV, long seed) {
        double mean = sumOfV / ((double) n * m);
        double scale = 2.0 * Math.sqrt(mean / r);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[n * r];
        double[] h = new double[r * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * (1.0 - rnd.nextDouble());
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = scale * (1.0 - rnd.nextDouble());
        }
        return new FactorPair(new DenseMatrix(n, r, w), new DenseMatrix(r, m, h));
    }

    /**
     * The start on Algorithm 1's unit simplex, {w, h}: the user's (W0, H0)/(ΣW0 + ΣH0), or Dirichlet(1, …, 1) from the
     * seed (shared by mwu, mwu-adaptive and mwu-orbit, so that a seed gives all three the same start).
     */
    public static double[][] simplex(int n, int m, int r, long seed, FactorPair initial) {
        double[] w;
        double[] h;
        if (initial != null) {
            double total = Kernels.sum(initial.w().data()) + Kernels.sum(initial.h().data());
            if (!(total > 0)) {
                throw new IllegalArgumentException("the initial factors are all zero: MWU cannot start from 0");
            }
            w = IterativeSolver.scaled(initial.w().data(), 1.0 / total);
            h = IterativeSolver.scaled(initial.h().data(), 1.0 / total);
        } else {
            // Uniform on the simplex: normalised standard exponentials (Dirichlet(1, ..., 1)).
            SplittableRandom rnd = new SplittableRandom(seed);
            w = new double[n * r];
            h = new double[r * m];
            double s = 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = -Math.log(1.0 - rnd.nextDouble());
                s += w[i];
            }
            for (int i = 0; i < h.length; i++) {
                h[i] = -Math.log(1.0 - rnd.nextDouble());
                s += h[i];
            }
            for (int i = 0; i < w.length; i++) {
                w[i] /= s;
            }
            for (int i = 0; i < h.length; i++) {
                h[i] /= s;
            }
        }
        return new double[][]{w, h};
    }
}
