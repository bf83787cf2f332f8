package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DataProducts;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.RealVector;

/**
 * Non-negative double SVD (NNDSVD) initialisation of Boutsidis and Gallopoulos (2008), "SVD based initialization:
 * A head start for nonnegative matrix factorization", Pattern Recognition 41.
 *
 * <p>From the top r singular triplets (σ_j, u_j, v_j) of V: W_{:1} = √σ₁ |u₁|, H_{1:} = √σ₁ |v₁|ᵀ, and for
 * j ≥ 2, with x₊ = max(u_j, 0), x₋ = max(−u_j, 0) (likewise y₊, y₋ from v_j), the part with the larger
 * m₊ = ‖x₊‖‖y₊‖ or m₋ = ‖x₋‖‖y₋‖ (ties go to −, as in scikit-learn): W_{:j} = √(σ_j m) x/‖x‖,
 * H_{j:} = √(σ_j m) y/‖y‖. {@link #nndsvd} keeps the zeros; {@link #nndsvda} then replaces every zero entry of W
 * and H by the mean of V (scikit-learn's {@code init='nndsvda'}). No small entries are rounded to zero
 * (scikit-learn zeroes entries below its {@code eps} = 1e-6; that threshold is scale-dependent and not taken).
 *
 * <p>Singular triplets: let A be V or Vᵀ, whichever has fewer rows (p ≤ q). When p ≤ {@value #EXACT_MAX_ROWS}, the
 * left singular vectors of A are the eigenvectors of the p×p Gram matrix A·Aᵀ (Hipparchus
 * {@link EigenDecompositionSymmetric}, after a shift by ‖AAᵀ‖_∞ which keeps its QL iteration away from clusters of
 * zero eigenvalues). Above, they come from a randomized block power iteration (Halko, Martinsson and Tropp 2011,
 * Algorithm 4.4, as scikit-learn's {@code randomized_svd}): r + {@value #OVERSAMPLING} columns, a fixed seed,
 * {@value #POWER_ITERATIONS} power iterations with re-orthonormalisation, then the exact SVD of the small
 * projected matrix. In both cases σ_j = ‖Aᵀa_j‖ and the other singular vector is Aᵀa_j/σ_j. Singular values below
 * √ε·σ₁ (ε = 2⁻⁵²) are below the resolution of a Gram matrix and are treated as 0 (their column of W and row of H
 * are 0). Everything is deterministic, and the products with V use fixed blocks: the result does not depend
 * on the number of threads.
 *
 * <p>A sparse V ({@link CsrMatrix}) of at most {@value #SPARSE_DENSE_MAX} entries is made dense (same bits as the
 * dense V); a larger one takes the randomized path with O(nnz·r) products on its rows (or on those of Vᵀ), as
 * scikit-learn's {@code randomized_svd} does on scipy sparse input, and is never made dense.
 */
public final class Nndsvd {
    /**
     * Largest min(n, m) for which the Gram matrix is decomposed exactly: 500 takes about 0.2 s (2 cores), 1000
     * about 1.2 s, while the randomized path takes 0.1 s on 1000×1000 and 2000×2000 r = 20 about 1.7 s.
     */
    public static final int EXACT_MAX_ROWS = 500;
    /** Extra columns of the randomized range finder. */
    static final int OVERSAMPLING = 10;
    /** Power iterations of the randomized range finder. */
    static final int POWER_ITERATIONS = 7;
    /** Seed of the randomized range finder's test matrix. */
    static final long RANGE_SEED = 0x5eed_5eedL;

    /** Entries up to which a sparse V is made dense for NNDSVD (128 MB): the same bits as for the dense V. */
    public static final long SPARSE_DENSE_MAX = 1L << 24;

    /** How the singular triplets are computed. */
    enum Method { AUTO, GRAM, RANDOMIZED }

    private Nndsvd() {
    }

    /**
     * Plain NNDSVD of V with r columns; zeros are kept.
     *
     * @throws IllegalArgumentException if V is empty, has NaN, infinite or negative entries, or r ∉ [1, min(n, m)]
     */
    public static FactorPair nndsvd(DenseMatrix v, int r) {
        return compute(v, r, false, Method.AUTO, Parallel.sequential());
    }

    /** NNDSVDa: {@link #nndsvd} with every zero entry of W and H replaced by the mean of V. */
    public static FactorPair nndsvda(DenseMatrix v, int r) {
        return compute(v, r, true, Method.AUTO, Parallel.sequential());
    }

    /** NNDSVD (or NNDSVDa if {@code fillMean}) with the products on {@code par}; same bits for any thread count. */
    public static FactorPair nndsvd(DenseMatrix v, int r, boolean fillMean, Parallel par) {
        return compute(v, r, fillMean, Method.AUTO, par);
    }

    /** As {@link #nndsvd(DenseMatrix, int, boolean, Parallel)} on a dense or sparse V (see the class comment). */
    public static FactorPair nndsvd(DataMatrix v, int r, boolean fillMean, Parallel par) {
        if (v instanceof CsrMatrix c && (long) c.rows() * c.cols() > SPARSE_DENSE_MAX) {
            return computeSparse(c, r, fillMean, par);
        }
        return compute(v.dense("NNDSVD"), r, fillMean, Method.AUTO, par);
    }

    /**
     * The randomized path on the rows of a sparse V: {@code compute(dense V, RANDOMIZED)} with the products summed in
     * the CSR kernels' order, so equal up to their rounding.
     */
    static FactorPair computeSparse(CsrMatrix v, int r, boolean fillMean, Parallel par) {
        NmfProblem.of(v, r, par);                            // validation: shape, finite, ≥ 0, rank range
        Scaling sc = Scaling.of(v);
        return Scaling.scale(computeNormalised(operator((CsrMatrix) sc.v(), par), r, fillMean, Method.RANDOMIZED),
                sc.exponent());
    }

    /**
     * On V' = 2^{-2e} V ({@link Scaling}), mapped back by 2^e: the SVD then never under- or overflows, and
     * NNDSVD(2^{2k} V) = 2^k NNDSVD(V) exactly (NNDSVDa's fill value, the mean of V, becomes 2^e mean(V'), which has
     * the units of W and H; scikit-learn fills with mean(V) itself, the same value only for max V in [1, 4)).
     */
    static FactorPair compute(DenseMatrix v, int r, boolean fillMean, Method method, Parallel par) {
        NmfProblem.of(v, r, par);                            // validation: shape, finite, ≥ 0, rank range
        Scaling sc = Scaling.of(v);
        return Scaling.scale(computeNormalised(operator(sc.denseV(), par), r, fillMean, method), sc.exponent());
    }

    /**
     * A = V or Vᵀ, whichever has fewer rows (p ≤ q), through the two products the SVD needs; {@code dense} is A itself
     * when V is dense (the Gram path needs it), else null.
     */
    record Operator(int n, int m, int p, int q, DenseMatrix dense, Product timesT, Product tTimes, DoubleSupplier sum,
            Parallel par) {
        boolean transposed() {
            return n > m;
        }
    }

    /** {@code out = A·Xᵀ} (X k×q, out p×k) or {@code out = Yᵀ·A} (Y p×k, out k×q), row-major. */
    interface Product {
        void apply(double[] x, int k, double[] out);
    }

    static Operator operator(DenseMatrix v, Parallel par) {
        int n = v.rows(), m = v.cols();
        DenseMatrix a = n > m ? v.transpose() : v;
        int p = a.rows(), q = a.cols();
        if (par.nativeBlas()) {
            // one DataProducts for every call: Kernels.mulABt/mulAtB would copy A anew on each (the same products)
            DataProducts d = new DataProducts(a.data(), p, q, par);
            return new Operator(n, m, p, q, a, d::timesTransposed, d::transposedTimes, () -> Kernels.sum(v.data()), par);
        }
        return new Operator(n, m, p, q, a, (x, k, out) -> Kernels.mulABt(a.data(), p, q, x, k, out, par),
                (y, k, out) -> Kernels.mulAtB(y, p, k, a.data(), q, out, par), () -> Kernels.sum(v.data()), par);
    }

    static Operator operator(CsrMatrix v, Parallel par) {
        int n = v.rows(), m = v.cols();
        CsrMatrix a = n > m ? v.transpose() : v;
        return new Operator(n, m, a.rows(), a.cols(), null, (x, k, out) -> a.timesTransposed(x, k, out, par),
                (y, k, out) -> a.transposedTimes(y, k, out, par), v::sum, par);
    }

    private static FactorPair computeNormalised(Operator a, int r, boolean fillMean, Method method) {
        int n = a.n(), m = a.m();
        Triplets t = topSingular(a, r, method);
        double[] w = new double[n * r];
        double[] h = new double[r * m];
        for (int j = 0; j < r; j++) {
            double s = t.sigma[j];
            if (s == 0) {
                continue;
            }
            double[] x = t.u[j];
            double[] y = t.v[j];
            if (j == 0) {
                double c = Math.sqrt(s);
                for (int i = 0; i < n; i++) {
                    w[i * r] = c * Math.abs(x[i]);
                }
                for (int k = 0; k < m; k++) {
                    h[k] = c * Math.abs(y[k]);
                }
                continue;
            }
            double xp = positiveNorm(x, 1), xm = positiveNorm(x, -1);
            double yp = positiveNorm(y, 1), ym = positiveNorm(y, -1);
            double mp = xp * yp, mm = xm * ym;
            double sign = mp > mm ? 1 : -1;
            double mass = Math.max(mp, mm);
            if (!(mass > 0)) {
                continue;
            }
            double c = Math.sqrt(s * mass);
            double cx = c / (sign > 0 ? xp : xm);
            double cy = c / (sign > 0 ? yp : ym);
            for (int i = 0; i < n; i++) {
                w[i * r + j] = cx * Math.max(0.0, sign * x[i]);
            }
            for (int k = 0; k < m; k++) {
                h[j * m + k] = cy * Math.max(0.0, sign * y[k]);
            }
        }
        if (fillMean) {
            double mean = a.sum().getAsDouble() / ((double) n * m);
            fillZeros(w, mean);
            fillZeros(h, mean);
        }
        return new FactorPair(new DenseMatrix(n, r, w), new DenseMatrix(r, m, h));
    }

    private static double positiveNorm(double[] x, double sign) {
        double s = 0;
        for (double a : x) {
            double b = Math.max(0.0, sign * a);
            s += b * b;
        }
        return Math.sqrt(s);
    }

    private static void fillZeros(double[] a, double value) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) {
                a[i] = value;
            }
        }
    }

    /** The top r singular triplets: sigma[j] ≥ 0 descending, u[j] (length n) and v[j] (length m) unit or zero. */
    record Triplets(double[] sigma, double[][] u, double[][] v) {
    }

    static Triplets topSingular(DenseMatrix v, int r, Method method, Parallel par) {
        return topSingular(operator(v, par), r, method);
    }

    static Triplets topSingular(Operator a, int r, Method method) {
        boolean transposed = a.transposed();
        int p = a.p(), q = a.q();
        boolean gram = a.dense() != null && (method == Method.GRAM || (method == Method.AUTO && p <= EXACT_MAX_ROWS));
        double[] left = gram ? gramLeftVectors(a.dense(), r, a.par()) : randomizedLeftVectors(a, r);   // r×p, rows a_j
        // Aᵀa_j for every j at once: (a_1 … a_r)ᵀ·A, an r×q matrix.
        double[] leftCols = transpose(left, r, p);
        double[] right = new double[r * q];
        a.tTimes().apply(leftCols, r, right);
        double[] sigma = new double[r];
        double[][] as = new double[r][];
        double[][] bs = new double[r][];
        for (int j = 0; j < r; j++) {
            double[] b = Arrays.copyOfRange(right, j * q, (j + 1) * q);
            sigma[j] = Math.sqrt(Kernels.dot(b, b, q));
            as[j] = Arrays.copyOfRange(left, j * p, (j + 1) * p);
            bs[j] = b;
        }
        // Sort by the recomputed singular values (the eigen-order may differ by rounding), then cut at √ε·σ₁.
        Integer[] order = new Integer[r];
        for (int j = 0; j < r; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(sigma[y], sigma[x]));
        double[] s = new double[r];
        double[][] us = new double[r][];
        double[][] vs = new double[r][];
        double floor = Math.sqrt(Math.ulp(1.0)) * sigma[order[0]];
        for (int j = 0; j < r; j++) {
            int k = order[j];
            double sj = sigma[k] > floor ? sigma[k] : 0.0;
            double[] b = bs[k].clone();
            if (sj > 0) {
                for (int i = 0; i < q; i++) {
                    b[i] /= sigma[k];
                }
            } else {
                Arrays.fill(b, 0.0);
            }
            s[j] = sj;
            us[j] = transposed ? b : as[k];
            vs[j] = transposed ? as[k] : b;
        }
        return new Triplets(s, us, vs);
    }

    /** Top r eigenvectors of A·Aᵀ (p×p), as the rows of an r×p array. */
    private static double[] gramLeftVectors(DenseMatrix a, int r, Parallel par) {
        int p = a.rows();
        double[] g = new double[p * p];
        Kernels.mulABt(a.data(), p, a.cols(), a.data(), p, g, par);
        return topEigenvectors(g, p, r);
    }

    /** Top r eigenvectors (rows of an r×p array) of the symmetric p×p matrix g, by Hipparchus after a shift. */
    private static double[] topEigenvectors(double[] g, int p, int r) {
        double shift = 0;
        for (int i = 0; i < p; i++) {
            double t = 0;
            for (int j = 0; j < p; j++) {
                t += Math.abs(g[i * p + j]);
            }
            shift = Math.max(shift, t);
        }
        double[][] s = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                s[i][j] = 0.5 * (g[i * p + j] + g[j * p + i]);
            }
            s[i][i] += shift;
        }
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(s, false));
        double[] values = e.getEigenvalues();
        Integer[] order = new Integer[p];
        for (int j = 0; j < p; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[] out = new double[r * p];
        for (int j = 0; j < r; j++) {
            RealVector vec = e.getEigenvector(order[j]);
            for (int i = 0; i < p; i++) {
                out[j * p + i] = vec.getEntry(i);
            }
        }
        return out;
    }

    /**
     * Approximate top r left singular vectors of A (p×q) by randomized subspace iteration: Q = orth(AΩ),
     * then {@value #POWER_ITERATIONS} times Q = orth(A·orth(AᵀQ)); finally the eigenvectors c_j of BBᵀ,
     * B = QᵀA, give a_j = Q c_j.
     */
    private static double[] randomizedLeftVectors(Operator a, int r) {
        int p = a.p(), q = a.q();
        int k = Math.min(r + OVERSAMPLING, p);
        SplittableRandom rnd = new SplittableRandom(RANGE_SEED);
        double[] omegaT = new double[k * q];                 // Ωᵀ, k×q, uniform in [−1, 1)
        for (int i = 0; i < omegaT.length; i++) {
            omegaT[i] = 2.0 * rnd.nextDouble() - 1.0;
        }
        double[] y = new double[p * k];                      // A·Ω, p×k
        a.timesT().apply(omegaT, k, y);
        double[] qt = orthonormalRows(transpose(y, p, k), k, p);     // Qᵀ, k×p
        double[] zt = new double[k * q];
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            a.tTimes().apply(transpose(qt, k, p), k, zt);                       // QᵀA = (AᵀQ)ᵀ, k×q
            zt = orthonormalRows(zt, k, q);
            a.timesT().apply(zt, k, y);                                          // A·Z, p×k
            qt = orthonormalRows(transpose(y, p, k), k, p);
        }
        double[] b = new double[k * q];
        a.tTimes().apply(transpose(qt, k, p), k, b);                            // B = QᵀA, k×q
        double[] bbt = Kernels.crossRows(b, b, k, q, a.par());
        double[] c = topEigenvectors(bbt, k, r);                                // r×k
        double[] out = new double[r * p];
        for (int j = 0; j < r; j++) {
            for (int l = 0; l < k; l++) {
                double x = c[j * k + l];
                for (int i = 0; i < p; i++) {
                    out[j * p + i] += x * qt[l * p + i];
                }
            }
        }
        return out;
    }

    /** Modified Gram–Schmidt, twice, on the rows of a k×len array; a row that vanishes becomes 0. */
    private static double[] orthonormalRows(double[] x, int k, int len) {
        double[] o = x.clone();
        for (int i = 0; i < k; i++) {
            int oi = i * len;
            double before = 0;
            for (int t = 0; t < len; t++) {
                before += o[oi + t] * o[oi + t];
            }
            before = Math.sqrt(before);
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    int oj = j * len;
                    double d = 0;
                    for (int t = 0; t < len; t++) {
                        d += o[oi + t] * o[oj + t];
                    }
                    for (int t = 0; t < len; t++) {
                        o[oi + t] -= d * o[oj + t];
                    }
                }
            }
            double norm = 0;
            for (int t = 0; t < len; t++) {
                norm += o[oi + t] * o[oi + t];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 1e-12 * before)) {      // (numerically) in the span of the rows before
                Arrays.fill(o, oi, oi + len, 0.0);
            } else {
                for (int t = 0; t < len; t++) {
                    o[oi + t] /= norm;
                }
            }
        }
        return o;
    }

    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }
}
