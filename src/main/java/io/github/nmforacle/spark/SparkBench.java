package io.github.nmforacle.spark;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.TraceRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * bench/spark/run.sh: seconds per iteration of the distributed engine in local[K] against the single-JVM solver with K
 * threads on the same V, side by side in one run, with the counted passes over V. V is dense uniform in [0, 1), or with
 * {@code --density D} sparse (CSR, each entry non-zero with probability D, values in (0, 1]; seed 1, no Python), the
 * Spark run then on CSR row blocks. With {@code --rounds K} the list of algorithms is run K times, interleaved.
 * Per iteration = (time of the last trace row − time of the first) / iterations: the setup (Spark's start, cutting V,
 * the ordered sums) is left out on both sides.
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) {
        double density = 0;
        int rounds = 1;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty() && rest.get(0).startsWith("--")) {
            String flag = rest.remove(0);
            if (rest.isEmpty()) {
                usage();
            }
            switch (flag) {
                case "--density" -> density = Double.parseDouble(rest.remove(0));
                case "--rounds" -> rounds = Integer.parseInt(rest.remove(0));
                default -> usage();
            }
        }
        if (rest.size() < 5) {
            usage();
        }
        int n = Integer.parseInt(rest.get(0)), m = Integer.parseInt(rest.get(1)), r = Integer.parseInt(rest.get(2));
        int iterations = Integer.parseInt(rest.get(3)), threads = Integer.parseInt(rest.get(4));
        List<String> algorithms = rest.size() > 5 ? rest.subList(5, rest.size()) : DistributedNmf.names();
        DataMatrix v = density > 0 ? sparse(n, m, density, 1) : dense(n, m, 1);
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName("nmf-oracle bench")
                .set("spark.ui.enabled", "false").set("spark.driver.memory", "4g");
        System.out.printf(Locale.ROOT, "V %dx%d %s, r = %d, %d iterations, %d threads / local[%d], blas auto%n",
                n, m, v.sparse() ? String.format(Locale.ROOT, "CSR, %d non-zeros (%.3g %%)", v.storedEntries(),
                        100.0 * v.storedEntries() / ((double) n * m)) : "dense", r, iterations, threads, threads);
        System.out.printf(Locale.ROOT, "%-5s %-14s %14s %14s %7s %16s%n", "round", "algorithm", "single s/it",
                "spark s/it", "ratio", "passes/it (spark)");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            BlockedMatrix blocks = BlockedMatrix.of(sc, v, threads, Blas.AUTO);
            DistributedNmf engine = new DistributedNmf(sc, blocks);
            for (int round = 1; round <= rounds; round++) {
                for (String alg : algorithms) {
                    SolverOptions o = SolverOptions.rank(r).withMaxIterations(iterations).withObjectiveTolerance(0)
                            .withThreads(threads).withBlas(Blas.AUTO);
                    SolveResult single = Solvers.byName(alg).solve(v, o);
                    DistributedNmf.Outcome dist = engine.run(alg, o, DistributedNmf.CheckpointOptions.none());
                    double a = perIteration(single.trace()), b = perIteration(dist.result().trace());
                    System.out.printf(Locale.ROOT, "%-5d %-14s %14.4f %14.4f %7.2f %16.2f%n", round, alg, a, b, b / a,
                            dist.passesPerIteration());
                }
            }
        }
    }

    private static void usage() {
        System.err.println("usage: SparkBench [--density D] [--rounds K] N M R ITERATIONS THREADS [ALGORITHM...]");
        System.exit(2);
    }

    static DenseMatrix dense(int n, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] d = new double[n * m];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble();
        }
        return new DenseMatrix(n, m, d);
    }

    /** Each entry non-zero with probability p, by geometric gaps (O(nnz), not O(nm) draws); values in (0, 1]. */
    static CsrMatrix sparse(int n, int m, double p, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double logq = Math.log1p(-p);
        int[] indptr = new int[n + 1];
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, (long) (1.1 * p * n * m) + 16);
        int[] idx = new int[cap];
        double[] val = new double[cap];
        int q = 0;
        for (int i = 0; i < n; i++) {
            for (long j = gap(rnd, logq); j < m; j += 1 + gap(rnd, logq)) {
                if (q == idx.length) {
                    idx = Arrays.copyOf(idx, (int) Math.min(Integer.MAX_VALUE - 8, 2L * q));
                    val = Arrays.copyOf(val, idx.length);
                }
                idx[q] = (int) j;
                val[q++] = 1 - rnd.nextDouble();
            }
            indptr[i + 1] = q;
        }
        return new CsrMatrix(n, m, indptr, Arrays.copyOf(idx, q), Arrays.copyOf(val, q));
    }

    /** Zeros before the next non-zero: geometric with success probability p (log q = log(1 − p)). */
    private static long gap(SplittableRandom rnd, double logq) {
        return (long) Math.floor(Math.log(1 - rnd.nextDouble()) / logq);
    }
    static double perIteration(List<TraceRow> trace) {
        int last = trace.size() - 1;
        return (trace.get(last).seconds() - trace.get(0).seconds()) / last;
    }
}
