package io.github.nmforacle.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CSR kernels (issue 15 item 1): the products are the dense Java kernels' bits (same summation order; the dense terms
 * at zeros are ±0), for any thread count, also when Yᵀ·V is cut into several column blocks (r = 40: blocks of
 * SCATTER_ENTRIES / r = 3276 columns, three of them here) and V·Xᵀ into several row blocks.
 */
class CsrMatrixTest {
    private static DenseMatrix random(int n, int m, double density, long seed, boolean signed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] d = new double[n * m];
        for (int i = 0; i < d.length; i++) {
            if (rnd.nextDouble() < density) {
                d[i] = signed ? rnd.nextDouble(-1, 1) : 1 - rnd.nextDouble();
            }
        }
        return new DenseMatrix(n, m, d);
    }

    @Test
    void productsAreTheDenseJavaBits() {
        int n = 1100, m = 7001, r = 40;
        DenseMatrix v = random(n, m, 0.002, 1, false);
        CsrMatrix c = CsrMatrix.of(v);
        assertThat(Parallel.blockCount(m, (int) (CsrMatrix.SCATTER_ENTRIES / r))).isEqualTo(3);
        assertThat(Parallel.blockCount(n, CsrMatrix.ROW_BLOCK)).isEqualTo(3);
        double[] x = random(r, m, 1, 2, true).data(), y = random(n, r, 1, 3, true).data();
        for (int threads : new int[] {1, 3}) {
            try (Parallel par = Parallel.withThreads(threads, Blas.JAVA)) {
                DataProducts dense = new DataProducts(v.data(), n, m, par);
                double[] want = new double[n * r], got = new double[n * r];
                dense.timesTransposed(x, r, want);
                c.timesTransposed(x, r, got, par);
                assertThat(got).as("V·Xᵀ, %d threads", threads).isEqualTo(want);
                double[] want2 = new double[r * m], got2 = new double[r * m];
                dense.transposedTimes(y, r, want2);
                c.transposedTimes(y, r, got2, par);
                assertThat(got2).as("Yᵀ·V, %d threads", threads).isEqualTo(want2);
                // ⟨V, Y·X⟩ and the residual sums against plain loops over the dense matrix
                double[] s = c.entrySums(y, x, r, par);
                double inner = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        if (v.get(i, j) != 0) {
                            double ab = 0;
                            for (int k = 0; k < r; k++) {
                                ab += y[i * r + k] * x[k * m + j];
                            }
                            inner += v.get(i, j) * ab;
                        }
                    }
                }
                // the same terms; only the order of the outer sum differs (fixed row blocks): γ_nnz·Σ|terms|
                double abs = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        for (int k = 0; k < r && v.get(i, j) != 0; k++) {
                            abs += Math.abs(v.get(i, j) * y[i * r + k] * x[k * m + j]);
                        }
                    }
                }
                assertThat(Math.abs(s[0] - inner)).isLessThanOrEqualTo(2.0 * (c.nonZeros() + r) * 0x1p-53 * abs);
            }
        }
        assertThat(c.transpose().transpose()).isSameAs(c);
        assertThat(c.transpose().toDense("t")).isEqualTo(v.transpose());
        assertThat(c.normSquared()).isEqualTo(sumSquares(v.data()));
    }

    private static double sumSquares(double[] d) {
        double s = 0;
        for (double x : d) {
            s += x * x;
        }
        return s;
    }

    @Test
    void tripletsAndValidation() {
        CsrMatrix c = CsrMatrix.fromTriplets(3, 4, new int[] {2, 0, 2, 0}, new int[] {1, 3, 0, 0},
                new double[] {5, 6, 7, 8}, (a, b) -> { });
        assertThat(c.toDense("t")).isEqualTo(DenseMatrix.of(new double[][] {{8, 0, 0, 6}, {0, 0, 0, 0}, {7, 5, 0, 0}}));
        int[][] seen = new int[1][];
        assertThatThrownBy(() -> CsrMatrix.fromTriplets(2, 2, new int[] {1, 0, 1}, new int[] {1, 0, 1},
                new double[] {1, 2, 3}, (a, b) -> seen[0] = new int[] {a, b}))
                .hasMessage("duplicate entry [1, 1]");
        assertThat(seen[0]).containsExactly(0, 2);
        assertThatThrownBy(() -> new CsrMatrix(2, 2, new int[] {0, 2, 1}, new int[] {0}, new double[] {1}))
                .hasMessage("indptr decreases at row 1 (2 then 1)");
        assertThatThrownBy(() -> new CsrMatrix(2, 2, new int[] {0, 2, 2}, new int[] {1, 0}, new double[] {1, 2}))
                .hasMessage("column indices of row 0 are not sorted");
        assertThatThrownBy(() -> new CsrMatrix(2, 2, new int[] {0, 1, 2}, new int[] {0, 2}, new double[] {1, 2}))
                .hasMessage("column index 2 of row 1 is outside [0, 2)");
    }
}
