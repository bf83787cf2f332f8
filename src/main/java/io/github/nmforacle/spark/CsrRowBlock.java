package io.github.nmforacle.spark;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.Parallel;

/**
 * A sparse row block of V in CSR form (issue 15: "V as row blocks (sparse or dense)"): every method costs O(nnz_b·r)
 * (plus O((rows + m)·r²) for the residual), on {@link CsrMatrix}'s kernels, single-threaded (Spark's parallelism is
 * across blocks). With the Java kernels the products are the bits of {@link DenseRowBlock} on the same rows
 * (CsrMatrix sums each output entry in the dense kernels' order; the dense terms at zeros are +0); only
 * {@link #residualNormSquared} differs, see there.
 */
public final class CsrRowBlock implements RowBlock {
    private static final long serialVersionUID = 1L;
    private final int first;
    private final int rows;
    private final int cols;
    private final int[] indptr;
    private final int[] indices;
    private final double[] values;
    private transient CsrMatrix matrix;

    /** Rows [first, first + rows) of V as CSR arrays (not copied; checked as by {@link CsrMatrix}'s constructor). */
    public CsrRowBlock(int first, int rows, int cols, int[] indptr, int[] indices, double[] values) {
        this.first = first;
        this.rows = rows;
        this.cols = cols;
        this.indptr = indptr;
        this.indices = indices;
        this.values = values;
        this.matrix = new CsrMatrix(rows, cols, indptr, indices, values);
    }

    /** Rows [from, from + count) of {@code v} as a block whose first row in V is {@code first} (arrays copied). */
    public static CsrRowBlock slice(CsrMatrix v, int from, int count, int first) {
        int[] ip = v.indptr();
        int start = ip[from], end = ip[from + count];
        int[] p = new int[count + 1];
        for (int i = 0; i <= count; i++) {
            p[i] = ip[from + i] - start;
        }
        return new CsrRowBlock(first, count, v.cols(), p, java.util.Arrays.copyOfRange(v.indices(), start, end),
                java.util.Arrays.copyOfRange(v.values(), start, end));
    }

    /** The block as a CsrMatrix (rebuilt, and checked, once after deserialisation). */
    public CsrMatrix matrix() {
        if (matrix == null) {
            matrix = new CsrMatrix(rows, cols, indptr, indices, values);
        }
        return matrix;
    }

    /**
     * The block made dense on its executor, for the distributed certifier's per-block functions (which read every
     * entry); refused, naming the dense size, when the block has more than 5e8 entries or does not fit the heap.
     */
    @Override
    public io.github.nmforacle.linalg.DenseMatrix dense() {
        return matrix().dense("the distributed certifier (row block at row " + first + ")");
    }

    @Override
    public int firstRow() {
        return first;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void timesTransposed(double[] x, int r, double[] out) {
        matrix().timesTransposed(x, r, out, Parallel.sequential());
    }

    @Override
    public void transposedTimes(double[] y, int r, double[] out) {
        matrix().transposedTimes(y, r, out, Parallel.sequential());
    }

    /**
     * By {@link CsrMatrix#residualNormSquared}: F_b = Σ_nnz (v − YH)² + (⟨YᵀY, HHᵀ⟩ − Σ_nnz (YH)²), not the entry-by-entry
     * sum of the dense block (that costs O(rows·m·r)). Both are within γ_K of the exact F_b times a few ‖V_b‖² + ‖Y_bH‖²
     * (the bound and its derivation: CsrRowBlockTest), so they differ by the rounding of that cancellation only.
     */
    @Override
    public double residualNormSquared(double[] y, int r, double[] h) {
        return matrix().residualNormSquared(y, h, r, Parallel.sequential());
    }

    @Override
    public double max() {
        return StoredEntries.max(values);
    }

    @Override
    public long flushedBy(int p) {
        return StoredEntries.flushedBy(values, p);
    }

    @Override
    public void feed(OrderedSums sums) {
        StoredEntries.feed(values, sums);
    }

    /** As {@link DenseRowBlock#scaled}; the pattern is kept (a flushed entry stays stored as 0, adding +0 as dense). */
    @Override
    public RowBlock scaled(int p, double s) {
        return new CsrRowBlock(first, rows, cols, indptr, indices, StoredEntries.scaled(values, p, s));
    }
}
