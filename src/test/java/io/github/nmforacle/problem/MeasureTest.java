package io.github.nmforacle.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.NativeBlas;
import io.github.nmforacle.linalg.Parallel;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link NmfProblem#measure}: one fused pass per block, the bits of the three separate computations it replaces. */
class MeasureTest {

    @Property(tries = 60)
    void theFusedMeasurementHasTheBitsOfGradientObjectiveAndResidualComputedApart(
            @ForAll @IntRange(min = 1, max = 13) int n, @ForAll @IntRange(min = 1, max = 11) int m,
            @ForAll @IntRange(min = 1, max = 5) int rank, @ForAll long seed, @ForAll boolean scaled, @ForAll boolean nativeBlas) {
        check(n, m, rank, seed, scaled, nativeBlas);
    }

    /** n·r up to 3·{@link Kernels#SUM_BLOCK}: the pass runs over several blocks, on two threads. */
    @Property(tries = 12)
    void alsoWhenThePassSpansSeveralBlocks(
            @ForAll @IntRange(min = 1700, max = 5000) int n, @ForAll @IntRange(min = 5, max = 9) int m,
            @ForAll @IntRange(min = 4, max = 5) int rank, @ForAll long seed, @ForAll boolean scaled, @ForAll boolean nativeBlas) {
        check(n, m, rank, seed, scaled, nativeBlas);
    }

    private static void check(int n, int m, int rank, long seed, boolean scaled, boolean nativeBlas) {
        int r = Math.min(rank, Math.min(n, m));
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = entries(rnd, n * m, 0.2), w = entries(rnd, n * r, 0.3), h = entries(rnd, r * m, 0.3);
        Blas blas = nativeBlas && NativeBlas.available() ? Blas.NATIVE : Blas.JAVA;
        try (Parallel par = Parallel.withThreads(2, blas)) {
            NmfProblem p = NmfProblem.of(new DenseMatrix(n, m, v), r, par);
            double[] vht = new double[n * r], wtv = new double[r * m];
            p.productsWithData(w, h, vht, wtv);
            double[] wtw = Kernels.crossCols(w, w, n, r, par), hht = Kernels.crossRows(h, h, r, m, par);
            double xs = scaled ? 1.75 : 1.0, gs = scaled ? 0.375 : 1.0;

            double[] gw = new double[n * r], gh = new double[r * m], dw = new double[n * r], dh = new double[r * m];
            FactorPair apart = p.gradientAndDenominators(w, h, vht, wtv, wtw, hht, gw, gh, dw, dh);
            double f = p.objectiveFromProducts(w, vht, wtw, hht);
            double res = NmfProblem.residualSquares(w, gw, xs, gs) + NmfProblem.residualSquares(h, gh, xs, gs);

            double[] gw2 = new double[n * r], gh2 = new double[r * m], dw2 = new double[n * r], dh2 = new double[r * m];
            NmfProblem.Measured mm = p.measure(w, h, vht, wtv, wtw, hht, gw2, gh2, dw2, dh2, xs, gs);
            assertThat(gw2).containsExactly(apart.w().data());
            assertThat(gh2).containsExactly(apart.h().data());
            assertThat(dw2).containsExactly(dw);
            assertThat(dh2).containsExactly(dh);
            assertThat(mm.objective()).isEqualTo(f);
            assertThat(mm.residualSquares()).isEqualTo(res);

            // the gradient written over the denominators (dw = gw), as the MWU runs call it
            double[] gw3 = new double[n * r], gh3 = new double[r * m];
            NmfProblem.Measured again = p.measure(w, h, vht, wtv, wtw, hht, gw3, gh3, gw3, gh3, xs, gs);
            assertThat(gw3).containsExactly(gw);
            assertThat(gh3).containsExactly(gh);
            assertThat(again).isEqualTo(mm);
            assertThat(mm.wDotVht()).isEqualTo(Kernels.dot(vht, w, n * r));

            // the line-search path from the measured parts is the path computed from scratch
            double[] pw = new double[n * r], qh = new double[r * m], ptv = new double[r * m];
            for (int i = 0; i < pw.length; i++) {
                pw[i] = w[i] * gw[i];
            }
            for (int i = 0; i < qh.length; i++) {
                qh[i] = h[i] * gh[i];
            }
            p.wtTimesData(pw, ptv);
            MultiplicativePath fresh = new MultiplicativePath(p, w, h, pw, qh, vht, wtv, ptv, wtw, hht);
            MultiplicativePath given = new MultiplicativePath(p, w, h, pw, qh, vht, wtv, ptv, wtw, hht,
                    Kernels.sum(pw) + Kernels.sum(qh), mm.wDotVht());
            for (double eps : new double[]{0, 1e-3, 0.125, 0.7}) {
                assertThat(given.objective(eps)).isEqualTo(fresh.objective(eps));
                assertThat(given.change(eps)).isEqualTo(fresh.change(eps));
                assertThat(given.normaliser(eps)).isEqualTo(fresh.normaliser(eps));
            }
        }
    }

    /** Entries in [0, 4), a share of them exactly 0 (so some residual terms are the iterate, some the gradient). */
    private static double[] entries(SplittableRandom rnd, int len, double zeros) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = rnd.nextDouble() < zeros ? 0.0 : 4 * rnd.nextDouble();
        }
        return a;
    }
}
