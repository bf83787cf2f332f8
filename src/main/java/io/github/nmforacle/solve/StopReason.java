package io.github.nmforacle.solve;

/** Why a run ended. */
public enum StopReason {
    MAX_ITERATIONS("reached the iteration limit"),
    OBJECTIVE_TOLERANCE("relative objective change below tolerance"),
    FIRST_ORDER_TOLERANCE("first-order residual below tolerance"),
    TIME_LIMIT("time limit reached"),
    CONDITION_MET("the caller's stopping condition held (e.g. --target-relative-error)"),
    NO_DESCENT("no step size decreased the objective (a fixed point of the update, up to rounding)"),
    EXTERNAL("the external solver exited 0 with its factors (it decides when to stop)"),
    STEP_TOO_LARGE("fixed step too large: a factor (1 - eps*g_i) was not positive; lower kappa");

    private final String description;

    StopReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
