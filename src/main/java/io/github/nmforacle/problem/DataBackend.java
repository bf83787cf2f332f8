package io.github.nmforacle.problem;

import io.github.nmforacle.linalg.DenseMatrix;
import java.io.Serializable;

/**
 * V held elsewhere, in row blocks (issue 15 item 2: the distributed certifier): every access to V is a function of
 * one block, evaluated where the block lives, whose results the driver combines in block order, so every result is
 * deterministic. {@link NmfProblem#of(DataBackend, int)} builds the certifier's operations on V from these two
 * combinators; the Spark implementation is io.github.nmforacle.spark.SparkDataBackend.
 *
 * <p>Rounding: a sum over the rows of V (Wᵀ·V, F, ‖V‖², the Hessian form) becomes block partials added one after the
 * other, a path of at most (rows of a block) + {@link #blocks()} roundings instead of n: the certifier adds
 * {@link NmfProblem#blockPartials()} to every such summation length (proofs-notes/certifier.md, "Distributed V").
 */
public interface DataBackend {
    /** One block's share: {@code block} is V_b dense (its rows [firstRow, firstRow + rows)), m columns. */
    @FunctionalInterface
    interface BlockFunction extends Serializable {
        double[] apply(DenseMatrix block, int firstRow);
    }

    /** n. */
    int rows();

    /** m. */
    int cols();

    /** The number of row blocks. */
    int blocks();

    /** Σ_b f(V_b), entrywise, the partials added in block order starting from the first block's (all of length len). */
    double[] sum(BlockFunction f, int len);

    /** f(V_b) concatenated in block order. */
    double[] concat(BlockFunction f);

    /** SHA-256 of V as io.github.nmforacle.certify.Certificate.Provenance#sha256 computes it for a local V. */
    String sha256();
}
