package io.github.nmforacle.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ColumnBlocks}: every entry of A·Xᵀ is the chain s ← madd(a_ij, x_kj, s), j in order from s = 0, bit for bit
 * (the row-dot kernel's and the CSR kernels' order), for both layouts, any output strides and any thread count;
 * and {@link DataProducts}' Java products are these chains.
 */
class ColumnBlocksTest {

    private static double[] random(SplittableRandom rnd, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            double u = rnd.nextDouble();
            a[i] = u < 0.2 ? 0.0 : Math.scalb(rnd.nextDouble() - 0.3, rnd.nextInt(-20, 21));
        }
        return a;
    }

    /** (i, k) entry of A·Xᵀ, A p×q and X r×q row-major, as the one chain of multiply-adds in column order. */
    private static double chain(double[] a, double[] x, int q, int i, int k) {
        double s = 0;
        for (int j = 0; j < q; j++) {
            s = Kernels.madd(a[i * q + j], x[k * q + j], s);
        }
        return s;
    }

    @Property(tries = 60)
    void eachEntryIsTheMultiplyAddChainInColumnOrder(@ForAll @IntRange(min = 1, max = 700) int p,
            @ForAll @IntRange(min = 1, max = 45) int q, @ForAll @IntRange(min = 1, max = 23) int r, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = random(rnd, p * q), x = random(rnd, r * q);
        double[] at = new double[q * p], xt = new double[q * r];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                at[j * p + i] = a[i * q + j];
            }
        }
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < q; j++) {
                xt[j * r + k] = x[k * q + j];
            }
        }
        double[] want = new double[p * r];
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < r; k++) {
                want[i * r + k] = chain(a, x, q, i, k);
            }
        }
        for (int threads = 1; threads <= 3; threads++) {
            try (Parallel par = Parallel.withThreads(threads, Blas.JAVA)) {
                double[] out = new double[p * r];
                ColumnBlocks.of(a, p, q).times(x, q, 1, r, out, r, 1, par);
                assertThat(out).containsExactly(want);
                double[] outT = new double[r * p];   // from Aᵀ's rows, X given transposed, out written r×p
                ColumnBlocks.ofTransposed(at, q, p).times(xt, 1, r, r, outT, 1, p, par);
                for (int i = 0; i < p; i++) {
                    for (int k = 0; k < r; k++) {
                        assertThat(outT[k * p + i]).isEqualTo(want[i * r + k]);
                    }
                }
                double[] rowDot = new double[p * r];
                Kernels.mulABt(a, p, q, x, r, rowDot, par);
                assertThat(rowDot).containsExactly(want);
            }
        }
    }

    @Property(tries = 30)
    void theJavaProductsWithDataAreTheChains(@ForAll @IntRange(min = 1, max = 600) int n,
            @ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 12) int r, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = random(rnd, n * m), x = random(rnd, r * m), y = random(rnd, n * r);
        double[] vt = new double[m * n], yt = new double[r * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                vt[j * n + i] = v[i * m + j];
            }
            for (int k = 0; k < r; k++) {
                yt[k * n + i] = y[i * r + k];
            }
        }
        try (Parallel par = Parallel.withThreads(2, Blas.JAVA)) {
            DataProducts data = new DataProducts(v, n, m, par);
            double[] vxt = new double[n * r], ytv = new double[r * m];
            data.both(x, y, r, vxt, ytv);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < r; k++) {
                    assertThat(vxt[i * r + k]).isEqualTo(chain(v, x, m, i, k));
                }
            }
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < m; j++) {
                    assertThat(ytv[k * m + j]).isEqualTo(chain(vt, yt, n, j, k));   // Σ_i in row order of V
                }
            }
        }
    }

    @Property(tries = 20)
    void withoutTheCopiesTheKernelsOnVGiveTheSameBits(@ForAll @IntRange(min = 1, max = 600) int n,
            @ForAll @IntRange(min = 1, max = 300) int m, @ForAll @IntRange(min = 1, max = 12) int r,
            @ForAll @IntRange(min = 1, max = 3) int threads, @ForAll long seed) {
        // above DataProducts.TRANSPOSE_MAX_ENTRIES, or when a copy does not fit in the heap, Kernels.mulABt and
        // DataProducts' own multiply-add chains run on V itself: a run must not change its bits when that happens
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = random(rnd, n * m), x = random(rnd, r * m), y = random(rnd, n * r);
        try (Parallel par = Parallel.withThreads(threads, Blas.JAVA)) {
            DataProducts blocked = new DataProducts(v, n, m, par);
            DataProducts flat = new DataProducts(v, n, m, par, 0);
            double[] a1 = new double[n * r], a2 = new double[n * r], b1 = new double[r * m], b2 = new double[r * m];
            blocked.timesTransposed(x, r, a1);
            flat.timesTransposed(x, r, a2);
            assertThat(a2).containsExactly(a1);
            blocked.transposedTimes(y, r, b1);
            flat.transposedTimes(y, r, b2);
            assertThat(b2).containsExactly(b1);
            flat.both(x, y, r, a2, b2);
            assertThat(a2).containsExactly(a1);
            assertThat(b2).containsExactly(b1);
        }
    }
}
