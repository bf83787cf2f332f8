package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;

/**
 * Lee–Seung multiplicative updates for ‖V − WH‖²_F (paper, Section 1):
 * W ← W ∘ (V Hᵀ) / (W H Hᵀ) and H ← H ∘ (Wᵀ V) / (Wᵀ W H).
 *
 * <p>{@code mu} alternates (the H update uses the new W), as Lee and Seung do. {@code mu-concurrent}
 * updates both from (W_t, H_t), the variant of the paper's Example 1 — whose printed formulas have the
 * shapes of W and H swapped (proofs-notes/errata.md); the shapes here are the correct ones.
 *
 * <p>No ε is added to denominators, so exact zeros stay visible: an entry whose denominator is 0 is kept
 * unchanged, and an entry that is 0 stays 0 forever (the "zero-locking" of MU).
 */
public final class MultiplicativeUpdates extends IterativeSolver {
    private final boolean concurrent;

    private MultiplicativeUpdates(boolean concurrent) {
        this.concurrent = concurrent;
    }

    /** Alternating Lee–Seung MU ({@code mu}). */
    public static MultiplicativeUpdates alternating() {
        return new MultiplicativeUpdates(false);
    }

    /** Concurrent Lee–Seung MU ({@code mu-concurrent}), Example 1 of the paper. */
    public static MultiplicativeUpdates concurrent() {
        return new MultiplicativeUpdates(true);
    }

    @Override
    public String name() {
        return concurrent ? "mu-concurrent" : "mu";
    }

    @Override
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial) {
        return new MuRun(problem, initial != null ? initial : randomPositive(problem, options.seed()));
    }

    /**
     * The Lee–Seung step x ← x ∘ num / den (paper (6)'s numerator and denominator), keeping x where den = 0 (0/0 is
     * undefined; see the class comment). Also the distributed engine's, per row block.
     */
    public static void multiply(double[] x, double[] num, double[] den) {
        multiplyRange(x, num, den, 0, x.length);
    }

    /** Entries per block of the parallel step: each entry is computed alone, so the bits do not depend on blocks. */
    static final int STEP_BLOCK = 8192;

    /**
     * {@link #multiply} over fixed blocks on the threads of {@code par}: its division per entry does not vectorise
     * (the den = 0 branch), and at digits size (1797×16 entries of W) it was the top Java frame of a {@code mu} iteration.
     */
    static void multiply(double[] x, double[] num, double[] den, Parallel par) {
        par.forBlocks(x.length, STEP_BLOCK, (b, from, to) -> multiplyRange(x, num, den, from, to));
    }

    private static void multiplyRange(double[] x, double[] num, double[] den, int from, int to) {
        for (int i = from; i < to; i++) {
            if (den[i] != 0) {
                x[i] = x[i] * num[i] / den[i];
            }
        }
    }

    private final class MuRun extends AlternatingRun {
        MuRun(NmfProblem p, FactorPair start) {
            super(p, start);
        }

        /** From the measured iterate: its products and denominators W·HHᵀ, WᵀW·H are those of (W_t, H_t). */
        @Override
        public StopReason advance() {
            Parallel par = p.parallel();
            if (concurrent) {
                multiply(w, vht, denW, par);
                multiply(h, wtv, denH, par);
                wChanged();
            } else {
                multiply(w, vht, denW, par);
                refreshWProducts();               // Wᵀ_{t+1} V: the numerator now, and the next iterate's product
                Kernels.mulSmallLeft(wtw, r, h, m, denH, par);
                multiply(h, wtv, denH, par);
            }
            hChanged();
            return null;
        }

    }
}
