package io.github.nmforacle.testkit;

import io.github.nmforacle.linalg.DenseMatrix;
import java.util.SplittableRandom;

/**
 * Generators of instances and points with known first- and second-order status, built from exact dyadic
 * rationals (every entry is k/4 or k/8), so that exact mode sees exactly the intended point. Plain code with a
 * seed: used by jqwik properties and runnable from the command line.
 */
public final class StationaryPoints {
    private StationaryPoints() {
    }

    /** A triple (V, W, H). */
    public record Case(String kind, DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        public int rank() {
            return w.cols();
        }
    }

    /** Entries k/4, k uniform in [lo, hi]. */
    static DenseMatrix dyadic(SplittableRandom rnd, int rows, int cols, int lo, int hi) {
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextInt(lo, hi + 1) / 4.0;
        }
        return new DenseMatrix(rows, cols, a);
    }

    /** Sets about {@code percent}% of the entries to zero. */
    static void sprinkleZeros(SplittableRandom rnd, int percent, DenseMatrix... as) {
        for (DenseMatrix a : as) {
            double[] d = a.data();
            for (int i = 0; i < d.length; i++) {
                if (rnd.nextInt(100) < percent) {
                    d[i] = 0;
                }
            }
        }
    }

    static DenseMatrix product(DenseMatrix w, DenseMatrix h) {
        int n = w.rows(), r = w.cols(), m = h.cols();
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += w.get(i, k) * h.get(k, j);
                }
                out[i * m + j] = s;   // exact: small dyadic products and sums
            }
        }
        return new DenseMatrix(n, m, out);
    }

    /**
     * A generic point: dyadic V in [0, 2], W and H in [0, 2] with about {@code zeroPercent}% zero entries. Almost
     * surely not a first-order stationary point (the generators of saddles below cover the stationary ones).
     */
    public static Case randomPoint(SplittableRandom rnd, int n, int m, int r, int zeroPercent) {
        DenseMatrix v = dyadic(rnd, n, m, 0, 8);
        DenseMatrix w = dyadic(rnd, n, r, 1, 8);
        DenseMatrix h = dyadic(rnd, r, m, 1, 8);
        sprinkleZeros(rnd, zeroPercent, w, h);
        return new Case("random", v, w, h);
    }

    /** An exact factorization V = W₀H₀ with positive dyadic factors: a global minimum (FOSP, SOSP). */
    public static Case exactFactorization(SplittableRandom rnd, int n, int m, int r) {
        DenseMatrix w = dyadic(rnd, n, r, 1, 8);
        DenseMatrix h = dyadic(rnd, r, m, 1, 8);
        return new Case("exact-factorization", product(w, h), w, h);
    }

    /** The origin W = H = 0 on a positive V: a FOSP (∇F = 0) and a saddle (d = (𝟙, 𝟙) ∈ K has q = −4⟨V, 𝟙𝟙ᵀ⟩ &lt; 0). */
    public static Case origin(SplittableRandom rnd, int n, int m, int r) {
        return new Case("origin", dyadic(rnd, n, m, 1, 8), DenseMatrix.zeros(n, r), DenseMatrix.zeros(r, m));
    }

    /**
     * A saddle with zero coordinates: V = diag(p qᵀ, B) (blocks n1×m1 and n2×m2), W = (p; 0) ⊕ zero columns,
     * H = (q, 0) ⊕ zero rows. Then R = diag(0, B), R Hᵀ = 0 and Wᵀ R = 0, so the point is an NMF FOSP whose zero
     * coordinates all have zero gradient (degenerate). With B ≥ 4 entrywise and p, q ≤ 1, the direction
     * dW = 𝟙 on the B rows (column 1), dH = 𝟙 on the B columns (row 1) lies in K and has
     * q = m1‖q‖²... + ... − 4ΣB &lt; 0 (proofs-notes/certifier.md, "Generators").
     */
    public static Case blockSaddle(SplittableRandom rnd, int n1, int m1, int n2, int m2, int r) {
        int n = n1 + n2, m = m1 + m2;
        DenseMatrix p = dyadic(rnd, n1, 1, 1, 4);
        DenseMatrix q = dyadic(rnd, 1, m1, 1, 4);
        DenseMatrix b = dyadic(rnd, n2, m2, 16, 24);
        double[] v = new double[n * m];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < m1; j++) {
                v[i * m + j] = p.get(i, 0) * q.get(0, j);
            }
        }
        for (int i = 0; i < n2; i++) {
            for (int j = 0; j < m2; j++) {
                v[(n1 + i) * m + m1 + j] = b.get(i, j);
            }
        }
        DenseMatrix w = DenseMatrix.zeros(n, r);
        DenseMatrix h = DenseMatrix.zeros(r, m);
        for (int i = 0; i < n1; i++) {
            w.set(i, 0, p.get(i, 0));
        }
        for (int j = 0; j < m1; j++) {
            h.set(0, j, q.get(0, j));
        }
        return new Case("block-saddle", new DenseMatrix(n, m, v), w, h);
    }

    /**
     * A non-stationary point near a FOSP: an exact factorization with one entry of W moved by 1/8 (so R ≠ 0 and
     * the gradient on the support is non-zero).
     */
    public static Case perturbedFactorization(SplittableRandom rnd, int n, int m, int r) {
        Case c = exactFactorization(rnd, n, m, r);
        DenseMatrix w = c.w().copy();
        int i = rnd.nextInt(n), k = rnd.nextInt(r);
        w.set(i, k, w.get(i, k) + 0.125);
        return new Case("perturbed", c.v(), w, c.h());
    }

    /** A case for S-NMF with its simplex sum C. */
    public record SimplexCase(Case point, double c) {
    }

    /**
     * An S-NMF FOSP with a planted multiplier: W with every column summing to s, H with every row summing to s
     * (dyadic entries, about {@code zeroPercent}% zeros), and V = WH + ρ𝟙 with dyadic ρ ≥ −min(WH), ρ ≠ 0. Then
     * R = ρ𝟙, ∂F/∂W_ik = −2ρ‖H_k‖₁ = −2ρs and ∂F/∂H_kj = −2ρs for every coordinate, so (3) holds with c = −2ρs on
     * S-NMF(C = 2rs), every zero coordinate being degenerate. ρ &gt; 0 gives c &lt; 0, ρ &lt; 0 gives c &gt; 0.
     */
    public static SimplexCase plantedMultiplier(SplittableRandom rnd, int n, int m, int r, int zeroPercent) {
        DenseMatrix w = dyadic(rnd, n, r, 1, 8);
        DenseMatrix h = dyadic(rnd, r, m, 1, 8);
        sprinkleZeros(rnd, zeroPercent, w, h);
        // balance: every column of W and every row of H sums to the same s (add the deficit to the last entry)
        double s = 0;
        for (int k = 0; k < r; k++) {
            double cw = 0, rh = 0;
            for (int i = 0; i < n; i++) {
                cw += w.get(i, k);
            }
            for (int j = 0; j < m; j++) {
                rh += h.get(k, j);
            }
            s = Math.max(s, Math.max(cw, rh));
        }
        s = Math.max(s, 0.25);
        for (int k = 0; k < r; k++) {
            double cw = 0, rh = 0;
            for (int i = 0; i < n; i++) {
                cw += w.get(i, k);
            }
            for (int j = 0; j < m; j++) {
                rh += h.get(k, j);
            }
            w.set(n - 1, k, w.get(n - 1, k) + (s - cw));
            h.set(k, m - 1, h.get(k, m - 1) + (s - rh));
        }
        DenseMatrix wh = product(w, h);
        double min = Double.MAX_VALUE;
        for (double x : wh.data()) {
            min = Math.min(min, x);
        }
        int lo = -(int) Math.floor(min * 8);
        int k8 = rnd.nextInt(lo, 9);
        if (k8 == 0) {
            k8 = 1;
        }
        double rho = k8 / 8.0;
        double[] v = wh.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += rho;
        }
        return new SimplexCase(new Case("planted-multiplier", new DenseMatrix(n, m, v), w, h), 2.0 * r * s);
    }
}
