package io.github.nmforacle.spark;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DataProducts;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;

/**
 * A dense row block of V, row-major, with its products on the single-JVM kernels ({@link DataProducts}): one task
 * runs one block single-threaded, Spark's parallelism being across blocks.
 */
public final class DenseRowBlock implements RowBlock {
    private static final long serialVersionUID = 1L;
    private final int first;
    private final int rows;
    private final int cols;
    private final double[] data;
    private final Blas blas;
    private transient DataProducts products;

    /** Rows [first, first + rows) of V as a row-major array of rows×cols entries (not copied). */
    public DenseRowBlock(int first, int rows, int cols, double[] data, Blas blas) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("block has " + data.length + " entries, expected " + rows + "x" + cols);
        }
        this.first = first;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.blas = blas;
    }

    private DataProducts products() {
        if (products == null) {
            products = new DataProducts(data, rows, cols, Parallel.withThreads(1, blas));
        }
        return products;
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

    /** The entries, row-major (not a copy). */
    public double[] data() {
        return data;
    }

    @Override
    public void timesTransposed(double[] x, int r, double[] out) {
        products().timesTransposed(x, r, out);
    }

    @Override
    public void transposedTimes(double[] y, int r, double[] out) {
        products().transposedTimes(y, r, out);
    }

    @Override
    public double residualNormSquared(double[] y, int r, double[] h) {
        return Kernels.residualNormSquared(data, rows, cols, y, r, h, Parallel.sequential());
    }

    @Override
    public io.github.nmforacle.linalg.DenseMatrix dense() {
        return new io.github.nmforacle.linalg.DenseMatrix(rows, cols, data);
    }

    @Override
    public double max() {
        return StoredEntries.max(data);
    }

    @Override
    public long flushedBy(int p) {
        return StoredEntries.flushedBy(data, p);
    }

    @Override
    public void feed(OrderedSums sums) {
        StoredEntries.feed(data, sums);
    }

    @Override
    public RowBlock scaled(int p, double s) {
        return new DenseRowBlock(first, rows, cols, StoredEntries.scaled(data, p, s), blas);
    }
}
