package io.github.nmforacle.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class CommonsMathTest {
    @Test
    void roundTripKeepsEveryEntryAndShape() {
        RealMatrix m = new Array2DRowRealMatrix(new double[][] {{1, 2, 3}, {4, 5, 6.5}});
        DenseMatrix d = CommonsMath.toDense(m);
        assertThat(d.shape()).isEqualTo("2x3");
        assertThat(d.get(1, 2)).isEqualTo(6.5);
        assertThat(CommonsMath.toRealMatrix(d)).isEqualTo(m);
        d.set(0, 0, 9);
        assertThat(m.getEntry(0, 0)).as("copies, not views").isEqualTo(1.0);
    }
}
