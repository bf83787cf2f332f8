package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import java.util.ArrayList;
import java.util.List;

/** Test-only {@link IterationListener} that keeps every trace row and (a copy of) every iterate. */
final class Recorder implements IterationListener {
    final List<TraceRow> rows = new ArrayList<>();
    final List<FactorPair> points = new ArrayList<>();

    @Override
    public void onIterate(TraceRow row, java.util.function.Supplier<FactorPair> point) {
        rows.add(row);
        points.add(point.get());
    }

    /** A matrix from rows, for readable fixtures. */
    static DenseMatrix m(double[]... rows) {
        return DenseMatrix.of(rows);
    }

    /** A rows×cols matrix with every entry equal to {@code x}. */
    static DenseMatrix constant(int rows, int cols, double x) {
        double[] d = new double[rows * cols];
        java.util.Arrays.fill(d, x);
        return new DenseMatrix(rows, cols, d);
    }

    /** Bitwise equality of two matrices (0.0 and -0.0 differ, as do distinct NaNs' canonical forms). */
    static boolean sameBits(DenseMatrix a, DenseMatrix b) {
        return a.rows() == b.rows() && a.cols() == b.cols() && java.util.Arrays.equals(a.data(), b.data());
    }
}
