package io.github.nmforacle.solve;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.problem.ScaledStepPath;
import io.github.nmforacle.testkit.Instances;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;
import org.junit.jupiter.api.Test;

/**
 * {@code mwu-orbit} (proofs-notes/mwu-orbit.md): descent, the simplex, the orbit step, the quartic, fixed points,
 * convergence against {@code mu}, seeds. Objectives are recomputed entry by entry ({@link NmfProblem#objective}) at the
 * iterates the listener captures, never read from the trace.
 */
class OrbitMwuTest {
    private static final Solver ORBIT = Solvers.byName("mwu-orbit");

    private static DenseMatrix random(SplittableRandom rnd, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble();
        }
        return new DenseMatrix(rows, cols, d);
    }

    private static Recorder run(DenseMatrix v, int r, long seed, int iterations) {
        Recorder rec = new Recorder();
        ORBIT.solve(v, SolverOptions.rank(r).withMaxIterations(iterations).withObjectiveTolerance(0).withSeed(seed)
                .withThreads(1).withListener(rec));
        return rec;
    }

    /** F(x_{t+1}) ≤ F(x_t) up to rounding (16·N·u·S_t, the bound argued in MwuTest), F recomputed directly. */
    @Property(tries = 30)
    void objectiveNeverIncreases(@ForAll @IntRange(min = 2, max = 9) int n, @ForAll @IntRange(min = 2, max = 9) int m,
                                 @ForAll @IntRange(min = 1, max = 3) int r0, @ForAll @LongRange(min = 0, max = 1000) long seed) {
        int r = Math.min(r0, Math.min(n, m));
        DenseMatrix v = random(new SplittableRandom(seed), n, m);
        NmfProblem p = NmfProblem.of(v, r);
        Recorder rec = run(v, r, seed, 200);
        double u = Math.ulp(1.0) / 2, cnt = n * m + (n + m) * r;
        double prev = p.objective(rec.points.get(0).w(), rec.points.get(0).h());
        for (int t = 1; t < rec.points.size(); t++) {
            FactorPair x = rec.points.get(t);
            double f = p.objective(x.w(), x.h());
            double s = 5 * (prev + f + p.dataNormSquared());   // ≥ S_t: ‖W_tH_t‖² ≤ 2F_t + 2‖V‖²
            assertThat(f).as("F at iteration %d of %dx%d r=%d seed %d", t, n, m, r, seed)
                    .isLessThanOrEqualTo(prev + 16 * cnt * u * s);
            prev = f;
        }
    }

    /** Every iterate is ≥ 0 with ΣW + ΣH = C (to rounding), C = Algorithm 1's constant, as for mwu. */
    @Property(tries = 30)
    void staysOnTheSimplexOfMassC(@ForAll @IntRange(min = 2, max = 9) int n, @ForAll @IntRange(min = 2, max = 9) int m,
                                  @ForAll @LongRange(min = 0, max = 1000) long seed) {
        int r = Math.min(2, Math.min(n, m));
        DenseMatrix v = random(new SplittableRandom(seed + 7), n, m);
        double c = NmfProblem.of(v, r).algorithmOneConstant();
        Recorder rec = run(v, r, seed, 150);
        assertThat(rec.points).hasSizeGreaterThan(1);
        for (FactorPair x : rec.points) {
            for (double e : x.w().data()) {
                assertThat(e).isGreaterThanOrEqualTo(0.0);
            }
            for (double e : x.h().data()) {
                assertThat(e).isGreaterThanOrEqualTo(0.0);
            }
            double mass = Kernels.sum(x.w().data()) + Kernels.sum(x.h().data());
            assertThat(Math.abs(mass - c)).isLessThanOrEqualTo(1e-12 * c);
        }
    }

    /** The orbit restoration: t·ΣW + ΣH/t = 1, WH unchanged up to rounding, t continuing 1 as the step vanishes. */
    @Test
    void orbitScaleRestoresTheMassAndLeavesWhUnchanged() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            DenseMatrix w = random(rnd, 4, 2), h = random(rnd, 2, 5);
            double sw = Kernels.sum(w.data()), sh = Kernels.sum(h.data());
            double scale = 0.5 / Math.sqrt(sw * sh) * (0.2 + 0.8 * rnd.nextDouble());  // so that 4·ΣW·ΣH ≤ 1
            double swS = sw * scale, shS = sh * scale;
            for (boolean wLarger : new boolean[]{true, false}) {
                double t = OrbitMwu.orbitScale(swS, shS, wLarger);
                assertThat(t * swS + shS / t).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-14));
                assertThat(t * swS >= 0.5 - 1e-14).isEqualTo(wLarger);
                double[] wt = IterativeSolver.scaled(w.data(), t), ht = IterativeSolver.scaled(h.data(), 1 / t);
                double[] wh = new double[20], wht = new double[20];
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 5; j++) {
                        for (int k = 0; k < 2; k++) {
                            wh[i * 5 + j] += w.data()[i * 2 + k] * h.data()[k * 5 + j];
                            wht[i * 5 + j] += wt[i * 2 + k] * ht[k * 5 + j];
                        }
                    }
                }
                for (int q = 0; q < 20; q++) {
                    assertThat(wht[q]).isCloseTo(wh[q], org.assertj.core.data.Offset.offset(1e-14 * (1 + wh[q])));
                }
            }
        }
        // on the simplex (ΣW + ΣH = 1) the continuing root is t = 1 exactly in exact arithmetic
        assertThat(OrbitMwu.orbitScale(0.75, 0.25, true)).isEqualTo(1.0);
        assertThat(OrbitMwu.orbitScale(0.25, 0.75, false)).isEqualTo(1.0);
        assertThat(OrbitMwu.orbitScale(0.75, 0.25, false)).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(OrbitMwu.orbitScale(0.6, 0.6, true)).isNaN();     // 2√(ΣWΣH) = 1.2 > 1: no t
    }

    /**
     * The quartic's coefficients, from products with V, equal F(W − ηA, H − ηB) − F(W, H) in exact arithmetic at
     * η = 1, 2, 3, 4 (five points fix a quartic; c₀ = 0): small integer entries, so every double operation is exact.
     */
    @Test
    void quarticCoefficientsAreExact() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 25; trial++) {
            int n = 2 + rnd.nextInt(3), m = 2 + rnd.nextInt(3), r = 1 + rnd.nextInt(2);
            double[] vd = ints(rnd, n * m, 0, 9), w = ints(rnd, n * r, 0, 5), h = ints(rnd, r * m, 0, 5);
            double[] a = ints(rnd, n * r, -4, 4), b = ints(rnd, r * m, -4, 4);
            DenseMatrix v = new DenseMatrix(n, m, vd);
            NmfProblem p = NmfProblem.of(v, r);
            double[] vht = new double[n * r], wtv = new double[r * m], atv = new double[r * m];
            p.productsWithData(w, h, vht, wtv);
            p.wtTimesData(a, atv);
            ScaledStepPath path = ScaledStepPath.of(p, w, h, a, b, vht, wtv, atv,
                    Kernels.crossCols(w, w, n, r), Kernels.crossRows(h, h, r, m));
            ExactNmf ex = ExactNmf.of(v, r);
            BigFraction f0 = ex.objective(ExactNmf.exact(new DenseMatrix(n, r, w)), ExactNmf.exact(new DenseMatrix(r, m, h)));
            for (int eta = 1; eta <= 4; eta++) {
                FieldMatrix<BigFraction> we = ExactNmf.exact(new DenseMatrix(n, r, axpy(w, -eta, a)));
                FieldMatrix<BigFraction> he = ExactNmf.exact(new DenseMatrix(r, m, axpy(h, -eta, b)));
                BigFraction exact = ex.objective(we, he).subtract(f0);
                assertThat(ExactNmf.exact(path.change(eta))).as("trial %d, eta %d", trial, eta).isEqualTo(exact);
            }
        }
    }

    private static double[] ints(SplittableRandom rnd, int len, int lo, int hi) {
        double[] d = new double[len];
        for (int i = 0; i < len; i++) {
            d[i] = lo + rnd.nextInt(hi - lo + 1);
        }
        return d;
    }

    private static double[] axpy(double[] x, double s, double[] y) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = x[i] + s * y[i];
        }
        return z;
    }

    /**
     * At a point with x_i·g_i = 0 for every i the update is stationary (up to rounding), KKT or not: r = 1, V's rows
     * 1… are exactly w'h, row 0 is not, and x = (W = (0, w'), H = h) on the orbit with mass C. Then g = 0 except
     * ∂F/∂W₀ = −2⟨V₀, h⟩ &lt; 0 (not a KKT point: F decreases if W₀ grows), but W₀ = 0, so x_i·g_i = 0: a fixed point
     * of the multiplicative update (zero-locking, proofs-notes/mwu-orbit.md). The run stays there.
     */
    @Test
    void multiplicativeFixedPointIsStationary() {
        double[] wp = {0, 1, 2, 3}, hh = {1, 2, 1};
        double[] vd = new double[12];
        for (int j = 0; j < 3; j++) {
            vd[j] = 1 + j;                                  // row 0: not fitted (W₀ = 0)
            for (int i = 1; i < 4; i++) {
                vd[i * 3 + j] = wp[i] * hh[j];
            }
        }
        DenseMatrix v = new DenseMatrix(4, 3, vd);
        double c = NmfProblem.of(v, 1).algorithmOneConstant();
        double s = OrbitMwu.orbitScale(Kernels.sum(wp) / c, Kernels.sum(hh) / c, true);
        FactorPair start = new FactorPair(new DenseMatrix(4, 1, IterativeSolver.scaled(wp, s)),
                new DenseMatrix(1, 3, IterativeSolver.scaled(hh, 1 / s)));
        FactorPair g = NmfProblem.of(v, 1).gradient(start.w(), start.h());
        assertThat(g.w().data()[0]).isLessThan(0.0);
        SolveResult res = ORBIT.solve(v, SolverOptions.rank(1).withInitial(start).withObjectiveTolerance(0)
                .withMaxIterations(50));
        assertThat(res.w().data()[0]).isZero();
        for (int q = 0; q < 4; q++) {
            assertThat(res.w().data()[q]).isCloseTo(start.w().data()[q], org.assertj.core.data.Offset.offset(1e-10 * c));
        }
        for (int q = 0; q < 3; q++) {
            assertThat(res.h().data()[q]).isCloseTo(start.h().data()[q], org.assertj.core.data.Offset.offset(1e-10 * c));
        }
    }

    /** Zeros stay zero (as in mu): a start with zero entries keeps them at every iterate. */
    @Test
    void zerosStayZero() {
        DenseMatrix v = Instances.uniform(6, 5, 4);
        SplittableRandom rnd = new SplittableRandom(5);
        DenseMatrix w = random(rnd, 6, 2), h = random(rnd, 2, 5);
        w.data()[3] = 0;
        h.data()[7] = 0;
        Recorder rec = new Recorder();
        ORBIT.solve(v, SolverOptions.rank(2).withInitial(new FactorPair(w, h)).withMaxIterations(100).withListener(rec));
        assertThat(rec.points).hasSizeGreaterThan(10);
        for (FactorPair x : rec.points) {
            assertThat(x.w().data()[3]).isZero();
            assertThat(x.h().data()[7]).isZero();
        }
    }

    /**
     * Planted 40×30, r = 3 and 60×50, r = 5: 1e-2 relative error within 2× the iterations of {@code mu} (which
     * alternates, so one of its iterations is two half-steps), from each solver's seed-0 start; the numpy study
     * (bench/step-rules/orbit_rule.py) measured 0.27–0.72× on 12 such cases.
     */
    @Test
    void plantedConvergesInIterationsComparableToMu() {
        for (int[] c : new int[][]{{40, 30, 3, 3}, {60, 50, 5, 6}}) {
            DenseMatrix v = Instances.planted(c[0], c[1], c[2], c[3]).v();
            SolverOptions o = SolverOptions.rank(c[2]).withMaxIterations(5000).withObjectiveTolerance(0)
                    .withStopWhen(row -> row.relativeError() <= 1e-2);
            SolveResult orbit = ORBIT.solve(v, o), mu = Solvers.byName("mu").solve(v, o);
            assertThat(mu.stopReason()).isEqualTo(StopReason.CONDITION_MET);
            assertThat(orbit.stopReason()).as("mwu-orbit on %dx%d r=%d", c[0], c[1], c[2]).isEqualTo(StopReason.CONDITION_MET);
            assertThat(orbit.iterations()).as("mwu-orbit %d vs mu %d", orbit.iterations(), mu.iterations())
                    .isLessThanOrEqualTo(2 * mu.iterations());
        }
    }

    /** The same seed gives the same bits; the random start is mwu's for that seed (trace row 0 agrees). */
    @Test
    void seedReproducibleAndSharesMwusStart() {
        DenseMatrix v = Instances.uniform(7, 6, 9);
        SolverOptions o = SolverOptions.rank(2).withMaxIterations(40).withSeed(17);
        SolveResult a = ORBIT.solve(v, o), b = ORBIT.solve(v, o);
        assertThat(Recorder.sameBits(a.w(), b.w()) && Recorder.sameBits(a.h(), b.h())).isTrue();
        SolveResult other = ORBIT.solve(v, o.withSeed(18));
        assertThat(Recorder.sameBits(a.w(), other.w())).isFalse();
        Recorder ro = new Recorder(), rm = new Recorder();
        ORBIT.solve(v, o.withMaxIterations(0).withListener(ro));
        Solvers.byName("mwu").solve(v, o.withMaxIterations(0).withListener(rm));
        assertThat(Recorder.sameBits(ro.points.get(0).w(), rm.points.get(0).w())).isTrue();
        assertThat(Recorder.sameBits(ro.points.get(0).h(), rm.points.get(0).h())).isTrue();
    }
}
