package io.github.nmforacle.linalg;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/** Interop for users of Apache Commons Math 3: its {@link RealMatrix} in and out (copies). */
public final class CommonsMath {
    private CommonsMath() {
    }

    /** A copy of {@code m} as a {@link DenseMatrix}. */
    public static DenseMatrix toDense(RealMatrix m) {
        return DenseMatrix.of(m.getData());
    }

    /** A copy of {@code d} as a commons-math3 {@link RealMatrix}. */
    public static RealMatrix toRealMatrix(DenseMatrix d) {
        return new Array2DRowRealMatrix(d.toArray(), false);
    }
}
