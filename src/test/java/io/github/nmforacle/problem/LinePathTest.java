package io.github.nmforacle.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** F along a line as a quartic (proofs-notes/saddle-escape.md). */
class LinePathTest {
    private static DenseMatrix random(SplittableRandom rnd, int rows, int cols, double lo) {
        DenseMatrix a = DenseMatrix.zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a.set(i, j, lo + rnd.nextDouble() * (1 - lo));
            }
        }
        return a;
    }

    /** φ(t) = F(x + t d) at several t; c₁ = ⟨∇F, d⟩ and 2c₂ = dᵀ∇²F d (problem's own gradient and Hessian form). */
    @Property(tries = 200)
    void theQuarticIsFAlongTheLine(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int n,
                                   @ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 3) int rank) {
        int r = Math.min(rank, Math.min(n, m));
        SplittableRandom rnd = new SplittableRandom(seed);
        DenseMatrix v = random(rnd, n, m, 0), w = random(rnd, n, r, 0), h = random(rnd, r, m, 0);
        DenseMatrix dw = random(rnd, n, r, -1), dh = random(rnd, r, m, -1);
        NmfProblem p = NmfProblem.of(v, r);
        LinePath path = LinePath.of(v, w, h, dw, dh);
        for (double t : new double[] {-2, -0.5, 0, 0.25, 1, 3}) {
            DenseMatrix wt = w.copy(), ht = h.copy();
            for (int i = 0; i < wt.data().length; i++) {
                wt.data()[i] += t * dw.data()[i];
            }
            for (int i = 0; i < ht.data().length; i++) {
                ht.data()[i] += t * dh.data()[i];
            }
            double f = p.objective(wt, ht);
            assertThat(path.value(t)).isCloseTo(f, org.assertj.core.data.Offset.offset(1e-9 * (1 + f)));
        }
        double directional = p.gradient(w, h).dot(new FactorPair(dw, dh));
        assertThat(path.c1()).isCloseTo(directional, org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(directional))));
        double q = p.hessianQuadraticForm(w, h, dw, dh);
        assertThat(2 * path.c2()).isCloseTo(q, org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(q))));
    }

    /** On a sparse V (about half the entries zero) the Gram-form quartic has the entrywise one's coefficients. */
    @Property(tries = 100)
    void theSparseQuarticHasTheDenseCoefficients(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n,
                                                 @ForAll @IntRange(min = 1, max = 6) int m) {
        int r = Math.min(2, Math.min(n, m));
        SplittableRandom rnd = new SplittableRandom(seed);
        DenseMatrix v = random(rnd, n, m, 0), w = random(rnd, n, r, 0), h = random(rnd, r, m, 0);
        DenseMatrix dw = random(rnd, n, r, -1), dh = random(rnd, r, m, -1);
        for (int i = 0; i < v.data().length; i++) {
            if (rnd.nextBoolean()) {
                v.data()[i] = 0;
            }
        }
        LinePath dense = LinePath.of(v, w, h, dw, dh);
        LinePath sparse = LinePath.of(NmfProblem.of(io.github.nmforacle.linalg.CsrMatrix.of(v), r), w, h, dw, dh);
        double[] a = {dense.c0(), dense.c1(), dense.c2(), dense.c3(), dense.c4()};
        double[] b = {sparse.c0(), sparse.c1(), sparse.c2(), sparse.c3(), sparse.c4()};
        for (int k = 0; k < 5; k++) {
            // entries of V, W, H, dW, dH are at most 1 in size: every term is O((n m r)²), rounding O(1e-16) of it
            assertThat(b[k]).as("c%d", k).isCloseTo(a[k], org.assertj.core.data.Offset.offset(1e-12 * (1 + n * m * r) * (1 + n * m * r)));
        }
    }

    /** The minimiser over an interval is no worse than any point of a fine grid of it, nor than 0. */
    @Property(tries = 300)
    void argminBeatsAGrid(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double c4 = rnd.nextDouble(), c3 = rnd.nextDouble(-2, 2), c2 = rnd.nextDouble(-2, 2), c1 = rnd.nextDouble(-1, 1);
        LinePath path = new LinePath(1, c1, c2, c3, c4);
        double lo = -rnd.nextDouble(0, 5), hi = rnd.nextBoolean() ? Double.POSITIVE_INFINITY : rnd.nextDouble(0, 5);
        double t = path.argmin(lo, hi);
        assertThat(t).isBetween(lo, hi);
        double top = Double.isInfinite(hi) ? 20 : hi;
        for (int k = 0; k <= 2000; k++) {
            double s = lo + (top - lo) * k / 2000;
            assertThat(path.value(t)).isLessThanOrEqualTo(path.value(s) + 1e-12);
        }
    }

    /** F(t) = (1 − t²/2)² (V = [1], x = 0, d = (1, 1)/√2): minimised at t = √2 on [0, ∞). */
    @Test
    void theOriginOfOneByOne() {
        DenseMatrix z = DenseMatrix.zeros(1, 1), d = DenseMatrix.of(new double[][] {{Math.sqrt(0.5)}});
        LinePath path = LinePath.of(DenseMatrix.of(new double[][] {{1}}), z, z, d, d);
        assertThat(path.c1()).isZero();
        assertThat(path.c2()).isCloseTo(-1, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(path.argmin(0, Double.POSITIVE_INFINITY)).isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-12));
    }
}
