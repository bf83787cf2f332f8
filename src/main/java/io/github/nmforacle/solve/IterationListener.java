package io.github.nmforacle.solve;

import io.github.nmforacle.problem.FactorPair;
import java.util.function.Supplier;

/** Observes a run: called once per measured iterate, in order, on the solver's thread. */
@FunctionalInterface
public interface IterationListener {
    /**
     * @param row   the trace row of iterate t
     * @param point the iterate (W_t, H_t) on the scale of V, built only if asked for (a copy)
     */
    void onIterate(TraceRow row, Supplier<FactorPair> point);
}
