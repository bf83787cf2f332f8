package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;

/**
 * Alternating non-negative gradient descent with thresholded decoding ({@code and}): Li and Liang, "Provable
 * alternating gradient descent for non-negative matrix factorization with strong correlations" (ICML 2017), as
 * summarised in shared/papers/related.md §1, in the project's convention V ≈ WH with W = A (features, n×r) and
 * H = X (weights, r×m).
 *
 * <p>Stage s = 0, 1, 2, … (each {@link #stageLength} iterations):
 * <ol>
 *   <li>decode once: X = φ_α(A⁺V), φ_α(z) = z if z ≥ α and z &gt; 0, else 0; A⁺V = (AᵀA)⁺AᵀV
 *       ({@link SmallSymmetric#pseudoInverse}); α_0 = {@link #alphaFraction}·max(A_0⁺V), α_{s+1} = α_s/2;</li>
 *   <li>then {@link #stageLength} gradient steps on A with X fixed: A ← max(0, A + η (V − AX)Xᵀ), with
 *       η = 1/λ_max(XXᵀ) fixed for the stage (the inverse Lipschitz constant of the gradient of ½‖V − AX‖² in A, so
 *       each step decreases F for fixed X: no backtracking needed). If X = 0, A is left unchanged.</li>
 * </ol>
 * One iteration of the trace is one gradient step; the trace's step column is η. The decoding happens at the start of
 * the iterations 1, T+1, 2T+1, … (before their gradient step), so the start's H enters only the first trace row.
 *
 * <p>Deviation, documented in proofs-notes/solvers-anls-als-and.md: Li and Liang do not constrain A; here every
 * gradient step is followed by max(0, ·) so that every iterate is feasible for NMF (the certifiers need W ≥ 0).
 * Near a non-negative ground truth the unprojected step stays non-negative and the projection does nothing.
 * Cost per iteration: O(nr²) for the step plus one product AᵀV for the trace's measurement; one more product VXᵀ
 * per stage.
 */
public final class And extends IterativeSolver {
    /** Gradient steps per stage (T). */
    public static final int DEFAULT_STAGE_LENGTH = 10;
    /** α_0 as a fraction of the largest entry of A_0⁺V. */
    public static final double DEFAULT_ALPHA_FRACTION = 0.25;

    private final int stageLength;
    private final double alphaFraction;

    And(int stageLength, double alphaFraction) {
        if (stageLength < 1 || !(alphaFraction >= 0) || Double.isInfinite(alphaFraction)) {
            throw new IllegalArgumentException("stage length must be >= 1 and alpha fraction finite >= 0");
        }
        this.stageLength = stageLength;
        this.alphaFraction = alphaFraction;
    }

    /** AND with T = {@value #DEFAULT_STAGE_LENGTH} steps per stage and α_0 = {@value #DEFAULT_ALPHA_FRACTION}·max(A_0⁺V). */
    public static And create() {
        return new And(DEFAULT_STAGE_LENGTH, DEFAULT_ALPHA_FRACTION);
    }

    @Override
    public String name() {
        return "and";
    }

    int stageLength() {
        return stageLength;
    }

    double alphaFraction() {
        return alphaFraction;
    }

    @Override
    AndRun start(NmfProblem problem, SolverOptions options, FactorPair initial) {
        FactorPair x = initial != null ? initial : randomPositive(problem, options.seed());
        return new AndRun(problem, x.w().data().clone(), x.h().data().clone());
    }

    /** Package-private so that tests can read the thresholds and the number of clipped entries. */
    final class AndRun implements Run {
        private final NmfProblem p;
        private final int n;
        private final int m;
        private final int r;
        private final double[] a;
        private final double[] x;
        private final double[] vxt;
        private final double[] atv;
        private final double[] tmp;
        private boolean vxtValid;
        private boolean atvValid;
        private double[] ata;
        private double[] xxt;
        private int steps;
        private int stage = -1;
        private double alpha = Double.NaN;
        private double eta = Double.NaN;
        private double lastEta = Double.NaN;
        private long clipped;

        AndRun(NmfProblem p, double[] a, double[] x) {
            this.p = p;
            this.n = p.n();
            this.m = p.m();
            this.r = p.rank();
            this.a = a;
            this.x = x;
            this.vxt = new double[n * r];
            this.atv = new double[r * m];
            this.tmp = new double[n * r];
        }

        /** The threshold of the current stage (NaN before the first decoding). */
        double alpha() {
            return alpha;
        }

        /** Entries of A set to 0 by the projection so far (entries that the plain AND step would have made negative). */
        long clipped() {
            return clipped;
        }

        @Override
        public Measurement measure() {
            if (!vxtValid) {
                p.dataTimesHt(x, vxt);
                vxtValid = true;
            }
            if (!atvValid) {
                p.wtTimesData(a, atv);
                atvValid = true;
            }
            ata = Kernels.crossCols(a, a, n, r, p.parallel());
            xxt = Kernels.crossRows(x, x, r, m, p.parallel());
            FactorPair g = p.gradientFromProducts(a, x, vxt, atv, ata, xxt);
            double f = p.objectiveFromProducts(a, vxt, ata, xxt);
            return new Measurement(f, scaledResidual(a, x, g, 1.0, 1.0));
        }

        @Override
        public StopReason advance() {
            if (steps % stageLength == 0) {
                decode();
            }
            // A ← max(0, A + η (V Xᵀ − A XXᵀ))
            if (eta > 0) {
                Kernels.mulSmallRight(a, n, r, xxt, tmp, p.parallel());
                for (int i = 0; i < a.length; i++) {
                    double v = a[i] + eta * (vxt[i] - tmp[i]);
                    if (v > 0) {
                        a[i] = v;
                    } else {
                        if (v < 0) {
                            clipped++;
                        }
                        a[i] = 0.0;
                    }
                }
                atvValid = false;
            }
            lastEta = eta;
            steps++;
            return null;
        }

        /** X = φ_α(A⁺V) with A⁺V = (AᵀA)⁺AᵀV; the stage's VXᵀ, XXᵀ and η. Uses AᵀV and AᵀA of the current A. */
        private void decode() {
            stage++;
            double[] z = new double[r * m];
            Kernels.mulSmallLeft(SmallSymmetric.pseudoInverse(ata, r), r, atv, m, z, p.parallel());
            if (stage == 0) {
                double max = 0;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                alpha = alphaFraction * max;
            } else {
                alpha *= 0.5;
            }
            for (int i = 0; i < z.length; i++) {
                double v = z[i];
                x[i] = v > 0 && v >= alpha ? v : 0.0;
            }
            p.dataTimesHt(x, vxt);
            vxtValid = true;
            xxt = Kernels.crossRows(x, x, r, m, p.parallel());
            double lmax = SmallSymmetric.largestEigenvalue(xxt, r);
            eta = lmax > 0 ? 1.0 / lmax : 0.0;
        }

        @Override
        public double lastStep() {
            return lastEta;
        }

        /** η = 1/λ_max(XXᵀ) and X scales by 2^e, so η scales by 2^{-2e}. */
        @Override
        public int stepPower() {
            return -2;
        }

        @Override
        public FactorPair point() {
            return new FactorPair(new DenseMatrix(n, r, a.clone()), new DenseMatrix(r, m, x.clone()));
        }
    }
}
