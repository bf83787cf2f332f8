package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.problem.FactorPair;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What a solver run should do, named by intent and shared by every algorithm. The tolerances are relative and the
 * random start is drawn for the normalised V' = 2^{-2e} V, so they do not depend on the scale of V
 * (proofs-notes/solver-scaling.md).
 *
 * @param rank                 r, the number of columns of W (1 ≤ r ≤ min(n, m))
 * @param maxIterations        upper bound on updates (0 measures the start only)
 * @param objectiveTolerance   stop when |F_t − F_{t−1}| ≤ tol · F_{t−1} (0 disables)
 * @param firstOrderTolerance  stop when ‖min(x_t, ∇F(x_t))‖ ≤ tol · ‖min(x_0, ∇F(x_0))‖ (0 disables)
 * @param timeLimit            wall-clock budget (null: none)
 * @param seed                 seed of the random start; equal seeds give bit-identical runs for any thread count (on
 *                             one CPU with the native products; on every machine with {@link Blas#JAVA})
 * @param initial              user-supplied start (W0, H0) on the scale of V, or null for a random start
 * @param threads              worker threads for the products with V; 0 means one per core
 * @param kappa                step constant of {@code mwu}: ε = κ / C² (Algorithm 1 prints ε = Θ(1/C²)); κ has the units
 *                             of V (C² scales like V), so 2^{2k} V needs 2^{2k} κ for the same iterates
 * @param listener             called after each measured iterate (null: none)
 * @param blas                 where the dense products run: {@link Blas#AUTO} (the default: the bundled OpenBLAS where it
 *                             loads, each product with V on the backend faster for its shape), {@link Blas#NATIVE} or {@link Blas#JAVA} (the same bits on every machine with hardware FMA)
 * @param stopWhen             the caller's stopping condition on each trace row, tested after the listener; the run
 *                             ends with {@link StopReason#CONDITION_MET} at the first row where it holds (null: none)
 */
public record SolverOptions(int rank, int maxIterations, double objectiveTolerance, double firstOrderTolerance,
                            Duration timeLimit, long seed, FactorPair initial, int threads, double kappa,
                            IterationListener listener, Blas blas, Predicate<TraceRow> stopWhen) {
    public static final int DEFAULT_MAX_ITERATIONS = 1000;
    public static final double DEFAULT_OBJECTIVE_TOLERANCE = 1e-9;
    public static final double DEFAULT_FIRST_ORDER_TOLERANCE = 0.0;
    public static final double DEFAULT_KAPPA = 1.0;

    public SolverOptions {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be at least 1, got " + rank);
        }
        if (maxIterations < 0) {
            throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
        }
        if (!(objectiveTolerance >= 0) || Double.isInfinite(objectiveTolerance)) {
            throw new IllegalArgumentException("objective tolerance must be a finite number >= 0, got " + objectiveTolerance);
        }
        if (!(firstOrderTolerance >= 0) || Double.isInfinite(firstOrderTolerance)) {
            throw new IllegalArgumentException("first-order tolerance must be a finite number >= 0, got " + firstOrderTolerance);
        }
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("time limit must be positive, got " + timeLimit);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        }
        if (blas == null) {
            throw new IllegalArgumentException("blas must be java, native or auto, got null");
        }
        if (!(kappa > 0) || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException("kappa must be a finite number > 0, got " + kappa);
        }
    }

    /** Defaults for rank r: 1000 iterations, objective tolerance 1e-9, no first-order stop, seed 0, random start. */
    public static SolverOptions rank(int r) {
        return new SolverOptions(r, DEFAULT_MAX_ITERATIONS, DEFAULT_OBJECTIVE_TOLERANCE, DEFAULT_FIRST_ORDER_TOLERANCE,
                null, 0L, null, 0, DEFAULT_KAPPA, null, Blas.AUTO, null);
    }

    public SolverOptions withMaxIterations(int v) {
        return new SolverOptions(rank, v, objectiveTolerance, firstOrderTolerance, timeLimit, seed, initial, threads, kappa, listener, blas, stopWhen);
    }

    public SolverOptions withObjectiveTolerance(double v) {
        return new SolverOptions(rank, maxIterations, v, firstOrderTolerance, timeLimit, seed, initial, threads, kappa, listener, blas, stopWhen);
    }

    public SolverOptions withFirstOrderTolerance(double v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, v, timeLimit, seed, initial, threads, kappa, listener, blas, stopWhen);
    }

    public SolverOptions withTimeLimit(Duration v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, firstOrderTolerance, v, seed, initial, threads, kappa, listener, blas, stopWhen);
    }

    public SolverOptions withSeed(long v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, firstOrderTolerance, timeLimit, v, initial, threads, kappa, listener, blas, stopWhen);
    }

    public SolverOptions withInitial(FactorPair v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, firstOrderTolerance, timeLimit, seed, v, threads, kappa, listener, blas, stopWhen);
    }

    public SolverOptions withThreads(int v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, firstOrderTolerance, timeLimit, seed, initial, v, kappa, listener, blas, stopWhen);
    }

    public SolverOptions withKappa(double v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, firstOrderTolerance, timeLimit, seed, initial, threads, v, listener, blas, stopWhen);
    }

    public SolverOptions withListener(IterationListener v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, firstOrderTolerance, timeLimit, seed, initial, threads, kappa, v, blas, stopWhen);
    }

    public SolverOptions withBlas(Blas v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, firstOrderTolerance, timeLimit, seed, initial, threads, kappa, listener, v, stopWhen);
    }

    public SolverOptions withStopWhen(Predicate<TraceRow> v) {
        return new SolverOptions(rank, maxIterations, objectiveTolerance, firstOrderTolerance, timeLimit, seed, initial, threads, kappa, listener, blas, v);
    }

    /**
     * The stopping rules every solver applies to iterate t after the caller's {@link #stopWhen()}: first-order
     * tolerance (relative to {@code residual0}, the start's), objective tolerance (relative to F_{t−1},
     * {@code previous}), iteration count, time limit; null if none holds.
     */
    public StopReason stopReason(int t, double objective, double residual, double residual0, double previous,
                                 long elapsedNanos) {
        if (firstOrderTolerance > 0 && residual <= firstOrderTolerance * residual0) {
            return StopReason.FIRST_ORDER_TOLERANCE;
        }
        if (t > 0 && objectiveTolerance > 0 && Math.abs(previous - objective) <= objectiveTolerance * Math.abs(previous)) {
            return StopReason.OBJECTIVE_TOLERANCE;
        }
        if (t >= maxIterations) {
            return StopReason.MAX_ITERATIONS;
        }
        if (timeLimit != null && elapsedNanos >= timeLimit.toNanos()) {
            return StopReason.TIME_LIMIT;
        }
        return null;
    }
}
