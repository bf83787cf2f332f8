package io.github.nmforacle.cli;

import io.github.nmforacle.solve.SolverOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The seed and stopping rules of a solver run, shared by {@code solve} and {@code spark} (a picocli mixin). */
final class StopOptions {
    @Option(names = "--seed", defaultValue = "0", description = "seed of the random start (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-iter", defaultValue = "" + SolverOptions.DEFAULT_MAX_ITERATIONS,
            description = "maximum number of iterations (default: ${DEFAULT-VALUE})")
    int maxIterations;

    @Option(names = "--tol", defaultValue = "" + SolverOptions.DEFAULT_OBJECTIVE_TOLERANCE,
            description = "stop when the relative change of the objective is at most this; 0 disables (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--tol-first-order", defaultValue = "0",
            description = "stop when ‖min(x, ∇F)‖ falls to this fraction of its start value; 0 disables (default: ${DEFAULT-VALUE})")
    double firstOrderTolerance;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "wall-clock budget in seconds (default: none)")
    Double timeLimit;

    /** Rank r with these options (the rest at their defaults). */
    SolverOptions options(int r) {
        SolverOptions o = SolverOptions.rank(r).withMaxIterations(maxIterations).withObjectiveTolerance(tolerance)
                .withFirstOrderTolerance(firstOrderTolerance).withSeed(seed);
        if (timeLimit != null) {
            if (!(timeLimit > 0) || timeLimit.isInfinite()) {
                throw new IllegalArgumentException("--time-limit must be a positive number of seconds, got " + timeLimit);
            }
            o = o.withTimeLimit(Duration.ofNanos((long) Math.min(timeLimit * 1e9, Long.MAX_VALUE)));
        }
        return o;
    }
}
