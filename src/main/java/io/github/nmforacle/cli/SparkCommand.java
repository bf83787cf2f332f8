package io.github.nmforacle.cli;

import io.github.nmforacle.io.OutputSet;
import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark}: the distributed engine (issue 15). Spark is a provided dependency, so the CLI jar does not carry it:
 * run under spark-submit (README, "Spark"), or with Spark's jars on the class path; without them this command says
 * so in one line. Nothing in this class's signatures names a Spark type, so picocli can load it without Spark.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Factorize V ≈ W·H on Apache Spark: V in row blocks beside W's rows, H broadcast; one pass over V per"
                + " concurrent iteration (mu-concurrent, mwu-adaptive), two for the alternating mu. Needs Spark on the class"
                + " path (spark-submit --class io.github.nmforacle.cli.Main nmf-oracle.jar spark ...).",
                "Exit 0 on success, 2 on bad input or without Spark."})
public final class SparkCommand implements Callable<Integer> {
    static final String SPARK_CLASS = "org.apache.spark.SparkContext";

    static final class Source {
        @Option(names = "--input", paramLabel = "V", description = "V as .csv, .mtx (Matrix Market), .npy or"
                + " .npz (scipy sparse), read on the driver; .mtx coordinate and .npz stay sparse (CSR row blocks)")
        Path input;

        @Option(names = "--input-dir", paramLabel = "DIR", description = "a directory of row-block files of V (.npy, .csv,"
                + " .mtx, .npz), stacked in name order, each read on an executor; .npz and .mtx coordinate blocks stay"
                + " sparse (dense and sparse blocks may be mixed)")
        Path inputDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = {"-r", "--rank"}, required = true, description = "rank r, 1 <= r <= min(n, m)")
    int rank;

    @Option(names = {"-a", "--algorithm"}, defaultValue = "mwu-adaptive",
            description = "mu-concurrent | mwu-adaptive | mu (alternating, for comparison) (default: ${DEFAULT-VALUE})")
    String algorithm;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[*] for one machine (default:"
            + " spark-submit's, else local[*])")
    String master;

    @Option(names = "--blocks", defaultValue = "0", description = "row blocks of --input V; 0 = Spark's default"
            + " parallelism (default: ${DEFAULT-VALUE})")
    int blocks;

    @CommandLine.Mixin
    StopOptions stop = new StopOptions();

    @Option(names = "--blas", defaultValue = "auto", paramLabel = "KIND",
            description = "products within a block: native, java or auto (default: ${DEFAULT-VALUE})")
    String blas;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "write W, H and the run's state here every"
            + " --checkpoint-every iterations (atomically: a killed run keeps the previous checkpoint)")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "10", description = "with --checkpoint-dir:"
            + " every K iterations, K >= 1; a killed run resumed with --resume loses at most K (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--resume", description = "continue from the latest checkpoint in --checkpoint-dir (if any)")
    boolean resume;

    @Option(names = "--out-w", paramLabel = "W", description = "write W here (.csv, .mtx or .npy)")
    Path outW;

    @Option(names = "--out-h", paramLabel = "H", description = "write H here (.csv, .mtx or .npy)")
    Path outH;

    @Option(names = "--trace", paramLabel = "CSV", description = "write one row per iteration (as solve --trace)")
    Path trace;

    @Option(names = "--certify", paramLabel = "JSON", description = "certify the result on the distributed V (float"
            + " mode, default tolerances; every access to V a Spark job, rounding bounds lengthened by the block count;"
            + " the stages that need all of V on one machine are UNDECIDED with that reason) and write the certificate"
            + " as `certify --json` does; re-check it with `nmf-oracle check`")
    Path certify;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Whether Spark's classes can be loaded (the CLI jar has none; spark-submit supplies them). */
    static boolean sparkAvailable() {
        try {
            Class.forName(SPARK_CLASS, false, SparkCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        if (!sparkAvailable()) {
            spec.commandLine().getErr().println("nmf-oracle: spark: Apache Spark is not on the class path; run"
                    + " `spark-submit --class io.github.nmforacle.cli.Main nmf-oracle.jar spark ...` (add --master local[*]"
                    + " for one machine), or put Spark 4's jars on the class path");
            return Main.EXIT_BAD_INPUT;
        }
        if (resume && checkpointDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume needs --checkpoint-dir");
        }
        if (checkpointEvery < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint-every must be at least 1, got "
                    + checkpointEvery);
        }
        if (blocks < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--blocks must be >= 0, got " + blocks);
        }
        if (!List.of("mu-concurrent", "mwu-adaptive", "mu").contains(algorithm)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--algorithm: '" + algorithm
                    + "' has no distributed engine; expected mu-concurrent, mwu-adaptive or mu");
        }
        Path in = source.input != null ? source.input : source.inputDir;
        Inputs.requireDistinct(Arrays.asList(in), Arrays.asList(outW, outH, trace, certify));
        OutputSet.check("--out-w", outW, OutputSet.Kind.MATRIX);
        OutputSet.check("--out-h", outH, OutputSet.Kind.MATRIX);
        OutputSet.check("--trace", trace, OutputSet.Kind.TRACE);
        OutputSet.check("--certify", certify, OutputSet.Kind.JSON);
        SolverOptions o = stop.options(rank).withBlas(Blas.parse(blas));
        SparkLauncher.Result r = SparkLauncher.run(source.input, source.inputDir, master, blocks, algorithm, o,
                checkpointDir, checkpointDir == null ? 0 : checkpointEvery, resume,
                certify == null ? null : io.github.nmforacle.certify.CertifyOptions.nmf(io.github.nmforacle.certify.Mode.FLOAT)
                        .withThreads(1));
        SolveResult res = r.result();
        OutputSet outputs = SolveCommand.stage(res, outW, outH, trace);
        if (certify != null) {
            outputs.stageCertificate(r.certificate(), certify);
        }
        outputs.commit();
        PrintWriter out = spec.commandLine().getOut();
        out.println(SolveCommand.summary(in.toString(), res) + String.format(Locale.ROOT,
                "; passes over V: %.0f (%s per iteration)%s", r.passes(),
                Double.isNaN(r.perIteration()) ? "-" : String.format(Locale.ROOT, "%.2f", r.perIteration()),
                r.resumedFrom() >= 0 ? "; resumed from iteration " + r.resumedFrom() : "")
                + (r.certificate() == null ? "" : "; certificate: fosp " + r.certificate().fosp().verdict()
                + ", sospPaper " + r.certificate().sospPaper().verdict()));
        return Main.EXIT_OK;
    }
}
