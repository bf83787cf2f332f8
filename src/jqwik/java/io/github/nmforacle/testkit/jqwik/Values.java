package io.github.nmforacle.testkit.jqwik;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * A distribution of positive entries k·2^e: an integer k in [kMin, kMax] shrinking toward kTarget, times a fixed power of
 * two. Every value is exact in binary64, and a product of such a W with a small-integer H is exact too (k·j·r &lt; 2⁵³
 * and the exponent stays in range), which is what makes {@link NmfArbitraries#exactFactorizations()} exact at every
 * scale — subnormals included. Zeros are not drawn here: they come from a {@link ZeroPattern}.
 */
public final class Values {
    private final String name;
    private final int kMin, kMax, kTarget, exponent;

    private Values(String name, int kMin, int kMax, int kTarget, int exponent) {
        this.name = name;
        this.kMin = kMin;
        this.kMax = kMax;
        this.kTarget = kTarget;
        this.exponent = exponent;
    }

    /**
     * A custom distribution k·2^exponent, k in [kMin, kMax] shrinking toward kTarget.
     *
     * @throws IllegalArgumentException unless 1 ≤ kMin ≤ kTarget ≤ kMax ≤ 2³⁰ and −1074 ≤ exponent ≤ 960 (the bounds
     *                                  that keep W·H exact and finite for the small-integer H of exact factorisations)
     */
    public static Values of(String name, int kMin, int kMax, int kTarget, int exponent) {
        if (!(1 <= kMin && kMin <= kTarget && kTarget <= kMax && kMax <= (1 << 30))) {
            throw new IllegalArgumentException("values " + name + ": need 1 <= kMin <= kTarget <= kMax <= 2^30, got kMin="
                    + kMin + ", kTarget=" + kTarget + ", kMax=" + kMax);
        }
        if (exponent < -1074 || exponent > 960) {
            throw new IllegalArgumentException("values " + name + ": the exponent must be in [-1074, 960], got " + exponent);
        }
        return new Values(name, kMin, kMax, kTarget, exponent);
    }

    /** Moderate: k/1024 in (0, 2], a fine uniform grid, shrinking toward 1. */
    public static Values moderate() {
        return of("moderate", 1, 2048, 1024, -10);
    }

    /** Small integers 1..8, shrinking toward 1: exact arithmetic everywhere (products and sums of few terms). */
    public static Values integers() {
        return of("integers", 1, 8, 1, 0);
    }

    /** Small dyadic rationals k/4 in [1/4, 4], shrinking toward 1 (the grid of the seed-driven StationaryPoints). */
    public static Values dyadic() {
        return of("dyadic", 1, 16, 4, -2);
    }

    /** Subnormals k·Double.MIN_VALUE, k in [1, 2²⁰] (all below Double.MIN_NORMAL), shrinking toward Double.MIN_VALUE. */
    public static Values tiny() {
        return of("tiny", 1, 1 << 20, 1, -1074);
    }

    /** Huge: k·2⁵⁰⁰ (2⁵⁰⁰ ≈ 3.3e150), k in [1, 1024], shrinking toward 2⁵⁰⁰. */
    public static Values huge() {
        return of("huge", 1, 1024, 1, 500);
    }

    /** The entries, as jqwik integers mapped to k·2^e (so shrinking is jqwik's integer shrinking of k). */
    public Arbitrary<Double> arbitrary() {
        int e = exponent;
        return Arbitraries.integers().between(kMin, kMax).shrinkTowards(kTarget).map(k -> Math.scalb((double) k, e));
    }

    /** The power of two 2^e. */
    public double unit() {
        return Math.scalb(1.0, exponent);
    }

    /** log₂ of the value the entries shrink toward (rounded down): the scale block saddles are built at. */
    int log2Target() {
        return exponent + (31 - Integer.numberOfLeadingZeros(kTarget));
    }

    /** The smallest entry, kMin·2^e. */
    public double min() {
        return Math.scalb((double) kMin, exponent);
    }

    /** The largest entry, kMax·2^e. */
    public double max() {
        return Math.scalb((double) kMax, exponent);
    }

    /** The entry the shrinking aims at, kTarget·2^e. */
    public double target() {
        return Math.scalb((double) kTarget, exponent);
    }

    @Override
    public String toString() {
        return name;
    }
}
