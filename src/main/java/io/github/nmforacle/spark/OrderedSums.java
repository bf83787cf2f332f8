package io.github.nmforacle.spark;

import java.io.Serializable;

/**
 * ΣV (the random positive start) and ΣV² (‖V‖²_F, hence C of Algorithm 1 and the relative error), summed in the
 * row-major order the single-JVM solvers use, so that the distributed engine starts from the very same bits. It is
 * carried from block to block in order (one small job per block): a sequential pass, done once per run before the
 * iterations, never per iteration.
 */
public final class OrderedSums implements Serializable {
    private static final long serialVersionUID = 1L;
    double sum;
    double sumSquares;

    /** Adds entry x of V; entries must come in row-major order (zeros may be skipped). */
    public void add(double x) {
        sum += x;
        sumSquares += x * x;
    }
}
