package io.github.nmforacle.linalg;

/**
 * A data matrix V, stored dense ({@link DenseMatrix}) or as compressed sparse rows ({@link CsrMatrix}).
 *
 * <p>Issue 15 item 1: the methods only need V through the two products V·Xᵀ and Yᵀ·V, ‖V‖² and ⟨V, A·B⟩, which a
 * CSR matrix gives in O(nnz·r) time and O(nnz) memory; code that truly needs every entry asks for {@link #dense}
 * and gets the dense size named in the refusal when it is too large.
 */
public sealed interface DataMatrix permits DenseMatrix, CsrMatrix {
    /** Largest number of entries {@link #dense} builds from a sparse matrix (4 GB of doubles, as the readers). */
    long DENSE_MAX_ENTRIES = 500_000_000L;

    int rows();

    int cols();

    /** {@code rows x cols}, as in messages. */
    String shape();

    /** True for a {@link CsrMatrix}. */
    default boolean sparse() {
        return this instanceof CsrMatrix;
    }

    /** The number of stored entries: rows·cols for a dense matrix, nnz for CSR (explicit zeros included). */
    default long storedEntries() {
        return this instanceof CsrMatrix c ? c.nonZeros() : (long) rows() * cols();
    }

    /**
     * V as a dense matrix (the same object for a dense V), for a method that needs every entry; {@code why} names
     * that method in the refusal when V has more than {@link #DENSE_MAX_ENTRIES} entries or does not fit the heap.
     */
    default DenseMatrix dense(String why) {
        return this instanceof CsrMatrix c ? c.toDense(why) : (DenseMatrix) this;
    }
}
