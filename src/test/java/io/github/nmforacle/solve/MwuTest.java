package io.github.nmforacle.solve;

import static io.github.nmforacle.solve.Recorder.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.testkit.Instances;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The concurrent MWU of Algorithm 1: {@code mwu} (fixed ε = κ/C²) and {@code mwu-adaptive} (line search).
 *
 * <p>Objectives are always recomputed here with {@link NmfProblem#objective} (summed entry by entry, no
 * cancellation) at the iterates captured by the listener, never read from the trace.
 *
 * <p><b>Rounding bound used below.</b> u = 2⁻⁵³. Every quantity compared is a sum of at most
 * N = nm + (n+m)r products of entries of V, W_t, H_t, W_{t+1}, H_{t+1} (the direct objective: nm squared
 * residuals of r-term dot products; the line search's expanded formula F = ‖V‖² − 2L(ε)/Z² + K(ε)/Z⁴:
 * dot products of length nr, rm and r² of the same entries). By the standard bound
 * |fl(Σ aᵢbᵢ) − Σ aᵢbᵢ| ≤ γ_N Σ|aᵢbᵢ|, γ_N ≈ N·u, each is off by at most N·u times its "absolute" value, which
 * for these non-negative factors is at most a small multiple of S_t = ‖V‖² + ‖W_tH_t‖² + ‖W_{t+1}H_{t+1}‖²
 * (‖V−WH‖² ≤ 2‖V‖² + 2‖WH‖²; the line search carries −2L and K with L ≤ ‖V‖‖WH‖, and its ε-expansion
 * splits W − εP = Z·W_{t+1} into W and εP with |εP| ≤ W_t + Z·W_{t+1} entrywise, Z = 1 − ε⟨x, g⟩ of order 1).
 * We take the multiple 16 — a first-order estimate along these lines, not a rigorous worst case:
 * tol_t = 16·N·u·S_t. On the 8×6 instances that is ≈ 1.6e-13·S_t. Note that S_t is NOT ‖V‖²: from the
 * random simplex start F₀ (≈ ‖WH‖²) is 60–230 × ‖V‖² (the S-NMF constant C forces mass onto W and H), so a bound
 * in ‖V‖² alone would not be a rounding bound early in the run. Observed worst increase of mwu-adaptive
 * (2000 iterations, converged instances): 4.2e-16·‖V‖²; a wrong acceptance rule gives increases of order F.
 */
class MwuTest {
    private static final double U = Math.ulp(1.0) / 2;  // 2^-53

    /** The instances of the brief: uniform and planted 8×6, r = 2, 3, seeds 1..3. */
    private record Inst(String name, DenseMatrix v, int r, long seed) {
        @Override
        public String toString() {
            return name + " r=" + r + " seed=" + seed;
        }
    }

    private static List<Inst> instances() {
        List<Inst> out = new ArrayList<>();
        for (int r = 2; r <= 3; r++) {
            for (long seed = 1; seed <= 3; seed++) {
                out.add(new Inst("uniform 8x6", Instances.uniform(8, 6, seed), r, seed));
                out.add(new Inst("planted 8x6", Instances.planted(8, 6, r, seed).v(), r, seed));
            }
        }
        return out;
    }

    private static Recorder run(String algorithm, Inst inst, double kappa, int iterations, List<SolveResult> out) {
        Recorder rec = new Recorder();
        SolveResult res = Solvers.byName(algorithm).solve(inst.v(), SolverOptions.rank(inst.r())
                .withMaxIterations(iterations).withObjectiveTolerance(0).withSeed(inst.seed())
                .withKappa(kappa).withThreads(1).withListener(rec));
        if (out != null) {
            out.add(res);
        }
        return rec;
    }

    /** Direct objectives of the recorded iterates. */
    private static double[] directObjectives(NmfProblem p, Recorder rec) {
        double[] f = new double[rec.points.size()];
        for (int t = 0; t < f.length; t++) {
            f[t] = p.objective(rec.points.get(t).w(), rec.points.get(t).h());
        }
        return f;
    }

    /** ‖WH‖²_F, naively. */
    private static double productNormSquared(FactorPair x) {
        DenseMatrix w = x.w(), h = x.h();
        double s = 0;
        for (int i = 0; i < w.rows(); i++) {
            for (int j = 0; j < h.cols(); j++) {
                double e = 0;
                for (int k = 0; k < w.cols(); k++) {
                    e += w.get(i, k) * h.get(k, j);
                }
                s += e * e;
            }
        }
        return s;
    }

    /** tol_t = 16·N·u·(‖V‖² + ‖W_tH_t‖² + ‖W_{t+1}H_{t+1}‖²), see the class comment. */
    private static double roundingBound(NmfProblem p, FactorPair xt, FactorPair xt1) {
        int n = p.n(), m = p.m(), r = p.rank();
        double terms = (double) n * m + (double) (n + m) * r;
        return 16 * terms * U * (p.dataNormSquared() + productNormSquared(xt) + productNormSquared(xt1));
    }

    // ------------------------------------------------------------------------------------------------
    // Theorem 1 for the fixed step: F(x_{t+1}) < F(x_t).

    /**
     * The claim of Theorem 1, for {@code mwu} as printed (κ = 1) and with κ = 10³ and 10⁵: on every instance all
     * 200 updates are taken and each one strictly decreases the direct objective, by more than the rounding
     * bound (so the comparison is not decided by rounding). κ = 10⁵ is below the positivity threshold of all
     * these starts (measured: 3.7e5 … 3.7e6, i.e. 220–720·C²), so no run stops with STEP_TOO_LARGE.
     */
    @Test
    void fixedStepMwuDecreasesTheObjectiveAtEveryIteration() {
        for (double kappa : new double[] {1, 1e3, 1e5}) {
            for (Inst inst : instances()) {
                List<SolveResult> res = new ArrayList<>();
                Recorder rec = run("mwu", inst, kappa, 200, res);
                assertThat(res.get(0).stopReason()).as("%s kappa=%s", inst, kappa).isEqualTo(StopReason.MAX_ITERATIONS);
                assertThat(rec.points).hasSize(201);
                NmfProblem p = NmfProblem.of(inst.v(), inst.r());
                double[] f = directObjectives(p, rec);
                for (int t = 0; t + 1 < f.length; t++) {
                    double tol = roundingBound(p, rec.points.get(t), rec.points.get(t + 1));
                    assertThat(f[t + 1]).as("%s kappa=%s: F(x_%d) <= F(x_%d)", inst, kappa, t + 1, t).isLessThanOrEqualTo(f[t]);
                    assertThat(f[t] - f[t + 1]).as("%s kappa=%s: decrease at t=%d exceeds rounding", inst, kappa, t)
                            .isGreaterThan(tol);
                }
                // The step reported is the fixed ε = κ/C².
                double c = p.algorithmOneConstant();
                for (int t = 1; t < rec.rows.size(); t++) {
                    assertThat(rec.rows.get(t).step()).isEqualTo(kappa / (c * c));
                }
            }
        }
    }

    /**
     * Experiment, very large κ from the random simplex start. On these instances the largest gradients occur at
     * the start (F₀ ≈ 60–230·‖V‖²), so the positivity guard decides at t = 0: below the threshold the run is
     * monotone for all 200 iterations; above it the run stops with STEP_TOO_LARGE before taking any step
     * (a trace of one row, the start returned). On this grid (κ = 10³ … 10⁸, half decades) no run from a random
     * start ever increased the objective (also checked by hand with 3000 iterations and κ ∈ [0.5, 1)·threshold).
     */
    @Test
    void veryLargeKappaFromARandomStartStopsBeforeAnyIncrease() {
        int stopped = 0;
        int completed = 0;
        for (Inst inst : instances()) {
            NmfProblem p = NmfProblem.of(inst.v(), inst.r());
            for (int e2 = 6; e2 <= 16; e2++) {
                double kappa = Math.pow(10, e2 / 2.0);
                List<SolveResult> res = new ArrayList<>();
                Recorder rec = run("mwu", inst, kappa, 200, res);
                SolveResult r = res.get(0);
                if (r.stopReason() == StopReason.STEP_TOO_LARGE) {
                    stopped++;
                    assertThat(r.iterations()).as("%s kappa=%s stops at the start", inst, kappa).isZero();
                    assertThat(r.trace()).hasSize(1);
                    assertThat(Recorder.sameBits(r.w(), rec.points.get(0).w())).isTrue();
                    assertThat(Recorder.sameBits(r.h(), rec.points.get(0).h())).isTrue();
                } else {
                    completed++;
                    assertThat(r.stopReason()).as("%s kappa=%s", inst, kappa).isEqualTo(StopReason.MAX_ITERATIONS);
                    double[] f = directObjectives(p, rec);
                    for (int t = 0; t + 1 < f.length; t++) {
                        assertThat(f[t + 1]).as("%s kappa=%s: F(x_%d) <= F(x_%d)", inst, kappa, t + 1, t).isLessThanOrEqualTo(f[t]);
                    }
                }
            }
            // κ = 10⁷ is above every measured threshold (max 3.7e6): always STEP_TOO_LARGE at t = 0.
            List<SolveResult> res = new ArrayList<>();
            run("mwu", inst, 1e7, 200, res);
            assertThat(res.get(0).stopReason()).as("%s kappa=1e7", inst).isEqualTo(StopReason.STEP_TOO_LARGE);
        }
        // The grid really covers both regimes.
        assertThat(stopped).isPositive();
        assertThat(completed).isPositive();
    }

    /**
     * Experiment, the smallest instance: V = [1] (1×1), r = 1, so C = 4·1·1·√1 = 4 and the problem is the
     * paper's §2.1 example min (1 − xy)² s.t. x + y = 4, minimised at x* = 2 − √3. Start (W0, H0) = (1/4, 15/4),
     * already on the simplex (sum 4 = C), below x* (WH = 15/16 < 1, so every g_i < 0 and the positivity guard
     * can never fire on the first step).
     *
     * <p>On the unit simplex (ṽ = 1/16, x + y = 1, d = ṽ − xy), Algorithm 1's update is
     * x' = x + 2εd·xy(y − x)/(1 + 4εdxy). Linearising at the minimiser (d = 0, x*y* = 1/16, (y*−x*)² = 3/4)
     * gives x' − x* ≈ (1 − 3ε/32)(x − x*): the fixed point is stable iff ε < 64/3, i.e. κ = 16ε < 1024/3 ≈ 341.3.
     * Monotone descent fails earlier, because F is not symmetric about x*: with κ = 324 (ε = 20.25) the iterates
     * overshoot x*, alternate sides and still converge (F → 0), but F(x₂) > F(x₁) (by ≈ 1.1%) — the objective
     * increases although the run never stops with STEP_TOO_LARGE. Measured: from this start the first κ with
     * an increase is 324; over starts W0 ∈ (0, 4) on a 1/64 grid the smallest is κ ≈ 152 (W0 = 37/64).
     * κ = 256 (ε = 16) is monotone down to the rounding floor.
     *
     * <p>Rounding floor: near x* every representable (w, h) has |1 − wh| ≳ u, and fl(1 − wh) carries an error of
     * about 2u (one rounding of the product ≈ 1, one of the difference), so values of F below (4u)²‖V‖² ≈ 2e-31
     * are noise; F is compared only above that floor.
     */
    @Test
    void fixedStepIncreasesTheObjectiveOnTheOneByOneInstanceAtKappa324() {
        DenseMatrix v = m(new double[] {1});
        NmfProblem p = NmfProblem.of(v, 1);
        assertThat(p.algorithmOneConstant()).isEqualTo(4.0);
        FactorPair start = new FactorPair(m(new double[] {0.25}), m(new double[] {3.75}));
        double floor = 16 * U * U * p.dataNormSquared();

        Recorder bad = new Recorder();
        SolveResult res = Solvers.byName("mwu").solve(v, SolverOptions.rank(1).withMaxIterations(200)
                .withObjectiveTolerance(0).withKappa(324).withInitial(start).withListener(bad));
        double[] f = directObjectives(p, bad);
        assertThat(f[0]).isEqualTo(1.0 / 256);                  // (1 − 15/16)²
        assertThat(f[1]).isLessThan(f[0]);
        assertThat(f[2]).as("F increases from x_1 to x_2").isGreaterThan(f[1] * 1.01);
        assertThat(res.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(res.objective()).as("and yet the run converges").isLessThan(1e-15);

        Recorder good = new Recorder();
        res = Solvers.byName("mwu").solve(v, SolverOptions.rank(1).withMaxIterations(200)
                .withObjectiveTolerance(0).withKappa(256).withInitial(start).withListener(good));
        f = directObjectives(p, good);
        assertThat(res.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        for (int t = 0; t + 1 < f.length; t++) {
            assertThat(f[t + 1]).as("kappa=256: F(x_%d) <= max(F(x_%d), floor)", t + 1, t)
                    .isLessThanOrEqualTo(Math.max(f[t], floor));
        }
        assertThat(res.objective()).isLessThanOrEqualTo(floor);
    }

    /**
     * Experiment, a realistic size: planted 8×6, r = 2, started near the planted solution: (a·W₀, H₀/a) with the
     * one factor a for which a·ΣW₀ + ΣH₀/a = C (so the start is already on the simplex), then W perturbed by 1%.
     * The gradient there is small, so the positivity guard lets κ = 10⁷ (≈ 6100·C², ε ≈ 6100 on the unit
     * simplex) through, and the objective increases (measured: first at t = 5, 104 of 200 steps, all 200 taken).
     */
    @Test
    void fixedStepIncreasesTheObjectiveNearTheSolutionAtKappa1e7() {
        var planted = Instances.planted(8, 6, 2, 1);
        NmfProblem p = NmfProblem.of(planted.v(), 2);
        double c = p.algorithmOneConstant();
        double sw = sum(planted.w0().data());
        double sh = sum(planted.h0().data());
        double a = (c + Math.sqrt(c * c - 4 * sw * sh)) / (2 * sw);   // a·sw + sh/a = c
        double[] w = planted.w0().data().clone();
        double[] h = planted.h0().data().clone();
        for (int i = 0; i < w.length; i++) {
            w[i] *= a * (1 + 0.01 * Math.sin(i));
        }
        for (int i = 0; i < h.length; i++) {
            h[i] /= a;
        }
        FactorPair start = new FactorPair(new DenseMatrix(8, 2, w), new DenseMatrix(2, 6, h));

        Recorder rec = new Recorder();
        SolveResult res = Solvers.byName("mwu").solve(planted.v(), SolverOptions.rank(2).withMaxIterations(200)
                .withObjectiveTolerance(0).withKappa(1e7).withInitial(start).withListener(rec));
        double[] f = directObjectives(p, rec);
        int increases = 0;
        for (int t = 0; t + 1 < f.length; t++) {
            if (f[t + 1] > f[t] * 1.01) {
                increases++;
            }
        }
        assertThat(increases).as("steps increasing F by more than 1%% (stop: %s after %d)", res.stopReason(), res.iterations())
                .isPositive();

        // With κ = 1 from the same start, F decreases at every step.
        rec = new Recorder();
        Solvers.byName("mwu").solve(planted.v(), SolverOptions.rank(2).withMaxIterations(200)
                .withObjectiveTolerance(0).withKappa(1).withInitial(start).withListener(rec));
        f = directObjectives(p, rec);
        for (int t = 0; t + 1 < f.length; t++) {
            assertThat(f[t + 1]).as("kappa=1: F(x_%d) <= F(x_%d)", t + 1, t).isLessThanOrEqualTo(f[t]);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The simplex.

    /**
     * Every iterate lies on the S-NMF(C) set: ΣW + ΣH = C, entries ≥ 0. In exact arithmetic the update keeps
     * Σx = 1 on the unit simplex (Σᵢ xᵢ(1 − εgᵢ) = Z), and an error δ in Σx_t becomes δ/Z in Σx_{t+1}. Each
     * step rounds every entry by ≤ 3u relative (product, difference, division), and the check sums N ≤ 90
     * entries (≤ N·u); over 200 steps with Z near 1 the drift stays ≈ (600 + 90)·u ≈ 1.5e-13 relative in the
     * worst case. We allow 1e-12·C; measured: ≤ 5e-15·C.
     */
    @Test
    void everyIterateOfBothMwuVariantsLiesOnTheScaledSimplex() {
        for (String alg : List.of("mwu", "mwu-adaptive")) {
            for (Inst inst : instances()) {
                Recorder rec = run(alg, inst, 1, 200, null);
                double c = NmfProblem.of(inst.v(), inst.r()).algorithmOneConstant();
                assertThat(rec.points).hasSizeGreaterThan(100);
                for (int t = 0; t < rec.points.size(); t++) {
                    FactorPair x = rec.points.get(t);
                    double s = sum(x.w().data()) + sum(x.h().data());
                    assertThat(s).as("%s %s: sum of x_%d", alg, inst, t).isCloseTo(c, org.assertj.core.data.Offset.offset(1e-12 * c));
                    for (double e : x.flatten()) {
                        assertThat(e).as("%s %s: entry of x_%d", alg, inst, t).isGreaterThanOrEqualTo(0.0);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // mwu-adaptive never increases F (up to rounding).

    /**
     * 2000 iterations rather than 200: several instances converge (F down to 1e-15…1e-18), and there the
     * line search decides on changes near the rounding level, which is where a wrong acceptance rule shows.
     * Measured worst increase: 4.2e-16·‖V‖², against tol_t ≈ 1.6e-13·S_t.
     */
    @Test
    void adaptiveMwuNeverIncreasesTheDirectObjectiveBeyondRounding() {
        for (Inst inst : instances()) {
            List<SolveResult> res = new ArrayList<>();
            Recorder rec = run("mwu-adaptive", inst, 1, 2000, res);
            NmfProblem p = NmfProblem.of(inst.v(), inst.r());
            double[] f = directObjectives(p, rec);
            assertThat(f.length).as("%s: took steps", inst).isGreaterThan(100);
            for (int t = 0; t + 1 < f.length; t++) {
                double tol = roundingBound(p, rec.points.get(t), rec.points.get(t + 1));
                assertThat(f[t + 1]).as("%s: F(x_%d) <= F(x_%d) + %s", inst, t + 1, t, tol).isLessThanOrEqualTo(f[t] + tol);
            }
            // It makes real progress (a line search that never moves would pass the check above trivially).
            assertThat(f[f.length - 1]).as("%s", inst).isLessThan(f[0] * 1e-2);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Start, errors.

    /**
     * A user start is put on the simplex: x₀ = (W0, H0)·C/(ΣW0 + ΣH0). With dyadic entries summing to 8 the
     * scaling by 1/8 is exact, so the only rounding is the product with C, the same in both computations:
     * bit-identical. With random entries the solver sums W0 then H0 in index order, as {@link #sum} does here, so
     * both use the same total; it then rounds three times (1/total, ·1/total, ·C) and we twice (·C, /total):
     * at most 5u apart relative, first order. We allow 6u.
     */
    @Test
    void userSuppliedStartIsScaledOntoTheSimplex() {
        for (String alg : List.of("mwu", "mwu-adaptive")) {
            // Dyadic: 4×3 data, r = 2; W0 (4×2) and H0 (2×3) sum to 8.
            DenseMatrix v = Instances.uniform(4, 3, 7);
            DenseMatrix w0 = m(new double[] {0.5, 1}, new double[] {0.25, 0.75}, new double[] {1, 0.5}, new double[] {0.5, 0.5});
            DenseMatrix h0 = m(new double[] {0.5, 0.25, 0.75}, new double[] {0.25, 0.5, 0.75});
            assertThat(sum(w0.data()) + sum(h0.data())).isEqualTo(8.0);
            double c = NmfProblem.of(v, 2).algorithmOneConstant();
            Recorder rec = new Recorder();
            Solvers.byName(alg).solve(v, SolverOptions.rank(2).withMaxIterations(0).withInitial(new FactorPair(w0, h0))
                    .withListener(rec));
            FactorPair x0 = rec.points.get(0);
            assertThat(x0.w().data()).as(alg).containsExactly(scaledBy(w0.data(), c, 8));
            assertThat(x0.h().data()).as(alg).containsExactly(scaledBy(h0.data(), c, 8));

            // Random positive start, 8×6, r = 3.
            DenseMatrix vr = Instances.uniform(8, 6, 3);
            SplittableRandom rnd = new SplittableRandom(11);
            double[] w = new double[24];
            double[] h = new double[18];
            for (int i = 0; i < w.length; i++) {
                w[i] = 5 * rnd.nextDouble();
            }
            for (int i = 0; i < h.length; i++) {
                h[i] = 0.1 * rnd.nextDouble();
            }
            double total = sum(w) + sum(h);
            double cr = NmfProblem.of(vr, 3).algorithmOneConstant();
            rec = new Recorder();
            Solvers.byName(alg).solve(vr, SolverOptions.rank(3).withMaxIterations(3).withObjectiveTolerance(0)
                    .withInitial(new FactorPair(new DenseMatrix(8, 3, w.clone()), new DenseMatrix(3, 6, h.clone())))
                    .withListener(rec));
            x0 = rec.points.get(0);
            double rel = 6 * U;
            for (int i = 0; i < w.length; i++) {
                double expected = w[i] * cr / total;
                assertThat(x0.w().data()[i]).as("%s W entry %d", alg, i)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(rel * expected));
            }
            for (int i = 0; i < h.length; i++) {
                double expected = h[i] * cr / total;
                assertThat(x0.h().data()[i]).as("%s H entry %d", alg, i)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(rel * expected));
            }
            // The later iterates stay on the simplex too, even though the user's start was far from it.
            for (FactorPair x : rec.points) {
                assertThat(sum(x.w().data()) + sum(x.h().data())).isCloseTo(cr, org.assertj.core.data.Offset.offset(1e-12 * cr));
            }
        }
    }

    @Test
    void zeroDataIsRejectedWithAMessageAboutC() {
        DenseMatrix zero = DenseMatrix.zeros(3, 4);
        for (String alg : List.of("mwu", "mwu-adaptive")) {
            assertThatThrownBy(() -> Solvers.byName(alg).solve(zero, SolverOptions.rank(2)))
                    .as(alg)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("C =")
                    .hasMessageNotContaining("\n");
        }
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }

    private static double[] scaledBy(double[] a, double c, double divisor) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i] * c / divisor;
        }
        return b;
    }
}
