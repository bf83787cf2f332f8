package io.github.nmforacle.certify;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.NmfProblem;

/**
 * A verified lower bound on λ_min(∇²F on L) for NMF above the dense limit (issue 13), by a floating-point Cholesky
 * factorisation of ∇²F_L − cI in the order "larger factor first" (Rump, "Verification of positive definiteness", BIT 46
 * (2006); proofs-notes/curvature-bounds.md §4). On L, the W-block of ∇²F is block-diagonal (row i: 2HHᵀ on the free
 * k of that row) and so is the H-block (column j: 2WᵀW): eliminating the larger side block by block is the standard
 * Cholesky recurrence with its exact zeros skipped, so Higham's backward error bound (Thm 10.3) holds with d = dim L,
 * and what remains is the dense Schur complement of order (smaller side)·r.
 *
 * <p>Memory: 8·(s₂·s₁ + 2s₂²) bytes (and as much native memory for the product where OpenBLAS is used), s₁, s₂ the free coordinates of the eliminated and the kept side (300×200, r = 10:
 * 80 MB; 1000×500, r = 10: 600 MB); time ≈ s₂²·s₁ multiply-adds.
 */
final class StructuredCholesky {
    private static final double U = 0x1p-53;

    private StructuredCholesky() {
    }

    /** Bytes the factorisation needs for these free coordinates (the larger side eliminated). */
    static long bytes(int n, int m, int r, boolean[] free) {
        long fw = 0, fh = 0;
        for (int p = 0; p < free.length; p++) {
            if (free[p]) {
                if (p < n * r) {
                    fw++;
                } else {
                    fh++;
                }
            }
        }
        long s1 = Math.max(fw, fh), s2 = Math.min(fw, fh);
        if (s2 * s1 > Integer.MAX_VALUE - 16 || s2 * s2 > Integer.MAX_VALUE - 16) {
            return Long.MAX_VALUE; // beyond one Java array: not attempted
        }
        return 8 * (s2 * s1 + 2 * s2 * s2);
    }

    /**
     * Whether λ_min(∇²F on L) ≥ {@code target} is proven, L = {d : d_p = 0 unless free[p]}, at (v, w, h) (the normalised
     * point). False when the factorisation does not complete (nothing is proven then).
     */
    static boolean proves(NmfProblem ps, DenseMatrix w, DenseMatrix h, boolean[] free, double target) {
        int n = ps.n(), m = ps.m(), r = ps.rank(), nr = n * r;
        NmfProblem.HessianEntries he = ps.hessianEntries(w, h);
        double nu = entryNoise(ps, w, h);
        int fw = 0, fh = 0;
        double trace = 0, maxDiag = 0;
        for (int p = 0; p < free.length; p++) {
            if (free[p]) {
                if (p < nr) {
                    fw++;
                } else {
                    fh++;
                }
                double dia = he.entry(p, p);
                trace += Math.max(dia - target, 0);
                maxDiag = Math.max(maxDiag, Math.abs(dia - target));
            }
        }
        int d = fw + fh;
        if (d == 0) {
            return true;
        }
        boolean eliminateW = fw >= fh;
        double c = FloatForms.choleskyShift(d, trace, maxDiag, target, nu);
        if (!Double.isFinite(c) || !Double.isFinite(nu)) {
            return false;
        }
        // side 1 (eliminated): blocks b = 0..nb−1 (rows i of W, or columns j of H), each with its free k's; side 2 kept
        int nb = eliminateW ? n : m;
        int[][] blockK = new int[nb][];
        int[] blockStart = new int[nb + 1];
        for (int b = 0; b < nb; b++) {
            int cnt = 0;
            for (int k = 0; k < r; k++) {
                cnt += free[coord(eliminateW, b, k, n, m, r)] ? 1 : 0;
            }
            blockK[b] = new int[cnt];
            for (int k = 0, t = 0; k < r; k++) {
                if (free[coord(eliminateW, b, k, n, m, r)]) {
                    blockK[b][t++] = k;
                }
            }
            blockStart[b + 1] = blockStart[b] + cnt;
        }
        int s1 = blockStart[nb];
        double[][] lb = new double[nb][];
        for (int b = 0; b < nb; b++) {
            int q = blockK[b].length;
            double[] a = new double[q * q];
            for (int x = 0; x < q; x++) {
                for (int y = 0; y <= x; y++) {
                    a[x * q + y] = he.entry(coord(eliminateW, b, blockK[b][x], n, m, r), coord(eliminateW, b, blockK[b][y], n, m, r))
                            - (x == y ? c : 0);
                }
            }
            if (!cholesky(a, q)) {
                return false;
            }
            lb[b] = a;
        }
        // side 2: the free coordinates of the other factor, grouped by their own blocks (columns j of H, or rows i of W)
        int nb2 = eliminateW ? m : n;
        int s2 = d - s1;
        int[] k2 = new int[s2], b2 = new int[s2];
        for (int b = 0, t = 0; b < nb2; b++) {
            for (int k = 0; k < r; k++) {
                if (free[coord(!eliminateW, b, k, n, m, r)]) {
                    k2[t] = k;
                    b2[t] = b;
                    t++;
                }
            }
        }
        // L21 rows (flat, s2 × s1): for each side-2 coordinate, the forward substitution through every side-1 block
        double[] l21 = new double[Math.multiplyExact(s2, s1)];
        double[] row = new double[s1];
        for (int q = 0; q < s2; q++) {
            for (int b = 0; b < nb; b++) {
                int[] ks = blockK[b];
                int off = blockStart[b];
                double[] a = lb[b];
                int qn = ks.length;
                int kept = coord(!eliminateW, b2[q], k2[q], n, m, r);
                for (int x = 0; x < qn; x++) {
                    double s = he.entry(coord(eliminateW, b, ks[x], n, m, r), kept);
                    for (int y = 0; y < x; y++) {
                        s -= a[x * qn + y] * row[off + y];
                    }
                    row[off + x] = s / a[x * qn + x];
                }
            }
            System.arraycopy(row, 0, l21, q * s1, s1);
        }
        // L21·L21ᵀ by the project's product kernel (native dgemm where it loads): each entry is a sum of s1 products in
        // some order, which is all Higham's bound needs
        double[] prod = new double[Math.multiplyExact(s2, s2)];
        try (Parallel par = Parallel.withThreads(0, Blas.AUTO)) {
            Kernels.mulABt(l21, s2, s1, l21, s2, prod, par);
        }
        double[][] sc = new double[s2][];
        for (int q = 0; q < s2; q++) {
            double[] out = new double[q + 1];
            for (int p = 0; p <= q; p++) {
                double a = b2[p] == b2[q] ? he.entry(coord(!eliminateW, b2[q], k2[q], n, m, r),
                        coord(!eliminateW, b2[p], k2[p], n, m, r)) : 0;
                if (p == q) {
                    a -= c;
                }
                out[p] = a - prod[q * s2 + p];
            }
            sc[q] = out;
        }
        prod = null;
        // the Cholesky of the Schur complement, column by column; the rows below a pivot are independent: in parallel
        for (int col = 0; col < s2; col++) {
            double[] rc = sc[col];
            double piv = rc[col] - Kernels.dot(rc, rc, col);
            if (!(piv > 0)) {
                return false;
            }
            double lcc = Math.sqrt(piv);
            rc[col] = lcc;
            final int jc = col;
            java.util.stream.IntStream.range(col + 1, s2).parallel().forEach(q -> {
                double[] rq = sc[q];
                rq[jc] = (rq[jc] - Kernels.dot(rq, rc, jc)) / lcc;
            });
        }
        return true;
    }

    /**
     * ‖∇²F − Ĥ‖_F for the double entries Ĥ of {@link NmfProblem.HessianEntries}: W–W entries err by 2γ_{m+1}(|H||H|ᵀ)_kl,
     * H–H by 2γ_{n+1}(|W|ᵀ|W|)_kl, the cross entries 2W_il H_kj − 2δ_kl R_ij by 2u|W_il H_kj| + 2δ_kl(γ_{r+2} a_ij +
     * u|R_ij|), a = |V| + |W||H| with ‖a‖_F ≤ ‖V‖_F + ‖W‖_F‖H‖_F; summed in squares with (x + y)² ≤ 2x² + 2y², both
     * off-diagonal blocks, plus underflow.
     */
    static double entryNoise(NmfProblem ps, DenseMatrix w, DenseMatrix h) {
        int n = ps.n(), m = ps.m(), r = ps.rank();
        double w2 = w.frobeniusNorm(), h2 = h.frobeniusNorm();
        w2 = w2 * w2 * (1 + 4 * U);
        h2 = h2 * h2 * (1 + 4 * U);
        double a = (Math.sqrt(ps.dataNormSquared()) + Math.sqrt(w2 * h2)) * (1 + 8 * U);
        double gm = gamma(m + 1), gn = gamma(n + 1), gr = gamma(r + 2);
        double e2 = n * 4 * gm * gm * h2 * h2 + m * 4 * gn * gn * w2 * w2
                + 2 * (8 * U * U * w2 * h2 + 8 * r * (gr + U) * (gr + U) * a * a);
        return Math.sqrt(e2 * 1.02) * (1 + 8 * U) + 64.0 * (n + m) * r * (n + m + r) * Double.MIN_NORMAL;
    }

    /** In-place lower Cholesky of a packed-square q×q matrix (lower triangle used); false if a pivot is not positive. */
    private static boolean cholesky(double[] a, int q) {
        for (int x = 0; x < q; x++) {
            for (int y = 0; y <= x; y++) {
                double s = a[x * q + y];
                for (int t = 0; t < y; t++) {
                    s -= a[x * q + t] * a[y * q + t];
                }
                if (x == y) {
                    if (!(s > 0)) {
                        return false;
                    }
                    a[x * q + x] = Math.sqrt(s);
                } else {
                    a[x * q + y] = s / a[y * q + y];
                }
            }
        }
        return true;
    }

    /** The coordinate index of factor W (row b, column k) or H (row k, column b). */
    private static int coord(boolean w, int b, int k, int n, int m, int r) {
        return w ? b * r + k : n * r + k * m + b;
    }

    private static double gamma(long k) {
        double ku = k * U;
        return ku / (1 - ku);
    }
}
