package io.github.nmforacle.testkit.jqwik;

/**
 * Where a generated matrix has exact zeros: nowhere, at random entries (each zero with a fixed probability; the zeros are
 * what the entries shrink toward, so a failing case shrinks toward fewer non-zeros), or in a block structure (the zero
 * coordinates of the paper's saddles are of this kind, cf. StationaryPoints.blockSaddle): with a split (a, b) drawn with
 * the matrix, entry [i, j] is zero when exactly one of i &lt; a, j &lt; b holds (two diagonal blocks, zero off-diagonal
 * blocks). The split shrinks toward (0, 0), i.e. no zero block.
 */
public final class ZeroPattern {
    enum Type { NONE, RANDOM, BLOCK }

    final Type type;
    final int percent;

    private ZeroPattern(Type type, int percent) {
        this.type = type;
        this.percent = percent;
    }

    /** No zeros: every entry drawn from the {@link Values}. */
    public static ZeroPattern none() {
        return new ZeroPattern(Type.NONE, 0);
    }

    /**
     * Each entry independently zero with probability percent/100.
     *
     * @throws IllegalArgumentException unless 1 ≤ percent ≤ 99
     */
    public static ZeroPattern random(int percent) {
        if (percent < 1 || percent > 99) {
            throw new IllegalArgumentException("the zero percentage must be in [1, 99], got " + percent);
        }
        return new ZeroPattern(Type.RANDOM, percent);
    }

    /** Zero off-diagonal blocks of a random split (see the class comment). */
    public static ZeroPattern block() {
        return new ZeroPattern(Type.BLOCK, 0);
    }

    /** Whether entry [i, j] is zero under the block split (a, b). */
    static boolean offDiagonal(int i, int j, int a, int b) {
        return (i < a) != (j < b);
    }

    @Override
    public String toString() {
        return switch (type) {
            case NONE -> "none";
            case RANDOM -> "random(" + percent + "%)";
            case BLOCK -> "block";
        };
    }
}
