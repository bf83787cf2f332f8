import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DataProducts;
import io.github.nmforacle.linalg.Parallel;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The products with V, V·Hᵀ and Wᵀ·V, on the bundled OpenBLAS and on the Java kernels, over a grid of shapes: the
 * measurement behind the shape rule of {@code --blas auto} (DataProducts.javaUnderAuto). Best of 3 timed loops after
 * a warm-up loop, in one JVM; microseconds per product and the ratio Java ÷ native. Not part of the test suite.
 *
 * <pre>java -cp target/nmf-oracle.jar bench/blas-auto/ProductGrid.java THREADS RANKS   e.g. 2 5,10,20,40</pre>
 */
public class ProductGrid {
    static double[] rnd(int len, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = r.nextDouble();
        }
        return a;
    }

    static double micros(Runnable op, long flops) {
        int reps = (int) Math.max(5, Math.min(20000, 4e8 / flops));
        for (int i = 0; i < reps; i++) {
            op.run();
        }
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                op.run();
            }
            best = Math.min(best, (System.nanoTime() - t) / (double) reps / 1e3);
        }
        return best;
    }

    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]);
        int[] ranks = Arrays.stream(a[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] ns = {200, 500, 1000, 2000, 4000};
        int[] ms = {64, 128, 256, 500, 1000, 2000, 4000};
        System.out.println("n m r  VHt_native VHt_java ratio  WtV_native WtV_java ratio");
        for (int r : ranks) {
            for (int n : ns) {
                for (int m : ms) {
                    if ((long) n * m > 8_000_000L) {
                        continue;
                    }
                    double[] v = rnd(n * m, 1), w = rnd(n * r, 2), h = rnd(r * m, 3);
                    double[] vht = new double[n * r], wtv = new double[r * m];
                    double[] t = new double[4];
                    int q = 0;
                    for (Blas b : new Blas[]{Blas.NATIVE, Blas.JAVA}) {
                        try (Parallel par = Parallel.withThreads(threads, b)) {
                            DataProducts d = new DataProducts(v, n, m, par);
                            long f = 2L * n * m * r;
                            t[q] = micros(() -> d.timesTransposed(h, r, vht), f);
                            t[q + 2] = micros(() -> d.transposedTimes(w, r, wtv), f);
                        }
                        q++;
                    }
                    System.out.printf("%d %d %d  %.1f %.1f %.2f  %.1f %.1f %.2f%n", n, m, r, t[0], t[1], t[1] / t[0],
                            t[2], t[3], t[3] / t[2]);
                }
            }
        }
    }
}
