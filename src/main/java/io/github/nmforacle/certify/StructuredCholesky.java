package io.github.nmforacle.certify;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.linalg.Parallel;

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
    static boolean proves(DenseMatrix v, DenseMatrix w, DenseMatrix h, boolean[] free, double target) {
        int n = v.rows(), m = v.cols(), r = w.cols(), nr = n * r;
        double[] wd = w.data(), hd = h.data(), vd = v.data();
        double[] hht = new double[r * r], wtw = new double[r * r];
        double normH2 = 0, normW2 = 0;
        for (double x : hd) {
            normH2 += x * x;
        }
        for (double x : wd) {
            normW2 += x * x;
        }
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += hd[k * m + j] * hd[l * m + j];
                }
                hht[k * r + l] = s;
                s = 0;
                for (int i = 0; i < n; i++) {
                    s += wd[i * r + k] * wd[i * r + l];
                }
                wtw[k * r + l] = s;
            }
        }
        double[] res = new double[n * m];
        double a2 = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = vd[i * m + j], abs = Math.abs(vd[i * m + j]);
                for (int k = 0; k < r; k++) {
                    double x = wd[i * r + k] * hd[k * m + j];
                    s -= x;
                    abs += Math.abs(x);
                }
                res[i * m + j] = s;
                a2 += abs * abs;
            }
        }
        // ‖∇²F_L − Â‖_F: W–W entries err by 2γ_{m+1}(|H||H|ᵀ)_kl, H–H by 2γ_{n+1}(|W|ᵀ|W|)_kl, the cross entries
        // 2W_il H_kj − 2δ_kl R_ij by 2u|W_il H_kj| + 2δ_kl(γ_{r+2} a_ij + u|R_ij|) (a = |V| + |W||H|); summed in squares
        // with (x + y)² ≤ 2x² + 2y², both off-diagonal blocks, plus underflow
        double gm = gamma(m + 1), gn = gamma(n + 1), gr = gamma(r + 2);
        double e2 = n * 4 * gm * gm * normH2 * normH2 + m * 4 * gn * gn * normW2 * normW2
                + 2 * (8 * U * U * normW2 * normH2 * 1.01 + 8 * r * (gr + U) * (gr + U) * a2 * 1.01);
        double nu = Math.sqrt(e2) * (1 + 8 * U) + 64.0 * (n + m) * r * (n + m + r) * Double.MIN_NORMAL;
        int fw = 0, fh = 0;
        for (int p = 0; p < free.length; p++) {
            if (free[p]) {
                if (p < nr) {
                    fw++;
                } else {
                    fh++;
                }
            }
        }
        int d = fw + fh;
        if (d == 0) {
            return true;
        }
        boolean eliminateW = fw >= fh;
        // the diagonal of Â and the shift (as in FloatForms.verifiedLower)
        double trace = 0, maxDiag = 0;
        for (int p = 0; p < free.length; p++) {
            if (free[p]) {
                double dia = p < nr ? 2 * hht[(p % r) * r + p % r] : 2 * wtw[((p - nr) / m) * r + (p - nr) / m];
                trace += Math.max(dia - target, 0);
                maxDiag = Math.max(maxDiag, Math.abs(dia - target));
            }
        }
        double gam = gamma(d + 1), g = gam / (1 - gam);
        double c0 = (g * trace * (1 + 2 * U) + 16.0 * (d + 1) * (2.0 * (d + 1) + maxDiag + 1) * Double.MIN_VALUE) * (1 + 8 * U);
        double diag = 2 * U * (maxDiag + c0 + nu) + Double.MIN_VALUE;
        double c = target + nu + c0 + diag + 8 * U * (Math.abs(target) + nu + c0 + diag);
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
        double[] gram1 = eliminateW ? hht : wtw;
        double[][] lb = new double[nb][];
        for (int b = 0; b < nb; b++) {
            int q = blockK[b].length;
            double[] a = new double[q * q];
            for (int x = 0; x < q; x++) {
                for (int y = 0; y <= x; y++) {
                    a[x * q + y] = 2 * gram1[blockK[b][x] * r + blockK[b][y]] - (x == y ? c : 0);
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
                for (int x = 0; x < qn; x++) {
                    // entry of ∇²F between side-1 (block b, k = ks[x]) and side-2 (block b2[q], k = k2[q])
                    int i = eliminateW ? b : b2[q], j = eliminateW ? b2[q] : b;
                    int kW = eliminateW ? ks[x] : k2[q], kH = eliminateW ? k2[q] : ks[x];
                    // ∂²F/∂W_{i,kW}∂H_{kH,j} = 2 W_{i,kH} H_{kW,j} − 2 δ R_ij
                    double s = 2 * wd[i * r + kH] * hd[kW * m + j] - (kW == kH ? 2 * res[i * m + j] : 0);
                    for (int y = 0; y < x; y++) {
                        s -= a[x * qn + y] * row[off + y];
                    }
                    row[off + x] = s / a[x * qn + x];
                }
            }
            System.arraycopy(row, 0, l21, q * s1, s1);
        }
        double[] gram2 = eliminateW ? wtw : hht;
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
                double a = b2[p] == b2[q] ? 2 * gram2[k2[q] * r + k2[p]] : 0;
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
            double piv = rc[col] - dot(rc, rc, col);
            if (!(piv > 0)) {
                return false;
            }
            double lcc = Math.sqrt(piv);
            rc[col] = lcc;
            final int jc = col;
            java.util.stream.IntStream.range(col + 1, s2).parallel().forEach(q -> {
                double[] rq = sc[q];
                rq[jc] = (rq[jc] - dot(rq, rc, jc)) / lcc;
            });
        }
        return true;
    }

    /** Σ_{t<len} a_t b_t with four partial sums (any summation order keeps Higham's bound). */
    private static double dot(double[] a, double[] b, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int t = 0;
        for (; t + 3 < len; t += 4) {
            s0 += a[t] * b[t];
            s1 += a[t + 1] * b[t + 1];
            s2 += a[t + 2] * b[t + 2];
            s3 += a[t + 3] * b[t + 3];
        }
        for (; t < len; t++) {
            s0 += a[t] * b[t];
        }
        return (s0 + s1) + (s2 + s3);
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
