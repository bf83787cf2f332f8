package io.github.nmforacle.cli;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.CertificateTable;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: the README's first command — solve the built-in planted example, then certify the result. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Solve the built-in planted example (60x50, rank 4), then certify the result and print the certificate.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-a", "--algorithm"}, defaultValue = "mwu-adaptive",
            description = "any algorithm of solve: mwu, mwu-adaptive, mwu-orbit, mu, mu-concurrent, hals, pg, anls-bpp, als-truncated, and (default: ${DEFAULT-VALUE})")
    String algorithm;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the random start (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-iter", defaultValue = "20000", description = "iterations (default: ${DEFAULT-VALUE})")
    int maxIterations;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SolveCommand.Instance inst = SolveCommand.example("planted", null);
        out.println("nmf-oracle demo: V = W0·H0 with W0, H0 uniform in [0,1], " + inst.v().shape()
                + ", rank " + inst.rank() + "; algorithm " + algorithm + ", seed " + seed);
        SolverOptions o = SolverOptions.rank(inst.rank()).withMaxIterations(maxIterations).withSeed(seed)
                .withObjectiveTolerance(0);
        SolveResult r = SolveCommand.runWithProgress(Solvers.byName(algorithm), inst.v(), o, quiet, algorithm);
        out.println(SolveCommand.summary(inst.name(), r));
        out.println();
        Certificate cert = Certifier.certify(inst.v(), r.w(), r.h(), CertifyOptions.nmf(Mode.FLOAT));
        out.print(CertificateTable.render(cert));
        return Main.EXIT_OK;
    }
}
