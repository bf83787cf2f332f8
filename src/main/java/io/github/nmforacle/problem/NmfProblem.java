package io.github.nmforacle.problem;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DataProducts;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;

/**
 * The NMF objective F(W, H) = ‖V − WH‖²_F (paper, problem (NMF)) for a fixed data matrix V ≥ 0 and
 * rank r, in double precision: the one home of F's formulas. {@link ExactNmf} is its exact twin.
 *
 * <p>Coordinates are flattened as W row-major (index {@code i*r + k}) followed by H row-major
 * (index {@code n*r + k*m + j}); the paper's vec() ordering differs, which changes nothing of
 * definiteness or of any quadratic form.
 *
 * <p>V is dense or sparse ({@link CsrMatrix}, issue 15 item 1). On a sparse V every product with V costs O(nnz·r),
 * F is Σ_nnz (V − WH)² + (⟨WᵀW, HHᵀ⟩ − Σ_nnz (WH)²) and the Hessian forms use ⟨X₁Y₁, X₂Y₂⟩ = ⟨X₁ᵀX₂, Y₁Y₂ᵀ⟩ on r×r
 * Grams; only {@link #data()} (and what is built on it, e.g. {@link #denseHessian}) makes V dense, and refuses with
 * the dense size when it is too large.
 */
public final class NmfProblem {
    /** Largest N = (n+m)r for which {@link #denseHessian} builds the N×N matrix (≈ 512 MiB). */
    public static final int DENSE_HESSIAN_MAX_N = 8192;

    private final DataMatrix matrix;
    /** V dense: the matrix itself when dense, built on demand from {@link #csr} by {@link #dense(String)}. */
    private DenseMatrix v;
    /** V when sparse, else null. */
    private final CsrMatrix csr;
    private final double vSum;
    private final int n;
    private final int m;
    private final int r;
    private final double vNormSquared;
    private final Parallel par;
    /** V·Hᵀ and Wᵀ·V on the backend of {@code par} (Java kernels or the bundled OpenBLAS). */
    private final DataProducts products;
    /** V in row blocks elsewhere (distributed certification), else null: then matrix, v, csr are null. */
    private final DataBackend backend;

    private NmfProblem(DataBackend b, int r) {
        this.backend = b;
        this.matrix = null;
        this.csr = null;
        this.products = null;
        this.n = b.rows();
        this.m = b.cols();
        this.r = r;
        this.par = Parallel.sequential();
        double[] s = b.sum((blk, first) -> {
            double q = 0, t = 0;
            for (double x : blk.data()) {
                q += x * x;
                t += x;
            }
            return new double[] {q, t};
        }, 2);
        // an upper bound, not the rounded sum: the bounds that read ‖V‖ are then safe for the distributed order too
        // (each of the nm squares may also lose MIN_NORMAL to underflow)
        double nm = (double) n * m;
        long path = (long) Math.min(nm, Long.MAX_VALUE / 2) + b.blocks() + 2;
        this.vNormSquared = (s[0] + nm * Double.MIN_NORMAL) / (1 - 2 * path * 0x1p-53) * (1 + 0x1p-50);
        this.vSum = s[1];
    }

    /**
     * V held in row blocks by {@code b} (issue 15 item 2): validated as {@link #of(DataMatrix, int)} does, one pass over
     * the blocks. Every operation on V below is then a pass over the blocks, partials added in block order; only
     * {@link #data()}, {@link #dense(String)}, {@link #hessianEntries} and {@link #denseHessian} refuse (they need all
     * of V on one machine).
     *
     * @throws IllegalArgumentException with a one-line message naming the first bad entry or the rank
     */
    public static NmfProblem of(DataBackend b, int rank) {
        if (b.rows() == 0 || b.cols() == 0) {
            throw new IllegalArgumentException("empty matrix (" + b.rows() + "x" + b.cols() + ")");
        }
        double[] bad = b.concat((blk, first) -> {
            double[] d = blk.data();
            for (int p = 0; p < d.length; p++) {
                if (!(d[p] >= 0) || Double.isInfinite(d[p])) {
                    return new double[] {first + p / blk.cols(), p % blk.cols(), d[p]};
                }
            }
            return new double[0];
        });
        if (bad.length > 0) {
            throw new IllegalArgumentException(badEntry((int) bad[0], (int) bad[1], bad[2]));
        }
        if (rank < 1 || rank > Math.min(b.rows(), b.cols())) {
            throw new IllegalArgumentException("rank " + rank + " is outside [1, min(n, m)] = [1, "
                    + Math.min(b.rows(), b.cols()) + "] for a " + b.rows() + "x" + b.cols() + " matrix");
        }
        return new NmfProblem(b, rank);
    }

    /** V is held in row blocks by a {@link DataBackend}. */
    public boolean distributed() { return backend != null; }

    /** The backend of a distributed V, else null. */
    public DataBackend backend() { return backend; }

    /**
     * The extra length B (the block count) of every sum over the rows of V when V is distributed, else 0: block
     * partials added in block order make a path of at most n + B roundings (proofs-notes/certifier.md).
     */
    public int blockPartials() { return backend == null ? 0 : backend.blocks(); }

    /** Row sums (first) and column sums (second) of a distributed V, one pass over the blocks. */
    public double[][] dataLineSums() {
        int mm = m;
        double[] rows = backend.concat((blk, first) -> {
            double[] out = new double[blk.rows()];
            double[] d = blk.data();
            for (int p = 0; p < d.length; p++) {
                out[p / mm] += d[p];
            }
            return out;
        });
        double[] cols = backend.sum((blk, first) -> {
            double[] out = new double[mm];
            double[] d = blk.data();
            for (int p = 0; p < d.length; p++) {
                out[p % mm] += d[p];
            }
            return out;
        }, m);
        return new double[][] {rows, cols};
    }

    private NmfProblem(DataMatrix data, int r, Parallel par) {
        this.backend = null;
        this.matrix = data;
        this.n = data.rows();
        this.m = data.cols();
        this.r = r;
        this.par = par;
        if (data instanceof CsrMatrix c) {
            this.csr = c;
            this.products = null;
            this.vNormSquared = c.normSquared();
            this.vSum = c.sum();
        } else {
            DenseMatrix d = (DenseMatrix) data;
            this.v = d;
            this.csr = null;
            this.products = new DataProducts(d.data(), n, m, par);
            double s = 0, t = 0;
            for (double x : d.data()) {
                s += x * x;
                t += x;
            }
            this.vNormSquared = s;
            this.vSum = t;
        }
    }

    /** Validates V (finite, non-negative, non-empty) and the rank (1 ≤ r ≤ min(n, m)); sequential kernels. */
    public static NmfProblem of(DataMatrix v, int rank) {
        return of(v, rank, Parallel.sequential());
    }

    /**
     * Validates V and the rank; the products with V run on {@code par}.
     *
     * @throws IllegalArgumentException with a one-line message naming the offending entry or value
     */
    public static NmfProblem of(DataMatrix v, int rank, Parallel par) {
        requireData(v);
        if (rank < 1 || rank > Math.min(v.rows(), v.cols())) {
            throw new IllegalArgumentException("rank " + rank + " is outside [1, min(n, m)] = [1, "
                    + Math.min(v.rows(), v.cols()) + "] for a " + v.shape() + " matrix");
        }
        return new NmfProblem(v, rank, par);
    }

    /** Checks that V is a non-empty matrix of finite non-negative numbers; entries are reported 0-based, [i, j] as in numpy. */
    public static void requireData(DataMatrix v) {
        if (v.rows() == 0 || v.cols() == 0) {
            throw new IllegalArgumentException("empty matrix (" + v.shape() + ")");
        }
        if (v instanceof CsrMatrix c) {
            requireFinite(c);
        } else {
            requireFinite((DenseMatrix) v, true);
        }
    }

    /** {@link #requireFinite(DenseMatrix, boolean)} with nonNegative for the stored entries of a sparse V. */
    private static void requireFinite(CsrMatrix c) {
        int[] ip = c.indptr(), idx = c.indices();
        double[] val = c.values();
        for (int i = 0; i < c.rows(); i++) {
            for (int p = ip[i]; p < ip[i + 1]; p++) {
                double x = val[p];
                if (!(x >= 0) || Double.isInfinite(x)) {
                    throw new IllegalArgumentException(badEntry(i, idx[p], x));
                }
            }
        }
    }

    private static String badEntry(int i, int j, double x) {
        String where = "entry [" + i + ", " + j + "]";
        if (Double.isNaN(x)) {
            return where + " is NaN";
        }
        if (Double.isInfinite(x)) {
            return where + " is " + (x > 0 ? "+" : "-") + "Infinity";
        }
        return where + " is negative (" + x + ")";
    }

    /** Checks every entry is finite (and, if asked, ≥ 0); the message names the first bad entry, 0-based [i, j] as in numpy. */
    public static void requireFinite(DenseMatrix a, boolean nonNegative) {
        double[] d = a.data();
        for (int p = 0; p < d.length; p++) {
            double x = d[p];
            if (Double.isNaN(x) || Double.isInfinite(x) || (nonNegative && x < 0)) {
                throw new IllegalArgumentException(badEntry(p / a.cols(), p % a.cols(), x));
            }
        }
    }

    /** V dense; for a sparse V built on first use and refused, naming the dense size, when too large. */
    public DenseMatrix data() { return dense("this method"); }

    /**
     * V dense for the method {@code why} (named in the refusal when a sparse V is too large to make dense).
     *
     * @throws IllegalArgumentException when V is sparse and its dense form exceeds the limit
     */
    public synchronized DenseMatrix dense(String why) {
        if (backend != null) {
            throw new IllegalArgumentException(why + " needs all of V on one machine, but V is distributed in "
                    + backend.blocks() + " row blocks");
        }
        if (v == null) {
            v = csr.dense(why);
        }
        return v;
    }

    /** V as given: dense or sparse. */
    public DataMatrix matrix() { return matrix; }

    /** V in CSR form, or null when V is dense. */
    public CsrMatrix sparseData() { return csr; }

    /** Σ V_ij. */
    public double dataSum() { return vSum; }

    public int n() { return n; }

    public int m() { return m; }

    public int rank() { return r; }

    /** N = (n + m) r, the number of coordinates of a point (W, H). */
    public int dimension() { return (n + m) * r; }

    /** ‖V‖²_F (for a distributed V a rigorous upper bound: the rounded block sums are widened by γ_{nm+B+2}). */
    public double dataNormSquared() { return vNormSquared; }

    /**
     * A rigorous upper bound on ‖V‖_F: the rounded sum of the len = nnz (or n·m) non-negative squares is within
     * γ_{len+1} of the exact one (relative; each square may also lose MIN_NORMAL to underflow), the square root adds u;
     * for a distributed V the stored sum is an upper bound already.
     */
    public double dataNormUpper() {
        if (backend != null) {
            return Math.sqrt(vNormSquared) * (1 + 0x1p-52);
        }
        long len = csr != null ? csr.nonZeros() : (long) n * m;
        double ku = (len + 1.0) * 0x1p-53;
        return Math.sqrt((vNormSquared + len * Double.MIN_NORMAL) / (1 - ku / (1 - ku))) * (1 + 0x1p-52);
    }

    public Parallel parallel() { return par; }

    /** Flattened index of W_ik. */
    public int indexW(int i, int k) { return i * r + k; }

    /** Flattened index of H_kj. */
    public int indexH(int k, int j) { return n * r + k * m + j; }

    /**
     * The S-NMF threshold C* = 2 r (nm)^{1/4} √‖V‖_F of Theorem 2 (S-NMF is stated for C > C*).
     */
    public double simplexThreshold() {
        return simplexThreshold(n, m, r, vNormSquared);
    }

    /** C* of {@link #simplexThreshold()} from the shape and ‖V‖²_F (for engines that hold V in pieces). */
    public static double simplexThreshold(int n, int m, int r, double vNormSquared) {
        return 2.0 * r * Math.pow((double) n * m, 0.25) * Math.sqrt(Math.sqrt(vNormSquared));
    }

    /** The constant C = 4 r (nm)^{1/4} √‖V‖_F of Algorithm 1 (twice {@link #simplexThreshold()}). */
    public double algorithmOneConstant() {
        return 2.0 * simplexThreshold();
    }

    /** Throws unless W is n×r and H is r×m. */
    public void requireShapes(DenseMatrix w, DenseMatrix h) {
        if (w.rows() != n || w.cols() != r) {
            throw new IllegalArgumentException("W is " + w.shape() + ", expected " + n + "x" + r + " (n x r)");
        }
        if (h.rows() != r || h.cols() != m) {
            throw new IllegalArgumentException("H is " + h.shape() + ", expected " + r + "x" + m + " (r x m)");
        }
    }

    /** F(W, H) = ‖V − WH‖²_F, summed entry by entry (no cancellation). Cost O(nmr). */
    public double objective(DenseMatrix w, DenseMatrix h) {
        requireShapes(w, h);
        if (backend != null) {
            double[] wd = w.data(), hd = h.data();
            int rr = r;
            return backend.sum((blk, first) -> new double[] {Kernels.residualNormSquared(blk.data(), blk.rows(),
                    blk.cols(), rowsOf(wd, first, blk.rows(), rr), rr, hd, Parallel.sequential())}, 1)[0];
        }
        if (csr != null) {
            return sparseObjective(w.data(), h.data());
        }
        return Kernels.residualNormSquared(v.data(), n, m, w.data(), r, h.data(), par);
    }

    /**
     * F on a sparse V: Σ_nnz (V − WH)² + (⟨WᵀW, HHᵀ⟩ − Σ_nnz (WH)²), the second term being ‖WH‖² over the zeros of V.
     * Only that term cancels: its rounding error is about r·u·(⟨|W|ᵀ|W|, |H||H|ᵀ⟩ + Σ_nnz (|W||H|)²), so the relative
     * error of F is small unless F ≪ ‖WH‖² (u = 2⁻⁵³). Cost O(nnz·r + (n+m)r²).
     */
    private double sparseObjective(double[] w, double[] h) {
        return csr.residualNormSquared(w, h, r, par);
    }

    /**
     * ∇F, paper (6): ∂F/∂W = −2 (V Hᵀ − W (H Hᵀ)), ∂F/∂H = −2 (Wᵀ V − (Wᵀ W) H); built on the two
     * products with V and the r×r Gram matrices, cost O(nmr).
     */
    public FactorPair gradient(DenseMatrix w, DenseMatrix h) {
        requireShapes(w, h);
        double[] vht = new double[n * r];
        double[] wtv = new double[r * m];
        productsWithData(w.data(), h.data(), vht, wtv);
        double[] wtw = Kernels.crossCols(w.data(), w.data(), n, r);
        double[] hht = Kernels.crossRows(h.data(), h.data(), r, m);
        return gradientFromProducts(w.data(), h.data(), vht, wtv, wtw, hht);
    }

    /**
     * The two O(nmr) products every method needs, {@code vht = V·Hᵀ} (n×r) and {@code wtv = Wᵀ·V} (r×m), of the same
     * (W, H): with native products in one pass over V ({@link DataProducts#both}), the saving the paper claims for
     * a concurrent update.
     */
    public void productsWithData(double[] w, double[] h, double[] vht, double[] wtv) {
        if (backend != null) {
            dataTimesHt(h, vht);
            wtTimesData(w, wtv);
            return;
        }
        if (csr != null) {
            csr.timesTransposed(h, r, vht, par);
            csr.transposedTimes(w, r, wtv, par);
            return;
        }
        products.both(h, w, r, vht, wtv);
    }

    /** {@code out = V·Hᵀ} (n×r). */
    public void dataTimesHt(double[] h, double[] out) {
        if (backend != null) {
            int rr = r;
            double[] c = backend.concat((blk, first) -> {
                double[] o = new double[blk.rows() * rr];
                blockProducts(blk).timesTransposed(h, rr, o);
                return o;
            });
            System.arraycopy(c, 0, out, 0, n * r);
            return;
        }
        if (csr != null) {
            csr.timesTransposed(h, r, out, par);
            return;
        }
        products.timesTransposed(h, r, out);
    }

    /** {@code out = Wᵀ·V} (r×m). */
    public void wtTimesData(double[] w, double[] out) {
        if (backend != null) {
            int rr = r;
            double[] s = backend.sum((blk, first) -> {
                double[] o = new double[rr * blk.cols()];
                blockProducts(blk).transposedTimes(rowsOf(w, first, blk.rows(), rr), rr, o);
                return o;
            }, r * m);
            System.arraycopy(s, 0, out, 0, r * m);
            return;
        }
        if (csr != null) {
            csr.transposedTimes(w, r, out, par);
            return;
        }
        products.transposedTimes(w, r, out);
    }

    /** ⟨V, A·B⟩ for A n×r, B r×m: O(nnz·r) on a sparse V, O(nmr) on a dense one (as ⟨A, V·Bᵀ⟩). */
    public double dataInner(double[] a, double[] b) {
        if (csr != null) {
            return csr.dotProduct(a, b, r, par);
        }
        double[] vbt = new double[n * r];
        dataTimesHt(b, vbt);
        return Kernels.dot(a, vbt, n * r);
    }

    /** ⟨X₁Y₁, X₂Y₂⟩_F = ⟨X₁ᵀX₂, Y₁Y₂ᵀ⟩ for X n×r, Y r×m: an inner product of n×m products by r×r Grams. */
    public double productInner(double[] x1, double[] y1, double[] x2, double[] y2) {
        return Kernels.dot(Kernels.crossCols(x1, x2, n, r, par), Kernels.crossRows(y1, y2, r, m, par), r * r);
    }

    /**
     * ∇F from precomputed V·Hᵀ, Wᵀ·V, WᵀW and HHᵀ: the O((n+m)r²) remainder of {@link #gradient}.
     * Solvers that already hold the products call this instead of recomputing them.
     */
    public FactorPair gradientFromProducts(double[] w, double[] h, double[] vht, double[] wtv, double[] wtw, double[] hht) {
        return gradientFromProducts(w, h, vht, wtv, wtw, hht, new double[n * r], new double[r * m]);
    }

    /** As above, written into {@code gw} (n×r) and {@code gh} (r×m), which the returned pair wraps. */
    public FactorPair gradientFromProducts(double[] w, double[] h, double[] vht, double[] wtv, double[] wtw, double[] hht,
                                           double[] gw, double[] gh) {
        return gradientAndDenominators(w, h, vht, wtv, wtw, hht, gw, gh, gw, gh);
    }

    /**
     * As above, keeping the Lee–Seung denominators D_W = W·HHᵀ (into {@code dw}) and D_H = WᵀW·H (into {@code dh}):
     * ∇F = 2(D − N) with the numerators N = V·Hᵀ, Wᵀ·V (paper (6)). {@code dw}, {@code dh} may be {@code gw},
     * {@code gh} (then only ∇F is kept).
     */
    public FactorPair gradientAndDenominators(double[] w, double[] h, double[] vht, double[] wtv, double[] wtw,
                                              double[] hht, double[] gw, double[] gh, double[] dw, double[] dh) {
        Kernels.mulSmallRight(w, n, r, hht, dw, par);
        Kernels.mulSmallLeft(wtw, r, h, m, dh, par);
        gradientFromParts(vht, dw, gw);
        gradientFromParts(wtv, dh, gh);
        return new FactorPair(new DenseMatrix(n, r, gw), new DenseMatrix(r, m, gh));
    }

    /**
     * F and the squared first-order residual of an iterate ({@link #measure}), and ⟨W, V·Hᵀ⟩ as {@link Kernels#dot}
     * sums it (a line search along a multiplicative step needs it again: {@link MultiplicativePath}).
     */
    public record Measured(double objective, double residualSquares, double wDotVht) {
    }

    /**
     * What a solver's trace and stopping test need of an iterate, from the products it has anyway: ∇F into
     * {@code gw}, {@code gh} and the Lee–Seung denominators into {@code dw}, {@code dh} as
     * {@link #gradientAndDenominators}; F as {@link #objectiveFromProducts}; and Σ min(xs·x, gs·∇F)² over both blocks as
     * {@link #residualSquares}. The same bits as those three, in one pass over each block instead of three (at digits
     * size the O(nr) passes cost as much as the products).
     */
    public Measured measure(double[] w, double[] h, double[] vht, double[] wtv, double[] wtw, double[] hht,
                            double[] gw, double[] gh, double[] dw, double[] dh, double xs, double gs) {
        Kernels.mulSmallRight(w, n, r, hht, dw, par);
        Kernels.mulSmallLeft(wtw, r, h, m, dh, par);
        double[] sw = fused(w, vht, dw, gw, xs, gs, n * r, par);
        double[] sh = fused(h, wtv, dh, gh, xs, gs, r * m, par);
        return new Measured(objectiveFromParts(vNormSquared, sw[0], wtw, hht, r), sw[1] + sh[1], sw[0]);
    }

    /**
     * {@link #fusedBlock} over the blocks of {@link Kernels#SUM_BLOCK} entries (in parallel), {Σ x·num, Σ min(xs·x,
     * gs·g)²} with the blocks' sums added in block order: the bits of {@link Kernels#dot} and {@link #residualSquares}.
     */
    static double[] fused(double[] x, double[] num, double[] d, double[] g, double xs, double gs, int len, Parallel par) {
        double[] part = Kernels.blockParts(len, 2, par, (from, to, out, off) -> fusedBlock(x, num, d, g, xs, gs, from, to,
                out, off));
        return new double[]{Kernels.sumInBlockOrder(part, 2, 0), Kernels.sumInBlockOrder(part, 2, 1)};
    }

    /**
     * Over [from, to): g = 2(d − num) ({@link #gradientFromParts}), Σ x·num into sums[off] and Σ min(xs·x, gs·g)²
     * into sums[off + 1], each in four interleaved partial sums (one block of {@link Kernels#dot} and of
     * {@link #residualSquares}).
     */
    static void fusedBlock(double[] x, double[] num, double[] d, double[] g, double xs, double gs, int from, int to,
                           double[] sums, int off) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int p = from;
        for (; p + 3 < to; p += 4) {
            double g0 = -2.0 * (num[p] - d[p]);
            double g1 = -2.0 * (num[p + 1] - d[p + 1]);
            double g2 = -2.0 * (num[p + 2] - d[p + 2]);
            double g3 = -2.0 * (num[p + 3] - d[p + 3]);
            g[p] = g0;
            g[p + 1] = g1;
            g[p + 2] = g2;
            g[p + 3] = g3;
            a0 += x[p] * num[p];
            a1 += x[p + 1] * num[p + 1];
            a2 += x[p + 2] * num[p + 2];
            a3 += x[p + 3] * num[p + 3];
            double q0 = Math.min(xs * x[p], gs * g0);
            double q1 = Math.min(xs * x[p + 1], gs * g1);
            double q2 = Math.min(xs * x[p + 2], gs * g2);
            double q3 = Math.min(xs * x[p + 3], gs * g3);
            s0 += q0 * q0;
            s1 += q1 * q1;
            s2 += q2 * q2;
            s3 += q3 * q3;
        }
        for (; p < to; p++) {
            double gp = -2.0 * (num[p] - d[p]);
            g[p] = gp;
            a0 += x[p] * num[p];
            double q = Math.min(xs * x[p], gs * gp);
            s0 += q * q;
        }
        sums[off] = (a0 + a1) + (a2 + a3);
        sums[off + 1] = (s0 + s1) + (s2 + s3);
    }

    /**
     * One block of ∇F from its Lee–Seung numerator N and denominator D (paper (6)): {@code g = 2(D − N)}, e.g.
     * N = V·Hᵀ, D = W·HHᵀ for the W block; {@code d} may be {@code g}. The one place of this formula, also for the
     * row blocks of the distributed engine.
     */
    public static void gradientFromParts(double[] num, double[] d, double[] g) {
        for (int p = 0; p < g.length; p++) {
            g[p] = -2.0 * (num[p] - d[p]);
        }
    }

    /**
     * F from precomputed products: ‖V‖² − 2⟨W, V Hᵀ⟩ + ⟨WᵀW, HHᵀ⟩. Cost O(nr + r²), but it cancels:
     * its absolute error is about 1e-16·‖V‖², so use {@link #objective} where F ≪ ‖V‖² matters.
     */
    public double objectiveFromProducts(double[] w, double[] vht, double[] wtw, double[] hht) {
        return objectiveFromParts(vNormSquared, Kernels.dot(w, vht, n * r), wtw, hht, r);
    }

    /** F = ‖V‖² − 2⟨W, V Hᵀ⟩ + ⟨WᵀW, HHᵀ⟩ from its parts (⟨W, V Hᵀ⟩ may be summed over row blocks); as above. */
    public static double objectiveFromParts(double vNormSquared, double wDotVht, double[] wtw, double[] hht, int r) {
        return vNormSquared - 2.0 * wDotVht + Kernels.dot(wtw, hht, r * r);
    }

    /**
     * The Hessian as a bilinear form (proofs-notes/hessian.md):
     * dᵀ∇²F d = 2‖dW·H + W·dH‖²_F − 4⟨R, dW·dH⟩ with R = V − WH. Computed directly, cost O(nmr).
     */
    public double hessianQuadraticForm(DenseMatrix w, DenseMatrix h, DenseMatrix dw, DenseMatrix dh) {
        requireShapes(w, h);
        requireShapes(dw, dh);
        if (csr != null) {
            return sparseHessianForm(w.data(), h.data(), dw.data(), dh.data());
        }
        if (backend != null) {
            double[] wd = w.data(), hd = h.data(), dwd = dw.data(), dhd = dh.data();
            int rr = r;
            return backend.sum((blk, first) -> new double[] {denseHessianForm(blk.data(), blk.rows(), blk.cols(), rr,
                    rowsOf(wd, first, blk.rows(), rr), hd, rowsOf(dwd, first, blk.rows(), rr), dhd,
                    Parallel.sequential())}, 1)[0];
        }
        return denseHessianForm(v.data(), n, m, r, w.data(), h.data(), dw.data(), dh.data(), par);
    }

    /** The dense entrywise Hessian form of {@link #hessianQuadraticForm} on n×m data vd (also one row block of V). */
    private static double denseHessianForm(double[] vd, int n, int m, int r, double[] wd, double[] hd, double[] dwd,
                                           double[] dhd, Parallel par) {
        int blocks = Parallel.blockCount(n, 32);
        double[] partial = new double[blocks];
        par.forBlocks(n, 32, (blk, from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                for (int j = 0; j < m; j++) {
                    double e = 0, wh = 0, dd = 0;
                    for (int k = 0; k < r; k++) {
                        double hk = hd[k * m + j];
                        double dhk = dhd[k * m + j];
                        e += dwd[i * r + k] * hk + wd[i * r + k] * dhk;
                        wh += wd[i * r + k] * hk;
                        dd += dwd[i * r + k] * dhk;
                    }
                    double res = vd[i * m + j] - wh;
                    s += 2.0 * e * e - 4.0 * res * dd;
                }
            }
            partial[blk] = s;
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    /**
     * The Hessian form on a sparse V: 2‖dW·H + W·dH‖² − 4(⟨V, dW·dH⟩_nnz − ⟨WH, dW·dH⟩), every n×m inner product
     * by r×r Grams ({@link #productInner}), cost O(nnz·r + (n+m)r²). It cancels, unlike the dense entrywise sum: the
     * rounding error is about r·u times the same expression with |·| everywhere (u = 2⁻⁵³).
     */
    private double sparseHessianForm(double[] w, double[] h, double[] dw, double[] dh) {
        double aa = productInner(dw, h, dw, h) + 2 * productInner(dw, h, w, dh) + productInner(w, dh, w, dh);
        double rb = csr.dotProduct(dw, dh, r, par) - productInner(w, h, dw, dh);
        return 2.0 * aa - 4.0 * rb;
    }

    /**
     * The Hessian-vector product ∇²F·d without forming ∇²F, cost O(nmr) (two products with V):
     * (∇²F d)_W = 2[dW(HHᵀ) + W(dH Hᵀ) + W(H dHᵀ) − V dHᵀ],
     * (∇²F d)_H = 2[(WᵀW)dH + (WᵀdW)H + (dWᵀW)H − dWᵀV]   (proofs-notes/hessian.md).
     */
    public FactorPair hessianTimes(DenseMatrix w, DenseMatrix h, DenseMatrix dw, DenseMatrix dh) {
        requireShapes(w, h);
        requireShapes(dw, dh);
        double[] wd = w.data(), hd = h.data(), dwd = dw.data(), dhd = dh.data();
        double[] vdht = new double[n * r];
        double[] dwtv = new double[r * m];
        dataTimesHt(dhd, vdht);
        wtTimesData(dwd, dwtv);
        double[] hht = Kernels.crossRows(hd, hd, r, m);
        double[] dhht = Kernels.crossRows(dhd, hd, r, m);     // dH Hᵀ
        double[] wtw = Kernels.crossCols(wd, wd, n, r);
        double[] wtdw = Kernels.crossCols(wd, dwd, n, r);     // Wᵀ dW
        // W(dH Hᵀ + H dHᵀ) and (WᵀdW + dWᵀW)H: the symmetric parts.
        double[] symH = new double[r * r];
        double[] symW = new double[r * r];
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                symH[k * r + l] = dhht[k * r + l] + dhht[l * r + k];
                symW[k * r + l] = wtdw[k * r + l] + wtdw[l * r + k];
            }
        }
        double[] outW = new double[n * r];
        double[] tmpW = new double[n * r];
        Kernels.mulSmallRight(dwd, n, r, hht, outW);
        Kernels.mulSmallRight(wd, n, r, symH, tmpW);
        for (int p = 0; p < outW.length; p++) {
            outW[p] = 2.0 * (outW[p] + tmpW[p] - vdht[p]);
        }
        double[] outH = new double[r * m];
        double[] tmpH = new double[r * m];
        Kernels.mulSmallLeft(wtw, r, dhd, m, outH);
        Kernels.mulSmallLeft(symW, r, hd, m, tmpH);
        for (int p = 0; p < outH.length; p++) {
            outH[p] = 2.0 * (outH[p] + tmpH[p] - dwtv[p]);
        }
        return new FactorPair(new DenseMatrix(n, r, outW), new DenseMatrix(r, m, outH));
    }

    /**
     * The Hessian restricted to the coordinates {@code coords} (see {@link #indexW}, {@link #indexH}), as a dense
     * k×k array: entries 2δ_ii'(HHᵀ)_kk', 2δ_jj'(WᵀW)_kk' and 2W_ik'H_kj' − 2δ_kk'R_ij' (proofs-notes/hessian.md).
     * Cost O(k²) after R (O(nmr)); memory 8k² bytes.
     */
    public double[][] restrictedHessian(DenseMatrix w, DenseMatrix h, int[] coords) {
        HessianEntries he = backend != null ? entries(w, h, fetch(coords)) : hessianEntries(w, h);
        int k = coords.length;
        double[][] out = new double[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                double val = he.entry(coords[p], coords[q]);
                out[p][q] = val;
                out[q][p] = val;
            }
        }
        return out;
    }

    /** The entries of ∇²F at (W, H) on demand, from HHᵀ, WᵀW and R (computed once, O(nmr)). */
    public HessianEntries hessianEntries(DenseMatrix w, DenseMatrix h) {
        dense("the Hessian's entries on demand");   // refuses a distributed V (restrictedHessian fetches its entries)
        return entries(w, h, csr);
    }

    /** As above with R_ij from {@code sparse} when non-null (a sparse V, or the fetched entries of a distributed V). */
    private HessianEntries entries(DenseMatrix w, DenseMatrix h, CsrMatrix sparse) {
        requireShapes(w, h);
        double[] wd = w.data(), hd = h.data();
        double[] hht = Kernels.crossRows(hd, hd, r, m, par);
        double[] wtw = Kernels.crossCols(wd, wd, n, r, par);
        if (sparse != null) {
            return new HessianEntries(n, m, r, wd, hd, hht, wtw, null, sparse);   // R_ij on demand: O(log nnz + r)
        }
        double[] res = new double[n * m];
        double[] vd = v.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += wd[i * r + k] * hd[k * m + j];
                }
                res[i * m + j] = vd[i * m + j] - s;
            }
        }
        return new HessianEntries(n, m, r, wd, hd, hht, wtw, res, null);
    }

    /**
     * ∂²F/∂x_a∂x_b for coordinates a, b (W_ik at i·r + k, then H_kj at n·r + k·m + j): 2δ_ii'(HHᵀ)_kk' (W–W),
     * 2δ_jj'(WᵀW)_kk' (H–H), 2W_ik'H_kj' − 2δ_kk'R_ij' (W_ik–H_k'j'), proofs-notes/hessian.md.
     */
    public static final class HessianEntries {
        private final int n, m, r;
        private final double[] w, h, hht, wtw, res;
        private final CsrMatrix sparse;

        HessianEntries(int n, int m, int r, double[] w, double[] h, double[] hht, double[] wtw, double[] res,
                       CsrMatrix sparse) {
            this.sparse = sparse;
            this.n = n;
            this.m = m;
            this.r = r;
            this.w = w;
            this.h = h;
            this.hht = hht;
            this.wtw = wtw;
            this.res = res;
        }

        public double entry(int p, int q) {
            int nr = n * r;
            int a = Math.min(p, q), b = Math.max(p, q);
            if (b < nr) {
                return a / r == b / r ? 2 * hht[(a % r) * r + b % r] : 0;
            }
            if (a >= nr) {
                int ka = (a - nr) / m, ja = (a - nr) % m, kb = (b - nr) / m, jb = (b - nr) % m;
                return ja == jb ? 2 * wtw[ka * r + kb] : 0;
            }
            int i = a / r, ka = a % r, kb = (b - nr) / m, j = (b - nr) % m;
            return 2 * w[i * r + kb] * h[ka * m + j] - (ka == kb ? 2 * residual(i, j) : 0);
        }

        /** R_ij = V_ij − Σ_k W_ik H_kj, summed in k order as the dense table is. */
        private double residual(int i, int j) {
            if (res != null) {
                return res[i * m + j];
            }
            double s = 0;
            for (int k = 0; k < r; k++) {
                s += w[i * r + k] * h[k * m + j];
            }
            return sparse.get(i, j) - s;
        }
    }

    /**
     * The dense N×N Hessian, N = (n+m)r, entries of paper (7) read correctly (proofs-notes/hessian.md):
     * ∂²F/∂W_ik∂W_il = 2(HHᵀ)_kl, ∂²F/∂H_kj∂H_lj = 2(WᵀW)_kl,
     * ∂²F/∂W_ik∂H_lj = 2 W_il H_kj − 2 δ_kl R_ij, all other entries 0. Only for N ≤ {@link #DENSE_HESSIAN_MAX_N}.
     */
    public DenseMatrix denseHessian(DenseMatrix w, DenseMatrix h) {
        requireShapes(w, h);
        int dim = dimension();
        if (dim > DENSE_HESSIAN_MAX_N) {
            throw new IllegalArgumentException("dense Hessian of dimension " + dim + " exceeds " + DENSE_HESSIAN_MAX_N);
        }
        double[] wd = w.data(), hd = h.data();
        double[] hht = Kernels.crossRows(hd, hd, r, m);
        double[] wtw = Kernels.crossCols(wd, wd, n, r);
        double[] res = dense("the dense Hessian").data().clone();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                double x = wd[i * r + k];
                for (int j = 0; j < m; j++) {
                    res[i * m + j] -= x * hd[k * m + j];
                }
            }
        }
        double[] a = new double[dim * dim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                int p = indexW(i, k);
                for (int l = 0; l < r; l++) {
                    a[p * dim + indexW(i, l)] = 2.0 * hht[k * r + l];
                }
                for (int l = 0; l < r; l++) {
                    for (int j = 0; j < m; j++) {
                        double val = 2.0 * wd[i * r + l] * hd[k * m + j] - (k == l ? 2.0 * res[i * m + j] : 0.0);
                        int q = indexH(l, j);
                        a[p * dim + q] = val;
                        a[q * dim + p] = val;
                    }
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < r; k++) {
                int p = indexH(k, j);
                for (int l = 0; l < r; l++) {
                    a[p * dim + indexH(l, j)] = 2.0 * wtw[k * r + l];
                }
            }
        }
        return new DenseMatrix(dim, dim, a);
    }

    /**
     * The first-order residual ‖min(x, ∇F(x))‖_F (entrywise min): zero exactly at the points satisfying
     * the KKT conditions (1) of NMF, for x ≥ 0. Used by solvers for traces and stopping; the certifiers
     * decide stationarity, this only measures it.
     */
    public static double firstOrderResidual(FactorPair x, FactorPair grad) {
        return Math.sqrt(residualSquares(x.w().data(), grad.w().data(), 1, 1)
                + residualSquares(x.h().data(), grad.h().data(), 1, 1));
    }

    /**
     * Σ min(xs·x_p, gs·g_p)²: one block's share of the squared first-order residual, on the scales xs, gs (the
     * simplex methods measure it at C·x). Four interleaved partial sums: one chain of dependent additions cost, at
     * digits size, as much as mu's whole update.
     */
    public static double residualSquares(double[] x, double[] g, double xs, double gs) {
        double s = residualSquares(x, g, xs, gs, 0, Math.min(x.length, Kernels.SUM_BLOCK));
        for (int from = Kernels.SUM_BLOCK; from < x.length; from += Kernels.SUM_BLOCK) {
            s += residualSquares(x, g, xs, gs, from, Math.min(x.length, from + Kernels.SUM_BLOCK));
        }
        return s;
    }

    private static double residualSquares(double[] x, double[] g, double xs, double gs, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int p = from;
        for (; p + 3 < to; p += 4) {
            double q0 = Math.min(xs * x[p], gs * g[p]);
            double q1 = Math.min(xs * x[p + 1], gs * g[p + 1]);
            double q2 = Math.min(xs * x[p + 2], gs * g[p + 2]);
            double q3 = Math.min(xs * x[p + 3], gs * g[p + 3]);
            s0 += q0 * q0;
            s1 += q1 * q1;
            s2 += q2 * q2;
            s3 += q3 * q3;
        }
        for (; p < to; p++) {
            double q = Math.min(xs * x[p], gs * g[p]);
            s0 += q * q;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Rows [first, first + rows) of an n×r row-major array. */
    static double[] rowsOf(double[] a, int first, int rows, int r) {
        return java.util.Arrays.copyOfRange(a, first * r, (first + rows) * r);
    }

    private static DataProducts blockProducts(DenseMatrix blk) {
        return new DataProducts(blk.data(), blk.rows(), blk.cols(), Parallel.sequential());
    }

    /**
     * The entries V_ij, i a row of a W coordinate and j a column of an H coordinate in {@code coords} (all that the
     * restricted Hessian reads of V), fetched from the blocks as a sparse n×m matrix (the other entries read 0).
     */
    private CsrMatrix fetch(int[] coords) {
        java.util.TreeSet<Integer> is = new java.util.TreeSet<>(), js = new java.util.TreeSet<>();
        for (int c : coords) {
            if (c < n * r) {
                is.add(c / r);
            } else {
                js.add((c - n * r) % m);
            }
        }
        int[] rowsWanted = is.stream().mapToInt(Integer::intValue).toArray();
        int[] colsWanted = js.stream().mapToInt(Integer::intValue).toArray();
        double[] got = backend.concat((blk, first) -> {
            java.util.List<Double> out = new java.util.ArrayList<>();
            for (int i : rowsWanted) {
                if (i >= first && i < first + blk.rows()) {
                    for (int j : colsWanted) {
                        double x = blk.get(i - first, j);
                        if (x != 0) {
                            out.add((double) i);
                            out.add((double) j);
                            out.add(x);
                        }
                    }
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        });
        int k = got.length / 3;
        int[] ip = new int[n + 1], idx = new int[k];
        double[] val = new double[k];
        for (int t = 0; t < k; t++) {   // row-major order within and across blocks: rows ascending, columns ascending
            ip[(int) got[3 * t] + 1]++;
            idx[t] = (int) got[3 * t + 1];
            val[t] = got[3 * t + 2];
        }
        for (int i = 0; i < n; i++) {
            ip[i + 1] += ip[i];
        }
        return new CsrMatrix(n, m, ip, idx, val);
    }
}
