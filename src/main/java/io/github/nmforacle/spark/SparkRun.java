package io.github.nmforacle.spark;

import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.solve.SolverOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What the CLI's {@code spark} command runs once Spark is known to be on the class path: a context (the master from
 * spark-submit, else {@code --master}, else local[*]), V as row blocks, the distributed run. Nothing here is loaded
 * unless Spark is there (io.github.nmforacle.cli.SparkCommand checks first).
 */
public final class SparkRun {
    private SparkRun() {
    }

    /** The request, in plain types only (so that the CLI can build it without Spark). */
    public record Request(Path input, Path inputDir, String master, int blocks, String algorithm, SolverOptions options,
                          Blas blas, Path checkpointDir, int checkpointEvery, boolean resume) {
    }

    /** The run and, when asked, the certificate of its result on the distributed V (null if not asked). */
    public record Certified(DistributedNmf.Outcome outcome, io.github.nmforacle.certify.Certificate certificate) {
    }

    public static DistributedNmf.Outcome run(Request q) {
        return run(q, null).outcome();
    }

    /**
     * As {@link #run(Request)}, then, when {@code certify} is non-null, the result certified on the same row blocks
     * by {@link DistributedCertifier} (float mode; V is never collected).
     */
    public static Certified run(Request q, io.github.nmforacle.certify.CertifyOptions certify) {
        SparkConf conf = new SparkConf().setAppName("nmf-oracle " + q.algorithm());
        if (q.master() != null) {
            conf.setMaster(q.master());
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        DataMatrix data = null;
        if (q.inputDir() == null) {
            // read (sparse kept sparse) and checked before Spark starts; the message names the file, as solve's
            data = MatrixIO.readData(q.input());
            try {
                NmfProblem.requireData(data);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(q.input() + ": " + e.getMessage(), e);
            }
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            BlockedMatrix v;
            if (q.inputDir() != null) {
                if (!Files.isDirectory(q.inputDir())) {
                    throw new IllegalArgumentException(q.inputDir() + ": not a directory of row-block files");
                }
                v = BlockedMatrix.fromDirectory(sc, q.inputDir(), q.blas());
            } else {
                int parts = q.blocks() > 0 ? q.blocks() : sc.defaultParallelism();
                v = BlockedMatrix.of(sc, data, parts, q.blas());
            }
            DistributedNmf engine = new DistributedNmf(sc, v);
            DistributedNmf.Outcome out = engine.run(q.algorithm(), q.options(),
                    new DistributedNmf.CheckpointOptions(q.checkpointDir(), q.checkpointEvery(), q.resume()));
            return new Certified(out, certify == null ? null
                    : DistributedCertifier.certify(v, out.result().w(), out.result().h(), certify));
        } catch (Exception e) {     // Scala code throws SparkException (checked in Java) undeclared
            if (e instanceof SparkException se) {
                throw userError(se);
            }
            throw (RuntimeException) e;
        }
    }

    /** An error raised in a task (bad entry in a block file, …) as the one-line message of its cause. */
    static RuntimeException userError(SparkException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null) {
                return new IllegalArgumentException(t.getMessage(), e);
            }
        }
        String msg = String.valueOf(e.getMessage());
        String marker = "IllegalArgumentException: ";
        int i = msg.indexOf(marker);
        if (i >= 0) {
            String rest = msg.substring(i + marker.length());
            int nl = rest.indexOf('\n');
            return new IllegalArgumentException(nl >= 0 ? rest.substring(0, nl) : rest, e);
        }
        return new IllegalStateException("Spark job failed: " + msg.lines().findFirst().orElse(""), e);
    }
}
