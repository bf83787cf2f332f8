package io.github.nmforacle.cli;

import io.github.nmforacle.solve.Solver;
import picocli.CommandLine.Option;

/** {@code --solver-command} and {@code --solver-timeout}, shared by solve, audit and fuzz (README, External solvers). */
final class ExternalSolverOptions {
    @Option(names = "--solver-command", paramLabel = "CMD", description = "an external solver instead of --algorithm:"
            + " run as CMD V.npy W0.npy H0.npy W.npy H.npy, no shell (README, External solvers)")
    String command;

    @Option(names = "--solver-timeout", paramLabel = "SECONDS", description = "with --solver-command: wall-clock limit"
            + " per run (default: 60)")
    Double timeout;

    /** The external solver, or null without --solver-command. */
    Solver solver(boolean algorithmGiven) {
        return Inputs.external(command, timeout, algorithmGiven);
    }
}
