package io.github.nmforacle.solve;

import java.util.List;

/** The algorithms by command-line name. */
public final class Solvers {
    private Solvers() {
    }

    /** Every algorithm name, in the order the help lists them. */
    public static List<String> names() {
        return List.of("mwu", "mwu-adaptive", "mwu-orbit", "mu", "mu-concurrent", "hals", "pg", "anls-bpp", "als-truncated", "and");
    }

    /** The solver called {@code name}; throws IllegalArgumentException listing the names otherwise. */
    public static Solver byName(String name) {
        return switch (name) {
            case "mwu" -> ConcurrentMwu.fixedStep();
            case "mwu-adaptive" -> ConcurrentMwu.adaptiveStep();
            case "mwu-orbit" -> OrbitMwu.create();
            case "mu" -> MultiplicativeUpdates.alternating();
            case "mu-concurrent" -> MultiplicativeUpdates.concurrent();
            case "hals" -> Hals.hals();
            case "pg" -> ProjectedGradient.pg();
            case "anls-bpp" -> AnlsBpp.create();
            case "als-truncated" -> TruncatedAls.create();
            case "and" -> And.create();
            default -> throw new IllegalArgumentException("unknown algorithm '" + name + "', expected one of " + names());
        };
    }
}
