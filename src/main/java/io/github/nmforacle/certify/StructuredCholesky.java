package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.gamma;

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
        return bytes(n, m, r, free, 0);
    }

    /** As above, with q border rows (Finsler, {@link #bordered}): 8·((s₂+q)·s₁ + 2(s₂+q)²) + the border vectors. */
    static long bytes(int n, int m, int r, boolean[] free, int q) {
        long fw = sideW(free, n * r), fh = count(free) - fw;
        long s1 = Math.max(fw, fh), s2 = Math.min(fw, fh) + q;
        if (s2 * s1 > Integer.MAX_VALUE - 16 || s2 * s2 > Integer.MAX_VALUE - 16) {
            return Long.MAX_VALUE; // beyond one Java array: not attempted
        }
        return 8 * (s2 * s1 + 2 * s2 * s2 + (long) q * free.length);
    }

    /**
     * Whether λ_min(∇²F on L) ≥ {@code target} is proven, L = {d : d_p = 0 unless free[p]}, at (v, w, h) (the normalised
     * point). False when the factorisation does not complete (nothing is proven then).
     */
    static boolean proves(NmfProblem ps, DenseMatrix w, DenseMatrix h, boolean[] free, double target) {
        int n = ps.n(), m = ps.m(), r = ps.rank(), nr = n * r;
        NmfProblem.HessianEntries he = ps.hessianEntries(w, h);
        double nu = entryNoise(ps, w, h);
        int fw = sideW(free, nr), fh = count(free) - fw;
        double trace = 0, maxDiag = 0;
        for (int p = 0; p < free.length; p++) {
            if (free[p]) {
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
        Blocks bl = new Blocks(eliminateW, free, n, m, r);
        double[][] lb = bl.factor(he, c);
        if (lb == null) {
            return false;
        }
        return Double.isFinite(schurFactor(he, bl, lb, c, new double[0][], 1, 1));
    }

    /**
     * Strictness by Finsler's lemma with a border (issue 13; proofs-notes/curvature-bounds.md §5): the signed
     * floating-point Cholesky of B = [[∇²F_L − cI, αY], [αYᵀ, −βI]] in the order (larger factor, the q border rows,
     * smaller factor), positive pivots for L and negative ones for the border. If it completes with backward error δ
     * (Higham, Thm 10.3 with signs: |ΔB| ≤ γ_{K+1}|L̂||L̂ᵀ|, so ‖ΔB‖₂ ≤ γ_{K+1}‖L̂‖_F², plus the entries' error) and
     * δ &lt; β, then dᵀ∇²F d ≥ (c − δ)‖d‖² for every d ∈ L with Yᵀd = 0 (Sylvester's inertia and Haynsworth's
     * additivity). α and β are powers of two chosen from the diagonal, so the border is exact.
     *
     * @param y the border vectors, full length (n+m)r, read on the free coordinates only
     * @return δ, or NaN when the factorisation does not complete or δ ≥ β (nothing is proven then)
     */
    static double bordered(NmfProblem ps, DenseMatrix w, DenseMatrix h, boolean[] free, double c, double[][] y, int widen) {
        int n = ps.n(), m = ps.m(), r = ps.rank(), nr = n * r, q = y.length;
        NmfProblem.HessianEntries he = ps.hessianEntries(w, h);
        double nu = entryNoise(ps, w, h);
        int fw = sideW(free, nr), fh = count(free) - fw;
        double maxDiag = 0;
        for (int p = 0; p < free.length; p++) {
            if (free[p]) {
                maxDiag = Math.max(maxDiag, Math.abs(he.entry(p, p)) + Math.abs(c));
            }
        }
        int d = fw + fh;
        if (d == 0 || !(maxDiag > 0) || !Double.isFinite(maxDiag) || !Double.isFinite(nu)) {
            return d == 0 ? 0 : Double.NaN;
        }
        // β a little below the Hessian's scale, ρ = α²/β a little above it: M + ρYYᵀ must be definite
        int e = Math.getExponent(maxDiag);
        double beta = Math.scalb(1.0, e - 10), alpha = Math.scalb(1.0, e - 4 + 3 * widen);
        boolean eliminateW = fw >= fh;
        Blocks bl = new Blocks(eliminateW, free, n, m, r);
        double[][] lb = bl.factor(he, c);
        if (lb == null) {
            return Double.NaN;
        }
        double f2 = schurFactor(he, bl, lb, c, y, alpha, beta);
        int t2 = q + bl.k2.length;
        return delta(f2, d, q, (long) d * r + (long) t2 * bl.s1 + (long) t2 * t2, nu, maxDiag, beta);
    }

    /**
     * With the eliminated side's blocks factored ({@code lb}), the forward substitution of the border rows αY and of the
     * kept coordinates through them, the Schur complement of order q + s₂ (the border block −βI first) and its signed
     * Cholesky (negative pivots on the border, positive on the kept side).
     *
     * @return ‖L̂‖_F² (every computed factor entry, squared, summed), or NaN if a pivot has the wrong sign
     */
    private static double schurFactor(NmfProblem.HessianEntries he, Blocks bl, double[][] lb, double c, double[][] y,
                                      double alpha, double beta) {
        int q = y.length, s1 = bl.s1, t2 = q + bl.k2.length;
        double[] l21 = new double[Math.multiplyExact(t2, s1)];
        double[] row = new double[s1];
        for (int t = 0; t < t2; t++) {
            for (int b = 0; b < bl.nb; b++) {
                int[] ks = bl.blockK[b];
                int off = bl.blockStart[b];
                double[] a = lb[b];
                int qn = ks.length;
                for (int x = 0; x < qn; x++) {
                    int cp = bl.eliminated(b, ks[x]);
                    double s = t < q ? alpha * y[t][cp] : he.entry(cp, bl.kept(t - q));
                    for (int z = 0; z < x; z++) {
                        s -= a[x * qn + z] * row[off + z];
                    }
                    row[off + x] = s / a[x * qn + x];
                }
            }
            System.arraycopy(row, 0, l21, t * s1, s1);
        }
        double f2 = 0;
        for (double[] a : lb) {
            f2 += Kernels.dot(a, a, a.length);
        }
        f2 += Kernels.dot(l21, l21, l21.length);
        // L21·L21ᵀ by the project's product kernel (native dgemm where it loads): each entry is a sum of s1 products in
        // some order, which is all Higham's bound needs
        double[] prod = new double[Math.multiplyExact(t2, t2)];
        try (Parallel par = Parallel.withThreads(0, Blas.AUTO)) {
            Kernels.mulABt(l21, t2, s1, l21, t2, prod, par);
        }
        l21 = null;
        double[][] sc = new double[t2][];
        for (int a = 0; a < t2; a++) {
            double[] out = new double[a + 1];
            for (int b = 0; b <= a; b++) {
                double v;
                if (a < q) {
                    v = a == b ? -beta : 0;
                } else if (b < q) {
                    v = alpha * y[b][bl.kept(a - q)];
                } else {
                    v = bl.sameBlock(a - q, b - q) ? he.entry(bl.kept(a - q), bl.kept(b - q)) : 0;
                    if (a == b) {
                        v -= c;
                    }
                }
                out[b] = v - prod[a * t2 + b];
            }
            sc[a] = out;
        }
        prod = null;
        return f2 + signedCholesky(sc, q);
    }

    /**
     * In place, the signed Cholesky of the lower-triangular rows {@code sc}: negative pivots on the first q, positive
     * after. Right-looking by panels of {@value #PANEL} columns: a panel is factored column by column (the rows below a
     * pivot in parallel), then the trailing rows are updated by the product kernel (native dgemm where it loads), in
     * slabs of rows. Every entry is still its value minus the sum of its s_k·l_ik·l_jk, in some order, which is all
     * Higham's bound needs. Returns ‖L̂‖_F², or NaN if a pivot has the wrong sign.
     */
    private static double signedCholesky(double[][] sc, int q) {
        int t2 = sc.length;
        try (Parallel par = Parallel.withThreads(0, Blas.AUTO)) {
            for (int kb = 0; kb < t2; kb += PANEL) {
                final int k0 = kb, k1 = Math.min(kb + PANEL, t2), wd = k1 - kb;
                for (int col = k0; col < k1; col++) {
                    double[] rc = sc[col];
                    double sign = col < q ? -1 : 1;
                    double piv = sign * (rc[col] - signedDot(rc, rc, q, k0, col));
                    if (!(piv > 0)) {
                        return Double.NaN;
                    }
                    double lcc = Math.sqrt(piv);
                    rc[col] = lcc;
                    final int jc = col;
                    final double div = sign * lcc;
                    java.util.stream.IntStream.range(col + 1, t2).parallel().forEach(a -> {
                        double[] ra = sc[a];
                        ra[jc] = (ra[jc] - signedDot(ra, rc, q, k0, jc)) / div;
                    });
                }
                int rest = t2 - k1;
                if (rest == 0) {
                    break;
                }
                // trailing update A_ij −= Σ_{k in the panel} s_k l_ik l_jk for k1 ≤ j ≤ i: P·(SP)ᵀ by slabs of rows
                double[] pm = new double[Math.multiplyExact(rest, wd)], sp = new double[pm.length];
                for (int i = 0; i < rest; i++) {
                    double[] row = sc[k1 + i];
                    for (int k = 0; k < wd; k++) {
                        double v = row[k0 + k];
                        pm[i * wd + k] = v;
                        sp[i * wd + k] = k0 + k < q ? -v : v;
                    }
                }
                for (int i0 = 0; i0 < rest; i0 += SLAB) {
                    int i1 = Math.min(i0 + SLAB, rest), rows = i1 - i0;
                    double[] out = new double[Math.multiplyExact(rows, i1)];
                    Kernels.mulABt(java.util.Arrays.copyOfRange(pm, i0 * wd, i1 * wd), rows, wd, sp, i1, out, par);
                    for (int i = i0; i < i1; i++) {
                        double[] row = sc[k1 + i];
                        int base = (i - i0) * i1;
                        for (int j = 0; j <= i; j++) {
                            row[k1 + j] -= out[base + j];
                        }
                    }
                }
            }
        }
        double f2 = 0;
        for (double[] a : sc) {
            f2 += Kernels.dot(a, a, a.length);
        }
        return f2;
    }

    private static final int PANEL = 192;
    private static final int SLAB = 768;

    /**
     * {@link #bordered} with the border eliminated first, on the dense matrix (below the dense limit): the same theorem
     * (the inertia argument does not depend on the order), and no cap at λ_min of the eliminated side's blocks, so the
     * bound on μ can be tight.
     */
    static double borderedDense(NmfProblem ps, DenseMatrix w, DenseMatrix h, boolean[] free, double c, double[][] y, int widen) {
        int q = y.length;
        NmfProblem.HessianEntries he = ps.hessianEntries(w, h);
        double nu = entryNoise(ps, w, h);
        int d = count(free);
        int[] coords = new int[d];
        double maxDiag = 0;
        for (int p = 0, t = 0; p < free.length; p++) {
            if (free[p]) {
                coords[t++] = p;
                maxDiag = Math.max(maxDiag, Math.abs(he.entry(p, p)) + Math.abs(c));
            }
        }
        if (d == 0 || !(maxDiag > 0) || !Double.isFinite(maxDiag) || !Double.isFinite(nu)) {
            return d == 0 ? 0 : Double.NaN;
        }
        int e = Math.getExponent(maxDiag);
        double beta = Math.scalb(1.0, e - 10), alpha = Math.scalb(1.0, e - 4 + 3 * widen);
        int t2 = q + d;
        double[][] sc = new double[t2][];
        for (int a = 0; a < t2; a++) {
            double[] out = new double[a + 1];
            for (int b = 0; b <= a; b++) {
                if (a < q) {
                    out[b] = a == b ? -beta : 0;
                } else if (b < q) {
                    out[b] = alpha * y[b][coords[a - q]];
                } else {
                    out[b] = he.entry(coords[a - q], coords[b - q]) - (a == b ? c : 0);
                }
            }
            sc[a] = out;
        }
        return delta(signedCholesky(sc, q), d, q, (long) t2 * t2, nu, maxDiag, beta);
    }

    /** δ from ‖L̂‖_F² (f2): γ_{K+1}‖L̂‖_F² with its own rounding, the entries' error ν, the rounded shift, underflow. */
    private static double delta(double f2, int d, int q, long terms, double nu, double maxDiag, double beta) {
        if (!Double.isFinite(f2)) {
            return Double.NaN;
        }
        long k = (long) d + q;
        double delta = (gamma(k + 1) * f2 * (1 + 2 * terms * U) + nu + 2 * U * maxDiag
                + 64.0 * (k + 1) * (k + 1) * Double.MIN_NORMAL) * (1 + 1e-12);
        return delta < beta ? delta : Double.NaN;
    }

    /** Σ_{from≤k&lt;len} s_k a_k b_k with s_k = −1 on the border (k &lt; q), +1 after it. */
    private static double signedDot(double[] a, double[] b, int q, int from, int len) {
        int split = Math.max(from, Math.min(q, len));
        double neg = 0, pos = 0;
        for (int k = from; k < split; k++) {
            neg += a[k] * b[k];
        }
        for (int k = split; k < len; k++) {
            pos += a[k] * b[k];
        }
        return pos - neg;
    }

    /** The eliminated side's blocks (rows of W or columns of H) with their free k's, and the kept side's coordinates. */
    private static final class Blocks {
        final boolean eliminateW;
        final int n, m, r, nb, s1;
        final int[][] blockK;
        final int[] blockStart, k2, b2;

        Blocks(boolean eliminateW, boolean[] free, int n, int m, int r) {
            this.eliminateW = eliminateW;
            this.n = n;
            this.m = m;
            this.r = r;
            nb = eliminateW ? n : m;
            blockK = new int[nb][];
            blockStart = new int[nb + 1];
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
            s1 = blockStart[nb];
            int nb2 = eliminateW ? m : n, cnt2 = 0;
            for (int b = 0; b < nb2; b++) {
                for (int k = 0; k < r; k++) {
                    cnt2 += free[coord(!eliminateW, b, k, n, m, r)] ? 1 : 0;
                }
            }
            k2 = new int[cnt2];
            b2 = new int[cnt2];
            for (int b = 0, t = 0; b < nb2; b++) {
                for (int k = 0; k < r; k++) {
                    if (free[coord(!eliminateW, b, k, n, m, r)]) {
                        k2[t] = k;
                        b2[t] = b;
                        t++;
                    }
                }
            }
        }

        /** The coordinate index of entry k of eliminated block b. */
        int eliminated(int b, int k) {
            return coord(eliminateW, b, k, n, m, r);
        }

        /** The coordinate index of the t-th kept coordinate. */
        int kept(int t) {
            return coord(!eliminateW, b2[t], k2[t], n, m, r);
        }

        boolean sameBlock(int t1, int t2) {
            return b2[t1] == b2[t2];
        }

        /** The Cholesky factors of the eliminated side's blocks of ∇²F_L − cI, or null if one is not definite. */
        double[][] factor(NmfProblem.HessianEntries he, double c) {
            double[][] lb = new double[nb][];
            for (int b = 0; b < nb; b++) {
                int qn = blockK[b].length;
                double[] a = new double[qn * qn];
                for (int x = 0; x < qn; x++) {
                    for (int z = 0; z <= x; z++) {
                        a[x * qn + z] = he.entry(coord(eliminateW, b, blockK[b][x], n, m, r),
                                coord(eliminateW, b, blockK[b][z], n, m, r)) - (x == z ? c : 0);
                    }
                }
                if (!cholesky(a, qn)) {
                    return null;
                }
                lb[b] = a;
            }
            return lb;
        }
    }

    /**
     * ‖∇²F − Ĥ‖_F for the double entries Ĥ of {@link NmfProblem.HessianEntries}: W–W entries err by 2γ_{m+1}(|H||H|ᵀ)_kl,
     * H–H by 2γ_{n+1}(|W|ᵀ|W|)_kl, the cross entries 2W_il H_kj − 2δ_kl R_ij by 2u|W_il H_kj| + 2δ_kl(γ_{r+2} a_ij +
     * u|R_ij|), a = |V| + |W||H| with ‖a‖_F ≤ ‖V‖_F + ‖W‖_F‖H‖_F; summed in squares with (x + y)² ≤ 2x² + 2y², both
     * off-diagonal blocks, plus underflow.
     */
    static double entryNoise(NmfProblem ps, DenseMatrix w, DenseMatrix h) {
        int n = ps.n(), m = ps.m(), r = ps.rank();
        double w2 = Certifier.normUp(w), h2 = Certifier.normUp(h);
        w2 = w2 * w2 * (1 + 4 * U);
        h2 = h2 * h2 * (1 + 4 * U);
        double a = (ps.dataNormUpper() + Math.sqrt(w2 * h2)) * (1 + 8 * U);
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

    /** Free coordinates among the first nr (those of W). */
    private static int sideW(boolean[] free, int nr) {
        int c = 0;
        for (int p = 0; p < nr; p++) {
            c += free[p] ? 1 : 0;
        }
        return c;
    }

    private static int count(boolean[] free) {
        int c = 0;
        for (boolean f : free) {
            c += f ? 1 : 0;
        }
        return c;
    }

    /** The coordinate index of factor W (row b, column k) or H (row k, column b). */
    private static int coord(boolean w, int b, int k, int n, int m, int r) {
        return w ? b * r + k : n * r + k * m + b;
    }

}
