package io.github.nmforacle.linalg;

import java.util.Arrays;

/**
 * A dense real matrix stored row-major in one {@code double[]}: entry (i, j) is at {@code i * cols + j}.
 *
 * <p>The hot loops of the project work on {@link #data()} directly; the array is shared, not copied,
 * so callers that keep a matrix must not mutate the array afterwards ({@link #copy()} when in doubt).
 */
public final class DenseMatrix implements DataMatrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    /** Wraps {@code rowMajor} (not copied); its length must be {@code rows * cols}. */
    public DenseMatrix(int rows, int cols, double[] rowMajor) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if ((long) rows * cols != rowMajor.length) {
            throw new IllegalArgumentException("shape " + rows + "x" + cols + " does not match " + rowMajor.length + " values");
        }
        this.rows = rows;
        this.cols = cols;
        this.data = rowMajor;
    }

    /** A zero matrix. */
    public static DenseMatrix zeros(int rows, int cols) {
        return new DenseMatrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    /** Copies a rectangular {@code double[][]}. */
    public static DenseMatrix of(double[][] a) {
        int r = a.length;
        int c = r == 0 ? 0 : a[0].length;
        double[] d = new double[Math.multiplyExact(r, c)];
        for (int i = 0; i < r; i++) {
            if (a[i].length != c) {
                throw new IllegalArgumentException("ragged array: row " + i + " has " + a[i].length + " columns, expected " + c);
            }
            System.arraycopy(a[i], 0, d, i * c, c);
        }
        return new DenseMatrix(r, c, d);
    }

    @Override
    public int rows() { return rows; }

    @Override
    public int cols() { return cols; }

    /** The backing row-major array (shared). */
    public double[] data() { return data; }

    public double get(int i, int j) { return data[i * cols + j]; }

    public void set(int i, int j, double v) { data[i * cols + j] = v; }

    public DenseMatrix copy() { return new DenseMatrix(rows, cols, data.clone()); }

    public double[][] toArray() {
        double[][] a = new double[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
        }
        return a;
    }

    public DenseMatrix transpose() {
        double[] t = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return new DenseMatrix(cols, rows, t);
    }

    /** No entry is NaN or infinite. */
    public boolean allFinite() {
        for (double x : data) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** Frobenius norm, computed with scaling so that it neither overflows nor underflows. */
    public double frobeniusNorm() {
        double scale = 0;
        for (double v : data) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (double v : data) {
            double x = v / scale;
            s += x * x;
        }
        return scale * Math.sqrt(s);
    }

    public boolean sameShape(DenseMatrix o) { return rows == o.rows && cols == o.cols; }

    @Override
    public String shape() { return rows + "x" + cols; }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() { return 31 * (31 * rows + cols) + Arrays.hashCode(data); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DenseMatrix ").append(shape());
        if (data.length <= 64) {
            for (int i = 0; i < rows; i++) {
                sb.append(i == 0 ? " [" : "; ");
                for (int j = 0; j < cols; j++) {
                    sb.append(j == 0 ? "" : ", ").append(get(i, j));
                }
            }
            sb.append(rows > 0 ? "]" : "");
        }
        return sb.toString();
    }
}
