package io.github.nmforacle.problem;

import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;

/**
 * F along the straight step (W − ηA, H − ηB) from products with V, as the quartic
 * F(W − ηA, H − ηB) − F(W, H) = c₁η + c₂η² + c₃η³ + c₄η⁴ (c₀ = 0 is dropped, so nothing cancels against ‖V‖²).
 *
 * <p>With WH(η) = WH − η(AH + WB) + η²AB and F = ‖V‖² − 2⟨V, WH(η)⟩ + ‖WH(η)‖²:
 * ⟨V, WH(η)⟩ = ⟨VHᵀ, W⟩ − η(⟨VHᵀ, A⟩ + ⟨WᵀV, B⟩) + η²⟨AᵀV, B⟩, and ‖WH(η)‖² = ⟨(W−ηA)ᵀ(W−ηA), (H−ηB)(H−ηB)ᵀ⟩,
 * a quartic whose coefficients are inner products of the r×r Grams WᵀW, WᵀA, AᵀA, HHᵀ, HBᵀ, BBᵀ: the expansion of
 * {@link MultiplicativePath} (one implementation, {@code MultiplicativePath.expand}), without its normaliser Z. So given V·Hᵀ, Wᵀ·V and one product Aᵀ·V (or V·Bᵀ), every
 * evaluation is O(1). Used by {@code mwu-orbit} (proofs-notes/mwu-orbit.md), where A = W∘∂F/∂W / D_W,
 * B = H∘∂F/∂H / D_H with the Lee–Seung denominators D.
 */
public final class ScaledStepPath {
    private final double c1;
    private final double c2;
    private final double c3;
    private final double c4;

    /** The quartic from its coefficients c₁…c₄ (c₀ = 0). */
    public ScaledStepPath(double c1, double c2, double c3, double c4) {
        this.c1 = c1;
        this.c2 = c2;
        this.c3 = c3;
        this.c4 = c4;
    }

    /**
     * The quartic for the step (A, B) from (W, H).
     *
     * @param vht V·Hᵀ (n×r); wtv: Wᵀ·V (r×m); atv: Aᵀ·V (r×m)
     * @param wtw WᵀW; wta: WᵀA; ata: AᵀA; hht: HHᵀ; hbt: HBᵀ; bbt: BBᵀ (all r×r, row-major)
     */
    public static ScaledStepPath of(int n, int m, int r, double[] w, double[] a, double[] b, double[] vht,
                                    double[] wtv, double[] atv, double[] wtw, double[] wta, double[] ata,
                                    double[] hht, double[] hbt, double[] bbt) {
        double[] l = new double[3];
        double[] k = new double[5];
        MultiplicativePath.expand(n, m, r, w, a, b, vht, wtv, atv, wtw, wta, ata, hht, hbt, bbt, l, k);
        // F(η) − F(0) = −2(L(η) − l₀) + (K(η) − k₀): the constant terms are dropped, not subtracted
        return new ScaledStepPath(-2.0 * l[1] + k[1], -2.0 * l[2] + k[2], k[3], k[4]);
    }

    /** As {@link #of}, computing the four direction Grams (O((n+m)r²)). */
    public static ScaledStepPath of(NmfProblem p, double[] w, double[] h, double[] a, double[] b, double[] vht,
                                    double[] wtv, double[] atv, double[] wtw, double[] hht) {
        int n = p.n(), m = p.m(), r = p.rank();
        Parallel par = p.parallel();
        return of(n, m, r, w, a, b, vht, wtv, atv, wtw, Kernels.crossCols(w, a, n, r, par),
                Kernels.crossCols(a, a, n, r, par), hht, Kernels.crossRows(h, b, r, m, par),
                Kernels.crossRows(b, b, r, m, par));
    }

    /** F(W − ηA, H − ηB) − F(W, H). */
    public double change(double eta) {
        return eta * (c1 + eta * (c2 + eta * (c3 + eta * c4)));
    }

    /** The coefficients {0, c₁, c₂, c₃, c₄} (c₁ = −⟨∇F, (A, B)⟩, the slope at η = 0). */
    public double[] coefficients() {
        return new double[]{0.0, c1, c2, c3, c4};
    }
}
