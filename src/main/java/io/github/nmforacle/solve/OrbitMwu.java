package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.problem.ScaledStepPath;

/**
 * {@code mwu-orbit}: a concurrent multiplicative update on the simplex of Algorithm 1 with a step per coordinate and
 * the mass restored along the symmetry orbit — a documented deviation from Theorem 1 (issue 14, item 3;
 * proofs-notes/mwu-orbit.md), offered next to {@code mwu} and {@code mwu-adaptive}, not instead.
 *
 * <p>Same setting as {@link ConcurrentMwu}: V/C² with C = 4r(nm)^{1/4}√‖V‖_F, the iterate x = (W, H) on the unit
 * simplex (C·x on S-NMF(C)), the same seeded start, every coordinate updated from (Wᵗ, Hᵗ). The step is
 * <pre>
 *   x_i(η) = x_i (1 − η g_i / D_i),   D = W·HHᵀ for W entries, WᵀW·H for H entries (Lee–Seung's denominators),
 * </pre>
 * i.e. W(η) = W − ηA, H(η) = H − ηB with A = W∘g_W/D_W, B = H∘g_H/D_H (η = 1/2 is concurrent Lee–Seung MU). η is
 * chosen by backtracking on F(η), an exact quartic ({@link ScaledStepPath}): candidates η_max'·2^{-j},
 * j ≤ 60, η_max' = max(1/2, 0.99·η_max) with η_max the positivity bound (≥ 1/2 always, since g_i/D_i ≤ 2), tried while F keeps
 * improving; the best one with F(η) &lt; F(0) is taken, else the run stops with {@link StopReason#NO_DESCENT}.
 * Then the mass is restored along the orbit (tW, H/t), which leaves WH and F unchanged: t solves
 * t·ΣW + ΣH/t = 1. Such a t exists iff 4ΣWΣH ≤ 1 (min_t of the left side is 2√(ΣWΣH)); candidates η that violate it
 * are skipped (η = 0 satisfies it on the simplex), so the iterate never leaves the simplex.
 *
 * <p>Deviation from Theorem 1: not the update (5) (a different step per coordinate, and a different normaliser), so
 * neither Theorem 1's descent argument nor its fixed-point set carry over as printed; both are rederived in
 * proofs-notes/mwu-orbit.md. Zeros stay zero; an entry with D_i = 0 has g_i = 0 and is kept (as {@code mu}).
 *
 * <p>Products with V per iteration: Aᵀ·V and V·Bᵀ (one call site, {@code OrbitRun.directionProducts}); V·Hᵀ and Wᵀ·V of the
 * next iterate are updated from them, and recomputed directly every {@link ConcurrentMwu#REFRESH_PERIOD} iterations.
 */
public final class OrbitMwu extends IterativeSolver {
    /** The solver called {@code mwu-orbit}. */
    public static OrbitMwu create() {
        return new OrbitMwu();
    }

    private OrbitMwu() {
    }

    @Override
    public String name() {
        return "mwu-orbit";
    }

    @Override
    Run start(NmfProblem problem, SolverOptions options, FactorPair initial) {
        double c = ConcurrentMwu.constant(problem);
        double[][] x = ConcurrentMwu.simplexStart(problem, options, initial);
        return new OrbitRun(ConcurrentMwu.scaledProblem(problem, c), c, x[0], x[1]);
    }

    /**
     * The root of t·sw + sh/t = 1 (t &gt; 0) that keeps W's share t·sw on the side of 1/2 where it was
     * ({@code wLarger}): the root continuing t = 1 as the step goes to 0. Both forms avoid cancellation
     * (t₊·t₋ = sh/sw). NaN if no root exists (4·sw·sh &gt; 1).
     */
    static double orbitScale(double sw, double sh, boolean wLarger) {
        double disc = 1.0 - 4.0 * sw * sh;
        if (!(disc >= 0)) {
            return Double.NaN;
        }
        double q = 1.0 + Math.sqrt(disc);
        return (wLarger && sw > 0) || sh == 0 ? q / (2.0 * sw) : 2.0 * sh / q;
    }

    private static final class OrbitRun extends SimplexRun {
        private double[] wtw;
        private double[] hht;
        // buffers reused every iteration
        private final double[] gw;
        private final double[] gh;
        private final double[] sw;     // g/D per W entry (0 where D = 0)
        private final double[] sh;
        private final double[] a;
        private final double[] b;
        private final double[] atv;
        private final double[] vbt;
        private final FactorPair gradient;
        private final double[] bounds = new double[2];
        private boolean productsValid;

        OrbitRun(NmfProblem p, double c, double[] w, double[] h) {
            super(p, c, w, h);
            this.gw = new double[n * r];
            this.gh = new double[r * m];
            this.sw = new double[n * r];
            this.sh = new double[r * m];
            this.a = new double[n * r];
            this.b = new double[r * m];
            this.atv = new double[r * m];
            this.vbt = new double[n * r];
            this.gradient = new FactorPair(new DenseMatrix(n, r, gw), new DenseMatrix(r, m, gh));
        }

        @Override
        public Measurement measure() {
            if (!productsValid) {
                p.productsWithData(w, h, vht, wtv);       // V·Hᵀ and Wᵀ·V: one call site (fusable)
                wtw = Kernels.crossCols(w, w, n, r, p.parallel());
                hht = Kernels.crossRows(h, h, r, m, p.parallel());
                productsValid = true;
            }
            // ∇F and the denominators D (into a, b until advance() overwrites them), then the ratios g/D
            double c2 = c * c;
            NmfProblem.Measured mm = p.measure(w, h, vht, wtv, wtw, hht, gw, gh, a, b, c, c2 * c);
            ratios(gw, a, sw, p.parallel());
            ratios(gh, b, sh, p.parallel());
            return new Measurement(c2 * c2 * mm.objective(), Math.sqrt(mm.residualSquares()));
        }

        /** s ← g/D (0 where D = 0: then the coordinate has g = 0, see the class comment). */
        private static void ratios(double[] g, double[] den, double[] s, Parallel par) {
            par.forBlocks(den.length, Kernels.SUM_BLOCK, (blk, from, to) -> {
                for (int i = from; i < to; i++) {
                    double d = den[i];
                    s[i] = d > 0 ? g[i] / d : 0.0;
                }
            });
        }

        /** x ← x∘(1 − η s), returning Σ x over blocks of {@link Kernels#SUM_BLOCK} added in block order. */
        private static double stepAndSum(double[] x, double[] s, double eta, Parallel par) {
            double[] part = Kernels.blockParts(x.length, 1, par, (from, to, pt, off) -> {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int i = from;
                for (; i + 3 < to; i += 4) {
                    s0 += x[i] *= 1.0 - eta * s[i];
                    s1 += x[i + 1] *= 1.0 - eta * s[i + 1];
                    s2 += x[i + 2] *= 1.0 - eta * s[i + 2];
                    s3 += x[i + 3] *= 1.0 - eta * s[i + 3];
                }
                for (; i < to; i++) {
                    s0 += x[i] *= 1.0 - eta * s[i];
                }
                pt[off] = (s0 + s1) + (s2 + s3);
            });
            return Kernels.sumInBlockOrder(part, 1, 0);
        }

        /** x ← x·t (entrywise, in parallel blocks). */
        private static void scale(double[] x, double t, Parallel par) {
            par.forBlocks(x.length, Kernels.SUM_BLOCK, (blk, from, to) -> {
                for (int i = from; i < to; i++) {
                    x[i] *= t;
                }
            });
        }

        /** Aᵀ·V and V·Bᵀ, the two products with V of an iteration: one call site (to be fused in one pass over V). */
        private void directionProducts() {
            p.productsWithData(a, b, vbt, atv);
        }

        @Override
        public StopReason advance() {
            bounds[0] = 0;
            bounds[1] = 0;
            double[] sumsW = ConcurrentMwu.weightedParts(w, sw, a, null, bounds, p.parallel());
            double[] sumsH = ConcurrentMwu.weightedParts(h, sh, b, null, bounds, p.parallel());
            double smax = bounds[0];
            double sabs = bounds[1];
            if (sabs == 0) {
                return StopReason.NO_DESCENT;      // x_i g_i = 0 for every i: a fixed point of the update
            }
            directionProducts();
            double[] wta = Kernels.crossCols(w, a, n, r, p.parallel());
            double[] ata = Kernels.crossCols(a, a, n, r, p.parallel());
            double[] hbt = Kernels.crossRows(h, b, r, m, p.parallel());
            double[] bbt = Kernels.crossRows(b, b, r, m, p.parallel());
            ScaledStepPath path = ScaledStepPath.of(n, m, r, w, a, b, vht, wtv, atv, wtw, wta, ata, hht, hbt, bbt);
            double sumW = sumsW[2], sumH = sumsH[2];
            double sumA = sumsW[0], sumB = sumsH[0];
            // g_i/D_i ≤ 2, so η ≤ 1/2 keeps every factor ≥ 0 (= 0 only where the numerator is 0, as in MU)
            double first = smax > 0 ? Math.max(0.5, 0.99 / smax) : Math.max(0.5, 1.0 / sabs);
            double eta = chooseStep(path, first, sumW, sumH, sumA, sumB);
            if (Double.isNaN(eta)) {
                return StopReason.NO_DESCENT;
            }
            double newW = stepAndSum(w, sw, eta, p.parallel());
            double newH = stepAndSum(h, sh, eta, p.parallel());
            double orbit = orbitScale(newW, newH, sumW >= sumH);
            // 4ΣWΣH ≤ 1 held in the candidate test; only rounding can break it here: balance the masses instead
            double t = orbit > 0 && !Double.isInfinite(orbit) ? orbit : Math.sqrt(newH / newW);
            double t2 = t * t;
            scale(w, t, p.parallel());
            for (int i = 0; i < h.length; i++) {
                h[i] /= t;
            }
            updates++;
            if (updates % ConcurrentMwu.REFRESH_PERIOD != 0) {
                // V·H'ᵀ = (VHᵀ − ηVBᵀ)/t, W'ᵀV = t(WᵀV − ηAᵀV), and the Grams likewise: no further product with V
                p.parallel().forBlocks(vht.length, Kernels.SUM_BLOCK, (blk, from, to) -> {
                    for (int i = from; i < to; i++) {
                        vht[i] = (vht[i] - eta * vbt[i]) / t;
                    }
                });
                for (int i = 0; i < wtv.length; i++) {
                    wtv[i] = t * (wtv[i] - eta * atv[i]);
                }
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        int ij = i * r + j, ji = j * r + i;
                        wtw[ij] = t2 * (wtw[ij] - eta * (wta[ij] + wta[ji]) + eta * eta * ata[ij]);
                        hht[ij] = (hht[ij] - eta * (hbt[ij] + hbt[ji]) + eta * eta * bbt[ij]) / t2;
                    }
                }
            } else {
                productsValid = false;
            }
            step = eta;
            return null;
        }

        /**
         * Backtracking over first·2^{-j}, while F keeps improving: the candidate with the smallest F(η) &lt; F(0)
         * among those whose orbit meets the simplex (4·ΣW(η)·ΣH(η) ≤ 1); NaN if none.
         */
        private double chooseStep(ScaledStepPath path, double first, double sumW, double sumH, double sumA, double sumB) {
            return ConcurrentMwu.backtrack(first, path::change,
                    eta -> 4.0 * (sumW - eta * sumA) * (sumH - eta * sumB) <= 1.0, true);
        }
    }
}
