package io.github.nmforacle.testkit.jqwik;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.testkit.StationaryPoints;

/**
 * A point (W, H) of the NMF problem min ‖V − WH‖²_F, W, H ≥ 0, with what is known about it by construction.
 *
 * @param kind how it was built
 * @param v    V, n×m
 * @param w    W, n×r
 * @param h    H, r×m
 */
public record Point(Kind kind, DenseMatrix v, DenseMatrix w, DenseMatrix h) {
    /** How a point was built, and hence what a certifier must find. */
    public enum Kind {
        /** V, W, H drawn independently: almost surely not first-order stationary. */
        RANDOM("random"),
        /** V = WH exactly in binary64: F = 0, a global minimum (FOSP and SOSP). */
        EXACT_FACTORIZATION("exact-factorization"),
        /**
         * W = 0, H = 0: ∇F = 0 (a FOSP); a saddle when V ≠ 0 (the direction (𝟙, 𝟙) has curvature −4⟨V, 𝟙𝟙ᵀ⟩ &lt; 0), a
         * global minimum when V = 0.
         */
        ORIGIN("origin"),
        /** StationaryPoints.blockSaddle's construction: a FOSP with degenerate zero coordinates, SOSP fails. */
        BLOCK_SADDLE("block-saddle");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The kind's name as StationaryPoints.Case uses it. */
        public String label() {
            return label;
        }
    }

    /** r, the number of columns of W. */
    public int rank() {
        return w.cols();
    }

    /** (V, r) without the point. */
    public Instance instance() {
        return new Instance(v, rank());
    }

    /** First-order stationary by construction: every kind but RANDOM. */
    public boolean stationary() {
        return kind != Kind.RANDOM;
    }

    /** A saddle by construction (second-order stationarity fails): BLOCK_SADDLE, and ORIGIN when V ≠ 0. */
    public boolean saddle() {
        return kind == Kind.BLOCK_SADDLE || kind == Kind.ORIGIN && !allZero(v);
    }

    /** A global minimum by construction: EXACT_FACTORIZATION, and ORIGIN when V = 0. */
    public boolean globalMinimum() {
        return kind == Kind.EXACT_FACTORIZATION || kind == Kind.ORIGIN && allZero(v);
    }

    /** The same triple as the seed-driven generators' type, for code written against StationaryPoints. */
    public StationaryPoints.Case toCase() {
        return new StationaryPoints.Case(kind.label(), v, w, h);
    }

    static boolean allZero(DenseMatrix a) {
        for (double x : a.data()) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Point[" + kind.label() + ", n=" + v.rows() + ", m=" + v.cols() + ", r=" + rank() + ", V="
                + NmfArbitraries.rows(v) + ", W=" + NmfArbitraries.rows(w) + ", H=" + NmfArbitraries.rows(h) + "]";
    }
}
