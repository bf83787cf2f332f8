package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.util.Arrays;

/**
 * Alternating projected gradient ({@code pg}) of Lin (2007), "Projected gradient methods for non-negative matrix
 * factorization", Neural Computation 19: the outer loop alternates the two convex sub-problems
 * min_{W ≥ 0} ½‖V − WH‖² and min_{H ≥ 0} ½‖V − WH‖², each solved approximately by projected gradient steps
 * X ← P[X − α∇f(X)] with Armijo backtracking along the projection arc (Lin's Algorithm 4, the "improved"
 * search of his Section 4.1 and his published {@code nlssubprob}):
 * <ul>
 *   <li>sufficient decrease f(X⁺) − f(X) ≤ σ⟨∇f(X), X⁺ − X⟩ with σ = 0.01, tested exactly as
 *       (1 − σ)⟨∇f, d⟩ + ½⟨d, Q(d)⟩ &lt; 0 (f is quadratic; Q(d) = d·HHᵀ or WᵀW·d);</li>
 *   <li>β = 0.1: the step starts from the previous one (carried over between inner iterations and, per factor,
 *       between outer iterations; 1 at the very start); if it satisfies the condition it is multiplied by 1/β while
 *       the condition still holds and the point still moves, otherwise divided by 1/β until it holds; at most
 *       {@value #MAX_STEP_TRIALS} trials per inner iteration;</li>
 *   <li>at most {@value #MAX_INNER} inner iterations per sub-problem, stopping earlier when the projected gradient
 *       of the sub-problem (the entries of ∇f with ∇f &lt; 0 or X &gt; 0) has norm below Lin's tolerance:
 *       tol_W = tol_H = 0.001·‖½∇F(W₀, H₀)‖_F initially, divided by 10 whenever a sub-problem stops at its
 *       first check (no step).</li>
 * </ul>
 * Every accepted step satisfies the sufficient-decrease condition, so F is non-increasing (up to rounding).
 * If in one outer iteration neither sub-problem moves, the tolerances have just been lowered, and the two
 * sub-problems are solved again at once (no new products are needed), at most {@value #MAX_RETRIES} times;
 * the run stops with {@link StopReason#NO_DESCENT} if nothing moves even then.
 *
 * <p>Cost per outer iteration: two products with V (as {@code mu}) plus O(MAX_INNER · trials · (n + m) r²).
 * Results do not depend on the thread count. Derivation and references: proofs-notes/solvers-hals-pg.md.
 */
public final class ProjectedGradient extends IterativeSolver {
    /** Inner (projected gradient) iterations per sub-problem. */
    static final int MAX_INNER = 20;
    /** Step sizes tried per inner iteration (Lin's code: 20). */
    static final int MAX_STEP_TRIALS = 20;
    /** Step reduction factor β. */
    static final double BETA = 0.1;
    /** Sufficient-decrease constant σ. */
    static final double SIGMA = 0.01;
    /** Initial sub-problem tolerance, relative to ‖½∇F(x₀)‖ (Lin: max(0.001, tol)). */
    static final double INITIAL_TOLERANCE = 0.001;
    /** Outer iterations in a row in which nothing moved before the run gives up. */
    static final int MAX_RETRIES = 40;

    private ProjectedGradient() {
    }

    /** Lin's alternating projected gradient ({@code pg}). */
    public static ProjectedGradient pg() {
        return new ProjectedGradient();
    }

    @Override
    public String name() {
        return "pg";
    }

    @Override
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial) {
        return new PgRun(problem, initial != null ? initial : randomPositive(problem, options.seed()));
    }

    /** The outcome of one sub-problem. */
    private record SubResult(int steps, boolean stoppedAtFirstCheck) {
    }

    private static final class PgRun extends AlternatingRun {
        private double tolW = Double.NaN;
        private double tolH = Double.NaN;
        private double alphaW = 1.0;
        private double alphaH = 1.0;

        PgRun(NmfProblem p, FactorPair start) {
            super(p, start);
        }

        @Override
        public StopReason advance() {
            if (Double.isNaN(tolW)) {
                // Lin's scale: the sub-problems minimise ½‖V − WH‖², whose gradient is ½∇F.
                double g = 0.5 * Math.sqrt(gradient.dot(gradient));
                tolW = INITIAL_TOLERANCE * g;
                tolH = tolW;
            }
            for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
                SubResult rw = solve(true);
                if (rw.stoppedAtFirstCheck()) {
                    tolW *= 0.1;
                }
                if (rw.steps() > 0) {
                    refreshWProducts();
                }
                SubResult rh = solve(false);
                if (rh.steps() > 0) {
                    hChanged();
                }
                if (rh.stoppedAtFirstCheck()) {
                    tolH *= 0.1;
                }
                if (rw.steps() > 0 || rh.steps() > 0) {
                    return null;
                }
                if (!rw.stoppedAtFirstCheck() && !rh.stoppedAtFirstCheck()) {
                    return StopReason.NO_DESCENT;    // both searches failed: no step decreases f
                }
            }
            return StopReason.NO_DESCENT;
        }

        /** Q(x): x·HHᵀ for the W sub-problem (n×r), WᵀW·x for the H sub-problem (r×m). */
        private void applyQ(boolean isW, double[] x, double[] out) {
            if (isW) {
                Kernels.mulSmallRight(x, n, r, hht, out, p.parallel());
            } else {
                Kernels.mulSmallLeft(wtw, r, x, m, out, p.parallel());
            }
        }

        /** Lin's nlssubprob on W (isW) or H, in place, with at most MAX_INNER iterations. */
        private SubResult solve(boolean isW) {
            double[] x = isW ? w : h;
            double[] b = isW ? vht : wtv;
            double tol = isW ? tolW : tolH;
            double alpha = isW ? alphaW : alphaH;
            int len = x.length;
            double[] grad = new double[len];
            double[] xn = new double[len];
            double[] d = new double[len];
            double[] qd = new double[len];
            double[] xp = new double[len];
            int steps = 0;
            boolean first = false;
            for (int iter = 0; iter < MAX_INNER; iter++) {
                applyQ(isW, x, grad);
                double pg = 0;
                for (int i = 0; i < len; i++) {
                    grad[i] -= b[i];
                    if (grad[i] < 0 || x[i] > 0) {
                        pg += grad[i] * grad[i];
                    }
                }
                if (Math.sqrt(pg) < tol) {
                    first = iter == 0;
                    break;
                }
                boolean decrease = false;
                boolean moved = false;
                boolean havePrevious = false;
                for (int trial = 0; trial < MAX_STEP_TRIALS; trial++) {
                    for (int i = 0; i < len; i++) {
                        xn[i] = Math.max(0.0, x[i] - alpha * grad[i]);
                        d[i] = xn[i] - x[i];
                    }
                    applyQ(isW, d, qd);
                    double gradd = Kernels.dot(grad, d, len);
                    double dqd = Kernels.dot(qd, d, len);
                    boolean sufficient = (1 - SIGMA) * gradd + 0.5 * dqd < 0;
                    if (trial == 0) {
                        decrease = !sufficient;
                    }
                    if (decrease) {
                        if (sufficient) {
                            System.arraycopy(xn, 0, x, 0, len);
                            moved = true;
                            break;
                        }
                        alpha *= BETA;
                    } else {
                        if (!sufficient || (havePrevious && Arrays.equals(xp, xn))) {
                            System.arraycopy(xp, 0, x, 0, len);   // the last step that satisfied the condition
                            moved = true;
                            break;
                        }
                        System.arraycopy(xn, 0, xp, 0, len);
                        havePrevious = true;
                        if (trial == MAX_STEP_TRIALS - 1) {
                            System.arraycopy(xp, 0, x, 0, len);
                            moved = true;
                            break;
                        }
                        alpha /= BETA;
                    }
                }
                if (!moved) {
                    break;                       // MAX_STEP_TRIALS reductions and still no sufficient decrease
                }
                steps++;
            }
            if (isW) {
                alphaW = alpha;
            } else {
                alphaH = alpha;
            }
            return new SubResult(steps, first);
        }
    }
}
