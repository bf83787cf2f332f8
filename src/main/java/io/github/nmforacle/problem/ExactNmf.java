package io.github.nmforacle.problem;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.math.BigInteger;
import java.util.function.BiFunction;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.fraction.BigFractionField;
import org.hipparchus.linear.FieldMatrix;
import org.hipparchus.linear.MatrixUtils;

/**
 * F(W, H) = ‖V − WH‖²_F in exact rational arithmetic (Hipparchus {@link BigFraction}): the exact twin
 * of {@link NmfProblem}, with the same formulas and the same coordinate order. Every finite double is
 * an exact rational, so {@link #exact(DenseMatrix)} loses nothing.
 *
 * <p>A sparse V ({@link #of(CsrMatrix, int)}) is kept as its non-zeros, and no n×m matrix is formed (issue 15):
 * F = ‖V‖² − 2⟨V, WH⟩_nnz + ⟨WᵀW, HHᵀ⟩, products with V over the non-zeros, every other n×m inner product as
 * ⟨X₁Y₁, X₂Y₂⟩ = ⟨X₁ᵀX₂, Y₁Y₂ᵀ⟩ of r×r Grams, and R_ij = V_ij − W_i·H_j on demand. Exact arithmetic, so these
 * are the same rationals as the dense formulas give.
 */
public final class ExactNmf {
    /** V, dense; for a sparse V built on first use of {@link #data} or {@link #residual}. */
    private FieldMatrix<BigFraction> v;
    private final int n;
    private final int m;
    private final int r;
    /** A sparse V: its CSR pattern and exact values, else null. */
    private final int[] indptr;
    private final int[] indices;
    private final BigFraction[] values;

    private ExactNmf(FieldMatrix<BigFraction> v, int r) {
        this.v = v;
        this.n = v.getRowDimension();
        this.m = v.getColumnDimension();
        this.r = r;
        this.indptr = null;
        this.indices = null;
        this.values = null;
    }

    private ExactNmf(CsrMatrix v, int r) {
        this.n = v.rows();
        this.m = v.cols();
        this.r = r;
        this.indptr = v.indptr();
        this.indices = v.indices();
        this.values = new BigFraction[v.nonZeros()];
        for (int p = 0; p < values.length; p++) {
            values[p] = exact(v.values()[p]);
        }
    }

    /** The exact problem for a sparse V, kept sparse; same validation as {@link NmfProblem#of}. */
    public static ExactNmf of(CsrMatrix v, int rank) {
        NmfProblem.of(v, rank);
        return new ExactNmf(v, rank);
    }

    private boolean sparse() {
        return values != null;
    }

    /** The exact problem for V (taken as exact rationals) and rank r; same validation as {@link NmfProblem#of}. */
    public static ExactNmf of(DenseMatrix v, int rank) {
        NmfProblem.of(v, rank);
        return new ExactNmf(exact(v), rank);
    }

    /** The exact problem for a rational V ≥ 0 and rank r. */
    public static ExactNmf of(FieldMatrix<BigFraction> v, int rank) {
        for (int i = 0; i < v.getRowDimension(); i++) {
            for (int j = 0; j < v.getColumnDimension(); j++) {
                if (v.getEntry(i, j).signum() < 0) {
                    throw new IllegalArgumentException("entry [" + i + ", " + j + "] is negative");
                }
            }
        }
        if (rank < 1 || rank > Math.min(v.getRowDimension(), v.getColumnDimension())) {
            throw new IllegalArgumentException("rank " + rank + " is outside [1, min(n, m)]");
        }
        return new ExactNmf(v, rank);
    }

    /** The exact rational value of every entry of {@code a} (which must be finite). */
    public static FieldMatrix<BigFraction> exact(DenseMatrix a) {
        FieldMatrix<BigFraction> x = MatrixUtils.createFieldMatrix(BigFractionField.getInstance(), a.rows(), a.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                x.setEntry(i, j, exact(a.get(i, j)));
            }
        }
        return x;
    }

    /**
     * The exact rational value of a finite double, from its bits: x = ±mantissa·2^exponent. (Hipparchus 4.0.3's
     * BigFraction(double) halves subnormal values — found by the independent checker — so it is not used.)
     */
    public static BigFraction exact(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("not a finite number: " + x);
        }
        if (x == 0) {
            return BigFraction.ZERO;
        }
        long bits = Double.doubleToRawLongBits(x);
        int biased = (int) ((bits >> 52) & 0x7ff);
        long mantissa = bits & 0xfffffffffffffL;
        int exponent;
        if (biased == 0) {
            exponent = -1074;                    // subnormal: no hidden bit
        } else {
            mantissa |= 1L << 52;
            exponent = biased - 1075;
        }
        BigInteger num = BigInteger.valueOf(x < 0 ? -mantissa : mantissa);
        return exponent >= 0 ? new BigFraction(num.shiftLeft(exponent))
                : new BigFraction(num, BigInteger.ONE.shiftLeft(-exponent));
    }

    /** A rational matrix from integers numerators over one common denominator, for fixtures. */
    public static FieldMatrix<BigFraction> rational(long[][] numerators, long denominator) {
        FieldMatrix<BigFraction> x = MatrixUtils.createFieldMatrix(BigFractionField.getInstance(),
                numerators.length, numerators[0].length);
        for (int i = 0; i < numerators.length; i++) {
            for (int j = 0; j < numerators[0].length; j++) {
                x.setEntry(i, j, new BigFraction(BigInteger.valueOf(numerators[i][j]), BigInteger.valueOf(denominator)));
            }
        }
        return x;
    }

    /** V as an exact dense matrix (for a sparse V, made dense here). */
    public synchronized FieldMatrix<BigFraction> data() {
        if (v == null) {
            FieldMatrix<BigFraction> d = MatrixUtils.createFieldMatrix(BigFractionField.getInstance(), n, m);
            for (int i = 0; i < n; i++) {
                for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                    d.setEntry(i, indices[p], values[p]);
                }
            }
            v = d;
        }
        return v;
    }

    public int n() { return n; }

    public int m() { return m; }

    public int rank() { return r; }

    /** R = V − WH. */
    public FieldMatrix<BigFraction> residual(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h) {
        requireShapes(w, h);
        return data().subtract(w.multiply(h));
    }

    /** F(W, H) = ‖V − WH‖²_F exactly. */
    public BigFraction objective(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h) {
        if (sparse()) {
            requireShapes(w, h);
            BigFraction vv = BigFraction.ZERO;
            for (BigFraction x : values) {
                vv = vv.add(x.multiply(x));
            }
            return vv.subtract(dataInner(w, h).multiply(2)).add(productInner(w, h, w, h));
        }
        return frobeniusSquared(residual(w, h));
    }

    /** ∇F exactly, paper (6): (−2 R Hᵀ, −2 Wᵀ R); the pair is (∂F/∂W, ∂F/∂H). */
    public FieldMatrix<BigFraction>[] gradient(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h) {
        if (sparse()) {
            // R Hᵀ = V Hᵀ − W (H Hᵀ), Wᵀ R = Wᵀ V − (Wᵀ W) H
            requireShapes(w, h);
            BigFraction minusTwo = new BigFraction(-2);
            return pair(dataTimesT(h).subtract(w.multiply(h.multiply(h.transpose()))).scalarMultiply(minusTwo),
                    tTimesData(w).subtract(w.transpose().multiply(w).multiply(h)).scalarMultiply(minusTwo));
        }
        FieldMatrix<BigFraction> res = residual(w, h);
        return pair(res.multiply(h.transpose()).scalarMultiply(new BigFraction(-2)),
                w.transpose().multiply(res).scalarMultiply(new BigFraction(-2)));
    }

    /** dᵀ∇²F d = 2‖dW·H + W·dH‖²_F − 4⟨R, dW·dH⟩ exactly (proofs-notes/hessian.md). */
    public BigFraction hessianQuadraticForm(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h,
                                            FieldMatrix<BigFraction> dw, FieldMatrix<BigFraction> dh) {
        requireShapes(dw, dh);
        if (sparse()) {
            requireShapes(w, h);
            BigFraction ee = productInner(dw, h, dw, h).add(productInner(dw, h, w, dh).multiply(2)).add(productInner(w, dh, w, dh));
            BigFraction rb = dataInner(dw, dh).subtract(productInner(w, h, dw, dh));
            return ee.multiply(2).subtract(rb.multiply(4));
        }
        FieldMatrix<BigFraction> e = dw.multiply(h).add(w.multiply(dh));
        return frobeniusSquared(e).multiply(2).subtract(inner(residual(w, h), dw.multiply(dh)).multiply(4));
    }

    /** ∇²F·d exactly: (2(E Hᵀ − R dHᵀ), 2(WᵀE − dWᵀR)) with E = dW·H + W·dH. */
    public FieldMatrix<BigFraction>[] hessianTimes(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h,
                                                  FieldMatrix<BigFraction> dw, FieldMatrix<BigFraction> dh) {
        requireShapes(dw, dh);
        BigFraction two = new BigFraction(2);
        if (sparse()) {
            // E Hᵀ − R dHᵀ = dW(HHᵀ) + W(dH Hᵀ) − V dHᵀ + W(H dHᵀ);  WᵀE − dWᵀR = (WᵀdW)H + (WᵀW)dH − dWᵀV + (dWᵀW)H
            requireShapes(w, h);
            FieldMatrix<BigFraction> gw = dw.multiply(h.multiply(h.transpose())).add(w.multiply(dh.multiply(h.transpose())))
                    .subtract(dataTimesT(dh)).add(w.multiply(h.multiply(dh.transpose())));
            FieldMatrix<BigFraction> gh = w.transpose().multiply(dw).multiply(h).add(w.transpose().multiply(w).multiply(dh))
                    .subtract(tTimesData(dw)).add(dw.transpose().multiply(w).multiply(h));
            return pair(gw.scalarMultiply(two), gh.scalarMultiply(two));
        }
        FieldMatrix<BigFraction> res = residual(w, h);
        FieldMatrix<BigFraction> e = dw.multiply(h).add(w.multiply(dh));
        return pair(e.multiply(h.transpose()).subtract(res.multiply(dh.transpose())).scalarMultiply(two),
                w.transpose().multiply(e).subtract(dw.transpose().multiply(res)).scalarMultiply(two));
    }

    /** The dense exact Hessian, N×N with N = (n+m)r, in the coordinate order of {@link NmfProblem}. */
    public FieldMatrix<BigFraction> denseHessian(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h) {
        BiFunction<Integer, Integer, BigFraction> res = residualEntries(w, h);
        FieldMatrix<BigFraction> hht = h.multiply(h.transpose());
        FieldMatrix<BigFraction> wtw = w.transpose().multiply(w);
        int dim = (n + m) * r;
        FieldMatrix<BigFraction> a = MatrixUtils.createFieldMatrix(BigFractionField.getInstance(), dim, dim);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                int p = i * r + k;
                for (int l = 0; l < r; l++) {
                    a.setEntry(p, i * r + l, hht.getEntry(k, l).multiply(2));
                    for (int j = 0; j < m; j++) {
                        BigFraction val = w.getEntry(i, l).multiply(h.getEntry(k, j)).multiply(2);
                        if (k == l) {
                            val = val.subtract(res.apply(i, j).multiply(2));
                        }
                        int q = n * r + l * m + j;
                        a.setEntry(p, q, val);
                        a.setEntry(q, p, val);
                    }
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < r; k++) {
                for (int l = 0; l < r; l++) {
                    a.setEntry(n * r + k * m + j, n * r + l * m + j, wtw.getEntry(k, l).multiply(2));
                }
            }
        }
        return a;
    }

    /**
     * The exact Hessian restricted to the coordinates {@code coords} (indices as in {@link NmfProblem#indexW},
     * {@link NmfProblem#indexH}): entries 2δ_ii'(HHᵀ)_kk', 2δ_jj'(WᵀW)_kk' and 2W_ik'H_kj' − 2δ_kk'R_ij'
     * (proofs-notes/hessian.md). Cost O(|coords|²) after the r×r Grams and R.
     */
    public BigFraction[][] restrictedHessian(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h, int[] coords) {
        BiFunction<Integer, Integer, BigFraction> res = residualEntries(w, h);
        FieldMatrix<BigFraction> hht = h.multiply(h.transpose());
        FieldMatrix<BigFraction> wtw = w.transpose().multiply(w);
        int k = coords.length;
        BigFraction[][] a = new BigFraction[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                BigFraction val = entry(coords[p], coords[q], w, h, res, hht, wtw);
                a[p][q] = val;
                a[q][p] = val;
            }
        }
        return a;
    }

    private BigFraction entry(int a, int b, FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h,
                              BiFunction<Integer, Integer, BigFraction> res, FieldMatrix<BigFraction> hht,
                              FieldMatrix<BigFraction> wtw) {
        int nr = n * r;
        if (a > b) {
            int t = a;
            a = b;
            b = t;
        }
        if (b < nr) {                       // W_ik, W_i'k'
            int i = a / r, k = a % r, i2 = b / r, k2 = b % r;
            return i == i2 ? hht.getEntry(k, k2).multiply(2) : BigFraction.ZERO;
        }
        if (a >= nr) {                      // H_kj, H_k'j'
            int k = (a - nr) / m, j = (a - nr) % m, k2 = (b - nr) / m, j2 = (b - nr) % m;
            return j == j2 ? wtw.getEntry(k, k2).multiply(2) : BigFraction.ZERO;
        }
        int i = a / r, k = a % r, k2 = (b - nr) / m, j = (b - nr) % m;   // W_ik, H_k'j
        BigFraction val = w.getEntry(i, k2).multiply(h.getEntry(k, j)).multiply(2);
        return k == k2 ? val.subtract(res.apply(i, j).multiply(2)) : val;
    }

    /** R_ij: from R = V − WH for a dense V; on demand (V_ij by a binary search in row i) for a sparse one. */
    private BiFunction<Integer, Integer, BigFraction> residualEntries(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h) {
        if (!sparse()) {
            return residual(w, h)::getEntry;
        }
        requireShapes(w, h);
        return (i, j) -> {
            int p = java.util.Arrays.binarySearch(indices, indptr[i], indptr[i + 1], j);
            BigFraction s = p >= 0 ? values[p] : BigFraction.ZERO;
            for (int k = 0; k < r; k++) {
                s = s.subtract(w.getEntry(i, k).multiply(h.getEntry(k, j)));
            }
            return s;
        };
    }

    /** ⟨V, X·Y⟩ over the non-zeros of a sparse V (X n×r, Y r×m). */
    private BigFraction dataInner(FieldMatrix<BigFraction> x, FieldMatrix<BigFraction> y) {
        BigFraction s = BigFraction.ZERO;
        for (int i = 0; i < n; i++) {
            for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                int j = indices[p];
                BigFraction xy = BigFraction.ZERO;
                for (int k = 0; k < r; k++) {
                    xy = xy.add(x.getEntry(i, k).multiply(y.getEntry(k, j)));
                }
                s = s.add(values[p].multiply(xy));
            }
        }
        return s;
    }

    /** ⟨X₁Y₁, X₂Y₂⟩ = ⟨X₁ᵀX₂, Y₁Y₂ᵀ⟩ (X n×r, Y r×m), by r×r Grams. */
    private static BigFraction productInner(FieldMatrix<BigFraction> x1, FieldMatrix<BigFraction> y1,
                                            FieldMatrix<BigFraction> x2, FieldMatrix<BigFraction> y2) {
        return inner(x1.transpose().multiply(x2), y1.multiply(y2.transpose()));
    }

    /** V·Yᵀ (n×r) for Y r×m, over the non-zeros of a sparse V. */
    private FieldMatrix<BigFraction> dataTimesT(FieldMatrix<BigFraction> y) {
        FieldMatrix<BigFraction> out = MatrixUtils.createFieldMatrix(BigFractionField.getInstance(), n, r);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                BigFraction s = BigFraction.ZERO;
                for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                    s = s.add(values[p].multiply(y.getEntry(k, indices[p])));
                }
                out.setEntry(i, k, s);
            }
        }
        return out;
    }

    /** Xᵀ·V (r×m) for X n×r, over the non-zeros of a sparse V. */
    private FieldMatrix<BigFraction> tTimesData(FieldMatrix<BigFraction> x) {
        BigFraction[][] out = new BigFraction[r][m];
        for (BigFraction[] row : out) {
            java.util.Arrays.fill(row, BigFraction.ZERO);
        }
        for (int i = 0; i < n; i++) {
            for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                int j = indices[p];
                for (int k = 0; k < r; k++) {
                    out[k][j] = out[k][j].add(x.getEntry(i, k).multiply(values[p]));
                }
            }
        }
        return MatrixUtils.createFieldMatrix(out);
    }

    /** ⟨A, B⟩ = Σ A_ij B_ij. */
    public static BigFraction inner(FieldMatrix<BigFraction> a, FieldMatrix<BigFraction> b) {
        BigFraction s = BigFraction.ZERO;
        for (int i = 0; i < a.getRowDimension(); i++) {
            for (int j = 0; j < a.getColumnDimension(); j++) {
                s = s.add(a.getEntry(i, j).multiply(b.getEntry(i, j)));
            }
        }
        return s;
    }

    /** ‖A‖²_F. */
    public static BigFraction frobeniusSquared(FieldMatrix<BigFraction> a) {
        return inner(a, a);
    }

    private void requireShapes(FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h) {
        if (w.getRowDimension() != n || w.getColumnDimension() != r || h.getRowDimension() != r || h.getColumnDimension() != m) {
            throw new IllegalArgumentException("shapes " + w.getRowDimension() + "x" + w.getColumnDimension() + " and "
                    + h.getRowDimension() + "x" + h.getColumnDimension() + " do not fit V " + n + "x" + m + " with r = " + r);
        }
    }

    @SuppressWarnings("unchecked")
    private static FieldMatrix<BigFraction>[] pair(FieldMatrix<BigFraction> a, FieldMatrix<BigFraction> b) {
        return new FieldMatrix[] {a, b};
    }
}
