package io.github.nmforacle.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code --blas auto} picks the backend per product with V by shape alone ({@link DataProducts#javaUnderAuto}): each
 * product has the bits of {@code --blas java} where the rule picks Java and of {@code --blas native} elsewhere, for
 * any thread count, alone or through {@link DataProducts#both}.
 */
class AutoBlasTest {
    /** V·Hᵀ, Wᵀ·V, then both() of the same operands: four arrays. */
    private static double[][] products(double[] v, double[] h, double[] w, int n, int m, int r, Blas blas, int threads) {
        try (Parallel par = Parallel.withThreads(threads, blas)) {
            DataProducts d = new DataProducts(v, n, m, par);
            double[][] out = {new double[n * r], new double[r * m], new double[n * r], new double[r * m]};
            d.timesTransposed(h, r, out[0]);
            d.transposedTimes(w, r, out[1]);
            d.both(h, w, r, out[2], out[3]);
            return out;
        }
    }

    @Test
    void eachProductHasTheBitsOfTheBackendTheShapeRulePicks() {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        assertThat(NativeBlas.available()).as("bundled OpenBLAS: %s", NativeBlas.unavailableReason()).isTrue();
        // Java for both products; Java for Yᵀ·V only (n ≥ m ≥ 256, r in 11..20); native for both (narrow V; n < m)
        int[][] shapes = {{533, 301, 7}, {533, 301, 16}, {300, 64, 16}, {301, 533, 16}, {260, 256, 20}, {700, 300, 21}};
        boolean[][] rule = {{true, true}, {false, true}, {false, false}, {false, false}, {false, true}, {false, false}};
        for (int s = 0; s < shapes.length; s++) {
            int n = shapes[s][0], m = shapes[s][1], r = shapes[s][2];
            assertThat(new boolean[]{DataProducts.javaUnderAuto(n, m, r, false), DataProducts.javaUnderAuto(n, m, r, true)})
                    .as("rule at %dx%d, r=%d", n, m, r).containsExactly(rule[s]);
            double[] v = KernelsTest.random(n * m, s), h = KernelsTest.random(r * m, s + 100), w = KernelsTest.random(n * r, s + 200);
            double[][] jv = products(v, h, w, n, m, r, Blas.JAVA, 2);
            double[][] nat = products(v, h, w, n, m, r, Blas.NATIVE, 2);
            if (m == 301) {   // here the backends round differently, so the bits tell which one ran (short sums may not)
                assertThat(jv[0]).isNotEqualTo(nat[0]);
                assertThat(jv[1]).isNotEqualTo(nat[1]);
            }
            for (int threads : new int[]{1, 2, 3}) {
                double[][] auto = products(v, h, w, n, m, r, Blas.AUTO, threads);
                for (int k = 0; k < 4; k++) {
                    // both() runs the fused native pass only when neither product is Java's
                    boolean fused = k >= 2 && !rule[s][0] && !rule[s][1];
                    double[] want = rule[s][k % 2] ? jv[k] : fused ? nat[k] : nat[k % 2];
                    assertThat(auto[k]).as("%dx%d r=%d product %d, %d threads", n, m, r, k, threads)
                            .containsExactly(want);
                }
            }
        }
    }

    /** Without room for the column copies, the Java products of {@code auto} run on V itself, with the same bits. */
    @Test
    void withoutItsCopiesAutoKeepsTheJavaBits() {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        int n = 533, m = 301, r = 7;
        double[] v = KernelsTest.random(n * m, 1), h = KernelsTest.random(r * m, 2), w = KernelsTest.random(n * r, 3);
        double[][] want = products(v, h, w, n, m, r, Blas.JAVA, 2);
        try (Parallel par = Parallel.withThreads(2, Blas.AUTO)) {
            DataProducts d = new DataProducts(v, n, m, par, 0);   // no ColumnBlocks copy allowed
            double[] vht = new double[n * r], wtv = new double[r * m];
            d.timesTransposed(h, r, vht);
            d.transposedTimes(w, r, wtv);
            assertThat(vht).containsExactly(want[0]);
            assertThat(wtv).containsExactly(want[1]);
        }
    }

    @Test
    void theRuleIsOffAboveItsSizeLimitAndAtLargeRanks() {
        assertThat(DataProducts.javaUnderAuto(4096, 4096, 10, false)).isTrue();
        assertThat(DataProducts.javaUnderAuto(4097, 4096, 10, false)).isFalse();   // above 2^24 entries
        assertThat(DataProducts.javaUnderAuto(2000, 2000, 20, true)).isTrue();
        assertThat(DataProducts.javaUnderAuto(2000, 2000, 20, false)).isFalse();
        assertThat(DataProducts.javaUnderAuto(2000, 2000, 40, true)).isFalse();
    }
}
