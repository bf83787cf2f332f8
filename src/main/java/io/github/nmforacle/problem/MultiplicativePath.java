package io.github.nmforacle.problem;

import io.github.nmforacle.linalg.Parallel;

import io.github.nmforacle.linalg.Kernels;

/**
 * F along the path of one concurrent multiplicative step, as an exact function of the step size ε:
 * x(ε) = (W − εP, H − εQ) / Z(ε) with P = W∘∂F/∂W, Q = H∘∂F/∂H and Z(ε) = 1 − ε(ΣP + ΣQ) — the MWU
 * update of Algorithm 1 (and of Theorem 1, equation (5), with Q := −F).
 *
 * <p>Expanding, F(x(ε)) = ‖V‖² − 2 L(ε)/Z² + K(ε)/Z⁴ with L(ε) = ⟨V, (W−εP)(H−εQ)⟩ a quadratic and
 * K(ε) = ⟨(W−εP)ᵀ(W−εP), (H−εQ)(H−εQ)ᵀ⟩ a quartic in ε, whose coefficients need one extra product
 * with V (Pᵀ·V) and r×r Gram matrices. After that, each evaluation costs O(1), which makes an exact
 * backtracking line search nearly free. The value cancels like {@link NmfProblem#objectiveFromProducts}.
 */
public final class MultiplicativePath {
    private final double vNormSquared;
    private final double sum;          // ΣP + ΣQ = ⟨x, ∇F⟩
    private final double[] l = new double[3];
    private final double[] k = new double[5];

    /**
     * @param problem the objective (only ‖V‖² and the shapes are read)
     * @param w, h    the current point
     * @param p, q    P = W∘∂F/∂W (n×r) and Q = H∘∂F/∂H (r×m)
     * @param vht     V·Hᵀ (n×r);  wtv: Wᵀ·V (r×m);  ptv: Pᵀ·V (r×m)
     */
    public MultiplicativePath(NmfProblem problem, double[] w, double[] h, double[] p, double[] q,
                              double[] vht, double[] wtv, double[] ptv) {
        this(problem, w, h, p, q, vht, wtv, ptv,
                Kernels.crossCols(w, w, problem.n(), problem.rank(), problem.parallel()),
                Kernels.crossRows(h, h, problem.rank(), problem.m(), problem.parallel()));
    }

    /** As above, reusing the Gram matrices Wᵀ·W and H·Hᵀ the caller already has. */
    public MultiplicativePath(NmfProblem problem, double[] w, double[] h, double[] p, double[] q,
                              double[] vht, double[] wtv, double[] ptv, double[] wtw, double[] hht) {
        this(problem, w, h, p, q, vht, wtv, ptv, wtw, hht, Kernels.sum(p) + Kernels.sum(q),
                Kernels.dot(vht, w, problem.n() * problem.rank()));
    }

    /**
     * As above, with ΣP + ΣQ (as {@code ConcurrentMwu.weightedParts} sums them) and
     * ⟨V·Hᵀ, W⟩ (as {@link NmfProblem.Measured#wDotVht}) given: the same path, two fewer passes over n×r arrays.
     */
    public MultiplicativePath(NmfProblem problem, double[] w, double[] h, double[] p, double[] q,
                              double[] vht, double[] wtv, double[] ptv, double[] wtw, double[] hht, double sumPq,
                              double vhtDotW) {
        this(problem, w, h, p, q, vht, wtv, ptv, wtw, hht, sumPq, vhtDotW,
                Kernels.dot(vht, p, problem.n() * problem.rank()));
    }

    /** As above, with ⟨V·Hᵀ, P⟩ (as {@link Kernels#dot} sums it) given too. */
    public MultiplicativePath(NmfProblem problem, double[] w, double[] h, double[] p, double[] q,
                              double[] vht, double[] wtv, double[] ptv, double[] wtw, double[] hht, double sumPq,
                              double vhtDotW, double vhtDotP) {
        int n = problem.n(), m = problem.m(), r = problem.rank();
        Parallel par = problem.parallel();
        this.vNormSquared = problem.dataNormSquared();
        this.sum = sumPq;
        expandFromParts(r, m, q, vhtDotW, vhtDotP, wtv, ptv, wtw, Kernels.crossCols(w, p, n, r, par),
                Kernels.crossCols(p, p, n, r, par), hht, Kernels.crossRows(h, q, r, m, par),
                Kernels.crossRows(q, q, r, m, par), l, k);
    }

    private MultiplicativePath(double vNormSquared, double sum) {
        this.vNormSquared = vNormSquared;
        this.sum = sum;
    }

    /**
     * The same path from the parts an engine holding V and W in row blocks sums over its blocks
     * (io.github.nmforacle.spark): ⟨V·Hᵀ, W⟩, ⟨V·Hᵀ, P⟩ and ΣP, the Grams WᵀW, WᵀP, PᵀP, and the r×m products
     * Wᵀ·V, Pᵀ·V; Q = H∘∂F/∂H and H·Hᵀ, H·Qᵀ, Q·Qᵀ are computed here from H on the driver.
     */
    public static MultiplicativePath fromParts(double vNormSquared, int r, int m, double[] h, double[] q,
                                               double vhtDotW, double vhtDotP, double sumP,
                                               double[] wtv, double[] ptv, double[] wtw, double[] wtp, double[] ptp,
                                               double[] hht) {
        MultiplicativePath path = new MultiplicativePath(vNormSquared, sumP + Kernels.sum(q));
        expandFromParts(r, m, q, vhtDotW, vhtDotP, wtv, ptv, wtw, wtp, ptp, hht, Kernels.crossRows(h, q, r, m),
                Kernels.crossRows(q, q, r, m), path.l, path.k);
        return path;
    }

    /**
     * The straight step (W − εA, H − εB): L(ε) = ⟨V, (W−εA)(H−εB)⟩ = l₀ + l₁ε + l₂ε² into {@code l} and
     * K(ε) = ‖(W−εA)(H−εB)‖²_F = Σ k_s ε^s into {@code k} (added to), from V·Hᵀ, Wᵀ·V, Aᵀ·V and the r×r Grams
     * WᵀW, WᵀA, AᵀA, HHᵀ, HBᵀ, BBᵀ: F(ε) = ‖V‖² − 2L(ε) + K(ε). The one expansion of F along a step
     * ({@link ScaledStepPath} is it without a normaliser).
     */
    static void expand(int n, int m, int r, double[] w, double[] a, double[] b, double[] vht, double[] wtv, double[] atv,
                       double[] wtw, double[] wta, double[] ata, double[] hht, double[] hbt, double[] bbt,
                       double[] l, double[] k) {
        expandFromParts(r, m, b, Kernels.dot(vht, w, n * r), Kernels.dot(vht, a, n * r), wtv, atv, wtw,
                wta, ata, hht, hbt, bbt, l, k);
    }

    /** {@link #expand} with the two n×r dot products ⟨V·Hᵀ, W⟩ and ⟨V·Hᵀ, A⟩ given. */
    private static void expandFromParts(int r, int m, double[] b, double vhtDotW, double vhtDotA, double[] wtv,
                                        double[] atv, double[] wtw, double[] wta, double[] ata, double[] hht,
                                        double[] hbt, double[] bbt, double[] l, double[] k) {
        l[0] = vhtDotW;
        l[1] = -(vhtDotA + Kernels.dot(wtv, b, r * m));
        l[2] = Kernels.dot(atv, b, r * m);
        double[][] g = {wtw, symmetricSum(wta, r, -1), ata};
        double[][] c = {hht, symmetricSum(hbt, r, -1), bbt};
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < 3; t++) {
                k[s + t] += Kernels.dot(g[s], c[t], r * r);
            }
        }
    }

    private static double[] symmetricSum(double[] x, int r, double sign) {
        double[] y = new double[r * r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                y[i * r + j] = sign * (x[i * r + j] + x[j * r + i]);
            }
        }
        return y;
    }

    /** Z(ε) = 1 − ε⟨x, ∇F⟩, the normaliser of Algorithm 1 (for a point on the unit simplex). */
    public double normaliser(double eps) {
        return 1.0 - eps * sum;
    }

    /** F(x(ε)). */
    public double objective(double eps) {
        double z = normaliser(eps);
        double z2 = z * z;
        double lv = l[0] + eps * (l[1] + eps * l[2]);
        double kv = k[0] + eps * (k[1] + eps * (k[2] + eps * (k[3] + eps * k[4])));
        return vNormSquared - 2.0 * lv / z2 + kv / (z2 * z2);
    }

    /** F(x(ε)) − F(x(0)), grouped so that the ‖V‖² term cancels exactly. */
    public double change(double eps) {
        double z = normaliser(eps);
        double z2 = z * z;
        double lv = l[0] + eps * (l[1] + eps * l[2]);
        double kv = k[0] + eps * (k[1] + eps * (k[2] + eps * (k[3] + eps * k[4])));
        return -2.0 * (lv / z2 - l[0]) + (kv / (z2 * z2) - k[0]);
    }
}
