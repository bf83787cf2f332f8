import io.github.nmforacle.io.NpyMatrix;
import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.TraceRow;
import java.nio.file.Path;

/**
 * Time to relative-error targets in a warm JVM: the same solve RUNS times in one process, as a library user calling
 * nmf-oracle repeatedly sees it (and as scikit-learn is timed after a warm-up fit). Not part of the test suite.
 *
 * <pre>java -cp target/nmf-oracle.jar bench/sklearn-speed/WarmRuns.java V.npy W0.npy H0.npy RANK ALGORITHM BLAS RUNS MAX_ITER T1 [T2 ...]</pre>
 * One line per run and target: run, target, iteration (first trace row at or below it, or -1), seconds (from the
 * trace, i.e. since the run started).
 */
public class WarmRuns {
    public static void main(String[] a) {
        DenseMatrix v = NpyMatrix.read(Path.of(a[0]), Long.MAX_VALUE);
        FactorPair start = new FactorPair(NpyMatrix.read(Path.of(a[1]), Long.MAX_VALUE),
                NpyMatrix.read(Path.of(a[2]), Long.MAX_VALUE));
        int rank = Integer.parseInt(a[3]);
        int runs = Integer.parseInt(a[6]);
        int maxIter = Integer.parseInt(a[7]);
        double[] targets = new double[a.length - 8];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = Double.parseDouble(a[8 + i]);
        }
        double lowest = java.util.Arrays.stream(targets).min().getAsDouble();   // the run stops there
        SolverOptions o = SolverOptions.rank(rank).withMaxIterations(maxIter).withObjectiveTolerance(0)
                .withInitial(start).withBlas(Blas.valueOf(a[5].toUpperCase()))
                .withStopWhen(row -> row.relativeError() <= lowest);
        for (int run = 1; run <= runs; run++) {
            SolveResult res = Solvers.byName(a[4]).solve(v, o);
            for (double t : targets) {
                TraceRow hit = res.trace().stream().filter(row -> row.relativeError() <= t).findFirst().orElse(null);
                System.out.printf("run %d target %.6e iteration %d seconds %.6f%n", run, t,
                        hit == null ? -1 : hit.iteration(), hit == null ? Double.NaN : hit.seconds());
            }
        }
    }
}
