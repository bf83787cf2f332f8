package io.github.nmforacle.theory;

import io.github.nmforacle.testkit.StationaryPoints.Case;
import org.hipparchus.fraction.BigFraction;

/**
 * A claim of the paper as a plain predicate over generated cases: {@link #trial(long)} builds its case from the
 * seed and checks the claim. Used by the jqwik properties, by {@code fuzz}, and by users' own claims.
 */
public interface TheoryProperty {
    /** Short name used by {@code fuzz --property}. */
    String name();

    /** The claim, with the paper reference. */
    String statement();

    /** One trial from a seed; deterministic. */
    Trial trial(long seed);

    /**
     * One trial whose generated dimensions are at most {@code maxDim} (used to shrink counterexamples); properties
     * without a size notion ignore it.
     */
    default Trial trial(long seed, int maxDim) {
        return trial(seed);
    }

    /** Outcome of a trial. */
    enum Status { PASS, FAIL, DISCARD }

    /**
     * @param status  pass, fail, or discard (the case does not meet the claim's hypothesis)
     * @param detail  one line: what was checked or what failed
     * @param example the case (V, W, H), kept for failures
     * @param c       the simplex sum C for S-NMF claims, else null
     */
    record Trial(Status status, String detail, Case example, BigFraction c) {
        public static Trial pass(String detail, Case example, BigFraction c) {
            return new Trial(Status.PASS, detail, example, c);
        }

        public static Trial fail(String detail, Case example, BigFraction c) {
            return new Trial(Status.FAIL, detail, example, c);
        }

        public static Trial discard(String detail, Case example) {
            return new Trial(Status.DISCARD, detail, example, null);
        }

        /** Size used to pick the smallest counterexample: N = (n + m) r, then the sum of |entries|. */
        public double size() {
            if (example == null) {
                return Double.MAX_VALUE;
            }
            double s = 0;
            for (double v : example.v().data()) {
                s += Math.abs(v);
            }
            for (double v : example.w().data()) {
                s += Math.abs(v);
            }
            for (double v : example.h().data()) {
                s += Math.abs(v);
            }
            int n = example.v().rows(), m = example.v().cols(), r = example.w().cols();
            return (n + m) * r * 1e9 + s;
        }
    }
}
