package io.github.nmforacle.spark;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.TraceRow;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * bench/spark/run.sh: seconds per iteration of the distributed engine in local[K] against the single-JVM solver with K
 * threads on the same dense V (uniform in [0, 1), seeded), side by side in one run, with the counted passes over V.
 * Per iteration = (time of the last trace row − time of the first) / iterations: the setup (Spark's start, cutting V,
 * the ordered sums) is left out on both sides.
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: SparkBench N M R ITERATIONS THREADS [ALGORITHM...]");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]), m = Integer.parseInt(args[1]), r = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]), threads = Integer.parseInt(args[4]);
        List<String> algorithms = args.length > 5 ? List.of(args).subList(5, args.length) : DistributedNmf.names();
        SplittableRandom rnd = new SplittableRandom(1);
        double[] d = new double[n * m];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble();
        }
        DenseMatrix v = new DenseMatrix(n, m, d);
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName("nmf-oracle bench")
                .set("spark.ui.enabled", "false").set("spark.driver.memory", "4g");
        System.out.printf(Locale.ROOT, "V %dx%d dense, r = %d, %d iterations, %d threads / local[%d], blas auto%n",
                n, m, r, iterations, threads, threads);
        System.out.printf(Locale.ROOT, "%-14s %14s %14s %7s %16s%n", "algorithm", "single s/it", "spark s/it", "ratio",
                "passes/it (spark)");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            BlockedMatrix blocks = BlockedMatrix.of(sc, v, threads, Blas.AUTO);
            DistributedNmf engine = new DistributedNmf(sc, blocks);
            for (String alg : algorithms) {
                SolverOptions o = SolverOptions.rank(r).withMaxIterations(iterations).withObjectiveTolerance(0)
                        .withThreads(threads).withBlas(Blas.AUTO);
                SolveResult single = Solvers.byName(alg).solve(v, o);
                DistributedNmf.Outcome dist = engine.run(alg, o, DistributedNmf.CheckpointOptions.none());
                double a = perIteration(single.trace()), b = perIteration(dist.result().trace());
                System.out.printf(Locale.ROOT, "%-14s %14.4f %14.4f %7.2f %16.2f%n", alg, a, b, b / a,
                        dist.passesPerIteration());
            }
        }
    }

    static double perIteration(List<TraceRow> trace) {
        int last = trace.size() - 1;
        return (trace.get(last).seconds() - trace.get(0).seconds()) / last;
    }
}
