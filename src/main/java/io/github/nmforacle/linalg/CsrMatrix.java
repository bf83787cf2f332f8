package io.github.nmforacle.linalg;

import java.util.Arrays;

/**
 * A sparse matrix in compressed sparse row form (the layout of scipy's {@code csr_matrix}): the entries of row i are
 * {@code values[indptr[i] .. indptr[i+1])} at columns {@code indices[..]}, strictly increasing within a row; every
 * other entry is 0. Immutable; the arrays are shared, not copied (callers must not change them).
 *
 * <p>The products with V that NMF needs cost O(nnz·r) here instead of O(nmr) (issue 15 item 1). Each runs over fixed
 * blocks of rows ({@link #ROW_BLOCK}, a constant), every output entry is summed by one thread in index order, and
 * reductions add per-block partials in block order: the bits do not depend on the thread count, as for
 * {@link DataProducts}.
 */
public final class CsrMatrix implements DataMatrix {
    /** Rows per parallel block of every product: a constant, so block boundaries are the shape's alone. */
    static final int ROW_BLOCK = 512;
    /**
     * Output entries per column block of {@link #transposedTimes} (1 MiB: a block stays in L2/L3; more blocks would
     * each scan the row pattern again).
     */
    static final long SCATTER_ENTRIES = 1L << 17;

    private final int rows;
    private final int cols;
    private final int[] indptr;
    private final int[] indices;
    private final double[] values;
    private CsrMatrix transposed;

    /**
     * Wraps CSR arrays after checking them: {@code indptr} of length rows+1 from 0 to nnz, non-decreasing; column
     * indices in [0, cols) and strictly increasing within each row (no duplicates).
     *
     * @throws IllegalArgumentException naming the first inconsistency, 0-based
     */
    public CsrMatrix(int rows, int cols, int[] indptr, int[] indices, double[] values) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if (indptr.length != rows + 1) {
            throw new IllegalArgumentException("indptr has " + indptr.length + " entries, expected rows + 1 = " + (rows + 1));
        }
        if (indices.length != values.length) {
            throw new IllegalArgumentException("indices has " + indices.length + " entries but data has " + values.length);
        }
        if (indptr[0] != 0 || indptr[rows] != values.length) {
            throw new IllegalArgumentException("indptr must run from 0 to nnz = " + values.length + ", got " + indptr[0]
                    + " to " + indptr[rows]);
        }
        for (int i = 0; i < rows; i++) {
            if (indptr[i + 1] < indptr[i]) {
                throw new IllegalArgumentException("indptr decreases at row " + i + " (" + indptr[i] + " then " + indptr[i + 1] + ")");
            }
        }
        for (int i = 0; i < rows; i++) {
            for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                int j = indices[p];
                if (j < 0 || j >= cols) {
                    throw new IllegalArgumentException("column index " + j + " of row " + i + " is outside [0, " + cols + ")");
                }
                if (p > indptr[i] && j <= indices[p - 1]) {
                    throw new IllegalArgumentException(j == indices[p - 1] ? "duplicate entry [" + i + ", " + j + "]"
                            : "column indices of row " + i + " are not sorted");
                }
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.indptr = indptr;
        this.indices = indices;
        this.values = values;
    }

    /** Called with the positions (in the triplet arrays) of two entries at the same (row, column). */
    @FunctionalInterface
    public interface DuplicateHandler {
        void duplicate(int first, int second);
    }

    /**
     * The CSR form of triplets (row, column, value) in any order, 0-based. A repeated (row, column) goes to
     * {@code onDuplicate} (which should throw); if it returns, the IllegalArgumentException below is thrown.
     *
     * @throws IllegalArgumentException on an index out of range or a repeated (row, column)
     */
    public static CsrMatrix fromTriplets(int rows, int cols, int[] ri, int[] ci, double[] v, DuplicateHandler onDuplicate) {
        int nnz = v.length;
        int[] indptr = new int[rows + 1];
        for (int p = 0; p < nnz; p++) {
            if (ri[p] < 0 || ri[p] >= rows || ci[p] < 0 || ci[p] >= cols) {
                throw new IllegalArgumentException("entry [" + ri[p] + ", " + ci[p] + "] is outside a " + rows + "x" + cols + " matrix");
            }
            indptr[ri[p] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            indptr[i + 1] += indptr[i];
        }
        int[] next = Arrays.copyOf(indptr, rows);
        int[] orig = new int[nnz];
        for (int p = 0; p < nnz; p++) {
            orig[next[ri[p]]++] = p;
        }
        // within a row, sort by (column, position) so that the earlier of two duplicates comes first
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        for (int i = 0; i < rows; i++) {
            int from = indptr[i], to = indptr[i + 1];
            long[] keys = new long[to - from];
            for (int q = from; q < to; q++) {
                keys[q - from] = ((long) ci[orig[q]] << 32) | orig[q];
            }
            Arrays.sort(keys);
            for (int q = from; q < to; q++) {
                int p = (int) keys[q - from];
                idx[q] = ci[p];
                val[q] = v[p];
                if (q > from && idx[q] == idx[q - 1]) {
                    int first = (int) keys[q - from - 1];
                    onDuplicate.duplicate(first, p);
                    throw new IllegalArgumentException("duplicate entry [" + i + ", " + idx[q] + "]");
                }
            }
        }
        return new CsrMatrix(rows, cols, indptr, idx, val, true);
    }

    /** The non-zero entries of a dense matrix (zeros, including −0.0, are dropped), in CSR form. */
    public static CsrMatrix of(DenseMatrix a) {
        int n = a.rows(), m = a.cols();
        double[] d = a.data();
        int nnz = 0;
        for (double x : d) {
            nnz += x != 0 ? 1 : 0;
        }
        int[] indptr = new int[n + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int q = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double x = d[i * m + j];
                if (x != 0) {
                    idx[q] = j;
                    val[q++] = x;
                }
            }
            indptr[i + 1] = q;
        }
        return new CsrMatrix(n, m, indptr, idx, val);
    }

    @Override
    public int rows() { return rows; }

    @Override
    public int cols() { return cols; }

    @Override
    public String shape() { return rows + "x" + cols; }

    /** Stored entries (explicit zeros included). */
    public int nonZeros() { return values.length; }

    /** Row pointers (shared): row i is {@code [indptr[i], indptr[i+1])}. */
    public int[] indptr() { return indptr; }

    /** Column indices (shared). */
    public int[] indices() { return indices; }

    /** Stored values (shared). */
    public double[] values() { return values; }

    /** Entry (i, j), by binary search in row i. */
    public double get(int i, int j) {
        int p = Arrays.binarySearch(indices, indptr[i], indptr[i + 1], j);
        return p >= 0 ? values[p] : 0.0;
    }

    /** The same pattern with {@code newValues} (one per stored entry, shared) as values. */
    public CsrMatrix withValues(double[] newValues) {
        if (newValues.length != values.length) {
            throw new IllegalArgumentException(newValues.length + " values for " + values.length + " stored entries");
        }
        return new CsrMatrix(rows, cols, indptr, indices, newValues, true);
    }

    /** s·V (the pattern is kept). */
    public CsrMatrix scaled(double s) {
        double[] v = new double[values.length];
        for (int p = 0; p < v.length; p++) {
            v[p] = s * values[p];
        }
        return withValues(v);
    }

    /** Vᵀ in CSR form (the CSC form of V), built once: rows of Vᵀ in increasing row order of V. */
    public synchronized CsrMatrix transpose() {
        if (transposed == null) {
            int[] tp = new int[cols + 1];
            for (int j : indices) {
                tp[j + 1]++;
            }
            for (int j = 0; j < cols; j++) {
                tp[j + 1] += tp[j];
            }
            int[] next = Arrays.copyOf(tp, cols);
            int[] ti = new int[values.length];
            double[] tv = new double[values.length];
            for (int i = 0; i < rows; i++) {
                for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                    int q = next[indices[p]]++;
                    ti[q] = i;
                    tv[q] = values[p];
                }
            }
            CsrMatrix t = new CsrMatrix(cols, rows, tp, ti, tv, true);
            t.transposed = this;
            transposed = t;
        }
        return transposed;
    }

    /** Trusted constructor for arrays built here (already consistent). */
    private CsrMatrix(int rows, int cols, int[] indptr, int[] indices, double[] values, boolean trusted) {
        this.rows = rows;
        this.cols = cols;
        this.indptr = indptr;
        this.indices = indices;
        this.values = values;
    }

    /**
     * The dense matrix, for a method that needs every entry ({@code why} names it in the refusal).
     *
     * @throws IllegalArgumentException when rows·cols exceeds {@link #DENSE_MAX_ENTRIES} or the heap
     */
    DenseMatrix toDense(String why) {
        long entries = (long) rows * cols;
        long heapEntries = Runtime.getRuntime().maxMemory() / Double.BYTES;
        long limit = Math.min(Math.min(DENSE_MAX_ENTRIES, heapEntries), Integer.MAX_VALUE - 8);
        if (entries > limit) {
            throw new IllegalArgumentException(why + " needs V dense: " + shape() + " is " + String.format(java.util.Locale.ROOT,
                    "%.3g", (double) entries) + " entries (" + (entries * 8 >> 20) + " MiB), more than the limit of "
                    + String.format(java.util.Locale.ROOT, "%.3g", (double) limit) + " entries; V has " + nonZeros()
                    + " non-zeros, and the sparse methods do not need it dense");
        }
        double[] d = new double[(int) entries];
        for (int i = 0; i < rows; i++) {
            for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                d[i * cols + indices[p]] = values[p];
            }
        }
        return new DenseMatrix(rows, cols, d);
    }

    /** ‖V‖²_F, summed over the stored values in row-major order (the bits of the dense row-major sum). */
    public double normSquared() {
        double s = 0;
        for (double x : values) {
            s += x * x;
        }
        return s;
    }

    /** Σ V_ij in row-major order (the bits of the dense row-major sum). */
    public double sum() {
        double s = 0;
        for (double x : values) {
            s += x;
        }
        return s;
    }

    /** {@code out (rows×r) = V·Xᵀ} with X r×cols row-major; cost O(nnz·r). */
    public void timesTransposed(double[] x, int r, double[] out, Parallel par) {
        rowTimes(transposeSmall(x, r, cols), r, out, par);
    }

    /**
     * {@code out (r×cols) = Yᵀ·V} with Y rows×r row-major; cost O(nnz·r). A scatter of the rows of Y, streamed in row
     * order, into column blocks of the output small enough to stay in cache ({@link #SCATTER_ENTRIES}; a gather over
     * the columns of V would read Y at random). Each block scans the row pattern for its columns, so every output
     * entry is Σ_i v_ij y_ik in increasing i, one accumulator: the dense Java kernel's order, for any thread count.
     */
    public void transposedTimes(double[] y, int r, double[] out, Parallel par) {
        int width = (int) Math.max(1, Math.min(cols, SCATTER_ENTRIES / Math.max(1, r)));
        par.forBlocks(cols, width, (blk, from, to) -> {
            double[] acc = new double[(to - from) * r];
            for (int i = 0; i < rows; i++) {
                int end = indptr[i + 1];
                int p = indptr[i];
                if (p == end || indices[end - 1] < from) {
                    continue;
                }
                while (p < end && indices[p] < from) {
                    p++;
                }
                int q = p;
                while (q < end && indices[q] < to) {
                    q++;
                }
                // four entries of row i of Y in locals: the JIT cannot prove acc and y distinct, and would reload y
                int yi = i * r, k = 0;
                for (; k + 3 < r; k += 4) {
                    double y0 = y[yi + k], y1 = y[yi + k + 1], y2 = y[yi + k + 2], y3 = y[yi + k + 3];
                    for (int t = p; t < q; t++) {
                        double v = values[t];
                        int o = (indices[t] - from) * r + k;
                        acc[o] = Kernels.madd(v, y0, acc[o]);
                        acc[o + 1] = Kernels.madd(v, y1, acc[o + 1]);
                        acc[o + 2] = Kernels.madd(v, y2, acc[o + 2]);
                        acc[o + 3] = Kernels.madd(v, y3, acc[o + 3]);
                    }
                }
                for (; k < r; k++) {
                    double yk = y[yi + k];
                    for (int t = p; t < q; t++) {
                        acc[(indices[t] - from) * r + k] = Kernels.madd(values[t], yk, acc[(indices[t] - from) * r + k]);
                    }
                }
            }
            for (int j = from; j < to; j++) {
                int o = (j - from) * r;
                for (int k = 0; k < r; k++) {
                    out[k * cols + j] = acc[o + k];
                }
            }
        });
    }

    /**
     * {@code out (rows×r) = V·Z} with Z cols×r row-major: entry (i, k) is Σ_p v_p Z[col_p, k] over row i in column
     * order, one accumulator. Four k at a time in locals (registers), the row's few entries read once per four.
     */
    void rowTimes(double[] z, int r, double[] out, Parallel par) {
        par.forBlocks(rows, ROW_BLOCK, (blk, from, to) -> {
            for (int i = from; i < to; i++) {
                int start = indptr[i], end = indptr[i + 1], o = i * r;
                int k = 0;
                for (; k + 3 < r; k += 4) {
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int p = start; p < end; p++) {
                        double v = values[p];
                        int b = indices[p] * r + k;
                        s0 = Kernels.madd(v, z[b], s0);
                        s1 = Kernels.madd(v, z[b + 1], s1);
                        s2 = Kernels.madd(v, z[b + 2], s2);
                        s3 = Kernels.madd(v, z[b + 3], s3);
                    }
                    out[o + k] = s0;
                    out[o + k + 1] = s1;
                    out[o + k + 2] = s2;
                    out[o + k + 3] = s3;
                }
                for (; k < r; k++) {
                    double s0 = 0;
                    for (int p = start; p < end; p++) {
                        s0 = Kernels.madd(values[p], z[indices[p] * r + k], s0);
                    }
                    out[o + k] = s0;
                }
            }
        });
    }

    private static double[] transposeSmall(double[] x, int r, int m) {
        double[] t = new double[m * r];
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                t[j * r + k] = x[k * m + j];
            }
        }
        return t;
    }

    /**
     * Sums over the stored entries of three quantities of (A·B)_ij with A rows×r, B r×cols (row-major):
     * {@code [Σ v·(AB), Σ (v − AB)², Σ (AB)²]}. With them F = ‖V − AB‖² = Σ_nnz (v − AB)² + (⟨AᵀA, BBᵀ⟩ − Σ_nnz (AB)²)
     * and ⟨V, AB⟩ need no dense product. Cost O(nnz·r); fixed row blocks, partials added in block order.
     */
    public double[] entrySums(double[] a, double[] b, int r, Parallel par) {
        double[] bt = transposeSmall(b, r, cols);
        int blocks = Parallel.blockCount(rows, ROW_BLOCK);
        double[][] partial = new double[blocks][];
        par.forBlocks(rows, ROW_BLOCK, (blk, from, to) -> {
            double s0 = 0, s1 = 0, s2 = 0;
            for (int i = from; i < to; i++) {
                int ai = i * r;
                for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                    int base = indices[p] * r;
                    double ab = 0;
                    for (int k = 0; k < r; k++) {
                        ab += a[ai + k] * bt[base + k];
                    }
                    double v = values[p];
                    double res = v - ab;
                    s0 += v * ab;
                    s1 += res * res;
                    s2 += ab * ab;
                }
            }
            partial[blk] = new double[] {s0, s1, s2};
        });
        double[] s = new double[3];
        for (double[] q : partial) {
            for (int t = 0; t < 3; t++) {
                s[t] += q[t];
            }
        }
        return s;
    }

    /**
     * ‖V − A·B‖²_F = Σ_nnz (v − AB)² + (⟨AᵀA, BBᵀ⟩ − Σ_nnz (AB)²) with A rows×r, B r×cols ({@link #entrySums}): only the
     * bracket, ‖AB‖² over the zeros of V, cancels. Cost O(nnz·r + (rows + cols)·r²).
     */
    public double residualNormSquared(double[] a, double[] b, int r, Parallel par) {
        double[] s = entrySums(a, b, r, par);
        double[] ata = Kernels.crossCols(a, a, rows, r, par);
        double[] bbt = Kernels.crossRows(b, b, r, cols, par);
        return s[1] + (Kernels.dot(ata, bbt, r * r) - s[2]);
    }

    /** ⟨V, A·B⟩ = Σ_nnz v_ij (A·B)_ij with A rows×r, B r×cols; cost O(nnz·r). */
    public double dotProduct(double[] a, double[] b, int r, Parallel par) {
        return entrySums(a, b, r, par)[0];
    }

    /** Stored entries as (row, column, value) to {@code visitor}, in row-major order. */
    public void forEach(EntryVisitor visitor) {
        for (int i = 0; i < rows; i++) {
            for (int p = indptr[i]; p < indptr[i + 1]; p++) {
                visitor.visit(i, indices[p], values[p]);
            }
        }
    }

    /** Callback of {@link #forEach}. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(int i, int j, double v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsrMatrix c && c.rows == rows && c.cols == cols && Arrays.equals(c.indptr, indptr)
                && Arrays.equals(c.indices, indices) && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * rows + cols) + Arrays.hashCode(indices)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "CsrMatrix " + shape() + ", " + nonZeros() + " stored entries";
    }
}
