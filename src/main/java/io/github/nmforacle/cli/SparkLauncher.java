package io.github.nmforacle.cli;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.spark.DistributedNmf;
import io.github.nmforacle.spark.SparkRun;
import java.nio.file.Path;

/**
 * The one class of the CLI that names the Spark module; loaded by {@link SparkCommand} only after it found Spark, so
 * the CLI without Spark never resolves a Spark class.
 */
final class SparkLauncher {
    private SparkLauncher() {
    }

    record Result(SolveResult result, double passes, double perIteration, int resumedFrom,
                  io.github.nmforacle.certify.Certificate certificate) {
    }

    static Result run(Path input, Path inputDir, String master, int blocks, String algorithm, SolverOptions o,
                      Path checkpointDir, int every, boolean resume, io.github.nmforacle.certify.CertifyOptions certify) {
        SparkRun.Certified c = SparkRun.run(new SparkRun.Request(input, inputDir, master, blocks, algorithm, o,
                o.blas(), checkpointDir, every, resume), certify);
        DistributedNmf.Outcome out = c.outcome();
        return new Result(out.result(), out.passes(), out.passesPerIteration(), out.resumedFrom(), c.certificate());
    }
}
