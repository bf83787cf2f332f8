package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;

/** An NMF algorithm: minimises F(W, H) = ‖V − WH‖²_F over W, H ≥ 0 (paper, problem (NMF)). */
public interface Solver {
    /** The name used on the command line, e.g. {@code mwu-adaptive}. */
    String name();

    /**
     * Runs the algorithm on V (finite, non-negative) with the given options.
     *
     * @throws IllegalArgumentException on invalid V, rank or initial factors (one-line message)
     */
    SolveResult solve(DenseMatrix v, SolverOptions options);

    /**
     * Runs the algorithm on a dense or sparse V. The built-in iterative solvers keep a sparse V sparse (products in
     * O(nnz·r), issue 15 item 1); by default a solver gets V dense, refused with the dense size when too large.
     */
    default SolveResult solve(DataMatrix v, SolverOptions options) {
        return solve(v.dense(name()), options);
    }
}
