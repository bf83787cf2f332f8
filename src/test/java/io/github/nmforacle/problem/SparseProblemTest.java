package io.github.nmforacle.problem;

import static io.github.nmforacle.problem.Fixtures.abs;
import static io.github.nmforacle.problem.Fixtures.absDiff;
import static io.github.nmforacle.problem.Fixtures.ex;
import static io.github.nmforacle.problem.Fixtures.gamma;
import static io.github.nmforacle.problem.Fixtures.inner;
import static io.github.nmforacle.problem.Fixtures.mul;
import static io.github.nmforacle.problem.Fixtures.up;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Parallel;
import org.junit.jupiter.api.Test;

/**
 * NmfProblem on a sparse V (issue 15 item 1). The products with V, hence ∇F and ∇²F·d, are the dense Java path's bits
 * (same summation order; the dense kernel's extra terms are ±0). F and dᵀ∇²F d use Gram forms instead of entrywise
 * sums, so they are checked against the exact value (BigFraction) with the rounding bound γ_K·S of
 * {@link Fixtures}: S is the same expression with every factor replaced by its absolute value and K bounds the
 * roundings on the longest path (r products per entry of WH, nnz or r² terms per sum, a few final operations).
 */
class SparseProblemTest {
    @Test
    void productsGradientAndHessianTimesAreTheDenseBits() {
        for (long seed = 1; seed <= 6; seed++) {
            Fixtures.Inst in = sparseInstance(seed);
            CsrMatrix c = CsrMatrix.of(in.v());
            for (int threads : new int[] {1, 3}) {
                try (Parallel par = Parallel.withThreads(threads)) {
                    NmfProblem d = NmfProblem.of(in.v(), in.r(), par), s = NmfProblem.of(c, in.r(), par);
                    FactorPair gd = d.gradient(in.w(), in.h()), gs = s.gradient(in.w(), in.h());
                    assertThat(gs.w().data()).as("seed %d: ∇_W F", seed).isEqualTo(gd.w().data());
                    assertThat(gs.h().data()).as("seed %d: ∇_H F", seed).isEqualTo(gd.h().data());
                    FactorPair hd = d.hessianTimes(in.w(), in.h(), in.dw(), in.dh());
                    FactorPair hs = s.hessianTimes(in.w(), in.h(), in.dw(), in.dh());
                    assertThat(hs.w().data()).as("seed %d: ∇²F·d, W part", seed).isEqualTo(hd.w().data());
                    assertThat(hs.h().data()).as("seed %d: ∇²F·d, H part", seed).isEqualTo(hd.h().data());
                    assertThat(s.dataNormSquared()).isEqualTo(d.dataNormSquared());
                    assertThat(s.dataSum()).isEqualTo(d.dataSum());
                    int nr = in.n() * in.r();
                    int[] coords = {0, nr / 2, nr - 1, nr, nr + in.m() * in.r() - 1, nr + 2};
                    assertThat(s.restrictedHessian(in.w(), in.h(), coords))
                            .isDeepEqualTo(d.restrictedHessian(in.w(), in.h(), coords));
                }
            }
        }
    }

    @Test
    void objectiveAndHessianFormAreWithinTheirRoundingBounds() {
        for (long seed = 1; seed <= 6; seed++) {
            Fixtures.Inst in = sparseInstance(seed);
            NmfProblem s = NmfProblem.of(CsrMatrix.of(in.v()), in.r());
            ExactNmf e = in.exact();
            int n = in.n(), m = in.m(), r = in.r();
            int nnz = CsrMatrix.of(in.v()).nonZeros();
            DenseMatrix aw = abs(in.w()), ah = abs(in.h()), adw = abs(in.dw()), adh = abs(in.dh());
            // F = Σ_nnz (v − ab)² + (⟨WᵀW, HHᵀ⟩ − Σ_nnz (ab)²): every rounded term is bounded by the abs scale below
            DenseMatrix awh = mul(aw, ah);
            double sF = inner(in.v(), in.v()) + 2 * inner(in.v(), awh) + 3 * inner(awh, awh);
            int kF = nnz + r * r + 2 * r + n + m + 8;
            double f = s.objective(in.w(), in.h());
            assertThat(absDiff(f, e.objective(ex(in.w()), ex(in.h()))))
                    .as("seed %d: F", seed).isLessThanOrEqualTo(gamma(kF) * up(sF, kF));
            // q = 2(‖dW H‖² + 2⟨dW H, W dH⟩ + ‖W dH‖²) − 4(⟨V, dW dH⟩ − ⟨WH, dW dH⟩)
            DenseMatrix a1 = mul(adw, ah), a2 = mul(aw, adh), b = mul(adw, adh);
            double sQ = 2 * (inner(a1, a1) + 2 * inner(a1, a2) + inner(a2, a2)) + 4 * (inner(in.v(), b) + inner(awh, b));
            int kQ = nnz + r * r + 2 * (n + m) + 2 * r + 12;
            double q = s.hessianQuadraticForm(in.w(), in.h(), in.dw(), in.dh());
            assertThat(absDiff(q, e.hessianQuadraticForm(ex(in.w()), ex(in.h()), ex(in.dw()), ex(in.dh()))))
                    .as("seed %d: dᵀ∇²F d", seed).isLessThanOrEqualTo(gamma(kQ) * up(sQ, kQ));
        }
    }

    /** {@link Fixtures.Inst#random} with about 70 % of V zeroed (V still ≥ 0; shapes not multiples of the blocks). */
    /** ExactNmf on the non-zeros and r×r Grams gives the dense formulas' rationals, exactly, for every quantity. */
    @Test
    void exactFormulasOnTheNonZerosAreTheDenseOnes() {
        for (long seed = 1; seed <= 6; seed++) {
            Fixtures.Inst in = sparseInstance(seed);
            ExactNmf d = ExactNmf.of(in.v(), in.r()), s = ExactNmf.of(CsrMatrix.of(in.v()), in.r());
            var w = ex(in.w());
            var h = ex(in.h());
            var dw = ex(in.dw());
            var dh = ex(in.dh());
            assertThat(s.objective(w, h)).as("seed %d: F", seed).isEqualTo(d.objective(w, h));
            var gs = s.gradient(w, h);
            var gd = d.gradient(w, h);
            assertThat(gs[0]).as("seed %d: ∇_W F", seed).isEqualTo(gd[0]);
            assertThat(gs[1]).as("seed %d: ∇_H F", seed).isEqualTo(gd[1]);
            assertThat(s.hessianQuadraticForm(w, h, dw, dh)).as("seed %d: q(d)", seed).isEqualTo(d.hessianQuadraticForm(w, h, dw, dh));
            var ts = s.hessianTimes(w, h, dw, dh);
            var td = d.hessianTimes(w, h, dw, dh);
            assertThat(ts[0]).as("seed %d: ∇²F·d, W part", seed).isEqualTo(td[0]);
            assertThat(ts[1]).as("seed %d: ∇²F·d, H part", seed).isEqualTo(td[1]);
            assertThat(s.denseHessian(w, h)).as("seed %d: ∇²F", seed).isEqualTo(d.denseHessian(w, h));
            int[] coords = {0, in.n() * in.r() - 1, in.n() * in.r(), (in.n() + in.m()) * in.r() - 1, 1 % in.r()};
            assertThat(s.restrictedHessian(w, h, coords)).as("seed %d: restricted", seed).isEqualTo(d.restrictedHessian(w, h, coords));
            assertThat(s.data()).isEqualTo(d.data());
            assertThat(s.residual(w, h)).isEqualTo(d.residual(w, h));
        }
    }

    private static Fixtures.Inst sparseInstance(long seed) {
        Fixtures.Inst in = Fixtures.Inst.random(9 + (int) seed, 7 + 2 * (int) seed, 1 + (int) (seed % 3), seed);
        double[] d = in.v().data();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed * 31);
        for (int p = 0; p < d.length; p++) {
            if (rnd.nextDouble() < 0.7) {
                d[p] = 0;
            }
        }
        return in;
    }
}
