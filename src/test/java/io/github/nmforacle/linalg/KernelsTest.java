package io.github.nmforacle.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every dense kernel against a naive sum, on both backends, and across thread counts. */
class KernelsTest {
    // odd shapes: blocks of the kernels (32 rows, 256/512 columns) end mid-block; r not a multiple of 4
    private static final int N = 533;
    private static final int M = 301;
    private static final int R = 7;

    static double[] random(int len, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = rnd.nextDouble();
        }
        return a;
    }

    /** Naive row-major product of A (p×q, transposed if ta) and B (q×s, transposed if tb). */
    private static double[] naive(double[] a, boolean ta, double[] b, boolean tb, int p, int q, int s) {
        double[] c = new double[p * s];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < s; j++) {
                double t = 0;
                for (int k = 0; k < q; k++) {
                    t += (ta ? a[k * p + i] : a[i * q + k]) * (tb ? b[j * q + k] : b[k * s + j]);
                }
                c[i * s + j] = t;
            }
        }
        return c;
    }

    /** All kernels of one backend, as one array per kernel. */
    private static double[][] all(Parallel par) {
        double[] v = random(N * M, 1), h = random(R * M, 2), w = random(N * R, 3), p = random(N * R, 4);
        double[] q = random(R * M, 5), s = random(R * R, 6);
        double[] vht = new double[N * R], wtv = new double[R * M], ws = new double[N * R], sh = new double[R * M];
        Kernels.mulABt(v, N, M, h, R, vht, par);
        Kernels.mulAtB(w, N, R, v, M, wtv, par);
        Kernels.mulSmallRight(w, N, R, s, ws, par);
        Kernels.mulSmallLeft(s, R, h, M, sh, par);
        DataProducts data = new DataProducts(v, N, M, par);
        double[] dvht = new double[N * R], dwtv = new double[R * M];
        data.timesTransposed(h, R, dvht);
        data.transposedTimes(w, R, dwtv);
        double[] bvht = new double[N * R], bwtv = new double[R * M];
        data.both(h, w, R, bvht, bwtv);
        return new double[][]{vht, wtv, Kernels.crossCols(w, p, N, R, par), Kernels.crossCols(w, w, N, R, par),
                Kernels.crossRows(h, q, R, M, par), Kernels.crossRows(h, h, R, M, par), ws, sh, dvht, dwtv, bvht, bwtv};
    }

    private static double[][] expected() {
        double[] v = random(N * M, 1), h = random(R * M, 2), w = random(N * R, 3), p = random(N * R, 4);
        double[] q = random(R * M, 5), s = random(R * R, 6);
        return new double[][]{naive(v, false, h, true, N, M, R), naive(w, true, v, false, R, N, M),
                naive(w, true, p, false, R, N, R), naive(w, true, w, false, R, N, R), naive(h, false, q, true, R, M, R),
                naive(h, false, h, true, R, M, R), naive(w, false, s, false, N, R, R), naive(s, false, h, false, R, R, M),
                naive(v, false, h, true, N, M, R), naive(w, true, v, false, R, N, M),
                naive(v, false, h, true, N, M, R), naive(w, true, v, false, R, N, M)};
    }

    private static void assertClose(double[][] got, double[][] want) {
        for (int k = 0; k < want.length; k++) {
            assertThat(got[k]).hasSameSizeAs(want[k]);
            for (int i = 0; i < want[k].length; i++) {
                // sums of at most 533 products of numbers in [0, 1): rounding is far below 1e-12 relative
                assertThat(Math.abs(got[k][i] - want[k][i])).as("kernel %d entry %d", k, i)
                        .isLessThanOrEqualTo(1e-12 * Math.max(1.0, Math.abs(want[k][i])));
            }
        }
    }

    @Test
    void javaKernelsMatchTheNaiveSumsAndGiveTheSameBitsOnAnyThreadCount() {
        double[][] one;
        try (Parallel par = Parallel.withThreads(1)) {
            one = all(par);
        }
        assertClose(one, expected());
        try (Parallel par = Parallel.withThreads(3)) {
            double[][] three = all(par);
            for (int k = 0; k < one.length; k++) {
                assertThat(three[k]).as("kernel %d", k).containsExactly(one[k]);
            }
        }
    }

    /**
     * The Java Gram AᵀA computes the tiles on and above the diagonal and mirrors them: the same bits as AᵀB with
     * B an equal copy (the full product), for r on and off multiples of the 4×4 tiles and n across row blocks.
     */
    @Test
    void theSymmetricJavaGramHasTheBitsOfTheFullOne() {
        try (Parallel par = Parallel.withThreads(2)) {
            for (int r : new int[]{1, 2, 3, 4, 5, 7, 8, 9, 16, 17}) {
                for (int n : new int[]{1, 3, 100, 1100}) {
                    double[] a = random(n * r, 31L * r + n);
                    for (int i = 0; i < a.length; i += 5) {
                        a[i] = -a[i]; // signs, so sums cancel and rounding matters
                    }
                    double[] full = Kernels.crossCols(a, a.clone(), n, r, par);
                    double[] gram = Kernels.crossCols(a, a, n, r, par);
                    for (int e = 0; e < r * r; e++) {
                        assertThat(Double.doubleToRawLongBits(gram[e])).as("r=%d n=%d entry %d", r, n, e)
                                .isEqualTo(Double.doubleToRawLongBits(full[e]));
                    }
                }
            }
        }
    }

    @Test
    void nativeKernelsMatchTheNaiveSumsAndKeepGramMatricesSymmetric() {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        assertThat(NativeBlas.available()).as("bundled OpenBLAS: %s", NativeBlas.unavailableReason()).isTrue();
        try (Parallel par = Parallel.withThreads(2, Blas.NATIVE)) {
            assertThat(par.nativeBlas()).isTrue();
            double[][] got = all(par);
            assertClose(got, expected());
            // the README's promise for --blas native: same inputs and settings, same bits
            double[][] again = all(par);
            for (int k = 0; k < got.length; k++) {
                assertThat(again[k]).as("kernel %d", k).containsExactly(got[k]);
            }
            for (double[] g : new double[][]{got[3], got[5]}) {
                for (int k = 0; k < R; k++) {
                    for (int l = 0; l < R; l++) {
                        assertThat(g[k * R + l]).isEqualTo(g[l * R + k]);
                    }
                }
            }
        }
    }

    @Test
    void nativeKernelsGiveTheSameBitsOnAnyThreadCount() {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        // N = 533 rows: the native Grams and W·S run over two fixed row blocks, shared out by the threads
        assertThat(Parallel.blockCount(N, Kernels.GRAM_BLOCK)).isEqualTo(2);
        double[][] one;
        try (Parallel par = Parallel.withThreads(1, Blas.NATIVE)) {
            one = all(par);
        }
        try (Parallel par = Parallel.withThreads(3, Blas.NATIVE)) {
            double[][] three = all(par);
            for (int k = 0; k < one.length; k++) {
                assertThat(three[k]).as("kernel %d", k).containsExactly(one[k]);
            }
        }
    }

    @Test
    void nativeSmallProductsCalledFromSeveralThreadsAtOnceKeepTheirOwnOperands() throws Exception {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        assertThat(NativeBlas.available()).as("bundled OpenBLAS: %s", NativeBlas.unavailableReason()).isTrue();
        try (Parallel par = Parallel.withThreads(1, Blas.NATIVE)) {
            double[][] want = all(par);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<double[][]>> runs = new java.util.ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    runs.add(pool.submit(() -> all(par)));
                }
                for (java.util.concurrent.Future<double[][]> f : runs) {
                    double[][] got = f.get();
                    for (int k = 0; k < want.length; k++) {
                        assertThat(got[k]).as("kernel %d", k).containsExactly(want[k]);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void nativeSmallProductsWithOperandsTooLargeToKeepAreStillRight() {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        assertThat(NativeBlas.available()).as("bundled OpenBLAS: %s", NativeBlas.unavailableReason()).isTrue();
        // B·Cᵀ of two 2 × 2.2M matrices is one call (the Grams over n rows go in row blocks, each small)
        int m = 2_200_000, r = 2;
        assertThat(2L * m * r + r * r).isGreaterThan(NativeBlas.KEEP_MAX);
        double[] a = random(m * r, 41), b = random(m * r, 42);
        try (Parallel par = Parallel.withThreads(1, Blas.NATIVE)) {
            double[] got = Kernels.crossRows(a, b, r, m, par);
            double[] want = Kernels.crossRows(a, b, r, m, Parallel.sequential());
            for (int i = 0; i < r * r; i++) {
                // two sums of m positive terms: each within m·u·value of the exact one
                assertThat(Math.abs(got[i] - want[i])).as("entry %d", i).isLessThanOrEqualTo(1e-9 * want[i]);
            }
        }
    }

    /** The two products of {@code data} (V·Hᵀ into [0], Wᵀ·V into [1]) on one backend and thread count. */
    private interface Products {
        void run(DataProducts data, double[] h, double[] w, int r, double[][] out);
    }

    /** Native products on 1, 2 and 3 threads: equal to the naive sums, and the same bits for every thread count. */
    private static void assertNativeSameBitsForAnyThreadCount(int n, int m, int r, long seed, Products products) {
        double[] v = random(n * m, seed), h = random(r * m, seed + 1), w = random(n * r, seed + 2);
        double[][] first = null;
        for (int threads : new int[]{1, 2, 3}) {
            try (Parallel par = Parallel.withThreads(threads, Blas.NATIVE)) {
                double[][] got = {new double[n * r], new double[r * m]};
                products.run(new DataProducts(v, n, m, par), h, w, r, got);
                if (first == null) {
                    first = got;
                    assertClose(first, new double[][]{naive(v, false, h, true, n, m, r), naive(w, true, v, false, r, n, m)});
                } else {
                    assertThat(got[0]).as("V·Hᵀ with %d threads", threads).containsExactly(first[0]);
                    assertThat(got[1]).as("Wᵀ·V with %d threads", threads).containsExactly(first[1]);
                }
            }
        }
    }

    @Test
    void nativeBlocksGiveTheSameBitsForAnyThreadCount() {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        assertThat(NativeBlas.available()).as("bundled OpenBLAS: %s", NativeBlas.unavailableReason()).isTrue();
        // large enough for several native row and column blocks (2^18 entries each), odd so the last block is short
        int n = 1100, m = 701, r = 9;
        assertThat(Parallel.blockCount(n, DataProducts.nativeRowBlock(n, m))).isGreaterThanOrEqualTo(3);
        assertThat(Parallel.blockCount(m, DataProducts.nativeColBlock(n, m))).isGreaterThanOrEqualTo(3);
        assertNativeSameBitsForAnyThreadCount(n, m, r, 11, (data, h, w, k, out) -> {
            data.timesTransposed(h, k, out[0]);
            data.transposedTimes(w, k, out[1]);
        });
    }

    @Test
    void aSmallDataMatrixWithWideRowsIsSplitForTheThreadsAndKeepsItsBits() {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        assertThat(NativeBlas.available()).as("bundled OpenBLAS: %s", NativeBlas.unavailableReason()).isTrue();
        // 500×400 fits one 2^18-entry block; wide rows are cut into up to MIN_ROW_BLOCKS of at least 2^15 entries,
        // narrow ones of 2^16 entries or more in two halves (rows and columns), smaller ones not at all
        assertThat(Parallel.blockCount(500, DataProducts.nativeRowBlock(500, 400))).isBetween(4, (int) DataProducts.MIN_ROW_BLOCKS);
        assertThat(Parallel.blockCount(400, DataProducts.nativeColBlock(500, 400))).isEqualTo(1);
        assertThat(Parallel.blockCount(1797, DataProducts.nativeRowBlock(1797, 64))).isEqualTo(2);
        assertThat(Parallel.blockCount(64, DataProducts.nativeColBlock(1797, 64))).isEqualTo(2);
        assertThat(Parallel.blockCount(1000, DataProducts.nativeRowBlock(1000, 64))).isEqualTo(1);
        assertThat(Parallel.blockCount(8, DataProducts.nativeRowBlock(8, 300))).isEqualTo(1);
        assertNativeSameBitsForAnyThreadCount(500, 400, 10, 31, (data, h, w, k, out) -> {
            data.timesTransposed(h, k, out[0]);
            data.transposedTimes(w, k, out[1]);
        });
        assertNativeSameBitsForAnyThreadCount(500, 400, 10, 32, (data, h, w, k, out) -> data.both(h, w, k, out[0], out[1]));
        assertNativeSameBitsForAnyThreadCount(1797, 64, 16, 33, (data, h, w, k, out) -> {
            data.timesTransposed(h, k, out[0]);
            data.transposedTimes(w, k, out[1]);
        });
        assertNativeSameBitsForAnyThreadCount(1797, 64, 16, 34, (data, h, w, k, out) -> data.both(h, w, k, out[0], out[1]));
    }

    @Test
    void theFusedNativePassMatchesTheNaiveSumsWithTheSameBitsForAnyThreadCount() {
        assumeTrue(NativeBlas.shippedForThisPlatform(), "no OpenBLAS is shipped for this platform");
        assertThat(NativeBlas.available()).as("bundled OpenBLAS: %s", NativeBlas.unavailableReason()).isTrue();
        // more row blocks than groups, so some group accumulates several blocks; the last block is short
        int n = 2101, m = 1100, r = 5;
        assertThat(Parallel.blockCount(n, DataProducts.nativeRowBlock(n, m))).isGreaterThan(DataProducts.FUSED_GROUPS);
        assertNativeSameBitsForAnyThreadCount(n, m, r, 21, (data, h, w, k, out) -> data.both(h, w, k, out[0], out[1]));
    }

    @Test
    void loadFailuresAreReportedWithoutExceptionClassNames() {
        Throwable t = new RuntimeException("wrapped", new UnsatisfiedLinkError(
                "java.lang.UnsatisfiedLinkError: no jniopenblas_nolapack in java.library.path: /usr/lib."));
        assertThat(NativeBlas.detail(t)).isEqualTo(": no jniopenblas_nolapack in java.library.path: /usr/lib");
        assertThat(NativeBlas.detail(new NoClassDefFoundError())).isEmpty();
        assertThat(NativeBlas.detail(new ExceptionInInitializerError("x".repeat(400)))).hasSize(162).endsWith("...");
    }

    @Test
    void blasChoiceResolvesOrSaysWhyNot() {
        assertThat(Blas.JAVA.resolve()).isEqualTo(Blas.JAVA);
        assertThat(Blas.AUTO.resolve()).isEqualTo(NativeBlas.available() ? Blas.NATIVE : Blas.JAVA);
        if (NativeBlas.available()) {
            assertThat(Blas.NATIVE.resolve()).isEqualTo(Blas.NATIVE);
            assertThat(NativeBlas.unavailableReason()).isNull();
            assertThat(NativeBlas.description()).startsWith("OpenBLAS 0.3.31 (bundled, ");
        } else {
            // the unavailable branch on a shipped platform: NoNativeBlasTest, in JVMs where loading is made to fail
            assertThatThrownBy(Blas.NATIVE::resolve).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("could not be loaded").hasMessageContaining("--blas java");
        }
        assertThat(NativeBlas.available()).isEqualTo(NativeBlas.shippedForThisPlatform());
        assertThat(Blas.parse(" Native ")).isEqualTo(Blas.NATIVE);
        assertThatThrownBy(() -> Blas.parse("mkl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown BLAS 'mkl': expected java, native or auto");
    }
}
