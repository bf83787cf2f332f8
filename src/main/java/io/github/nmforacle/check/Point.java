package io.github.nmforacle.check;

import io.github.nmforacle.linalg.DenseMatrix;
import java.math.BigInteger;
import org.hipparchus.fraction.BigFraction;

/**
 * The checker's own arithmetic at a point x = (W, H) for data V, written independently of the project's
 * {@code problem} package (proofs-notes/checker.md). F = ‖V − WH‖²_F, R = V − WH, g = ∇F with
 * ∂F/∂W = −2 R Hᵀ, ∂F/∂H = −2 Wᵀ R, and dᵀ∇²F d = 2‖dW·H + W·dH‖²_F − 4⟨R, dW·dH⟩.
 *
 * <p>Coordinates p = 0 … N−1, N = (n+m)r: W_ik at i·r + k, then H_kj at n·r + k·m + j.
 *
 * <p>Double quantities (computed once, O(nmr)) carry rigorous rounding bounds in the model of
 * Higham, §3.1: a sum of products whose longest rounding path has K operations errs by at most
 * γ_K = Ku/(1 − Ku), u = 2⁻⁵³, times the same sum with absolute values. Exact quantities use integers:
 * every double matrix is an integer matrix times 2^e for one exponent e, so sums of products need no gcd.
 *
 * <p>Scale: F is homogeneous, F(2^k W, 2^k H; 2^{2k} V) = 2^{4k} F(W, H; V). Every double quantity is computed at the
 * normalised point (2^{2k}V, 2^k W, 2^k H), with k chosen from the data alone so that the scaling is exact and
 * max(max V, max|W|·max|H|) is of order 1 (proofs-notes/checker.md, "Scale"); without it products under- or
 * overflow near the ends of the double range and correct certificates are rejected. Exact quantities are in the
 * input's units. {@link #user} and {@link #norm} convert (k = {@link #ks}), by the weight of a quantity: 1 for entries of W, H and
 * ξ, 2 for V, η and curvatures, 3 for gradients, γ and the multiplier, 4 for F.
 */
final class Point {
    static final double U = 0x1p-53;

    final DenseMatrix v;
    final DenseMatrix w;
    final DenseMatrix h;
    final int n;
    final int m;
    final int r;
    /** Number of W coordinates, n·r. */
    final int nw;
    /** N = (n + m) r. */
    final int size;

    // ---- double quantities ----
    /** ∇F in double, in coordinate order. */
    final double[] grad;
    /** γ = 2 max(max(VHᵀ + W·HHᵀ), max(WᵀV + WᵀW·H)) as defined, and the same with |V|, |W|, |H|. */
    final double gamma;
    final double gammaAbs;
    /** Largest entry of W and H, and largest |entry|. */
    final double xiMax;
    final double xiAbs;
    /** 2(‖W‖² + ‖H‖²) + 4‖R‖_F. */
    final double eta;
    /** F = ‖R‖² in double. */
    final double objective;
    /** ‖a‖_F with a_ij = V_ij + Σ_k |W_ik||H_kj| (the absolute-value scale of R). */
    final double residualScale;
    /** A bound on |grad[p] − ∂F/∂x_p| for every p. */
    final double gradNoise;
    /** Any negative entry in W or H. */
    final boolean hasNegative;
    /** The normalisation exponent: every double quantity above is at (2^{2k}V, 2^k W, 2^k H). */
    final int ks;
    /** 2^k W and 2^k H (exact). */
    private final double[] wn2;
    private final double[] hn2;
    private final double[] vn2;

    // ---- exact forms: V = vInt·2^eV etc. ----
    private final int eV;
    private final int eW;
    private final int eH;
    /** R = rInt·2^eR. */
    private final int eR;
    /** Integer forms of W and H, built by the O(nmr) exact passes only (single entries are converted on the fly). */
    private BigInteger[] wn;
    private BigInteger[] hn;
    private BigFraction[][] hhtExact;
    private BigFraction[][] wtwExact;

    Point(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        this.v = v;
        this.w = w;
        this.h = h;
        this.n = v.rows();
        this.m = v.cols();
        this.r = w.cols();
        if (w.rows() != n || h.rows() != r || h.cols() != m) {
            throw new IllegalArgumentException("shapes do not match: V is " + v.shape() + ", W is " + w.shape() + ", H is "
                    + h.shape());
        }
        this.nw = n * r;
        this.size = Math.addExact(nw, Math.multiplyExact(r, m));
        this.ks = exponentFor(v.data(), w.data(), h.data());
        this.vn2 = scalb(v.data(), 2 * ks);
        double[] wd = scalb(w.data(), ks);
        double[] hd = scalb(h.data(), ks);
        this.wn2 = wd;
        this.hn2 = hd;
        boolean neg = false;
        double mx = Double.NEGATIVE_INFINITY;
        double ma = 0;
        double sq = 0;
        for (double[] a : new double[][] {wd, hd}) {
            for (double x : a) {
                neg |= x < 0;
                mx = Math.max(mx, x);
                ma = Math.max(ma, Math.abs(x));
                sq += x * x;
            }
        }
        this.hasNegative = neg;
        this.xiMax = mx;
        this.xiAbs = ma;

        this.grad = new double[size];
        this.gamma = products(vn2, wd, hd, grad);
        this.gammaAbs = neg ? products(vn2, abs(wd), abs(hd), null) : gamma;
        int kk = n + m + r + 4;
        this.gradNoise = gammaK(kk) * gammaAbs * (1 + 2 * gammaK(kk)) + kk * Double.MIN_NORMAL;

        double[] f = residualPass();
        this.objective = f[0];
        this.residualScale = f[1];
        this.eta = 2 * sq + 4 * Math.sqrt(objective);

        this.eV = Exact.commonExponent(v.data());
        this.eW = Exact.commonExponent(w.data());
        this.eH = Exact.commonExponent(h.data());
        this.eR = Math.min(eV, eW + eH);
    }

    private void ensureIntegerForms() {
        if (wn != null) {
            return;
        }
        double[] wd = w.data();
        double[] hd = h.data();
        BigInteger[] a = new BigInteger[wd.length];
        for (int p = 0; p < wd.length; p++) {
            a[p] = Exact.scaled(wd[p], eW);
        }
        BigInteger[] b = new BigInteger[hd.length];
        for (int p = 0; p < hd.length; p++) {
            b[p] = Exact.scaled(hd[p], eH);
        }
        wn = a;
        hn = b;
    }

    /** W's entry p (row-major) as an integer times 2^eW. */
    private BigInteger wInt(int p) {
        return wn != null ? wn[p] : Exact.scaled(w.data()[p], eW);
    }

    /** H's entry p (row-major) as an integer times 2^eH. */
    private BigInteger hInt(int p) {
        return hn != null ? hn[p] : Exact.scaled(h.data()[p], eH);
    }

    static double gammaK(int k) {
        double ku = k * U;
        return ku / (1 - ku);
    }

    private static double[] abs(double[] a) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Math.abs(a[i]);
        }
        return b;
    }

    /**
     * VHᵀ, WᵀV and the Gram terms; returns γ and, when {@code g != null}, stores ∇F = (2(W·HHᵀ − VHᵀ), 2(WᵀW·H − WᵀV)).
     */
    private double products(double[] vd, double[] wd, double[] hd, double[] g) {
        double[] vht = new double[n * r];
        double[] wtv = new double[r * m];
        double[] hht = new double[r * r];
        double[] wtw = new double[r * r];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                double s = 0;
                int vo = i * m;
                int ho = k * m;
                for (int j = 0; j < m; j++) {
                    s += vd[vo + j] * hd[ho + j];
                }
                vht[i * r + k] = s;
                double wik = wd[i * r + k];
                if (wik != 0) {
                    int to = k * m;
                    for (int j = 0; j < m; j++) {
                        wtv[to + j] += wik * vd[vo + j];
                    }
                }
                for (int l = 0; l < r; l++) {
                    wtw[k * r + l] += wik * wd[i * r + l];
                }
            }
        }
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += hd[k * m + j] * hd[l * m + j];
                }
                hht[k * r + l] = s;
            }
        }
        double maxW = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                double s = 0;
                for (int l = 0; l < r; l++) {
                    s += wd[i * r + l] * hht[l * r + k];
                }
                double a = vht[i * r + k];
                maxW = Math.max(maxW, a + s);
                if (g != null) {
                    g[i * r + k] = 2 * (s - a);
                }
            }
        }
        double maxH = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int l = 0; l < r; l++) {
                    s += wtw[k * r + l] * hd[l * m + j];
                }
                double a = wtv[k * m + j];
                maxH = Math.max(maxH, a + s);
                if (g != null) {
                    g[nw + k * m + j] = 2 * (s - a);
                }
            }
        }
        return 2 * Math.max(maxW, maxH);
    }

    /** {F = ‖R‖², ‖a‖} in double, row by row. */
    private double[] residualPass() {
        double[] vd = vn2;
        double[] wd = wn2;
        double[] hd = hn2;
        double[] row = new double[m];
        double[] arow = new double[m];
        double f = 0;
        double a2 = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(vd, i * m, row, 0, m);
            System.arraycopy(vd, i * m, arow, 0, m);
            for (int k = 0; k < r; k++) {
                double wik = wd[i * r + k];
                if (wik == 0) {
                    continue;
                }
                double aw = Math.abs(wik);
                int ho = k * m;
                for (int j = 0; j < m; j++) {
                    row[j] -= wik * hd[ho + j];
                    arow[j] += aw * Math.abs(hd[ho + j]);
                }
            }
            double fr = 0;
            double ar = 0;
            for (int j = 0; j < m; j++) {
                fr += row[j] * row[j];
                ar += arow[j] * arow[j];
            }
            f += fr;
            a2 += ar;
        }
        return new double[] {f, Math.sqrt(a2)};
    }

    /**
     * {lower, upper} on ‖R‖_F at the normalised point, rigorously: R̂_ij = fl(V_ij − Σ_k W_ik H_kj) errs by at most
     * γ_r·a_ij plus r underflows of MIN_NORMAL (a = V + |W||H|, ‖a‖_F = {@link #residualScale}); F̂ = fl(Σ R̂²) is within
     * γ_{n+m} of Σ R̂² plus nm underflows of MIN_NORMAL (row sums, then the sum of rows).
     */
    double[] residualNormBounds() {
        double nm = (double) n * m;
        double gs = gammaK(n + m + 2);
        double hiSq = (objective + nm * Double.MIN_NORMAL) / (1 - gs);
        double loSq = Math.max(0, objective * (1 - gs) - nm * Double.MIN_NORMAL);
        double e = gammaK(r + 2) * residualScale * (1 + gammaK(n + m + 2)) + Math.sqrt(nm) * (r + 1) * Double.MIN_NORMAL;
        double hi = (Math.sqrt(hiSq) * (1 + 2 * U) + e) * (1 + 4 * U);
        double lo = Math.max(0, (Math.sqrt(loSq) * (1 - 2 * U) - e) * (1 - 4 * U));
        return new double[] {lo, hi};
    }

    /**
     * The Hessian on the coordinates {@code coords} at the normalised point, in double ({@link #hessianEntry}), and in
     * {@code bound[0]} a rigorous bound on the Frobenius norm of its error ({@link #restrictedHessianNoise}).
     */
    double[][] restrictedHessian(int[] coords, double[] bound) {
        double[] hh = gram(hn2, r, m, true), ww = gram(wn2, r, n, false);
        int d = coords.length;
        double[][] out = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double val = hessianEntry(coords[a], coords[b], hh, ww);
                out[a][b] = val;
                out[b][a] = val;
            }
        }
        bound[0] = restrictedHessianNoise();
        return out;
    }

    /**
     * Whether λ_min(∇²F on L) ≥ {@code target} (normalised units) is proven by a floating-point Cholesky of ∇²F_L − cI
     * that eliminates the larger factor first: its diagonal blocks (a row of W: 2HHᵀ on its free k; a column of H:
     * 2WᵀW) need no fill, so this is the standard Cholesky recurrence with exact zeros skipped and Rump's bound holds
     * with d = dim L (proofs-notes/checker.md, "Verified Cholesky"). The checker's own code: it forms the Hessian entries
     * itself, with the error bound of {@link #restrictedHessianNoise}.
     */
    boolean structuredCholeskyProves(boolean[] free, double target) {
        double noise = restrictedHessianNoise();
        int fw = 0, fh = 0;
        for (int p = 0; p < size; p++) {
            if (free[p]) {
                if (isW(p)) {
                    fw++;
                } else {
                    fh++;
                }
            }
        }
        int d = fw + fh;
        double[] hh = gram(hn2, r, m, true), ww = gram(wn2, r, n, false);
        double tr = 0, big = 0;
        for (int p = 0; p < size; p++) {
            if (free[p]) {
                int k = isW(p) ? p % r : (p - nw) / m;
                double dia = isW(p) ? 2 * hh[k * r + k] : 2 * ww[k * r + k];
                tr += Math.max(dia - target, 0);
                big = Math.max(big, Math.abs(dia - target));
            }
        }
        double c = Forms.choleskyShift(d, tr, big, target, noise);
        if (!Double.isFinite(c)) {
            return false;
        }
        boolean byRowsOfW = fw >= fh;
        // eliminated side: the coordinates in order, each with its block (row of W or column of H) and index k
        int[] e = new int[byRowsOfW ? fw : fh], kept = new int[byRowsOfW ? fh : fw];
        for (int p = 0, a = 0, b = 0; p < size; p++) {
            if (free[p]) {
                if (isW(p) == byRowsOfW) {
                    e[a++] = p;
                } else {
                    kept[b++] = p;
                }
            }
        }
        if (!byRowsOfW) {
            // H coordinates grouped by column j: order them so (j, k) blocks are contiguous
            e = java.util.Arrays.stream(e).boxed().sorted(java.util.Comparator.comparingInt((Integer p) -> (p - nw) % m)
                    .thenComparingInt(p -> (p - nw) / m)).mapToInt(Integer::intValue).toArray();
        }
        // factor of the eliminated side, block by block (blocks are contiguous in e)
        double[] lDiag = new double[e.length];
        double[][] lBlock = new double[e.length][];
        int[] blockOf = new int[e.length];
        for (int a = 0; a < e.length; a++) {
            blockOf[a] = block(e[a]);
            int start = a;
            while (start > 0 && blockOf[start - 1] == blockOf[a]) {
                start--;
            }
            double[] row = new double[a - start];
            for (int b = start; b <= a; b++) {
                double s = hessianEntry(e[a], e[b], hh, ww) - (a == b ? c : 0);
                for (int t = start; t < b; t++) {
                    s -= row[t - start] * (b == a ? row[t - start] : lBlock[b][t - start]);
                }
                if (b == a) {
                    if (!(s > 0)) {
                        return false;
                    }
                    lDiag[a] = Math.sqrt(s);
                } else {
                    row[b - start] = s / lDiag[b];
                }
            }
            lBlock[a] = row;
        }
        // each kept coordinate's row of L21: forward substitution through the blocks
        int s1 = e.length, s2 = kept.length;
        double[][] l21 = new double[s2][s1];
        for (int q = 0; q < s2; q++) {
            double[] x = l21[q];
            for (int a = 0; a < s1; a++) {
                double s = hessianEntry(kept[q], e[a], hh, ww);
                int start = a - lBlock[a].length;
                for (int t = start; t < a; t++) {
                    s -= lBlock[a][t - start] * x[t];
                }
                x[a] = s / lDiag[a];
            }
        }
        // the Schur complement (rows in parallel: independent sums), then its Cholesky, row by row
        double[][] sc = new double[s2][];
        final double shift = c;
        final int[] keptF = kept;
        final double[][] l21F = l21;
        java.util.stream.IntStream.range(0, s2).parallel().forEach(q -> {
            double[] out = new double[q + 1];
            for (int p = 0; p <= q; p++) {
                out[p] = hessianEntry(keptF[q], keptF[p], hh, ww) - (p == q ? shift : 0) - sum4(l21F[q], l21F[p], s1);
            }
            sc[q] = out;
        });
        for (int j = 0; j < s2; j++) {
            double[] lj = sc[j];
            double piv = lj[j] - sum4(lj, lj, j);
            if (!(piv > 0)) {
                return false;
            }
            double ljj = Math.sqrt(piv);
            lj[j] = ljj;
            final int col = j;
            java.util.stream.IntStream.range(j + 1, s2).parallel().forEach(i -> sc[i][col] = (sc[i][col] - sum4(sc[i], lj, col)) / ljj);
        }
        return true;
    }

    /** Σ_{t<len} x_t y_t in four partial sums (the rounding bound holds for any order). */
    private static double sum4(double[] x, double[] y, int len) {
        double a = 0, b = 0, c = 0, d = 0;
        int t = 0;
        for (; t + 3 < len; t += 4) {
            a += x[t] * y[t];
            b += x[t + 1] * y[t + 1];
            c += x[t + 2] * y[t + 2];
            d += x[t + 3] * y[t + 3];
        }
        for (; t < len; t++) {
            a += x[t] * y[t];
        }
        return (a + b) + (c + d);
    }

    /** The W–W or H–H block a coordinate belongs to: its row of W, or n + its column of H. */
    private int block(int p) {
        return isW(p) ? p / r : n + (p - nw) % m;
    }

    /** r×r Gram matrix of the rows (rowsOfH) or columns of a factor. */
    private static double[] gram(double[] a, int r, int len, boolean rowsOfH) {
        double[] g = new double[r * r];
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                double s = 0;
                for (int t = 0; t < len; t++) {
                    s += rowsOfH ? a[k * len + t] * a[l * len + t] : a[t * r + k] * a[t * r + l];
                }
                g[k * r + l] = s;
            }
        }
        return g;
    }

    /** ∂²F/∂x_p∂x_q in double at the normalised point (the formulas of {@link #hessian}). */
    private double hessianEntry(int p, int q, double[] hh, double[] ww) {
        int a = Math.min(p, q), b = Math.max(p, q);
        if (b < nw) {
            return a / r == b / r ? 2 * hh[(a % r) * r + b % r] : 0;
        }
        if (a >= nw) {
            return (a - nw) % m == (b - nw) % m ? 2 * ww[((a - nw) / m) * r + (b - nw) / m] : 0;
        }
        int i = a / r, k = a % r, l = (b - nw) / m, j = (b - nw) % m;
        double val = 2 * wn2[i * r + l] * hn2[k * m + j];
        if (k == l) {
            double res = vn2[i * m + j];
            for (int t = 0; t < r; t++) {
                res -= wn2[i * r + t] * hn2[t * m + j];
            }
            val -= 2 * res;
        }
        return val;
    }

    /**
     * A bound on ‖∇²F − Ĥ‖_F over all coordinates, Ĥ the double entries of {@link #hessianEntry}: W–W and H–H entries err
     * by 2γ_{m+1}(|H||H|ᵀ)_kl and 2γ_{n+1}(|W|ᵀ|W|)_kl, cross entries by 2u|W_il H_kj| + 2δ_kl(γ_{r+2} a_ij + u|R_ij|),
     * summed in squares ((x + y)² ≤ 2x² + 2y²), plus underflow.
     */
    double restrictedHessianNoise() {
        double w2 = 0, h2 = 0;
        for (double x : wn2) {
            w2 += x * x;
        }
        for (double x : hn2) {
            h2 += x * x;
        }
        double gm = gammaK(m + 1), gn = gammaK(n + 1), gr = gammaK(r + 2);
        double a2 = residualScale * residualScale * (1 + 4 * U);
        double e2 = n * 4 * gm * gm * h2 * h2 + m * 4 * gn * gn * w2 * w2 + 2 * (8 * U * U * w2 * h2 + 8 * r * (gr + U) * (gr + U) * a2);
        return Math.sqrt(e2 * 1.02) * (1 + 8 * U) + 64.0 * size * (n + m + r) * Double.MIN_NORMAL;
    }

    // ---------------------------------------------------------------- coordinates

    boolean isW(int p) {
        return p < nw;
    }

    /** The coordinate of factor "W"/"H" at 0-based (row, col), or −1 if out of range. */
    int coordinate(String factor, int row, int col) {
        if ("W".equals(factor) && row >= 0 && row < n && col >= 0 && col < r) {
            return row * r + col;
        }
        if ("H".equals(factor) && row >= 0 && row < r && col >= 0 && col < m) {
            return nw + row * m + col;
        }
        return -1;
    }

    /** "W[i,k]" or "H[k,j]", 0-based (numpy's convention). */
    String name(int p) {
        if (isW(p)) {
            return "W[" + (p / r) + "," + (p % r) + "]";
        }
        int q = p - nw;
        return "H[" + (q / m) + "," + (q % m) + "]";
    }

    double x(int p) {
        return isW(p) ? w.data()[p] : h.data()[p - nw];
    }

    /** x_p at the normalised point, 2^k x_p (exact). */
    double xn(int p) {
        return isW(p) ? wn2[p] : hn2[p - nw];
    }

    /** A double quantity of the given weight at the normalised point, in the input's units (may under- or overflow). */
    double user(double normalised, int weight) {
        return Math.scalb(normalised, -weight * ks);
    }

    /** An exact quantity in the input's units, of the given weight, as a double at the normalised point. */
    double norm(BigFraction exact, int weight) {
        return Exact.toDouble(Exact.scalb(exact, weight * ks));
    }

    /**
     * The exponent k of the normalisation: 2^{2k}V, 2^k W, 2^k H must all be exact (no entry leaves the double range
     * or loses its lowest bit), and within that range k brings max(max V, max|W|·max|H|) closest to order 1. k = 0 is
     * always feasible.
     */
    static int exponentFor(double[] v, double[] w, double[] h) {
        long lo = -4096;
        long hi = 4096;
        long top = Long.MIN_VALUE;
        for (double x : v) {
            if (x != 0) {
                lo = Math.max(lo, -Math.floorDiv(1074 + lowBit(x), 2));
                hi = Math.min(hi, Math.floorDiv(1023 - magnitude(x), 2));
                top = Math.max(top, magnitude(x));
            }
        }
        long[] maxExp = new long[2];
        double[][] factors = {w, h};
        for (int f = 0; f < 2; f++) {
            maxExp[f] = Long.MIN_VALUE;
            for (double x : factors[f]) {
                if (x != 0) {
                    lo = Math.max(lo, -1074 - lowBit(x));
                    hi = Math.min(hi, 1023 - magnitude(x));
                    maxExp[f] = Math.max(maxExp[f], magnitude(x));
                }
            }
        }
        if (maxExp[0] != Long.MIN_VALUE && maxExp[1] != Long.MIN_VALUE) {
            top = Math.max(top, maxExp[0] + maxExp[1]);
        } else if (top == Long.MIN_VALUE) {
            long e = Math.max(maxExp[0], maxExp[1]);
            top = e == Long.MIN_VALUE ? 0 : 2 * e;
        }
        long target = -Math.floorDiv(top, 2);
        return lo > hi ? 0 : (int) Math.max(lo, Math.min(hi, target));
    }

    /** SHA-256 (hex) of rows and cols as 8-byte big-endian integers, then the entries as binary64 big-endian, row-major. */
    static String sha256(DenseMatrix a) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] b = new byte[8];
            for (long x : new long[] {a.rows(), a.cols()}) {
                md.update(bigEndian(x, b));
            }
            for (double x : a.data()) {
                md.update(bigEndian(Double.doubleToRawLongBits(x), b));
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static byte[] bigEndian(long x, byte[] b) {
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) x;
            x >>>= 8;
        }
        return b;
    }

    /** The exponent of the lowest set bit of x ≠ 0 (x is an odd multiple of 2^lowBit). */
    private static int lowBit(double x) {
        return Exact.exponent(x);
    }

    /** ⌊log₂|x|⌋ for finite x ≠ 0, also for subnormals. */
    private static int magnitude(double x) {
        double a = Math.abs(x);
        return a >= Double.MIN_NORMAL ? Math.getExponent(a) : Math.getExponent(a * 0x1p54) - 54;
    }

    private static double[] scalb(double[] a, int e) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Math.scalb(a[i], e);
        }
        return b;
    }

    /** Σ_p x_p exactly. */
    BigFraction sumExact() {
        BigInteger sw = BigInteger.ZERO;
        for (int p = 0; p < nw; p++) {
            sw = sw.add(wInt(p));
        }
        BigInteger sh = BigInteger.ZERO;
        for (int p = 0; p < size - nw; p++) {
            sh = sh.add(hInt(p));
        }
        return Exact.fromDyadic(sw, eW).add(Exact.fromDyadic(sh, eH));
    }

    /** Σ_p |x_p| at the normalised point, in double, rounded up generously. */
    double sumAbs() {
        double s = 0;
        for (double x : wn2) {
            s += Math.abs(x);
        }
        for (double x : hn2) {
            s += Math.abs(x);
        }
        return s * (1 + 2 * gammaK(size + 1));
    }

    // ---------------------------------------------------------------- exact R, F, gradient

    /** n·m·r, the cost unit of every exact pass over V. */
    long work() {
        return (long) n * m * r;
    }

    /** Row i of R as integers times 2^eR. */
    private BigInteger[] residualRow(int i) {
        BigInteger[] acc = new BigInteger[m];
        java.util.Arrays.fill(acc, BigInteger.ZERO);
        for (int k = 0; k < r; k++) {
            BigInteger wik = wInt(i * r + k);
            if (wik.signum() == 0) {
                continue;
            }
            for (int j = 0; j < m; j++) {
                BigInteger hkj = hInt(k * m + j);
                if (hkj.signum() != 0) {
                    acc[j] = acc[j].add(wik.multiply(hkj));
                }
            }
        }
        int shift = eW + eH - eR;
        double[] vd = v.data();
        BigInteger[] out = new BigInteger[m];
        for (int j = 0; j < m; j++) {
            out[j] = Exact.scaled(vd[i * m + j], eR).subtract(acc[j].shiftLeft(shift));
        }
        return out;
    }

    /** R_ij as an integer times 2^eR. */
    private BigInteger residualEntry(int i, int j) {
        BigInteger acc = BigInteger.ZERO;
        for (int k = 0; k < r; k++) {
            BigInteger wik = wInt(i * r + k);
            BigInteger hkj = hInt(k * m + j);
            if (wik.signum() != 0 && hkj.signum() != 0) {
                acc = acc.add(wik.multiply(hkj));
            }
        }
        return Exact.scaled(v.data()[i * m + j], eR).subtract(acc.shiftLeft(eW + eH - eR));
    }

    BigFraction residual(int i, int j) {
        return Exact.fromDyadic(residualEntry(i, j), eR);
    }

    /** ∂F/∂x_p exactly, O(mr) for a W coordinate and O(nr) for an H coordinate. */
    BigFraction gradientExact(int p) {
        if (isW(p)) {
            int i = p / r;
            int k = p % r;
            BigInteger[] row = residualRow(i);
            BigInteger s = BigInteger.ZERO;
            for (int j = 0; j < m; j++) {
                BigInteger hkj = hInt(k * m + j);
                if (hkj.signum() != 0) {
                    s = s.add(row[j].multiply(hkj));
                }
            }
            return Exact.fromDyadic(s.shiftLeft(1).negate(), eR + eH);
        }
        int q = p - nw;
        int k = q / m;
        int j = q % m;
        BigInteger s = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            BigInteger wik = wInt(i * r + k);
            if (wik.signum() != 0) {
                s = s.add(wik.multiply(residualEntry(i, j)));
            }
        }
        return Exact.fromDyadic(s.shiftLeft(1).negate(), eW + eR);
    }

    /** The exact gradient at every coordinate and the exact objective, in one pass over V (3nmr products). */
    record ExactFirstOrder(BigFraction[] gradient, BigFraction objective) {
    }

    ExactFirstOrder exactFirstOrder() {
        ensureIntegerForms();
        BigInteger[] gw = new BigInteger[nw];
        BigInteger[] gh = new BigInteger[r * m];
        java.util.Arrays.fill(gh, BigInteger.ZERO);
        BigInteger f = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            BigInteger[] row = residualRow(i);
            for (int j = 0; j < m; j++) {
                f = f.add(row[j].multiply(row[j]));
            }
            for (int k = 0; k < r; k++) {
                BigInteger s = BigInteger.ZERO;
                for (int j = 0; j < m; j++) {
                    BigInteger hkj = hn[k * m + j];
                    if (hkj.signum() != 0) {
                        s = s.add(row[j].multiply(hkj));
                    }
                }
                gw[i * r + k] = s;
                BigInteger wik = wn[i * r + k];
                if (wik.signum() != 0) {
                    for (int j = 0; j < m; j++) {
                        gh[k * m + j] = gh[k * m + j].add(wik.multiply(row[j]));
                    }
                }
            }
        }
        BigFraction[] g = new BigFraction[size];
        for (int p = 0; p < nw; p++) {
            g[p] = Exact.fromDyadic(gw[p].shiftLeft(1).negate(), eR + eH);
        }
        for (int q = 0; q < r * m; q++) {
            g[nw + q] = Exact.fromDyadic(gh[q].shiftLeft(1).negate(), eW + eR);
        }
        return new ExactFirstOrder(g, Exact.fromDyadic(f, 2 * eR));
    }

    // ---------------------------------------------------------------- exact Hessian entries

    private BigFraction[][] gram(boolean ofH) {
        ensureIntegerForms();
        BigFraction[][] g = new BigFraction[r][r];
        for (int k = 0; k < r; k++) {
            for (int l = k; l < r; l++) {
                BigInteger s = BigInteger.ZERO;
                if (ofH) {
                    for (int j = 0; j < m; j++) {
                        s = s.add(hn[k * m + j].multiply(hn[l * m + j]));
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        s = s.add(wn[i * r + k].multiply(wn[i * r + l]));
                    }
                }
                g[k][l] = Exact.fromDyadic(s, 2 * (ofH ? eH : eW));
                g[l][k] = g[k][l];
            }
        }
        return g;
    }

    /**
     * ∂²F/∂x_p∂x_q exactly (proofs-notes/hessian.md §5, re-derived in proofs-notes/checker.md):
     * W–W: 2δ_ii'(HHᵀ)_kl; H–H: 2δ_jj'(WᵀW)_kl; W_ik–H_lj: 2W_il H_kj − 2δ_kl R_ij.
     */
    BigFraction hessian(int p, int q) {
        if (!isW(p) && isW(q)) {
            return hessian(q, p);
        }
        if (isW(p) && isW(q)) {
            if (p / r != q / r) {
                return BigFraction.ZERO;
            }
            if (hhtExact == null) {
                hhtExact = gram(true);
            }
            return hhtExact[p % r][q % r].multiply(2);
        }
        if (!isW(p)) {
            int a = p - nw;
            int b = q - nw;
            if (a % m != b % m) {
                return BigFraction.ZERO;
            }
            if (wtwExact == null) {
                wtwExact = gram(false);
            }
            return wtwExact[a / m][b / m].multiply(2);
        }
        int i = p / r;
        int k = p % r;
        int l = (q - nw) / m;
        int j = (q - nw) % m;
        BigFraction t = Exact.of(w.get(i, l)).multiply(Exact.of(h.get(k, j))).multiply(2);
        if (k == l) {
            t = t.subtract(residual(i, j).multiply(2));
        }
        return t;
    }

    // ---------------------------------------------------------------- curvature dᵀ∇²F d

    /** q(d) = 2‖dW·H + W·dH‖² − 4⟨R, dW·dH⟩ exactly, 4nmr integer products at most (fewer for sparse d). */
    BigFraction curvatureExact(Direction d) {
        ensureIntegerForms();
        BigInteger[] a = d.num;
        int eS = Math.min(eW, eH);
        int shT1 = eH - eS;
        int shT2 = eW - eS;
        BigInteger s1 = BigInteger.ZERO;
        BigInteger s2 = BigInteger.ZERO;
        BigInteger[] t1 = new BigInteger[m];
        BigInteger[] t2 = new BigInteger[m];
        BigInteger[] pr = new BigInteger[m];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(t1, BigInteger.ZERO);
            java.util.Arrays.fill(t2, BigInteger.ZERO);
            java.util.Arrays.fill(pr, BigInteger.ZERO);
            boolean rowOfDw = false;
            for (int k = 0; k < r; k++) {
                BigInteger dik = a[i * r + k];
                BigInteger wik = wn[i * r + k];
                if (dik.signum() != 0) {
                    rowOfDw = true;
                }
                for (int j = 0; j < m; j++) {
                    BigInteger hkj = hn[k * m + j];
                    BigInteger dkj = a[nw + k * m + j];
                    if (dik.signum() != 0) {
                        if (hkj.signum() != 0) {
                            t1[j] = t1[j].add(dik.multiply(hkj));
                        }
                        if (dkj.signum() != 0) {
                            pr[j] = pr[j].add(dik.multiply(dkj));
                        }
                    }
                    if (wik.signum() != 0 && dkj.signum() != 0) {
                        t2[j] = t2[j].add(wik.multiply(dkj));
                    }
                }
            }
            for (int j = 0; j < m; j++) {
                BigInteger e = t1[j].shiftLeft(shT1).add(t2[j].shiftLeft(shT2));
                s1 = s1.add(e.multiply(e));
            }
            if (rowOfDw) {
                BigInteger[] res = residualRow(i);
                for (int j = 0; j < m; j++) {
                    if (pr[j].signum() != 0) {
                        s2 = s2.add(res[j].multiply(pr[j]));
                    }
                }
            }
        }
        // q·D² = 2·s1·2^{2eS} − 4·s2·2^{eR}
        int e0 = Math.min(2 * eS, eR);
        BigInteger numer = s1.shiftLeft(1 + 2 * eS - e0).subtract(s2.shiftLeft(2 + eR - e0));
        BigFraction scaled = Exact.fromDyadic(numer, e0);
        BigInteger d2 = d.den.multiply(d.den);
        return scaled.divide(new BigFraction(d2));
    }

    /**
     * ∇²F·d exactly (the gradient of ½q): (∇²F d)_W = 2(E Hᵀ − R dHᵀ), (∇²F d)_H = 2(Wᵀ E − dWᵀ R) with
     * E = dW·H + W·dH; about 7nmr integer products.
     */
    BigFraction[] hessianTimes(Direction d) {
        ensureIntegerForms();
        BigInteger[] a = d.num;
        int eS = Math.min(eW, eH);
        BigInteger[] pw1 = zerosInt(nw);
        BigInteger[] pw2 = zerosInt(nw);
        BigInteger[] ph1 = zerosInt(r * m);
        BigInteger[] ph2 = zerosInt(r * m);
        BigInteger[] e = new BigInteger[m];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(e, BigInteger.ZERO);
            for (int k = 0; k < r; k++) {
                BigInteger dik = a[i * r + k];
                BigInteger wik = wn[i * r + k];
                for (int j = 0; j < m; j++) {
                    BigInteger hkj = hn[k * m + j];
                    BigInteger dkj = a[nw + k * m + j];
                    if (dik.signum() != 0 && hkj.signum() != 0) {
                        e[j] = e[j].add(dik.multiply(hkj).shiftLeft(eH - eS));
                    }
                    if (wik.signum() != 0 && dkj.signum() != 0) {
                        e[j] = e[j].add(wik.multiply(dkj).shiftLeft(eW - eS));
                    }
                }
            }
            BigInteger[] res = residualRow(i);
            for (int k = 0; k < r; k++) {
                BigInteger s1 = BigInteger.ZERO;
                BigInteger s2 = BigInteger.ZERO;
                BigInteger wik = wn[i * r + k];
                BigInteger dik = a[i * r + k];
                for (int j = 0; j < m; j++) {
                    BigInteger hkj = hn[k * m + j];
                    BigInteger dkj = a[nw + k * m + j];
                    if (hkj.signum() != 0 && e[j].signum() != 0) {
                        s1 = s1.add(e[j].multiply(hkj));
                    }
                    if (dkj.signum() != 0 && res[j].signum() != 0) {
                        s2 = s2.add(res[j].multiply(dkj));
                    }
                    if (wik.signum() != 0 && e[j].signum() != 0) {
                        ph1[k * m + j] = ph1[k * m + j].add(wik.multiply(e[j]));
                    }
                    if (dik.signum() != 0 && res[j].signum() != 0) {
                        ph2[k * m + j] = ph2[k * m + j].add(dik.multiply(res[j]));
                    }
                }
                pw1[i * r + k] = s1;
                pw2[i * r + k] = s2;
            }
        }
        BigFraction twoOverDen = new BigFraction(BigInteger.TWO, d.den);
        BigFraction[] out = new BigFraction[size];
        for (int p = 0; p < nw; p++) {
            out[p] = Exact.fromDyadic(pw1[p], eS + eH).subtract(Exact.fromDyadic(pw2[p], eR)).multiply(twoOverDen);
        }
        for (int q = 0; q < r * m; q++) {
            out[nw + q] = Exact.fromDyadic(ph1[q], eW + eS).subtract(Exact.fromDyadic(ph2[q], eR)).multiply(twoOverDen);
        }
        return out;
    }

    private static BigInteger[] zerosInt(int k) {
        BigInteger[] z = new BigInteger[k];
        java.util.Arrays.fill(z, BigInteger.ZERO);
        return z;
    }

    /** q(d) evaluated in double and a rigorous bound on its error. */
    record Curvature(double value, double bound) {
    }

    /** q(d) at the normalised point, 2^{2k} times q(d) at the given one (see {@link #user}). */
    Curvature curvatureDouble(Direction dir) {
        double[] d = dir.toDoubles();
        double[] vd = vn2;
        double[] wd = wn2;
        double[] hd = hn2;
        double[] e = new double[m];
        double[] ea = new double[m];
        double[] pr = new double[m];
        double[] pa = new double[m];
        double[] res = new double[m];
        double[] ra = new double[m];
        double q = 0;
        double qa = 0;
        double under = 0;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(e, 0);
            java.util.Arrays.fill(ea, 0);
            java.util.Arrays.fill(pr, 0);
            java.util.Arrays.fill(pa, 0);
            System.arraycopy(vd, i * m, res, 0, m);
            System.arraycopy(vd, i * m, ra, 0, m);
            for (int k = 0; k < r; k++) {
                double dik = d[i * r + k];
                double wik = wd[i * r + k];
                for (int j = 0; j < m; j++) {
                    double hkj = hd[k * m + j];
                    double dkj = d[nw + k * m + j];
                    e[j] += dik * hkj + wik * dkj;
                    ea[j] += Math.abs(dik * hkj) + Math.abs(wik * dkj);
                    pr[j] += dik * dkj;
                    pa[j] += Math.abs(dik * dkj);
                    res[j] -= wik * hkj;
                    ra[j] += Math.abs(wik * hkj);
                }
            }
            double qr = 0;
            double qar = 0;
            double ur = 0;
            for (int j = 0; j < m; j++) {
                qr += 2 * e[j] * e[j] - 4 * res[j] * pr[j];
                qar += 2 * ea[j] * ea[j] + 4 * ra[j] * pa[j];
                ur += ea[j] + ra[j] + pa[j];
            }
            q += qr;
            qa += qar;
            under += ur;
        }
        int k = n + m + 2 * r + 10;
        double g = gammaK(k);
        // rounding: γ_K times the absolute-value form (itself rounded up); underflow: each product may lose
        // 2^-1075 absolutely, amplified at most by the factors that multiply it later
        double bound = g * qa * (1 + 2 * g) + 0x1p-1070 * (8.0 * r + 8) * (under + (double) n * m + 1);
        if (!Double.isFinite(q) || !Double.isFinite(bound)) {
            return new Curvature(q, Double.POSITIVE_INFINITY);
        }
        return new Curvature(q, bound);
    }

    // ---------------------------------------------------------------- the GL(r) symmetry directions

    /**
     * Entry p of t_ab = (W E_ab, −E_ab H), the orbit tangent of (W M, M⁻¹H) along E_ab: column b of dW is column a
     * of W, row a of dH is −(row b of H), zero elsewhere (proofs-notes/symmetry-gl-r.md).
     */
    BigFraction glEntry(int a, int b, int p) {
        if (isW(p)) {
            return p % r == b ? Exact.of(x(p / r * r + a)) : BigFraction.ZERO;
        }
        int q = p - nw;
        return q / m == a ? Exact.of(x(nw + b * m + q % m)).negate() : BigFraction.ZERO;
    }

    /** Entry p of the scaling s_k = t_kk (Lemma 3): W_ik on column k of W, −H_kj on row k of H, else 0. */
    BigFraction symmetryEntry(int k, int p) {
        return glEntry(k, k, p);
    }
}
