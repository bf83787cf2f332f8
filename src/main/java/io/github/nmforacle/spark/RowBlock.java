package io.github.nmforacle.spark;

import java.io.Serializable;

/**
 * A block of consecutive rows [first, first + rows) of the data matrix V (n×m), the unit one Spark task visits. The
 * engine needs only the two products of issue 15 (V_b·Xᵀ for the W update, Y_bᵀ·V_b for the summed Wᵀ·V) and a few
 * entry-wise statistics, so a sparse (CSR) block plugs in by implementing this interface; {@link DenseRowBlock} is
 * the dense one.
 */
public interface RowBlock extends Serializable {
    /** Index in V of the block's first row. */
    int firstRow();

    /** Rows in the block. */
    int rows();

    /** m, the columns of V. */
    int cols();

    /** {@code out (rows×r) = V_b·Xᵀ} with X r×m (row-major). */
    void timesTransposed(double[] x, int r, double[] out);

    /** {@code out (r×m) = Y_bᵀ·V_b} with Y rows×r (row-major). */
    void transposedTimes(double[] y, int r, double[] out);

    /** ‖V_b − Y_b·H‖²_F summed entry by entry (no cancellation), Y rows×r, H r×m. */
    double residualNormSquared(double[] y, int r, double[] h);

    /** The largest entry (0 for a block of zeros). */
    double max();

    /** Positive entries x with x·2^p subnormal: those the normalisation sets to 0 (io.github.nmforacle.solve.Scaling). */
    long flushedBy(int p);

    /**
     * Feeds the entries to {@code sums} in row-major order; a sparse block may skip its zeros, which leave every sum of
     * {@link OrderedSums} unchanged.
     */
    void feed(OrderedSums sums);

    /**
     * The block's rows×m entries as a dense matrix (a sparse block makes only itself dense, on its executor): what the
     * distributed certifier's per-block functions read (io.github.nmforacle.problem.DataBackend).
     */
    io.github.nmforacle.linalg.DenseMatrix dense();

    /**
     * The block times 2^p with entries that would be subnormal set to 0 (the solvers' normalisation,
     * io.github.nmforacle.solve.Scaling), or {@code s}·V_b when {@code p} is ignored ({@code s} ≠ 1).
     */
    RowBlock scaled(int p, double s);
}
