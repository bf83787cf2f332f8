package io.github.nmforacle.testkit;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;

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

    /** W·H in doubles (exact for the small dyadic entries the generators use). */
    public static DenseMatrix product(DenseMatrix w, DenseMatrix h) {
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
        double s = balanceSums(w, h, 0.25);
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

    /**
     * Makes every column of W and every row of H sum to the same s = max(largest such sum, atLeast), by adding the
     * deficit to the last entry; returns s (Lemma 4's balanced columns).
     */
    public static double balanceSums(DenseMatrix w, DenseMatrix h, double atLeast) {
        int n = w.rows(), r = w.cols(), m = h.cols();
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
        s = Math.max(s, atLeast);
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
        return s;
    }

    /**
     * A planted saddle (proofs-notes/planted-saddles.md) and what is known about it.
     *
     * @param point    (V, W, H), exact dyadic rationals: V = WH + R exactly, R = σ(e₀ − e₁)(e₀ − e₁)ᵀ
     * @param sigma    σ
     * @param eta      η = 2(‖W‖²_F + ‖H‖²_F) + 4‖R‖_F, the certifier's curvature scale
     * @param lambdaL  λ_min of ∇²F on L (= all directions here), from the 2r×2r matrix M (≈ −ratio·η)
     * @param lambdaL0 cone saddle: λ_min of M without the weak component (&gt; 0: ∇²F is PSD on L ∩ {d_D = 0}); else NaN
     * @param coneCurvature cone saddle: q(d − δ) &lt; 0, the curvature of the L-witness d with its negative degenerate
     *                 entries set to 0 (a direction of K); else NaN
     * @param dW       a direction of L with curvature lambdaL·‖d‖² (unit norm), n×r
     * @param dH       its H part, r×m
     */
    public record PlantedSaddle(Case point, double sigma, double eta, double lambdaL, double lambdaL0, double coneCurvature,
                                DenseMatrix dW, DenseMatrix dH) {
    }

    /**
     * A first-order stationary point with negative curvature λ_min ≈ −ratio·η, built at any size n, m ≥ 2, r ≥ 2
     * (proofs-notes/planted-saddles.md). W, H have dyadic entries k/16 (k in [1, 32]); rows 0 and 1 of W are equal
     * (entries in [1, 2], ×4), and so are columns 0 and 1 of H; component r−1 is weak (×2⁻⁵). With a = b = e₀ − e₁,
     * Wᵀa = 0 and Hb = 0, so V = WH + σabᵀ makes ∇F = 0 exactly (every entry of W and H positive: L is everything). Along
     * dW = â uᵀ, dH = v b̂ᵀ the curvature is 2uᵀHHᵀu + 2vᵀWᵀWv − 8σuᵀv; σ is chosen by bisection so that the least
     * eigenvalue of that 2r×2r form is −ratio·η.
     *
     * <p>{@code cone}: in addition W₀,r−1 = W₁,r−1 = 0 and H_{r−1,0} = H_{r−1,1} = 0 (still equal rows and columns, so
     * still exactly stationary, and those four coordinates are degenerate: x = 0, g = 0). Every direction with d_D = 0
     * has u_{r−1} = v_{r−1} = 0, and the form without the weak component is positive definite (checked: lambdaL0 &gt; 0), so
     * ∇²F is PSD on L ∩ {d_D = 0}; the negative curvature needs the degenerate coordinates, and a direction with
     * d_D ≥ 0 has it (the L-witness with its negative degenerate entries set to 0; checked: coneCurvature &lt; 0, which
     * needs ratio·η above about ‖H_{r−1}‖² + ‖W^{r−1}‖², i.e. ratio ≳ 5e-4/r).
     *
     * @throws IllegalArgumentException when the sizes are too small, V would need a negative entry, or (cone) the form
     *                                  without the weak component is not positive definite or the clipped direction is
     *                                  not negative
     */
    public static PlantedSaddle plantedSaddle(int n, int m, int r, boolean cone, double ratio, long seed) {
        if (n < 2 || m < 2 || r < 2 || !(ratio > 0 && ratio < 0.1)) {
            throw new IllegalArgumentException("a planted saddle needs n, m >= 2, r >= 2 and 0 < ratio < 0.1, got n=" + n
                    + ", m=" + m + ", r=" + r + ", ratio=" + ratio);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        DenseMatrix w = sixteenths(rnd, n, r, 1, 32), h = sixteenths(rnd, r, m, 1, 32);
        int weak = r - 1;
        for (int k = 0; k < r; k++) {
            double x = rnd.nextInt(16, 33) / 4.0, y = rnd.nextInt(16, 33) / 4.0; // [1, 2] × 4
            w.set(0, k, x);
            w.set(1, k, x);
            h.set(k, 0, y);
            h.set(k, 1, y);
        }
        for (int i = 0; i < n; i++) {
            w.set(i, weak, w.get(i, weak) / 32);
        }
        for (int j = 0; j < m; j++) {
            h.set(weak, j, h.get(weak, j) / 32);
        }
        if (cone) {
            w.set(0, weak, 0);
            w.set(1, weak, 0);
            h.set(weak, 0, 0);
            h.set(weak, 1, 0);
        }
        DenseMatrix wh = product(w, h);
        double p = wh.get(0, 1); // = (WH)₀₀ = (WH)₁₀ = (WH)₁₁: V₀₁ = p − σ must stay ≥ 0
        double[] gh = Kernels.crossRows(h.data(), h.data(), r, m); // HHᵀ
        double[] gw = Kernels.crossCols(w.data(), w.data(), n, r); // WᵀW
        double fw = w.frobeniusNorm(), fh = h.frobeniusNorm();
        double base = 2 * (fw * fw + fh * fh);
        double lo = 0, hi = p;
        if (saddleForm(gh, gw, r, hi, -1).value + ratio * (base + 8 * hi) >= 0) {
            throw new IllegalArgumentException("cannot plant curvature −" + ratio + "·η with V ≥ 0 at n=" + n + ", m=" + m
                    + ", r=" + r);
        }
        for (int it = 0; it < 200 && hi - lo > 1e-12 * p; it++) {
            double mid = 0.5 * (lo + hi);
            if (saddleForm(gh, gw, r, mid, -1).value + ratio * (base + 8 * mid) > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double sigma = Math.floor(hi * 0x1p30) / 0x1p30; // dyadic (2^-30 grid), so V is exact
        double[] v = wh.data().clone();
        v[0] += sigma;
        v[m + 1] += sigma;
        v[1] -= sigma;
        v[m] -= sigma;
        Eig e = saddleForm(gh, gw, r, sigma, -1);
        double lambda0 = cone ? saddleForm(gh, gw, r, sigma, weak).value : Double.NaN;
        if (cone && !(lambda0 > 0)) {
            throw new IllegalArgumentException("the form without the weak component is not positive definite (" + lambda0
                    + "): L ∩ {d_D = 0} would not be PSD");
        }
        double coneQ = Double.NaN;
        if (cone) {
            // q(d − δ) = λ(1 − u² − v²) + u²‖H_k₀‖² + v²‖W^k₀‖² − 2σuv (planted-saddles.md), u, v the weak entries of the
            // eigenvector with the sign making u ≥ 0; needs v ≥ 0 too and a negative value
            double u = e.vector[weak], vv = e.vector[r + weak];
            if (u < 0) {
                u = -u;
                vv = -vv;
            }
            double hk = gh[weak * r + weak], wk = gw[weak * r + weak];
            coneQ = e.value * (1 - u * u - vv * vv) + u * u * hk + vv * vv * wk - 2 * sigma * u * vv;
            if (!(vv >= 0 && coneQ < 0)) {
                throw new IllegalArgumentException("ratio " + ratio + " is too small for a cone saddle at n=" + n + ", m=" + m
                        + ", r=" + r + ": the clipped direction has curvature " + coneQ);
            }
        }
        DenseMatrix dw = DenseMatrix.zeros(n, r), dh = DenseMatrix.zeros(r, m);
        double c = Math.sqrt(0.5);
        for (int k = 0; k < r; k++) {
            dw.set(0, k, c * e.vector[k]);
            dw.set(1, k, -c * e.vector[k]);
            dh.set(k, 0, c * e.vector[r + k]);
            dh.set(k, 1, -c * e.vector[r + k]);
        }
        String kind = cone ? "planted cone saddle" : "planted saddle";
        return new PlantedSaddle(new Case(kind, new DenseMatrix(n, m, v), w, h), sigma, base + 8 * sigma, e.value, lambda0,
                coneQ, dw, dh);
    }

    /** Entries k/16, k uniform in [lo, hi]. */
    static DenseMatrix sixteenths(SplittableRandom rnd, int rows, int cols, int lo, int hi) {
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextInt(lo, hi + 1) / 16.0;
        }
        return new DenseMatrix(rows, cols, a);
    }

    private record Eig(double value, double[] vector) {
    }

    /**
     * The least eigenvalue and its unit eigenvector of the form (u, v) ↦ 2uᵀ(HHᵀ)u + 2vᵀ(WᵀW)v − 8σuᵀv on ℝ^{2r}
     * (dropping component {@code skip} when ≥ 0).
     */
    private static Eig saddleForm(double[] gh, double[] gw, int r, double sigma, int skip) {
        int[] keep = IntStream.range(0, r).filter(k -> k != skip).toArray();
        int q = keep.length;
        double[][] a = new double[2 * q][2 * q];
        for (int x = 0; x < q; x++) {
            for (int y = 0; y < q; y++) {
                a[x][y] = 2 * gh[keep[x] * r + keep[y]];
                a[q + x][q + y] = 2 * gw[keep[x] * r + keep[y]];
            }
            a[x][q + x] = -4 * sigma;
            a[q + x][x] = -4 * sigma;
        }
        // eigenvalues in decreasing order: the least is the last
        EigenDecompositionSymmetric ed = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(a, false),
                EigenDecompositionSymmetric.DEFAULT_EPSILON, true);
        int best = 2 * q - 1;
        double least = ed.getEigenvalues()[best];
        double[] y = ed.getEigenvector(best).toArray();
        double[] full = new double[2 * r];
        for (int x = 0; x < q; x++) {
            full[keep[x]] = y[x];
            full[r + keep[x]] = y[q + x];
        }
        return new Eig(least, full);
    }
}
