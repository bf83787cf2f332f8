package io.github.nmforacle.problem;

import static io.github.nmforacle.problem.Fixtures.U;
import static io.github.nmforacle.problem.Fixtures.abs;
import static io.github.nmforacle.problem.Fixtures.absDiff;
import static io.github.nmforacle.problem.Fixtures.ex;
import static io.github.nmforacle.problem.Fixtures.flat;
import static io.github.nmforacle.problem.Fixtures.gamma;
import static io.github.nmforacle.problem.Fixtures.hadamard;
import static io.github.nmforacle.problem.Fixtures.inner;
import static io.github.nmforacle.problem.Fixtures.mul;
import static io.github.nmforacle.problem.Fixtures.plus;
import static io.github.nmforacle.problem.Fixtures.t;
import static io.github.nmforacle.problem.Fixtures.times;
import static io.github.nmforacle.problem.Fixtures.up;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.Fixtures.Inst;
import io.github.nmforacle.testkit.Instances;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Derivatives of F(W, H) = ‖V − WH‖²_F (proofs-notes/hessian.md): double ({@link NmfProblem}) against
 * finite differences and against the exact twin ({@link ExactNmf}); exact identities with no tolerance;
 * the paper's Lemma 3 and formula (7); the product kernels; the multiplicative path; the constants.
 *
 * <p>Every floating-point tolerance is a worst-case rounding bound γ_K·(abs scale) derived in the comment
 * next to it, using the model documented in {@link Fixtures}; none was tuned to make the tests pass.
 * A wrong formula (a factor 2, a sign, a transposed index) produces errors of the order of the scale
 * itself, i.e. 10⁸–10¹⁴ times the tolerances, so every assertion here can fail.
 *
 * <p>Notation: A = |V| + |W||H| (entrywise abs, products of abs matrices), S = ‖A‖²_F ≥ ‖V‖² + ‖WH‖²;
 * E = dW·H + W·dH, D = dW·dH, R = V − WH; N = (n + m) r.
 */
class ProblemDerivativesTest {
    /**
     * Finite-difference step h = 2⁻¹⁶ ≈ 1.5e-5 = 1e-5·(1 + |x|) for the typical |x| ≈ 0.5 of the
     * random points (entries in [0, 1)), chosen a power of two so that x ± h·d is exact on the grid
     * points of {@link Inst#onGrid()} and division by 2h is exact.
     */
    static final double STEP = 0x1p-16;

    @Provide
    Arbitrary<Inst> instances() {
        Arbitrary<Integer> size = Arbitraries.integers().between(1, 6);
        return Combinators.combine(size, size).as((n, m) -> new int[] {n, m})
                .flatMap(nm -> Arbitraries.integers().between(1, Math.min(nm[0], nm[1]))
                        .flatMap(r -> Arbitraries.longs().map(seed -> Inst.random(nm[0], nm[1], r, seed))));
    }

    // =====================================================================================================
    // Error bounds shared by several tests
    // =====================================================================================================

    /** S = ‖|V| + |W||H|‖²; computed with r (|W||H|) + 1 (+|V|) + 1 (square) + nm − 1 (sum) ≤ nm + r + 1 roundings. */
    private static double objectiveScale(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        DenseMatrix a = plus(abs(v), mul(abs(w), abs(h)));
        return up(inner(a, a), v.rows() * v.cols() + w.cols() + 1);
    }

    /**
     * |objective − F| ≤ γ_K S with K = nm + 2r + 3 + ⌈n/32⌉: in Kernels.residualNormSquared each
     * R̂_ij = V_ij − Σ_k W_ik H_kj passes through ≤ r + 1 roundings (|R̂ − R| ≤ γ_{r+1} A_ij), so
     * |fl(R̂²) − R²| ≤ ((1+γ_{r+1})²(1+u) − 1) A² ≤ γ_{2r+3} A²; the nm squares are then summed within
     * blocks of 32 rows and the ⌈n/32⌉ block sums added: ≤ nm − 1 + ⌈n/32⌉ further roundings.
     */
    private static double objectiveError(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        int n = v.rows(), m = v.cols(), r = w.cols();
        return gamma(n * m + 2 * r + 3 + Parallel.blockCount(n, 32)) * objectiveScale(v, w, h);
    }

    /**
     * Entrywise bound of |gradient − ∇F|, flattened. ∂F/∂W = −2(V·Hᵀ − W·(HHᵀ)): V·Hᵀ is an m-term
     * inner product (γ_m), HHᵀ too (γ_m), W·(HHᵀ) adds r terms (γ_{m+r}), the subtraction one more:
     * |err_W| ≤ γ_{m+r+1}·T_W, T_W = 2(|V| + |W||H|)|H|ᵀ (the same terms in absolute value; the factor 2
     * is exact). Symmetrically |err_H| ≤ γ_{n+r+1}·T_H, T_H = 2|W|ᵀ(|V| + |W||H|) (mulAtB sums the n
     * terms in blocks of four — the bound γ_n holds for any summation order). T̂ needs ≤ max(n,m)+r+1 roundings.
     */
    private static double[] gradientError(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        int n = v.rows(), m = v.cols(), r = w.cols();
        DenseMatrix a = plus(abs(v), mul(abs(w), abs(h)));
        DenseMatrix tw = times(2, mul(a, t(abs(h))));
        DenseMatrix th = times(2, mul(t(abs(w)), a));
        double[] e = flat(tw, th);
        for (int p = 0; p < e.length; p++) {
            int k = p < n * r ? m + r + 1 : n + r + 1;
            e[p] = gamma(k) * up(e[p], k);
        }
        return e;
    }

    /**
     * Entrywise bound of |hessianTimes − ∇²F·d|, flattened. W-part 2[dW(HHᵀ) + W(dH Hᵀ + H dHᵀ) − V dHᵀ]:
     * HHᵀ, dH Hᵀ, V dHᵀ are m-term products (γ_m), the symmetrisation adds 1, the r×r product r, the two
     * final additions 2: γ_{m+r+3} times the abs scale 2[|dW||H||H|ᵀ + |W|(|dH||H|ᵀ + |H||dH|ᵀ) + |V||dH|ᵀ].
     * H-part likewise γ_{n+r+3} with 2[|W|ᵀ|W||dH| + (|W|ᵀ|dW| + |dW|ᵀ|W|)|H| + |dW|ᵀ|V|].
     */
    private static double[] hessianTimesError(Inst x) {
        return hessianTimesError(x.v(), x.w(), x.h(), x.dw(), x.dh());
    }

    private static double[] hessianTimesError(DenseMatrix v, DenseMatrix w, DenseMatrix h, DenseMatrix dw, DenseMatrix dh) {
        int n = v.rows(), m = v.cols(), r = w.cols();
        DenseMatrix aw = abs(w), ah = abs(h), adw = abs(dw), adh = abs(dh), av = abs(v);
        DenseMatrix sw = times(2, plus(plus(mul(adw, mul(ah, t(ah))),
                mul(aw, plus(mul(adh, t(ah)), mul(ah, t(adh))))), mul(av, t(adh))));
        DenseMatrix sh = times(2, plus(plus(mul(mul(t(aw), aw), adh),
                mul(plus(mul(t(aw), adw), mul(t(adw), aw)), ah)), mul(t(adw), av)));
        double[] e = flat(sw, sh);
        for (int p = 0; p < e.length; p++) {
            int k = p < n * r ? m + r + 3 : n + r + 3;
            e[p] = gamma(k) * up(e[p], k);
        }
        return e;
    }

    /**
     * Qs = 2‖Ê‖² + 4⟨A, Dabs⟩ with Ê = |dW||H| + |W||dH|, Dabs = |dW||dH|: the abs scale of all three
     * double quadratic forms. It equals ⟨|d|, (abs Hessian-vector scale of hessianTimesError)⟩ and
     * |d|ᵀ|∇²F|_abs|d| with |∂²F/∂W_ik∂H_lj|_abs = 2|W_il||H_kj| + 2δ_kl A_ij (expand the products).
     * Computed with ≤ nm + 2r + 3 roundings.
     */
    private static double quadraticScale(Inst x) {
        DenseMatrix e = plus(mul(abs(x.dw()), abs(x.h())), mul(abs(x.w()), abs(x.dh())));
        DenseMatrix a = plus(abs(x.v()), mul(abs(x.w()), abs(x.h())));
        DenseMatrix dd = mul(abs(x.dw()), abs(x.dh()));
        return up(2 * inner(e, e) + 4 * inner(a, dd), x.n() * x.m() + 2 * x.r() + 3);
    }

    private static void assertWithin(String what, double got, double expected, double tol) {
        if (!(Math.abs(got - expected) <= tol)) {
            fail(String.format("%s: got %.17g, expected %.17g, |diff| = %.3e > tol %.3e", what, got, expected,
                    Math.abs(got - expected), tol));
        }
    }

    private static void assertWithin(String what, double got, BigFraction expected, double tol) {
        double d = absDiff(got, expected);
        if (!(d <= tol)) {
            fail(String.format("%s: got %.17g, exact %.17g, |diff| = %.3e > tol %.3e", what, got,
                    expected.doubleValue(), d, tol));
        }
    }

    private static DenseMatrix withEntry(DenseMatrix a, int p, double value) {
        DenseMatrix b = a.copy();
        b.data()[p] = value;
        return b;
    }

    private static DenseMatrix step(DenseMatrix a, double s, DenseMatrix d) {
        return plus(a, times(s, d));   // exact on the grid (see Inst.onGrid)
    }

    // =====================================================================================================
    // 1. Gradient against central finite differences of the objective
    // =====================================================================================================

    /**
     * Every coordinate p: fd_p = (F̂(x + h e_p) − F̂(x − h e_p)) / 2h against gradient_p.
     *
     * <p>Truncation: moving a single coordinate (only W_ik, or only H_kj) makes R affine in t, so
     * t ↦ F(x + t e_p) is a quadratic and the central quotient is EXACTLY ∂F/∂x_p (no O(h²) term).
     * Rounding: the points x ± h e_p are exact (grid), each F̂ is off by ≤ objectiveError, 2h is a power
     * of two, and the subtraction adds ≤ 2u|fd|; the gradient itself is off by ≤ gradientError_p. So
     * |fd_p − ĝ_p| ≤ (errF(x+) + errF(x−))/2h + 2u|fd_p| + errG_p. With γ_K ≈ 1e-14 and 2h ≈ 3e-5 this is
     * ≈ 3e-10·S: a relative error far below the "typical 1e-6", but a worst case, hence never flaky.
     */
    @Property(tries = 50)
    void gradientMatchesCentralDifferencesCoordinatewise(@ForAll("instances") Inst random) {
        Inst x = random.onGrid();
        NmfProblem prob = x.problem();
        double[] g = prob.gradient(x.w(), x.h()).flatten();
        double[] errG = gradientError(x.v(), x.w(), x.h());
        int nr = x.n() * x.r();
        double worst = 0;
        for (int p = 0; p < x.dim(); p++) {
            double fp, fm, ep, em, sp, sm;
            if (p < nr) {
                DenseMatrix wp = withEntry(x.w(), p, x.w().data()[p] + STEP);
                DenseMatrix wm = withEntry(x.w(), p, x.w().data()[p] - STEP);
                fp = prob.objective(wp, x.h());
                fm = prob.objective(wm, x.h());
                ep = objectiveError(x.v(), wp, x.h());
                em = objectiveError(x.v(), wm, x.h());
                sp = objectiveScale(x.v(), wp, x.h());
                sm = objectiveScale(x.v(), wm, x.h());
            } else {
                int q = p - nr;
                DenseMatrix hp = withEntry(x.h(), q, x.h().data()[q] + STEP);
                DenseMatrix hm = withEntry(x.h(), q, x.h().data()[q] - STEP);
                fp = prob.objective(x.w(), hp);
                fm = prob.objective(x.w(), hm);
                ep = objectiveError(x.v(), x.w(), hp);
                em = objectiveError(x.v(), x.w(), hm);
                sp = objectiveScale(x.v(), x.w(), hp);
                sm = objectiveScale(x.v(), x.w(), hm);
            }
            double fd = (fp - fm) / (2 * STEP);
            double tol = (ep + em) / (2 * STEP) + 2 * U * Math.abs(fd) + errG[p];
            assertWithin("dF/dx_" + p + " for " + x, g[p], fd, tol);
            worst = Math.max(worst, tol / Math.max(Math.max(sp, sm), Double.MIN_VALUE));
        }
        // The tolerance is not vacuous: it is below 1e-8 of the scale S at the evaluated points (the
        // dominant term is γ_K·S/h ≈ 4e-10·S; S, not F, because F̂ carries absolute noise ∝ S).
        assertThat(worst).isLessThan(1e-8);
    }

    /**
     * A random direction d: fd = (F̂(x + h d) − F̂(x − h d)) / 2h against ⟨gradient, d⟩.
     *
     * <p>Truncation, exactly: F(x + t d) = F + t⟨∇F, d⟩ + t²·c₂ + t³·2⟨E, D⟩ + t⁴‖D‖² (the quartic (★)
     * of hessian.md), and the central quotient of a quartic keeps only its odd part:
     * (p(h) − p(−h))/2h = ⟨∇F, d⟩ + 2⟨E, D⟩·h². So the O(h²) truncation is ≤ 2⟨Ê, Dabs⟩ h² (abs values).
     * Rounding as in the coordinatewise test, plus the error of ⟨ĝ, d⟩: Σ errG_p|d_p| + γ_N Σ|ĝ_p||d_p|.
     */
    @Property(tries = 50)
    void directionalDerivativeMatchesCentralDifferences(@ForAll("instances") Inst random) {
        Inst x = random.onGrid();
        NmfProblem prob = x.problem();
        FactorPair g = prob.gradient(x.w(), x.h());
        FactorPair d = new FactorPair(x.dw(), x.dh());
        DenseMatrix wp = step(x.w(), STEP, x.dw()), wm = step(x.w(), -STEP, x.dw());
        DenseMatrix hp = step(x.h(), STEP, x.dh()), hm = step(x.h(), -STEP, x.dh());
        double fd = (prob.objective(wp, hp) - prob.objective(wm, hm)) / (2 * STEP);

        DenseMatrix eAbs = plus(mul(abs(x.dw()), abs(x.h())), mul(abs(x.w()), abs(x.dh())));
        DenseMatrix dAbs = mul(abs(x.dw()), abs(x.dh()));
        double truncation = STEP * STEP * up(2 * inner(eAbs, dAbs), x.n() * x.m() + 2 * x.r() + 2);
        double[] errG = gradientError(x.v(), x.w(), x.h());
        double[] gf = g.flatten(), df = d.flatten();
        double gradTerm = 0, gdAbs = 0;
        for (int p = 0; p < gf.length; p++) {
            gradTerm += errG[p] * Math.abs(df[p]);
            gdAbs += Math.abs(gf[p] * df[p]);
        }
        int dim = x.dim();
        double tol = (objectiveError(x.v(), wp, hp) + objectiveError(x.v(), wm, hm)) / (2 * STEP)
                + 2 * U * Math.abs(fd) + truncation + up(gradTerm, dim) + gamma(dim) * up(gdAbs, dim);
        assertWithin("<grad F, d> for " + x, g.dot(d), fd, tol);
    }

    // =====================================================================================================
    // 2. Gradient against the exact gradient
    // =====================================================================================================

    /**
     * Entry by entry, |gradient − ExactNmf.gradient| ≤ γ_{m+r+1}·T_W (W-part), γ_{n+r+1}·T_H (H-part),
     * where T = Σ|terms| of the formula actually evaluated (see {@link #gradientError}); for n, m, r ≤ 6
     * that is ≤ 1.5e-15·T, well inside the "~1e-12 relative to Σ|terms|" of the brief. Exact side: the
     * double inputs taken as exact rationals.
     */
    @Property(tries = 50)
    void gradientMatchesExactGradient(@ForAll("instances") Inst x) {
        double[] g = x.problem().gradient(x.w(), x.h()).flatten();
        BigFraction[] exact = flat(x.exact().gradient(ex(x.w()), ex(x.h())));
        double[] err = gradientError(x.v(), x.w(), x.h());
        for (int p = 0; p < g.length; p++) {
            assertWithin("gradient_" + p + " for " + x, g[p], exact[p], err[p]);
        }
    }

    // =====================================================================================================
    // 3. Hessian-vector product: finite differences of the gradient, and exact
    // =====================================================================================================

    /**
     * fd = (ĝ(x + h d) − ĝ(x − h d)) / 2h against hessianTimes(x, d), coordinate by coordinate.
     *
     * <p>Truncation, exactly: ∇F(x + t d) = (−2 R(t)(H + t dH)ᵀ, −2 (W + t dW)ᵀ R(t)) with
     * R(t) = R − tE − t²D is a cubic in t whose t³ coefficient is c₃ = (2 D dHᵀ, 2 dWᵀ D); the central
     * quotient of a cubic is c₁ + c₃h², c₁ = ∇²F·d. So truncation ≤ h²·2(|dW||dH||dH|ᵀ, |dW|ᵀ|dW||dH|).
     * Rounding: (errG(x+) + errG(x−))/2h + 2u|fd| (exact points, exact 2h) plus hessianTimesError.
     */
    @Property(tries = 50)
    void hessianTimesMatchesCentralDifferencesOfGradient(@ForAll("instances") Inst random) {
        Inst x = random.onGrid();
        NmfProblem prob = x.problem();
        DenseMatrix wp = step(x.w(), STEP, x.dw()), wm = step(x.w(), -STEP, x.dw());
        DenseMatrix hp = step(x.h(), STEP, x.dh()), hm = step(x.h(), -STEP, x.dh());
        double[] gp = prob.gradient(wp, hp).flatten();
        double[] gm = prob.gradient(wm, hm).flatten();
        double[] ep = gradientError(x.v(), wp, hp);
        double[] em = gradientError(x.v(), wm, hm);
        double[] hd = prob.hessianTimes(x.w(), x.h(), x.dw(), x.dh()).flatten();
        double[] eh = hessianTimesError(x);
        DenseMatrix adw = abs(x.dw()), adh = abs(x.dh());
        DenseMatrix dAbs = mul(adw, adh);
        double[] c3 = flat(times(2, mul(dAbs, t(adh))), times(2, mul(t(adw), dAbs)));
        for (int p = 0; p < hd.length; p++) {
            double fd = (gp[p] - gm[p]) / (2 * STEP);
            double tol = (ep[p] + em[p]) / (2 * STEP) + 2 * U * Math.abs(fd)
                    + STEP * STEP * up(c3[p], x.n() + x.m() + x.r()) + eh[p];
            assertWithin("(Hess d)_" + p + " for " + x, hd[p], fd, tol);
        }
    }

    /** |hessianTimes − ExactNmf.hessianTimes| ≤ hessianTimesError, entry by entry (see its derivation). */
    @Property(tries = 50)
    void hessianTimesMatchesExact(@ForAll("instances") Inst x) {
        double[] hd = x.problem().hessianTimes(x.w(), x.h(), x.dw(), x.dh()).flatten();
        BigFraction[] exact = flat(x.exact().hessianTimes(ex(x.w()), ex(x.h()), ex(x.dw()), ex(x.dh())));
        double[] err = hessianTimesError(x);
        for (int p = 0; p < hd.length; p++) {
            assertWithin("(Hess d)_" + p + " for " + x, hd[p], exact[p], err[p]);
        }
    }

    // =====================================================================================================
    // 4. Three double quadratic forms agree with each other and with the exact one
    // =====================================================================================================

    /**
     * qf = hessianQuadraticForm(d), hv = ⟨d, hessianTimes(d)⟩, dn = dᵀ·denseHessian·d (y = A d, then ⟨d, y⟩,
     * both sequential), each against the exact ExactNmf.hessianQuadraticForm, all relative to the one
     * abs scale Qs (see {@link #quadraticScale}):
     * <ul>
     * <li>qf: e = Σ_k(dW_ik H_kj + W_ik dH_kj) has ≤ r + 2 roundings per term, 2e² ≤ γ_{2r+5};
     *     res = V − WH ≤ γ_{r+1}, dd ≤ γ_r, 4·res·dd ≤ γ_{2r+2}; the difference 1 more; the sum of nm
     *     terms and ⌈n/32⌉ block sums: K = nm + 2r + 6 + ⌈n/32⌉;</li>
     * <li>hv: hessianTimes is ≤ γ_{max(n,m)+r+3}·(abs scale), and ⟨d, ·⟩ adds N: K = max(n,m) + r + 3 + N;</li>
     * <li>dn: an entry of denseHessian is ≤ γ_{max(n,m,r+2)}·|entry|_abs (Gram sums of n or m terms,
     *     or 2W H − 2R with R to γ_{r+1}), then two N-term sums: K = max(n,m,r+2) + 2N.</li>
     * </ul>
     * Pairwise comparisons use the sum of the two bounds.
     */
    @Property(tries = 50)
    void quadraticFormsAgree(@ForAll("instances") Inst x) {
        NmfProblem prob = x.problem();
        int n = x.n(), m = x.m(), r = x.r(), dim = x.dim();
        FactorPair d = new FactorPair(x.dw(), x.dh());
        double qf = prob.hessianQuadraticForm(x.w(), x.h(), x.dw(), x.dh());
        double hv = d.dot(prob.hessianTimes(x.w(), x.h(), x.dw(), x.dh()));
        DenseMatrix a = prob.denseHessian(x.w(), x.h());
        double[] df = d.flatten();
        double dn = 0;
        for (int p = 0; p < dim; p++) {
            double y = 0;
            for (int q = 0; q < dim; q++) {
                y += a.get(p, q) * df[q];
            }
            dn += df[p] * y;
        }
        double qs = quadraticScale(x);
        double tolQf = gamma(n * m + 2 * r + 6 + Parallel.blockCount(n, 32)) * qs;
        double tolHv = gamma(Math.max(n, m) + r + 3 + dim) * qs;
        double tolDn = gamma(Math.max(Math.max(n, m), r + 2) + 2 * dim) * qs;

        BigFraction exact = x.exact().hessianQuadraticForm(ex(x.w()), ex(x.h()), ex(x.dw()), ex(x.dh()));
        assertWithin("hessianQuadraticForm vs exact for " + x, qf, exact, tolQf);
        assertWithin("<d, hessianTimes d> vs exact for " + x, hv, exact, tolHv);
        assertWithin("d' denseHessian d vs exact for " + x, dn, exact, tolDn);
        assertWithin("hessianQuadraticForm vs <d, hessianTimes d> for " + x, qf, hv, tolQf + tolHv);
        assertWithin("hessianQuadraticForm vs d' denseHessian d for " + x, qf, dn, tolQf + tolDn);
    }

    // =====================================================================================================
    // 5. Exact identities (BigFraction, no tolerance)
    // =====================================================================================================

    /**
     * Exactly: qf(d) = ⟨d, ∇²F d⟩ = dᵀ(dense ∇²F)d, (dense ∇²F)·d = ∇²F d, and the quartic expansion
     *
     * <pre>
     * F(x + t d) = ‖V − (W + t dW)(H + t dH)‖² = ‖R − tE − t²D‖²
     *            = ‖R‖² − 2t⟨R, E⟩ + t²(‖E‖² − 2⟨R, D⟩) + 2t³⟨E, D⟩ + t⁴‖D‖²
     *            = F(x) + t⟨∇F, d⟩ + (t²/2) dᵀ∇²F d + t³·2⟨E, D⟩ + t⁴‖D‖²
     * </pre>
     * (⟨∇F, d⟩ = −2⟨R, E⟩ and ½dᵀ∇²F d = ‖E‖² − 2⟨R, D⟩ by the formulas under test), at rational t.
     */
    @Property(tries = 50)
    void exactIdentities(@ForAll("instances") Inst x) {
        ExactNmf exact = x.exact();
        FieldMatrix<BigFraction> w = ex(x.w()), h = ex(x.h()), dw = ex(x.dw()), dh = ex(x.dh());
        BigFraction qf = exact.hessianQuadraticForm(w, h, dw, dh);
        BigFraction[] d = flat(dw, dh);
        BigFraction[] hd = flat(exact.hessianTimes(w, h, dw, dh));
        assertThat(Fixtures.dot(d, hd)).as("<d, Hd> for %s", x).isEqualByComparingTo(qf);

        FieldMatrix<BigFraction> a = exact.denseHessian(w, h);
        BigFraction[] ad = a.operate(d);
        for (int p = 0; p < d.length; p++) {
            assertThat(ad[p]).as("(A d)_%d for %s", p, x).isEqualByComparingTo(hd[p]);
        }
        assertThat(Fixtures.dot(d, ad)).as("d' A d for %s", x).isEqualByComparingTo(qf);

        BigFraction f0 = exact.objective(w, h);
        BigFraction slope = Fixtures.dot(flat(exact.gradient(w, h)), d);
        FieldMatrix<BigFraction> e = dw.multiply(h).add(w.multiply(dh));
        FieldMatrix<BigFraction> dd = dw.multiply(dh);
        BigFraction c3 = ExactNmf.inner(e, dd).multiply(2);
        BigFraction c4 = ExactNmf.frobeniusSquared(dd);
        for (BigFraction tt : new BigFraction[] {BigFraction.ZERO, BigFraction.ONE, BigFraction.MINUS_ONE,
                new BigFraction(1, 3), new BigFraction(2), new BigFraction(5, 7), new BigFraction(-3, 2)}) {
            BigFraction lhs = exact.objective(w.add(dw.scalarMultiply(tt)), h.add(dh.scalarMultiply(tt)));
            BigFraction t2 = tt.multiply(tt);
            BigFraction rhs = f0.add(tt.multiply(slope)).add(t2.multiply(qf).divide(2))
                    .add(t2.multiply(tt).multiply(c3)).add(t2.multiply(t2).multiply(c4));
            assertThat(lhs).as("F(x + t d) at t = %s for %s", tt, x).isEqualByComparingTo(rhs);
        }
    }

    /**
     * The paper's Lemma 3, exactly, at an arbitrary (not stationary) point: for s_k = (dW = W^k in
     * column k, dH = −H_k in row k), E = W^k H_k − W^k H_k = 0, hence
     * ∇²F s_k = (2(E Hᵀ − R dHᵀ), 2(WᵀE − dWᵀR)) = (2 R H_kᵀ in column k, −2 (W^k)ᵀR in row k)
     * = (−∂F/∂W^k in column k, +∂F/∂H_k in row k), zeros elsewhere. Checked both with hessianTimes and
     * with the dense exact Hessian.
     */
    @Property(tries = 50)
    void lemmaThreeExactlyAtAnyPoint(@ForAll("instances") Inst x) {
        ExactNmf exact = x.exact();
        int n = x.n(), m = x.m(), r = x.r();
        FieldMatrix<BigFraction> w = ex(x.w()), h = ex(x.h());
        FieldMatrix<BigFraction>[] g = exact.gradient(w, h);
        FieldMatrix<BigFraction> a = exact.denseHessian(w, h);
        for (int k = 0; k < r; k++) {
            FieldMatrix<BigFraction> dw = w.createMatrix(n, r);
            FieldMatrix<BigFraction> dh = h.createMatrix(r, m);
            FieldMatrix<BigFraction> expW = w.createMatrix(n, r);
            FieldMatrix<BigFraction> expH = h.createMatrix(r, m);
            for (int i = 0; i < n; i++) {
                dw.setEntry(i, k, w.getEntry(i, k));
                expW.setEntry(i, k, g[0].getEntry(i, k).negate());
            }
            for (int j = 0; j < m; j++) {
                dh.setEntry(k, j, h.getEntry(k, j).negate());
                expH.setEntry(k, j, g[1].getEntry(k, j));
            }
            BigFraction[] expected = flat(expW, expH);
            BigFraction[] viaProduct = flat(exact.hessianTimes(w, h, dw, dh));
            BigFraction[] viaDense = a.operate(flat(dw, dh));
            for (int p = 0; p < expected.length; p++) {
                assertThat(viaProduct[p]).as("hessianTimes(s_%d)_%d for %s", k, p, x).isEqualByComparingTo(expected[p]);
                assertThat(viaDense[p]).as("denseHessian s_%d, entry %d for %s", k, p, x).isEqualByComparingTo(expected[p]);
            }
        }
    }

    // =====================================================================================================
    // 6. Dense Hessian: the entries of the paper's (7), exactly; symmetry; the double twin
    // =====================================================================================================

    /**
     * Every entry of ExactNmf.denseHessian against an independent transcription of (7), read with every
     * entry counted once:
     * ∂²F/∂W_ik∂H_kj = −2V_ij + 2(WH)_ij + 2W_ik H_kj; ∂²F/∂W_ik∂H_lj = 2W_il H_kj (l ≠ k);
     * ∂²F/∂W_ik∂W_il = 2(HHᵀ)_kl and 0 for different rows i ≠ i'; ∂²F/∂H_kj∂H_lj = 2(WᵀW)_kl and 0 for
     * different columns j ≠ j'. Exact (no tolerance); the matrix is exactly symmetric.
     * The double denseHessian is bit-for-bit symmetric and each entry is within γ_{max(n,m,r+2)} of its
     * abs value (Gram sums of n or m terms; 2W_il H_kj − 2R_ij with R to γ_{r+1}, two more roundings).
     */
    @Property(tries = 50)
    void denseHessianEntriesFollowFormulaSeven(@ForAll("instances") Inst x) {
        int n = x.n(), m = x.m(), r = x.r(), dim = x.dim();
        NmfProblem prob = x.problem();
        FieldMatrix<BigFraction> v = ex(x.v()), w = ex(x.w()), h = ex(x.h());
        FieldMatrix<BigFraction> wh = w.multiply(h);
        FieldMatrix<BigFraction> hht = h.multiply(h.transpose());
        FieldMatrix<BigFraction> wtw = w.transpose().multiply(w);
        BigFraction two = new BigFraction(2);
        BigFraction[][] expected = new BigFraction[dim][dim];
        for (BigFraction[] row : expected) {
            Arrays.fill(row, BigFraction.ZERO);
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                int p = prob.indexW(i, k);
                for (int i2 = 0; i2 < n; i2++) {
                    for (int l = 0; l < r; l++) {
                        expected[p][prob.indexW(i2, l)] = i2 == i ? hht.getEntry(k, l).multiply(two) : BigFraction.ZERO;
                    }
                }
                for (int l = 0; l < r; l++) {
                    for (int j = 0; j < m; j++) {
                        BigFraction val = l == k
                                ? v.getEntry(i, j).multiply(-2).add(wh.getEntry(i, j).multiply(two))
                                        .add(w.getEntry(i, k).multiply(h.getEntry(k, j)).multiply(two))
                                : w.getEntry(i, l).multiply(h.getEntry(k, j)).multiply(two);
                        expected[p][prob.indexH(l, j)] = val;
                        expected[prob.indexH(l, j)][p] = val;
                    }
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < r; k++) {
                int p = prob.indexH(k, j);
                for (int j2 = 0; j2 < m; j2++) {
                    for (int l = 0; l < r; l++) {
                        expected[p][prob.indexH(l, j2)] = j2 == j ? wtw.getEntry(k, l).multiply(two) : BigFraction.ZERO;
                    }
                }
            }
        }
        FieldMatrix<BigFraction> a = x.exact().denseHessian(w, h);
        assertThat(a.getRowDimension()).isEqualTo(dim);
        assertThat(a.getColumnDimension()).isEqualTo(dim);
        DenseMatrix ad = prob.denseHessian(x.w(), x.h());
        assertThat(ad.rows()).isEqualTo(dim);
        assertThat(ad.cols()).isEqualTo(dim);
        DenseMatrix aAbs = plus(abs(x.v()), mul(abs(x.w()), abs(x.h())));
        DenseMatrix hhtAbs = mul(abs(x.h()), t(abs(x.h())));
        DenseMatrix wtwAbs = mul(t(abs(x.w())), abs(x.w()));
        int kEntry = Math.max(Math.max(n, m), r + 2);
        for (int p = 0; p < dim; p++) {
            for (int q = 0; q < dim; q++) {
                assertThat(a.getEntry(p, q)).as("exact Hessian (%d, %d) for %s", p, q, x).isEqualByComparingTo(expected[p][q]);
                assertThat(a.getEntry(q, p)).as("exact symmetry (%d, %d)", p, q).isEqualByComparingTo(a.getEntry(p, q));
                assertThat(Double.doubleToRawLongBits(ad.get(p, q))).as("double symmetry (%d, %d)", p, q)
                        .isEqualTo(Double.doubleToRawLongBits(ad.get(q, p)));
            }
        }
        // double entries against the exact ones, with the abs value of each entry as scale
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                int p = prob.indexW(i, k);
                for (int l = 0; l < r; l++) {
                    int q = prob.indexW(i, l);
                    assertWithin("W-W entry", ad.get(p, q), a.getEntry(p, q), gamma(kEntry) * up(2 * hhtAbs.get(k, l), m));
                    for (int j = 0; j < m; j++) {
                        q = prob.indexH(l, j);
                        double s = 2 * Math.abs(x.w().get(i, l) * x.h().get(k, j)) + (k == l ? 2 * aAbs.get(i, j) : 0);
                        assertWithin("W-H entry", ad.get(p, q), a.getEntry(p, q), gamma(kEntry) * up(Math.abs(s), r + 2));
                    }
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < r; k++) {
                for (int l = 0; l < r; l++) {
                    int p = prob.indexH(k, j), q = prob.indexH(l, j);
                    assertWithin("H-H entry", ad.get(p, q), a.getEntry(p, q), gamma(kEntry) * up(2 * wtwAbs.get(k, l), n));
                }
            }
        }
    }

    // =====================================================================================================
    // 7. Product kernels against commons-math3, and determinism across thread counts
    // =====================================================================================================

    private static double[] signedRandom(int len, SplittableRandom rnd) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = rnd.nextDouble(-1.0, 1.0);
        }
        return a;
    }

    private static RealMatrix cm(double[] a, int rows, int cols) {
        return new Array2DRowRealMatrix(new DenseMatrix(rows, cols, a).toArray(), false);
    }

    /**
     * mulABt (A n×m · Bᵀ, B r×m) and mulAtB (Aᵀ·B, A n×r, B n×m) against commons-math3's multiply.
     * Both are inner products of length m (resp. n) in some order, so each is within γ_m·(|A||B|ᵀ)
     * of the exact value, and they differ by ≤ 2γ_m·(|A||B|ᵀ) (abs scale computed with m roundings).
     * Shapes include ones not divisible by the blocks (32 rows, 256 columns), the 2-row/4-column
     * unrolling of mulABt and the 4-row unrolling of mulAtB. Outputs are pre-filled with NaN, so an
     * entry that is never written fails. Then both kernels must give bit-identical results with 1, 2
     * and 3 threads.
     */
    @ParameterizedTest(name = "n={0}, m={1}, r={2}")
    @CsvSource({"1,1,1", "2,3,1", "3,1,2", "67,300,7", "64,256,4", "65,257,5", "31,255,3", "33,513,9",
            "130,600,6", "5,1000,2", "100,7,13"})
    void productKernelsMatchCommonsMathAndAreDeterministic(int n, int m, int r) {
        SplittableRandom rnd = new SplittableRandom(31L * n + 7L * m + r);
        double[] v = Instances.uniform(n, m, 1000L + n * m + r).data();
        double[] b = signedRandom(r * m, rnd);      // like H (r×m)
        double[] a = signedRandom(n * r, rnd);      // like W (n×r)

        double[] abt = new double[n * r];
        Arrays.fill(abt, Double.NaN);
        Kernels.mulABt(v, n, m, b, r, abt, Parallel.sequential());
        RealMatrix expAbt = cm(v, n, m).multiply(cm(b, r, m).transpose());
        DenseMatrix scaleAbt = mul(abs(new DenseMatrix(n, m, v)), t(abs(new DenseMatrix(r, m, b))));
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                assertWithin("mulABt (" + i + ", " + k + ")", abt[i * r + k], expAbt.getEntry(i, k),
                        2 * gamma(m) * up(scaleAbt.get(i, k), m));
            }
        }

        double[] atb = new double[r * m];
        Arrays.fill(atb, Double.NaN);
        Kernels.mulAtB(a, n, r, v, m, atb, Parallel.sequential());
        RealMatrix expAtb = cm(a, n, r).transpose().multiply(cm(v, n, m));
        DenseMatrix scaleAtb = mul(t(abs(new DenseMatrix(n, r, a))), abs(new DenseMatrix(n, m, v)));
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                assertWithin("mulAtB (" + k + ", " + j + ")", atb[k * m + j], expAtb.getEntry(k, j),
                        2 * gamma(n) * up(scaleAtb.get(k, j), n));
            }
        }

        for (int threads : new int[] {1, 2, 3}) {
            try (Parallel par = Parallel.withThreads(threads)) {
                double[] abt2 = new double[n * r];
                Arrays.fill(abt2, Double.NaN);
                Kernels.mulABt(v, n, m, b, r, abt2, par);
                double[] atb2 = new double[r * m];
                Arrays.fill(atb2, Double.NaN);
                Kernels.mulAtB(a, n, r, v, m, atb2, par);
                assertThat(bits(abt2)).as("mulABt with %d threads", threads).containsExactly(bits(abt));
                assertThat(bits(atb2)).as("mulAtB with %d threads", threads).containsExactly(bits(atb));
            }
        }
    }

    private static long[] bits(double[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Double.doubleToRawLongBits(a[i]);
        }
        return b;
    }

    /**
     * The O(nmr) methods of NmfProblem that run on a Parallel (objective, gradient, hessianTimes,
     * hessianQuadraticForm) are bit-for-bit independent of the thread count, on a shape with several
     * row blocks (n = 67) and column blocks (m = 300).
     */
    @Test
    void problemMethodsAreBitIdenticalForOneTwoThreeThreads() {
        int n = 67, m = 300, r = 7;
        DenseMatrix v = Instances.uniform(n, m, 11);
        DenseMatrix w = Instances.uniform(n, r, 12);
        DenseMatrix h = Instances.uniform(r, m, 13);
        SplittableRandom rnd = new SplittableRandom(14);
        DenseMatrix dw = new DenseMatrix(n, r, signedRandom(n * r, rnd));
        DenseMatrix dh = new DenseMatrix(r, m, signedRandom(r * m, rnd));
        List<long[]> reference = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (Parallel par = Parallel.withThreads(threads)) {
                NmfProblem prob = NmfProblem.of(v, r, par);
                List<long[]> got = new ArrayList<>();
                got.add(bits(new double[] {prob.objective(w, h), prob.hessianQuadraticForm(w, h, dw, dh)}));
                got.add(bits(prob.gradient(w, h).flatten()));
                got.add(bits(prob.hessianTimes(w, h, dw, dh).flatten()));
                if (reference == null) {
                    reference = got;
                } else {
                    for (int s = 0; s < got.size(); s++) {
                        assertThat(got.get(s)).as("result %d with %d threads", s, threads).containsExactly(reference.get(s));
                    }
                }
            }
        }
        assertThat(reference).hasSize(3);
    }

    // =====================================================================================================
    // 8. objectiveFromProducts and gradientFromProducts
    // =====================================================================================================

    /**
     * objectiveFromProducts = ‖V‖² − 2⟨W, VHᵀ⟩ + ⟨WᵀW, HHᵀ⟩ cancels: its three terms are bounded by
     * γ_{nm+1}‖V‖², 2γ_{m+nr}⟨|W|, |V||H|ᵀ⟩, γ_{n+m+r²}⟨|W|ᵀ|W|, |H||H|ᵀ⟩ and the two combining operations
     * add 2, so |error| ≤ γ_Kfp·S with K_fp = max(nm + 1, m + nr, n + m + r²) + 2 and
     * S = ‖V‖² + 2⟨|V|, |W||H|⟩ + ‖|W||H|‖² = ‖|V| + |W||H|‖² (the same S as the objective's).
     * Hence |objectiveFromProducts − objective| ≤ (γ_Kfp + γ_Kobj)·S. For the brief's "≈ 1e-13‖V‖²":
     * γ_K ≈ K·1.1e-16 and S ≈ (1–4)‖V‖² at points with WH ≈ V.
     * gradient must be exactly (bit for bit) gradientFromProducts on the products it documents.
     */
    @Property(tries = 50)
    void productsFormsAgreeWithDirectForms(@ForAll("instances") Inst x) {
        checkProductForms(x.v(), x.w(), x.h(), x.r(), Parallel.sequential());
    }

    /** Same on a planted exact factorization (F ≈ 0, maximal cancellation) and a shape with many blocks. */
    @ParameterizedTest(name = "n={0}, m={1}, r={2}")
    @CsvSource({"6,5,2", "67,300,7", "40,33,5"})
    void productsFormsAgreeOnPlantedInstances(int n, int m, int r) {
        Instances.Planted pl = Instances.planted(n, m, r, 100 + n + m + r);
        try (Parallel par = Parallel.withThreads(3)) {
            checkProductForms(pl.v(), pl.w0(), pl.h0(), r, par);
        }
        // objective does not cancel: at the planted point V = fl(W₀H₀), the exact residual is
        // |R_ij| ≤ γ_r (|W₀||H₀|)_ij and the computed one is ≤ γ_{r+1} A_ij more, so
        // objective ≤ (1 + γ_{nm+⌈n/32⌉})·(2γ_{r+1})²·S: about 1e-30·S instead of the 1e-16·S noise floor of
        // objectiveFromProducts.
        NmfProblem prob = NmfProblem.of(pl.v(), r);
        double f = prob.objective(pl.w0(), pl.h0());
        double g1 = gamma(r + 1);
        assertThat(f).isBetween(0.0, (1 + gamma(n * m + Parallel.blockCount(n, 32))) * 4 * g1 * g1
                * objectiveScale(pl.v(), pl.w0(), pl.h0()));
    }

    private static void checkProductForms(DenseMatrix v, DenseMatrix w, DenseMatrix h, int r, Parallel par) {
        NmfProblem prob = NmfProblem.of(v, r, par);
        int n = v.rows(), m = v.cols();
        double[] vht = new double[n * r];
        double[] wtv = new double[r * m];
        prob.productsWithData(w.data(), h.data(), vht, wtv);
        double[] wtw = Kernels.crossCols(w.data(), w.data(), n, r);
        double[] hht = Kernels.crossRows(h.data(), h.data(), r, m);

        double fromProducts = prob.objectiveFromProducts(w.data(), vht, wtw, hht);
        double direct = prob.objective(w, h);
        int kfp = Math.max(Math.max(n * m + 1, m + n * r), n + m + r * r) + 2;
        double s = objectiveScale(v, w, h);
        double tol = gamma(kfp) * s + objectiveError(v, w, h);
        assertWithin("objectiveFromProducts vs objective", fromProducts, direct, tol);
        assertThat(tol).as("tolerance relative to S").isLessThanOrEqualTo(1e-11 * s);

        FactorPair g = prob.gradient(w, h);
        FactorPair gp = prob.gradientFromProducts(w.data(), h.data(), vht, wtv, wtw, hht);
        assertThat(bits(g.w().data())).containsExactly(bits(gp.w().data()));
        assertThat(bits(g.h().data())).containsExactly(bits(gp.h().data()));
        // and dataTimesHt / wtTimesData are the same products
        double[] vht2 = new double[n * r];
        double[] wtv2 = new double[r * m];
        prob.dataTimesHt(h.data(), vht2);
        prob.wtTimesData(w.data(), wtv2);
        assertThat(bits(vht2)).containsExactly(bits(vht));
        assertThat(bits(wtv2)).containsExactly(bits(wtv));
    }

    // =====================================================================================================
    // 9. MultiplicativePath
    // =====================================================================================================

    /**
     * A point on the unit simplex (W, H > 0, ΣW + ΣH = 1 up to the rounding of the normalisation, which
     * the identity does not need), g = gradient, P = W∘g_W, Q = H∘g_H, ptv = Pᵀ·V. For ε in (0, 1/max g⁺)
     * (then W − εP = W∘(1 − εg) > 0 and Z > 0), path.objective(ε) must equal
     * F((W − εP)/Z, (H − εQ)/Z), Z = 1 − ε(ΣP + ΣQ), and path.change(ε) = F(x(ε)) − F(x).
     *
     * <p>Reference: the same quantity EXACTLY (BigFraction, for the given double W, H, P, Q, ε), and the
     * direct double objective of the double point x̂(ε). Tolerances, with Wa = |W| + ε|P|, Ha = |H| + ε|Q|,
     * X = Wa·Ha/Z² and Σ = ‖V‖² + 2⟨|V|, X⟩ + ‖X‖² (which bounds every term's abs value):
     * <ul>
     * <li>Ẑ: ΣP + ΣQ is an N-term sum, then ε· and 1 −: |Ẑ − Z| ≤ γ_{N+2}(1 + εΣ(|P|+|Q|)) =: δZ,
     *     relative ζ = δZ/(Ẑ − δZ); (1/Ẑ)⁴ is then within (1−ζ)⁻⁴ − 1 ≤ 5ζ of 1/Z⁴ (ζ ≤ 0.01).</li>
     * <li>path.objective: coefficients l₀..l₂ are products with V (γ_max(n,m)) then dots of nr or rm terms;
     *     k₀..k₄ are Gram matrices (γ_max(n,m)), symmetrised (1), dotted (r²) and summed (2); Horner and the
     *     final combination ≤ 16 more; ‖V‖² is an nm-term sum: K_p = max(nm, n + m + nr + rm + r²) + 20;
     *     tolPath = (γ_Kp + 5ζ)·Σ.</li>
     * <li>direct: each entry of x̂(ε) is within η = γ_4 + 2ζ (relative to Wa/Z, Ha/Z: εP, W − εP, 1/Z and the product) of x(ε), which moves
     *     F by ≤ 3η(2 + 3η)Σ ≤ 7ηΣ; evaluating F̂ adds γ_Kobj·(1+3η)²Σ.</li>
     * <li>change: the same terms as path.objective without ‖V‖², plus l₀ and k₀ (bounded by S(x), which Σ
     *     does not bound when Z > 1): (γ_Kp + 5ζ)·(Σ + S(x)).</li>
     * </ul>
     * For n, m, r ≤ 6 and moderate Z this is ≈ 1e-14·Σ ≈ 1e-14‖V‖² on the simplex (where WH is small).
     */
    @Property(tries = 50)
    void multiplicativePathMatchesDirectObjective(@ForAll("instances") Inst random) {
        int n = random.n(), m = random.m(), r = random.r(), dim = random.dim();
        // strictly positive point, normalised to the unit simplex
        DenseMatrix w0 = plus(random.w(), times(0x1p-10, onesLike(random.w())));
        DenseMatrix h0 = plus(random.h(), times(0x1p-10, onesLike(random.h())));
        double total = Fixtures.sum(w0) + Fixtures.sum(h0);
        DenseMatrix w = times(1 / total, w0), h = times(1 / total, h0);
        DenseMatrix v = random.v();
        NmfProblem prob = NmfProblem.of(v, r);
        ExactNmf exact = ExactNmf.of(v, r);

        FactorPair g = prob.gradient(w, h);
        DenseMatrix p = hadamard(w, g.w()), q = hadamard(h, g.h());
        double[] vht = new double[n * r], wtv = new double[r * m], ptv = new double[r * m];
        prob.productsWithData(w.data(), h.data(), vht, wtv);
        Kernels.mulAtB(p.data(), n, r, v.data(), m, ptv, Parallel.sequential());
        MultiplicativePath path = new MultiplicativePath(prob, w.data(), h.data(), p.data(), q.data(), vht, wtv, ptv);

        double gMaxPos = 0;
        for (double gi : g.flatten()) {
            gMaxPos = Math.max(gMaxPos, gi);
        }
        double[] fractions = {1e-3, 0.1, 0.5, 0.9, 0.999};
        double[] epsilons = new double[fractions.length];
        for (int s = 0; s < fractions.length; s++) {
            epsilons[s] = gMaxPos > 0 ? fractions[s] / gMaxPos : 10 * fractions[s];
        }

        FieldMatrix<BigFraction> we = ex(w), he = ex(h), pe = ex(p), qe = ex(q);
        BigFraction f0Exact = exact.objective(we, he);
        double f0Direct = prob.objective(w, h);
        double vv = prob.dataNormSquared();
        int kObj = n * m + 2 * r + 3 + Parallel.blockCount(n, 32);
        int kPath = Math.max(n * m, n + m + n * r + r * m + r * r) + 20;

        assertThat(path.change(0.0)).isEqualTo(0.0);
        assertThat(path.normaliser(0.0)).isEqualTo(1.0);
        BigFraction sumPQ = BigFraction.ZERO;
        for (double x : p.data()) {
            sumPQ = sumPQ.add(ex(x));
        }
        for (double x : q.data()) {
            sumPQ = sumPQ.add(ex(x));
        }
        double sumAbsPQ = Fixtures.sum(abs(p)) + Fixtures.sum(abs(q));
        double sigma0 = objectiveScale(v, w, h);
        assertWithin("path.objective(0)", path.objective(0.0), f0Exact, gamma(kPath) * sigma0);

        for (double eps : epsilons) {
            BigFraction epsE = ex(eps);
            BigFraction zE = BigFraction.ONE.subtract(epsE.multiply(sumPQ));
            assertThat(zE.signum()).as("Z > 0 for eps < 1/max g+").isPositive();
            double zHat = path.normaliser(eps);
            double dz = gamma(dim + 2) * up(1 + eps * sumAbsPQ, dim + 2);
            assertWithin("normaliser(" + eps + ")", zHat, zE, dz);
            double zeta = dz / (zHat - dz);
            assertThat(zeta).isLessThan(0.01);

            // exact reference F(x(eps))
            BigFraction zInv = BigFraction.ONE.divide(zE);
            FieldMatrix<BigFraction> wEps = we.subtract(pe.scalarMultiply(epsE)).scalarMultiply(zInv);
            FieldMatrix<BigFraction> hEps = he.subtract(qe.scalarMultiply(epsE)).scalarMultiply(zInv);
            BigFraction fExact = exact.objective(wEps, hEps);

            // direct double reference, Z computed independently of the path
            double zDirect = 1 - eps * (Fixtures.sum(p) + Fixtures.sum(q));
            DenseMatrix wd = times(1 / zDirect, plus(w, times(-eps, p)));
            DenseMatrix hd = times(1 / zDirect, plus(h, times(-eps, q)));
            // the naive division by multiplication with 1/Z adds one rounding: use γ_4 instead of γ_3
            double eta = gamma(4) + 2 * zeta;
            double fDirect = prob.objective(wd, hd);

            DenseMatrix wa = plus(abs(w), times(eps, abs(p)));
            DenseMatrix ha = plus(abs(h), times(eps, abs(q)));
            double zLow = zHat - dz;
            DenseMatrix xs = times(1 / (zLow * zLow), mul(wa, ha));
            double sigma = up(vv + 2 * inner(abs(v), xs) + inner(xs, xs), n * m + r + 12);

            double tolPath = (gamma(kPath) + 5 * zeta) * sigma;
            double tolDirect = (7 * eta + gamma(kObj) * (1 + 3 * eta) * (1 + 3 * eta)) * sigma;
            String at = " at eps = " + eps + " for " + random;
            assertWithin("path.objective vs exact" + at, path.objective(eps), fExact, tolPath);
            assertWithin("direct objective vs exact" + at, fDirect, fExact, tolDirect);
            assertWithin("path.objective vs direct objective" + at, path.objective(eps), fDirect, tolPath + tolDirect);

            BigFraction changeExact = fExact.subtract(f0Exact);
            // change also carries l₀, k₀ (|l₀| ≤ ⟨|V|, |W||H|⟩, |k₀| ≤ ‖|W||H|‖²), not bounded by Σ when Z > 1: add S(x)
            double tolChangePath = (gamma(kPath) + 5 * zeta) * (sigma + sigma0);
            assertWithin("path.change vs exact" + at, path.change(eps), changeExact, tolChangePath);
            double directChange = fDirect - f0Direct;
            double tolChange = tolChangePath + tolDirect + objectiveError(v, w, h) + 2 * U * Math.abs(directChange);
            assertWithin("path.change vs direct difference" + at, path.change(eps), directChange, tolChange);
            // brief: ≈ 1e-12·‖V‖² — the derived tolerance is well within it unless Z is tiny
            assertThat(tolPath).as("path tolerance vs Sigma").isLessThan(1e-9 * sigma);
        }
    }

    private static DenseMatrix onesLike(DenseMatrix a) {
        double[] d = new double[a.data().length];
        Arrays.fill(d, 1.0);
        return new DenseMatrix(a.rows(), a.cols(), d);
    }

    // =====================================================================================================
    // 10. Constants C* and C
    // =====================================================================================================

    /**
     * C* = 2r(nm)^{1/4}√‖V‖_F and C = 2C*, on hand-computed examples (tolerance: a few ulps for the two
     * pow/sqrt roundings). V = [1], r = 1: C* = 2·1·1·1 = 2 and C = 4 (the paper's Section 2.1 uses C = 4
     * for V = [1]).
     */
    @Test
    void simplexThresholdAndAlgorithmOneConstantOnHandComputedExamples() {
        NmfProblem one = NmfProblem.of(DenseMatrix.of(new double[][] {{1}}), 1);
        assertThat(one.simplexThreshold()).isCloseTo(2.0, within(4 * Math.ulp(2.0)));
        assertThat(one.algorithmOneConstant()).isCloseTo(4.0, within(4 * Math.ulp(4.0)));

        // 16×1 of ones, r = 1: ‖V‖_F = 4, √4 = 2, (16)^{1/4} = 2: C* = 2·1·2·2 = 8, C = 16.
        double[][] ones = new double[16][1];
        for (double[] row : ones) {
            row[0] = 1;
        }
        NmfProblem tall = NmfProblem.of(DenseMatrix.of(ones), 1);
        assertThat(tall.simplexThreshold()).isCloseTo(8.0, within(4 * Math.ulp(8.0)));
        assertThat(tall.algorithmOneConstant()).isCloseTo(16.0, within(4 * Math.ulp(16.0)));

        // [[3, 4], [0, 0]], r = 2: ‖V‖_F = 5, nm = 4, 4^{1/4} = √2: C* = 2·2·√2·√5 = 4√10, C = 8√10.
        NmfProblem p2 = NmfProblem.of(DenseMatrix.of(new double[][] {{3, 4}, {0, 0}}), 2);
        assertThat(p2.simplexThreshold()).isCloseTo(4 * Math.sqrt(10), within(8 * Math.ulp(12.6)));
        assertThat(p2.algorithmOneConstant()).isCloseTo(8 * Math.sqrt(10), within(16 * Math.ulp(12.6)));

        // 2×8 of twos, r = 2: ‖V‖_F = √(16·4) = 8, √8 = 2√2, (16)^{1/4} = 2: C* = 2·2·2·2√2 = 16√2.
        double[][] twos = new double[2][8];
        for (double[] row : twos) {
            Arrays.fill(row, 2.0);
        }
        NmfProblem wide = NmfProblem.of(DenseMatrix.of(twos), 2);
        assertThat(wide.simplexThreshold()).isCloseTo(16 * Math.sqrt(2), within(8 * Math.ulp(22.6)));
        assertThat(wide.algorithmOneConstant()).isEqualTo(2 * wide.simplexThreshold());

        // scaling: C*(4V) = 2 C*(V) (√‖V‖ is homogeneous of degree ½; exact for a power-of-two factor)
        NmfProblem four = NmfProblem.of(DenseMatrix.of(new double[][] {{3 * 4, 4 * 4}, {0, 0}}), 2);
        assertThat(four.simplexThreshold()).isCloseTo(2 * p2.simplexThreshold(), within(8 * Math.ulp(25.3)));
    }
}
