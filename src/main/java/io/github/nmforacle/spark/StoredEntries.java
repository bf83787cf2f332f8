package io.github.nmforacle.spark;

/**
 * The entry-wise statistics of {@link RowBlock} over an array of stored entries: all of a dense block's, or a CSR
 * block's non-zeros (its zeros change none of them).
 */
final class StoredEntries {
    private StoredEntries() {
    }

    /** The largest entry, 0 if none is positive. */
    static double max(double[] a) {
        double max = 0;
        for (double x : a) {
            max = Math.max(max, x);
        }
        return max;
    }

    /** Positive entries x with x·2^p subnormal. */
    static long flushedBy(double[] a, int p) {
        long k = 0;
        for (double x : a) {
            if (x > 0 && Math.scalb(x, p) < Double.MIN_NORMAL) {
                k++;
            }
        }
        return k;
    }

    static void feed(double[] a, OrderedSums sums) {
        for (double x : a) {
            sums.add(x);
        }
    }

    /** The entries times 2^p, subnormals set to 0 (as io.github.nmforacle.solve.Scaling), or times s when s ≠ 1. */
    static double[] scaled(double[] a, int p, double s) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            if (s != 1.0) {
                d[i] = s * a[i];
            } else {
                double y = Math.scalb(a[i], p);
                d[i] = y < Double.MIN_NORMAL ? 0.0 : y;
            }
        }
        return d;
    }
}
