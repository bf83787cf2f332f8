package io.github.nmforacle.testkit;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import java.util.SplittableRandom;

/** Generators of data matrices V, reproducible from a seed. */
public final class Instances {
    private Instances() {
    }

    /** A planted instance V = W₀H₀ with W₀ (n×r) and H₀ (r×m) entries uniform in [0, 1). */
    public static Planted planted(int n, int m, int r, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[n * r];
        double[] h = new double[r * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextDouble();
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = rnd.nextDouble();
        }
        double[] ht = new DenseMatrix(r, m, h).transpose().data();
        double[] v = new double[n * m];
        // V = W₀·H₀ = W₀·(H₀ᵀ)ᵀ, one of the project's kernels.
        Kernels.mulABt(w, n, r, ht, m, v, Parallel.sequential());
        return new Planted(new DenseMatrix(n, m, v), new DenseMatrix(n, r, w), new DenseMatrix(r, m, h));
    }

    /**
     * V = |W₀H₀ ∘ (1 + noise·N(0, 1))| entrywise, W₀, H₀ uniform in [0, 1) (drawn in that order, then one Gaussian per
     * entry of V, row-major): the planted instances with relative noise of issue 13's benchmarks.
     */
    public static DenseMatrix plantedNoisy(int n, int m, int r, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[n * r], h = new double[r * m], v = new double[n * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextDouble();
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = rnd.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double x = 0;
                for (int k = 0; k < r; k++) {
                    x += w[i * r + k] * h[k * m + j];
                }
                v[i * m + j] = Math.abs(x * (1 + noise * rnd.nextGaussian()));
            }
        }
        return new DenseMatrix(n, m, v);
    }

    /** Entries uniform in [0, 1). */
    public static DenseMatrix uniform(int n, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[n * m];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble();
        }
        return new DenseMatrix(n, m, v);
    }

    /** A planted instance and its factors. */
    public record Planted(DenseMatrix v, DenseMatrix w0, DenseMatrix h0) {
    }
}
