package io.github.nmforacle.testkit.jqwik;

import io.github.nmforacle.linalg.DenseMatrix;

/**
 * A data matrix V (n×m, non-negative) and the rank r to factorise it at.
 *
 * @param v    V
 * @param rank r ≥ 1 (≤ min(n, m) unless the arbitrary was built overparametrised)
 */
public record Instance(DenseMatrix v, int rank) {
    @Override
    public String toString() {
        return "Instance[" + v.shape() + ", r=" + rank + ", V=" + NmfArbitraries.rows(v) + "]";
    }
}
