package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.MultiplicativePath;
import io.github.nmforacle.problem.NmfProblem;

/**
 * The concurrent Multiplicative Weights Update of the paper's Algorithm 1.
 *
 * <p>With C = 4r(nm)^{1/4}√‖V‖_F, it runs on V/C² over the unit simplex Δ_{nr+rm} (so C·x lies on the
 * S-NMF(C) feasible set), updating every coordinate from (W^t, H^t) at once:
 * x_i ← x_i (1 − ε g_i) / Z with Z = 1 − ε Σ x_j g_j, g = ∇F(W^t, H^t); it returns C·W, C·H.
 *
 * <ul>
 *   <li>{@code mwu} — Algorithm 1 as printed: fixed ε = κ/C² (κ = {@link SolverOptions#kappa()}, default 1).
 *       On V/C² the gradient is O(1) on the simplex, so this step is tiny and progress very slow; the run
 *       stops with {@link StopReason#STEP_TOO_LARGE} if some factor 1 − ε g_i is not positive.</li>
 *   <li>{@code mwu-adaptive} — the same update with ε chosen every iteration (a deviation from the fixed
 *       step of Theorem 1): ε_max = 1/max{g_i : x_i > 0, g_i > 0} bounds the steps that keep every factor
 *       positive; backtracking from 0.99·ε_max by halving while the objective keeps improving, it takes the
 *       candidate with the lowest objective among those that do not increase it, evaluating F exactly
 *       along the step with {@link MultiplicativePath} (O(r²) per candidate). Taking the largest
 *       non-increasing candidate instead was measured slower (README, "mwu-adaptive").</li>
 * </ul>
 *
 * <p>A user-supplied start (W0, H0) is scaled onto the simplex, x0 = (W0, H0)/(ΣW0 + ΣH0). Zeros stay zero.
 */
public final class ConcurrentMwu extends IterativeSolver {
    /** How often mwu-adaptive recomputes Wᵀ·V directly instead of updating it (it drifts by rounding). */
    public static final int REFRESH_PERIOD = 10;
    /** Backtracking: at most this many halvings of the first candidate. */
    static final int MAX_HALVINGS = 60;
    /** First candidate as a fraction of the positivity bound ε_max. */
    public static final double FIRST_FRACTION = 0.99;

    private final boolean adaptive;

    private ConcurrentMwu(boolean adaptive) {
        this.adaptive = adaptive;
    }

    /** Algorithm 1 as printed, fixed ε = κ/C² ({@code mwu}). */
    public static ConcurrentMwu fixedStep() {
        return new ConcurrentMwu(false);
    }

    /** Algorithm 1 with a backtracking step ({@code mwu-adaptive}). */
    public static ConcurrentMwu adaptiveStep() {
        return new ConcurrentMwu(true);
    }

    @Override
    public String name() {
        return adaptive ? "mwu-adaptive" : "mwu";
    }

    @Override
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial) {
        return start(problem, options, initial, 0);
    }

    /**
     * κ has the units of V (ε = κ/C² is a pure number and C² scales like V): on V' = 2^{-2e} V, with C = 2^e C',
     * ε = 2^{-2e} κ/C'², which is κ/C² on V up to the rounding of C.
     */
    @Override
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial, int exponent) {
        double c = constant(problem);
        double[][] x = simplexStart(problem, options, initial);
        NmfProblem scaledProblem = scaledProblem(problem, c);
        return new MwuRun(scaledProblem, c, x[0], x[1], Math.scalb(options.kappa() / (c * c), -2 * exponent));
    }

    /** C = 4r(nm)^{1/4}√‖V‖_F of Algorithm 1; refused for V = 0. */
    static double constant(NmfProblem problem) {
        return constant(problem.algorithmOneConstant());
    }

    /** {@code c} (C of Algorithm 1, computed by the caller) if positive; refused for V = 0. */
    public static double constant(double c) {
        if (!(c > 0)) {
            throw new IllegalArgumentException("V is the zero matrix: the simplex constant C = 4r(nm)^(1/4)sqrt(||V||_F) is 0");
        }
        return c;
    }

    /** The problem on V/C², the scale on which the iterate lies on the unit simplex. */
    static NmfProblem scaledProblem(NmfProblem problem, double c) {
        double s = 1.0 / (c * c);
        io.github.nmforacle.linalg.DataMatrix vs = problem.sparseData() != null ? problem.sparseData().scaled(s)
                : new DenseMatrix(problem.n(), problem.m(), scaled(problem.data().data(), s));
        return NmfProblem.of(vs, problem.rank(), problem.parallel());
    }

    /**
     * The start on the unit simplex, {w, h}: the user's (W0, H0)/(ΣW0 + ΣH0), or Dirichlet(1, …, 1) from the seed
     * (shared by mwu, mwu-adaptive and mwu-orbit, so that a seed gives all three the same start).
     */
    static double[][] simplexStart(NmfProblem problem, SolverOptions options, FactorPair initial) {
        return Starts.simplex(problem.n(), problem.m(), problem.rank(), options.seed(), initial);
    }

    /**
     * P = x∘s into {@code out}; returns {ΣP, ⟨num, P⟩, Σx} ({@code num} may be null: then ⟨num, P⟩ = 0) and sets
     * bounds[0] ← max(bounds[0], s_i), bounds[1] ← max(bounds[1], |s_i|) over the i with x_i &gt; 0 (the positivity
     * bound of a multiplicative step x_i(1 − ε s_i) and its scale). Over {@link Kernels#blockParts} in parallel; each
     * sum has the bits of {@link Kernels#dot} (ΣP as ⟨P, 1⟩), whatever the thread count.
     */
    public static double[] weightedParts(double[] x, double[] s, double[] out, double[] num, double[] bounds,
                                         Parallel par) {
        double[] part = Kernels.blockParts(x.length, STRIDE, par,
                (from, to, pt, off) -> weightedBlock(x, s, out, num, from, to, pt, off));
        double b0 = bounds[0], b1 = bounds[1];
        for (int o = 0; o < part.length; o += STRIDE) {
            b0 = Math.max(b0, part[o + 2]);
            b1 = Math.max(b1, part[o + 3]);
        }
        bounds[0] = b0;
        bounds[1] = b1;
        return new double[]{Kernels.sumInBlockOrder(part, STRIDE, 0), Kernels.sumInBlockOrder(part, STRIDE, 1),
                Kernels.sumInBlockOrder(part, STRIDE, 4)};
    }

    private static final int STRIDE = 5;

    /** One block of {@link #weightedParts} into part[off…off+4]: ΣP, ⟨num, P⟩, max s_i, max |s_i| (from 0) and Σx. */
    private static void weightedBlock(double[] x, double[] s, double[] out, double[] num, int from, int to,
                                      double[] part, int off) {
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, x0 = 0, x1 = 0, x2 = 0, x3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            double o0 = x[i] * s[i], o1 = x[i + 1] * s[i + 1], o2 = x[i + 2] * s[i + 2], o3 = x[i + 3] * s[i + 3];
            out[i] = o0;
            out[i + 1] = o1;
            out[i + 2] = o2;
            out[i + 3] = o3;
            p0 += o0;
            p1 += o1;
            p2 += o2;
            p3 += o3;
            x0 += x[i];
            x1 += x[i + 1];
            x2 += x[i + 2];
            x3 += x[i + 3];
        }
        for (; i < to; i++) {
            double o = x[i] * s[i];
            out[i] = o;
            p0 += o;
            x0 += x[i];
        }
        // Separate simple loops: folded into the one above, the JIT compiled them measurably slower. The maxima run on
        // the bits: non-negative doubles order as their bits do as longs, negative ones (sign bit set) stay below the
        // start 0, and NaN bits lie above +∞ (once masked to a positive sign). So these are the values of
        // Math.max(b, s_j) and Math.max(b, |s_j|) from b = +0.0, without Math.max's NaN and −0.0 handling on the
        // loop-carried chain (1.4–1.6× faster for this loop; WeightedPartsTest compares the two).
        long m0 = 0, m1 = 0;
        for (int j = from; j < to; j++) {
            long bits = x[j] > 0 ? Double.doubleToRawLongBits(s[j]) : 0L;
            m0 = Math.max(m0, bits);
            m1 = Math.max(m1, bits & Long.MAX_VALUE);
        }
        double b1 = Double.longBitsToDouble(m1);
        part[off] = (p0 + p1) + (p2 + p3);
        part[off + 1] = num == null ? 0.0 : Kernels.dotBlock(num, out, from, to);
        // a NaN with its sign bit set is below 0 for m0; Math.max would have returned NaN for it, as m1 does
        part[off + 2] = Double.isNaN(b1) ? b1 : Double.longBitsToDouble(m0);
        part[off + 3] = b1;
        part[off + 4] = (x0 + x1) + (x2 + x3);
    }

    /**
     * Backtracking over first·2^{-j}, j = 0…{@link #MAX_HALVINGS}, while the change of F keeps improving: the admissible
     * candidate with the smallest change ≤ 0 (&lt; 0 if {@code strict}); NaN if none.
     */
    public static double backtrack(double first, java.util.function.DoubleUnaryOperator change,
                            java.util.function.DoublePredicate admissible, boolean strict) {
        double eps = first;
        double best = Double.NaN;
        double bestChange = 0;
        for (int j = 0; j <= MAX_HALVINGS; j++, eps *= 0.5) {
            double d = change.applyAsDouble(eps);
            if ((strict ? d < bestChange : d <= bestChange) && admissible.test(eps)) {
                best = eps;
                bestChange = d;
            } else if (!Double.isNaN(best)) {
                break;
            }
        }
        return best;
    }

    /** The multiplicative step of Algorithm 1, out_i = x_i (1 − ε g_i) / Z ({@code out} may be {@code x}). */
    public static void step(double[] x, double[] g, double eps, double z, double[] out) {
        step(x, g, eps, z, out, 0, x.length);
    }

    /** {@link #step} over blocks of {@link Kernels#SUM_BLOCK} entries in parallel (entrywise: the same bits). */
    static void step(double[] x, double[] g, double eps, double z, double[] out, Parallel par) {
        par.forBlocks(x.length, Kernels.SUM_BLOCK, (blk, from, to) -> step(x, g, eps, z, out, from, to));
    }

    private static void step(double[] x, double[] g, double eps, double z, double[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = x[i] * (1.0 - eps * g[i]) / z;
        }
    }

    /**
     * After update number {@code updates}: Wᵀ_{t+1}V = (WᵀV − ε PᵀV)/Z into {@code wtv} (saves one product per
     * iteration) and true, except every {@link #REFRESH_PERIOD}-th update, when it returns false: recompute it then.
     */
    public static boolean updateProduct(int updates, double[] wtv, double[] ptv, double eps, double z) {
        if (updates % REFRESH_PERIOD == 0) {
            return false;
        }
        for (int i = 0; i < wtv.length; i++) {
            wtv[i] = (wtv[i] - eps * ptv[i]) / z;
        }
        return true;
    }

    private final class MwuRun extends SimplexRun {
        // buffers reused every iteration (fresh arrays cost page faults on a growing heap)
        private final double[] gwBuf;
        private final double[] ghBuf;
        private final double[] pw;
        private final double[] qh;
        private final double[] ptv;
        private final double fixedEps;
        private final double[] bounds = new double[2];
        private boolean wtvValid;
        private double[] wtw;
        private double[] hht;
        private FactorPair g;
        private double wDotVht;

        MwuRun(NmfProblem p, double c, double[] w, double[] h, double fixedEps) {
            super(p, c, w, h);
            this.fixedEps = fixedEps;
            this.gwBuf = new double[n * r];
            this.ghBuf = new double[r * m];
            this.pw = adaptive ? new double[n * r] : null;
            this.qh = adaptive ? new double[r * m] : null;
            this.ptv = adaptive ? new double[r * m] : null;
        }

        @Override
        public Measurement measure() {
            p.dataTimesHt(h, vht);
            if (!wtvValid) {
                p.wtTimesData(w, wtv);
                wtvValid = true;
            }
            wtw = Kernels.crossCols(w, w, n, r, p.parallel());
            hht = Kernels.crossRows(h, h, r, m, p.parallel());
            double c2 = c * c;
            // On the scale of V: F(Cx) = C⁴ F̃(x) and ∇F(Cx) = C³ ∇F̃(x).
            NmfProblem.Measured mm = p.measure(w, h, vht, wtv, wtw, hht, gwBuf, ghBuf, gwBuf, ghBuf, c, c2 * c);
            g = new FactorPair(new DenseMatrix(n, r, gwBuf), new DenseMatrix(r, m, ghBuf));
            wDotVht = mm.wDotVht();
            return new Measurement(c2 * c2 * mm.objective(), Math.sqrt(mm.residualSquares()));
        }

        @Override
        public StopReason advance() {
            double[] gw = g.w().data();
            double[] gh = g.h().data();
            double eps, z;
            if (adaptive) {
                bounds[0] = 0;
                bounds[1] = 0;
                double[] sumsP = weightedParts(w, gw, pw, vht, bounds, p.parallel());
                double sumPq = sumsP[0] + weightedParts(h, gh, qh, null, bounds, p.parallel())[0];
                double gmax = bounds[0];
                double gabs = bounds[1];
                if (gabs == 0) {
                    return StopReason.NO_DESCENT;
                }
                // With no positive g_i any step keeps the factors positive; 1/max|g| sets the scale then.
                double epsMax = 1.0 / (gmax > 0 ? gmax : gabs);
                p.wtTimesData(pw, ptv);
                MultiplicativePath path = new MultiplicativePath(p, w, h, pw, qh, vht, wtv, ptv, wtw, hht, sumPq, wDotVht,
                        sumsP[1]);
                eps = chooseStep(path, epsMax);
                if (Double.isNaN(eps)) {
                    return StopReason.NO_DESCENT;
                }
                z = path.normaliser(eps);   // the Z the line search evaluated: Z = 1 − ε(ΣP + ΣQ)
            } else {
                eps = fixedEps;
                for (int i = 0; i < w.length; i++) {
                    if (w[i] > 0 && !(1.0 - eps * gw[i] > 0)) {
                        return StopReason.STEP_TOO_LARGE;
                    }
                }
                for (int i = 0; i < h.length; i++) {
                    if (h[i] > 0 && !(1.0 - eps * gh[i] > 0)) {
                        return StopReason.STEP_TOO_LARGE;
                    }
                }
                z = 1.0 - eps * (Kernels.dot(w, gw, n * r) + Kernels.dot(h, gh, r * m));
            }
            step(w, gw, eps, z, w, p.parallel());
            step(h, gh, eps, z, h, p.parallel());
            updates++;
            wtvValid = adaptive && updateProduct(updates, wtv, ptv, eps, z);
            step = eps;
            return null;
        }

        /** Backtracking over 0.99·ε_max·2^{-j}: the candidate with the smallest F(x(ε)) ≤ F(x); NaN if none. */
        private double chooseStep(MultiplicativePath path, double epsMax) {
            return backtrack(FIRST_FRACTION * epsMax, path::change, e -> path.normaliser(e) > 0, false);
        }
    }
}
