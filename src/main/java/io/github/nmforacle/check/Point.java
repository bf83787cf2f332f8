package io.github.nmforacle.check;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
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

    /** V when dense, else null (then {@link #sp}). */
    final DenseMatrix v;
    /** V when sparse (CSR), else null: the quantities that do not need every residual entry use Grams (issue 15). */
    final SparseData sp;
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
    /**
     * Sparse V only (0 when dense): how far the certifier's F̂ and η may be from the checker's by their rounding alone,
     * both computed by Grams whose cancellation the residual scale does not cover (proofs-notes/checker.md, "Sparse V").
     */
    final double objectiveSlack;
    final double etaSlack;
    /** Sparse V: the rigorous bound on |F̂ − F| of {@link SparseData#objective}. */
    private final double objectiveError;
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
        this((DataMatrix) v, w, h);
    }

    /** As above for a dense or a sparse V; a {@link CsrMatrix} V is never made dense here. */
    Point(DataMatrix data, DenseMatrix w, DenseMatrix h) {
        this.v = data instanceof DenseMatrix d ? d : null;
        this.w = w;
        this.h = h;
        this.n = data.rows();
        this.m = data.cols();
        this.r = w.cols();
        if (w.rows() != n || h.rows() != r || h.cols() != m) {
            throw new IllegalArgumentException("shapes do not match: V is " + data.shape() + ", W is " + w.shape() + ", H is "
                    + h.shape());
        }
        this.nw = n * r;
        this.size = Math.addExact(nw, Math.multiplyExact(r, m));
        double[] stored = v != null ? v.data() : ((CsrMatrix) data).values();
        this.ks = exponentFor(stored, w.data(), h.data());
        this.sp = v != null ? null : new SparseData((CsrMatrix) data, ks);
        this.vn2 = v != null ? scalb(v.data(), 2 * ks) : null;
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

        if (sp == null) {
            double[] f = residualPass();
            this.objective = f[0];
            this.residualScale = f[1];
            this.eta = 2 * sq + 4 * Math.sqrt(objective);
            this.objectiveError = 0;
            this.objectiveSlack = 0;
            this.etaSlack = 0;
        } else {
            double[] f = sp.objective(wd, hd, r);
            this.objective = f[0];
            this.objectiveError = f[1];
            this.residualScale = Math.sqrt(f[2]) * (1 + 2 * U);
            this.eta = 2 * sq + 4 * Math.sqrt(Math.max(objective, 0));
            // both sides are within objectiveError of F: F̂ within 2·err, √F̂ within the width of [√(F − err), √(F + err)]
            double[] b = residualNormBounds();
            this.objectiveSlack = 2 * objectiveError;
            this.etaSlack = 8 * (b[1] - b[0]) * (1 + 8 * U);
        }

        this.eV = Exact.commonExponent(stored);
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

    static double[] abs(double[] a) {
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
                if (sp != null) {
                    // the dense sums without their ±0 terms: the same bits
                    for (int p = sp.ip[i]; p < sp.ip[i + 1]; p++) {
                        s += sp.val[p] * hd[ho + sp.idx[p]];
                    }
                } else {
                    for (int j = 0; j < m; j++) {
                        s += vd[vo + j] * hd[ho + j];
                    }
                }
                vht[i * r + k] = s;
                double wik = wd[i * r + k];
                if (wik != 0) {
                    int to = k * m;
                    if (sp != null) {
                        for (int p = sp.ip[i]; p < sp.ip[i + 1]; p++) {
                            wtv[to + sp.idx[p]] += wik * sp.val[p];
                        }
                    } else {
                        for (int j = 0; j < m; j++) {
                            wtv[to + j] += wik * vd[vo + j];
                        }
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
        if (sp != null) {
            // F ∈ [F̂ − err, F̂ + err] (SparseData#objective); √ and the products round by at most 4u each
            if (!Double.isFinite(objective) || !Double.isFinite(objectiveError)) {
                return new double[] {0, Double.POSITIVE_INFINITY};   // a Gram overflowed: nothing is known
            }
            double hi = Math.sqrt((Math.max(objective, 0) + objectiveError) * (1 + 4 * U)) * (1 + 4 * U);
            double lo = Math.sqrt(Math.max(0, (objective - objectiveError) * (1 - 4 * U))) * (1 - 4 * U);
            return new double[] {lo, hi};
        }
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
        int[] sides = sides(free);
        int fw = sides[0], fh = sides[1];
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
        return Double.isFinite(factorBordered(free, c, new double[0][], 1, 1, hh, ww));
    }

    /**
     * Strictness by Finsler's lemma with a border (proofs-notes/curvature-bounds.md §5): the signed floating-point
     * Cholesky of B = [[∇²F_L − cI, αY], [αYᵀ, −βI]], eliminating the larger factor's blocks, then the q border rows
     * (negative pivots), then the smaller factor. If it completes, ‖B̂ − L̂SL̂ᵀ‖₂ ≤ γ_{K+1}‖L̂‖_F² (Higham, Thm 10.3;
     * the signs change nothing in its proof) and with the entries' error δ &lt; β, every d ∈ L with Yᵀd = 0 has
     * dᵀ∇²F d ≥ (c − δ)‖d‖² (Sylvester's law of inertia, Haynsworth's inertia additivity). α, β: powers of two.
     *
     * @param y the border vectors, full length N, read on the free coordinates
     * @return δ, or NaN when a pivot has the wrong sign or δ ≥ β (nothing is proven)
     */
    double borderedDelta(boolean[] free, double c, double[][] y, int widen) {
        return borderedDelta(free, c, y, widen, false);
    }

    /**
     * As above; {@code dense}: the border eliminated first on the dense matrix (the inertia argument does not depend
     * on the order), so the shift is not capped by λ_min of the eliminated side's blocks (for dim L up to
     * {@link Checker#MAX_CHOLESKY}).
     */
    double borderedDelta(boolean[] free, double c, double[][] y, int widen, boolean dense) {
        double[] hh = gram(hn2, r, m, true), ww = gram(wn2, r, n, false);
        double big = 0;
        int d = 0;
        for (int p = 0; p < size; p++) {
            if (free[p]) {
                int k = isW(p) ? p % r : (p - nw) / m;
                big = Math.max(big, Math.abs(isW(p) ? 2 * hh[k * r + k] : 2 * ww[k * r + k]) + Math.abs(c));
                d++;
            }
        }
        double noise = restrictedHessianNoise();
        if (d == 0) {
            return 0;
        }
        if (!(big > 0) || !Double.isFinite(big) || !Double.isFinite(noise)) {
            return Double.NaN;
        }
        int e = Math.getExponent(big);
        double beta = Math.scalb(1.0, e - 10), alpha = Math.scalb(1.0, e - 4 + 3 * widen);
        double f2 = dense ? denseBordered(free, c, y, alpha, beta, hh, ww) : factorBordered(free, c, y, alpha, beta, hh, ww);
        if (!Double.isFinite(f2)) {
            return Double.NaN;
        }
        long k = (long) d + y.length, terms = k * k + (long) d * r;
        double delta = (gammaK((int) Math.min(k + 1, Integer.MAX_VALUE / 2)) * f2 * (1 + 2 * terms * U) + noise + 2 * U * big
                + 64.0 * (k + 1) * (k + 1) * Double.MIN_NORMAL) * (1 + 1e-12);
        return delta < beta ? delta : Double.NaN;
    }

    /**
     * The factorisation behind {@link #structuredCholeskyProves} (no border) and {@link #borderedDelta}: ‖L̂‖_F², or NaN
     * when a pivot has the wrong sign (positive expected on L, negative on the border).
     */
    private double factorBordered(boolean[] free, double c, double[][] y, double alpha, double beta, double[] hh, double[] ww) {
        int[] sides = sides(free);
        int fw = sides[0], fh = sides[1];
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
        double f2 = 0;
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
                        return Double.NaN;
                    }
                    lDiag[a] = Math.sqrt(s);
                } else {
                    row[b - start] = s / lDiag[b];
                }
            }
            lBlock[a] = row;
            f2 += lDiag[a] * lDiag[a] + sum4(row, row, row.length);
        }
        // rows of L21, the q border rows first, then each kept coordinate: forward substitution through the blocks
        int q = y.length, s1 = e.length, t2 = q + kept.length;
        double[][] l21 = new double[t2][s1];
        for (int t = 0; t < t2; t++) {
            double[] x = l21[t];
            for (int a = 0; a < s1; a++) {
                double s = t < q ? alpha * y[t][e[a]] : hessianEntry(kept[t - q], e[a], hh, ww);
                int start = a - lBlock[a].length;
                for (int z = start; z < a; z++) {
                    s -= lBlock[a][z - start] * x[z];
                }
                x[a] = s / lDiag[a];
            }
            f2 += sum4(x, x, s1);
        }
        // the Schur complement (rows in parallel: independent sums), then its signed Cholesky, row by row
        double[][] sc = new double[t2][];
        final double shift = c;
        final int[] keptF = kept;
        java.util.stream.IntStream.range(0, t2).parallel().forEach(a -> {
            double[] out = new double[a + 1];
            for (int b = 0; b <= a; b++) {
                double v;
                if (a < q) {
                    v = a == b ? -beta : 0;
                } else if (b < q) {
                    v = alpha * y[b][keptF[a - q]];
                } else {
                    v = hessianEntry(keptF[a - q], keptF[b - q], hh, ww) - (a == b ? shift : 0);
                }
                out[b] = v - sum4(l21[a], l21[b], s1);
            }
            sc[a] = out;
        });
        return f2 + signedCholesky(sc, q);
    }

    /** The dense bordered matrix, border first, and its signed Cholesky: ‖L̂‖_F², or NaN. */
    private double denseBordered(boolean[] free, double c, double[][] y, double alpha, double beta, double[] hh, double[] ww) {
        int q = y.length, d = 0;
        for (boolean f : free) {
            d += f ? 1 : 0;
        }
        int[] coords = new int[d];
        for (int p = 0, t = 0; p < size; p++) {
            if (free[p]) {
                coords[t++] = p;
            }
        }
        double[][] sc = new double[q + d][];
        for (int a = 0; a < q + d; a++) {
            double[] out = new double[a + 1];
            for (int b = 0; b <= a; b++) {
                out[b] = a < q ? (a == b ? -beta : 0) : b < q ? alpha * y[b][coords[a - q]]
                        : hessianEntry(coords[a - q], coords[b - q], hh, ww) - (a == b ? c : 0);
            }
            sc[a] = out;
        }
        return signedCholesky(sc, q);
    }

    /** In place, the signed Cholesky of the lower rows {@code sc} (negative pivots on the first q): ‖L̂‖_F², or NaN. */
    private static double signedCholesky(double[][] sc, int q) {
        int t2 = sc.length;
        for (int j = 0; j < t2; j++) {
            double[] lj = sc[j];
            double sign = j < q ? -1 : 1;
            double piv = sign * (lj[j] - signed(lj, lj, q, j));
            if (!(piv > 0)) {
                return Double.NaN;
            }
            double ljj = Math.sqrt(piv);
            lj[j] = ljj;
            final int col = j;
            final double div = sign * ljj;
            java.util.stream.IntStream.range(j + 1, t2).parallel().forEach(i -> sc[i][col] = (sc[i][col] - signed(sc[i], lj, q, col)) / div);
        }
        double f2 = 0;
        for (double[] row : sc) {
            f2 += sum4(row, row, row.length);
        }
        return f2;
    }

    /**
     * The symmetry directions of the strict claim's hint (proofs-notes/symmetry-gl-r.md §7): for each r×r matrix X
     * (row-major), t_X = (W̃X, −XH̃) at the normalised point with its non-free entries set to 0, each sum from l = 0 up;
     * [0] its part on L (P_L t_X, zero off L), [1] its part off L.
     */
    double[][][] symmetryRows(double[][] xs, boolean[] free) {
        double[][][] out = new double[2][xs.length][size];
        for (int t = 0; t < xs.length; t++) {
            double[] xm = xs[t];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < r; k++) {
                    double s = 0;
                    for (int l = 0; l < r; l++) {
                        s += (free[i * r + l] ? wn2[i * r + l] : 0) * xm[l * r + k];
                    }
                    out[free[i * r + k] ? 0 : 1][t][i * r + k] = s;
                }
            }
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int l = 0; l < r; l++) {
                        s += xm[k * r + l] * (free[nw + l * m + j] ? hn2[l * m + j] : 0);
                    }
                    out[free[nw + k * m + j] ? 0 : 1][t][nw + k * m + j] = -s;
                }
            }
        }
        return out;
    }

    private double[] residualD;

    /** R̂ = V − WH in double at the normalised point (each sum from l = 0 up), on first use. */
    private double[] residualDouble() {
        if (residualD == null) {
            double[] res = new double[n * m];
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int l = 0; l < r; l++) {
                        s += wn2[i * r + l] * hn2[l * m + j];
                    }
                    res[i * m + j] = vn2[i * m + j] - s;
                }
            });
            residualD = res;
        }
        return residualD;
    }

    /**
     * P_L ∇²F d in double at the normalised point: with S = dW·H + W·dH (sums of 2r products), the W part
     * 2(S Hᵀ − R̂ dHᵀ) and the H part 2(Wᵀ S − dWᵀ R̂), each entry one sum of 2m (2n) products; zero off L.
     * Its error is at most {@link #hessianTimesBound}·‖d‖ + {@link #hessianTimesUnderflow}.
     */
    double[] hessianTimesOnL(double[] d, boolean[] free) {
        if (sp != null) {
            return sp.hessianTimesOnL(d, free, wn2, hn2, r);
        }
        double[] res = residualDouble();
        double[] sm = new double[n * m];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int l = 0; l < r; l++) {
                    s += d[i * r + l] * hn2[l * m + j] + wn2[i * r + l] * d[nw + l * m + j];
                }
                sm[i * m + j] = s;
            }
        });
        double[] out = new double[size];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            for (int k = 0; k < r; k++) {
                if (free[i * r + k]) {
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s += sm[i * m + j] * hn2[k * m + j] - res[i * m + j] * d[nw + k * m + j];
                    }
                    out[i * r + k] = 2 * s;
                }
            }
        });
        java.util.stream.IntStream.range(0, r).parallel().forEach(k -> {
            for (int j = 0; j < m; j++) {
                if (free[nw + k * m + j]) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += wn2[i * r + k] * sm[i * m + j] - d[i * r + k] * res[i * m + j];
                    }
                    out[nw + k * m + j] = 2 * s;
                }
            }
        });
        return out;
    }

    /**
     * φ with ‖fl(P_L∇²F d) − P_L∇²F d‖ ≤ φ‖d‖ for {@link #hessianTimesOnL} (apart from underflow): with P = ‖W‖_F + ‖H‖_F,
     * ‖S‖_F ≤ P‖d‖, |Ŝ − S| ≤ γ_{2r}(|dW||H| + |W||dH|), |R̂ − R| ≤ γ_{r+1}(|V| + |W||H|) and the outer sums' γ_{2m},
     * γ_{2n}: φ = 2[γ_{2N}(P²(1 + γ_{2r}) + 2‖R̂‖_F) + γ_{2r}P² + 2‖R̂ − R‖_F], N = max(n, m); ‖|A||B|‖_F ≤ ‖A‖_F‖B‖_F.
     */
    double hessianTimesBound() {
        if (sp != null) {
            return sp.hessianTimesBound(wn2, hn2, r);
        }
        double[] res = residualDouble();
        double w2 = 0, h2 = 0, v2 = 0, r2 = 0;
        for (double x : wn2) {
            w2 += x * x;
        }
        for (double x : hn2) {
            h2 += x * x;
        }
        for (double x : vn2) {
            v2 += x * x;
        }
        for (double x : res) {
            r2 += x * x;
        }
        double safe = 1 + 4.0 * ((double) n * m + size) * U;
        double nwF = Math.sqrt(w2 * safe), nhF = Math.sqrt(h2 * safe), nrF = Math.sqrt(r2 * safe);
        double pp = (nwF + nhF) * (nwF + nhF) * safe;
        double dr = (gammaK(r + 1) * (Math.sqrt(v2 * safe) + nwF * nhF) + Math.sqrt((double) n * m) * (r + 1) * Double.MIN_NORMAL) * safe;
        double g2r = gammaK(2 * r), gN = gammaK(2 * Math.max(n, m));
        return 2 * (gN * (pp * (1 + g2r) + 2 * nrF) + g2r * pp + 2 * dr) * safe;
    }

    /** The underflow part of the error of {@link #hessianTimesOnL}: each of its N entries, each a few sums of products. */
    double hessianTimesUnderflow() {
        if (sp != null) {
            return sp.hessianTimesUnderflow(r, xiAbs);
        }
        return 64.0 * Math.sqrt(size) * (n + m + r) * (2 * r + 2) * (1 + xiAbs) * (1 + xiAbs) * Double.MIN_NORMAL;
    }

    /** Σ_{t&lt;len} s_t x_t y_t with s_t = −1 on the border (t &lt; q), +1 after it. */
    private static double signed(double[] x, double[] y, int q, int len) {
        double neg = 0, pos = 0;
        int split = Math.min(q, len);
        for (int t = 0; t < split; t++) {
            neg += x[t] * y[t];
        }
        for (int t = split; t < len; t++) {
            pos += x[t] * y[t];
        }
        return pos - neg;
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

    /** r×r Gram matrix of the rows (rowsOfH) or columns of a factor, each entry summed from t = 0 up. */
    private static double[] gram(double[] a, int r, int len, boolean rowsOfH) {
        return rowsOfH ? SparseData.gramRows(a, a, r, len) : SparseData.gramCols(a, a, len, r);
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
            double res = sp != null ? sp.at(i, j) : vn2[i * m + j];
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

    /** The free coordinates of W and of H: {count in W, count in H}. */
    int[] sides(boolean[] free) {
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
        return new int[] {fw, fh};
    }

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

    /** The digest of V that provenance.sha256.V names: {@link #sha256(DenseMatrix)}, or {@link SparseData#sha256}. */
    String sha256V() {
        return sp != null ? sp.sha256() : sha256(v);
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

    /** n·m·r, the cost unit of every exact pass over V; on a sparse V nnz·r + (n+m)·r², that of its Gram forms. */
    long work() {
        return sp != null ? sp.nnz() * r + (long) (n + m) * r * r : (long) n * m * r;
    }

    /** {@link #work} in words, for the messages of the size limits. */
    String workText() {
        return (sp != null ? "nnz·r + (n+m)·r² = " : "n·m·r = ") + work();
    }

    /** The integer forms for {@link SparseData}'s exact passes. */
    private SparseData.Ints ints() {
        ensureIntegerForms();
        return new SparseData.Ints(wn, hn, r, eV, eW, eH, eR);
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
        BigInteger[] out = new BigInteger[m];
        if (sp != null) {
            for (int j = 0; j < m; j++) {
                out[j] = acc[j].shiftLeft(shift).negate();
            }
            double[] a = sp.v.values();
            for (int p = sp.ip[i]; p < sp.ip[i + 1]; p++) {
                out[sp.idx[p]] = out[sp.idx[p]].add(Exact.scaled(a[p], eR));
            }
            return out;
        }
        double[] vd = v.data();
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
        double vij = sp != null ? sp.original(i, j) : v.data()[i * m + j];
        return Exact.scaled(vij, eR).subtract(acc.shiftLeft(eW + eH - eR));
    }

    BigFraction residual(int i, int j) {
        return Exact.fromDyadic(residualEntry(i, j), eR);
    }

    /** On a sparse V: the exact gradient at every coordinate, from one pass over the non-zeros, on first use. */
    private BigFraction[] sparseGradient;

    /**
     * ∂F/∂x_p exactly, O(mr) for a W coordinate and O(nr) for an H coordinate; on a sparse V read from the whole exact
     * gradient ({@link SparseData#exactFirstOrder}, O(nnz·r + (n+m)·r²) once), since a row of R costs O(mr) there too.
     */
    BigFraction gradientExact(int p) {
        if (sp != null) {
            synchronized (this) {
                if (sparseGradient == null) {
                    sparseGradient = exactFirstOrder().gradient();
                }
            }
            return sparseGradient[p];
        }
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
        if (sp != null) {
            return sp.exactFirstOrder(ints());
        }
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
        if (sp != null) {
            return sp.curvatureExact(ints(), d);
        }
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
        if (sp != null) {
            return sp.hessianTimes(ints(), d);
        }
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
        if (sp != null) {
            return sp.curvature(d, wn2, hn2, r);
        }
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
