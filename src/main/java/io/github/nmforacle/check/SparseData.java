package io.github.nmforacle.check;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import java.math.BigInteger;
import org.hipparchus.fraction.BigFraction;

/**
 * The checker's arithmetic with a sparse V (CSR, issue 15 item 1) for the quantities that do not need all n·m residual
 * entries: F and the residual scale by r×r Grams, dᵀ∇²F d by Grams and ⟨R, dW·dH⟩ = ⟨V, dW·dH⟩_nnz − ⟨WH, dW·dH⟩,
 * each with a rigorous bound in Higham's γ_K model (proofs-notes/checker.md, "Sparse V"). The products V·Hᵀ and Wᵀ·V,
 * single entries and the exact passes stay in {@link Point}, which reads V through {@link #at} and the row arrays.
 * All values are at the normalised point (2^{2k} V, exact).
 */
final class SparseData {
    static final double U = Point.U;

    final CsrMatrix v;
    final int n;
    final int m;
    final int[] ip;
    final int[] idx;
    /** 2^{2k} V's stored values. */
    final double[] val;

    SparseData(CsrMatrix v, int ks) {
        this.v = v;
        this.n = v.rows();
        this.m = v.cols();
        this.ip = v.indptr();
        this.idx = v.indices();
        double[] a = v.values();
        this.val = new double[a.length];
        for (int p = 0; p < a.length; p++) {
            val[p] = Math.scalb(a[p], 2 * ks);
        }
    }

    long nnz() {
        return val.length;
    }

    /** (2^{2k} V)_ij by a binary search in row i. */
    double at(int i, int j) {
        int p = java.util.Arrays.binarySearch(idx, ip[i], ip[i + 1], j);
        return p >= 0 ? val[p] : 0.0;
    }

    /** V_ij in the input's units. */
    double original(int i, int j) {
        int p = java.util.Arrays.binarySearch(idx, ip[i], ip[i + 1], j);
        return p >= 0 ? v.values()[p] : 0.0;
    }

    /** r×r Gram (row-major) of the columns of two n×r factors (a, b): Σ_i a_ik b_il, each sum from i = 0 up. */
    static double[] gramCols(double[] a, double[] b, int n, int r) {
        double[] g = new double[r * r];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                double x = a[i * r + k];
                if (x != 0) {
                    for (int l = 0; l < r; l++) {
                        g[k * r + l] += x * b[i * r + l];
                    }
                }
            }
        }
        return g;
    }

    /** r×r Gram of the rows of two r×m factors: Σ_j a_kj b_lj. */
    static double[] gramRows(double[] a, double[] b, int r, int m) {
        double[] g = new double[r * r];
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += a[k * m + j] * b[l * m + j];
                }
                g[k * r + l] = s;
            }
        }
        return g;
    }

    static double sum(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s;
    }

    /** The longest rounding path of the Gram forms: a Gram entry (n or m), its product, r² terms, the nnz sum, combination. */
    int roundings(int r) {
        long k = val.length + (long) n + m + (long) r * r + 4L * r + 24;
        return (int) Math.min(k, Integer.MAX_VALUE / 2);
    }

    /**
     * F̂ = Σ_nnz (V − WH)² + (⟨WᵀW, HHᵀ⟩ − Σ_nnz (WH)²) (only the bracket cancels: it is ‖WH‖² over the zeros of V) and
     * {F̂, its error bound, an upper bound on ‖a‖²_F with a = V + |W||H|}. Every monomial of the three sums is bounded by
     * the same monomial with |W|, |H|; those add up to at most Σ_nnz a² + 2‖|W||H|‖² ≤ ‖a‖² + 2G, G = ⟨|W|ᵀ|W|, |H||H|ᵀ⟩,
     * where ‖a‖² = ‖V‖² + 2⟨V, |W||H|⟩_nnz + G (no cancellation). Each passes at most K = {@link #roundings} roundings.
     */
    double[] objective(double[] wd, double[] hd, int r) {
        double[] aw = Point.abs(wd), ah = Point.abs(hd);
        double[] wtw = gramCols(wd, wd, n, r), hht = gramRows(hd, hd, r, m);
        double[] awtw = gramCols(aw, aw, n, r), ahht = gramRows(ah, ah, r, m);
        double f1 = 0, f3 = 0, v2 = 0, cross = 0, vmax = 0;
        for (int i = 0; i < n; i++) {
            for (int p = ip[i]; p < ip[i + 1]; p++) {
                int j = idx[p];
                double s = 0, sa = 0;
                for (int k = 0; k < r; k++) {
                    s += wd[i * r + k] * hd[k * m + j];
                    sa += aw[i * r + k] * ah[k * m + j];
                }
                double x = val[p], res = x - s;
                f1 += res * res;
                f3 += s * s;
                v2 += x * x;
                cross += x * sa;
                vmax = Math.max(vmax, x);
            }
        }
        double f = f1 + (Forms.dot(wtw, hht) - f3);
        double g = gramAbsBound(awtw, ahht, r);
        double gk = Point.gammaK(roundings(r)), nnz = val.length;
        double gramSum = (sum(awtw) + sum(ahht)) * (1 + 2 * gk);
        // underflow: each product may lose MIN_NORMAL·2⁻⁵³ absolutely (MIN_NORMAL taken), multiplied later by at most a
        // Gram entry, 2|R̂_ij| + 2|(WH)_ij| ≤ 4(a_ij + 1), or V_ij (Σ_nnz a_ij ≤ √nnz·‖a‖)
        double a2 = (v2 + 2 * cross + g) * (1 + 2 * gk);
        double under = 4 * Double.MIN_NORMAL * ((r + 2) * (4 * Math.sqrt(nnz * a2) + 4 * nnz + nnz * vmax)
                + ((double) n + m + 2) * ((double) r * r + 1) * (gramSum + 1) + 8);
        a2 = (a2 + under) * (1 + 4 * U);
        double err = (gk * (a2 + 2 * g) * (1 + 2 * gk) + under) * (1 + 4 * U);
        return new double[] {f, err, a2};
    }

    /** G = ⟨|W|ᵀ|W|, |H||H|ᵀ⟩ = ‖|W||H|‖², rounded up: every term is non-negative, so within γ_K of the computed value. */
    private double gramAbsBound(double[] awtw, double[] ahht, int r) {
        return Forms.dot(awtw, ahht) * (1 + 2 * Point.gammaK(roundings(r)));
    }

    /**
     * q(d) = 2(⟨dWᵀdW, HHᵀ⟩ + 2⟨dWᵀW, H dHᵀ⟩ + ⟨WᵀW, dH dHᵀ⟩) − 4(⟨V, dW·dH⟩_nnz − ⟨WᵀdW, H dHᵀ⟩) (= 2‖dW·H + W·dH‖²
     * − 4⟨R, dW·dH⟩) and its rounding bound: every monomial of the expansion is bounded by the same monomial with
     * absolute values, which the same Grams of |W|, |H|, |d| sum; d's rounding to double adds 2 roundings per monomial.
     */
    Point.Curvature curvature(double[] d, double[] wd, double[] hd, int r) {
        int nw = n * r;
        double[] dw = java.util.Arrays.copyOfRange(d, 0, nw), dh = java.util.Arrays.copyOfRange(d, nw, d.length);
        double[][] x = {dw, wd, hd, dh};
        double[][] ax = {Point.abs(dw), Point.abs(wd), Point.abs(hd), Point.abs(dh)};
        double[] q = new double[2];
        double gramSum = 0;
        for (int t = 0; t < 2; t++) {
            double[][] f = t == 0 ? x : ax;
            double[] dwdw = gramCols(f[0], f[0], n, r), dww = gramCols(f[0], f[1], n, r), ww = gramCols(f[1], f[1], n, r);
            double[] hh = gramRows(f[2], f[2], r, m), hdh = gramRows(f[2], f[3], r, m), dhdh = gramRows(f[3], f[3], r, m);
            // ⟨WᵀdW, H dHᵀ⟩ = Σ_kl (dWᵀW)_lk (H dHᵀ)_kl
            double wdw = 0;
            for (int k = 0; k < r; k++) {
                for (int l = 0; l < r; l++) {
                    wdw += dww[l * r + k] * hdh[k * r + l];
                }
            }
            double pv = 0;
            for (int i = 0; i < n; i++) {
                for (int p = ip[i]; p < ip[i + 1]; p++) {
                    int j = idx[p];
                    double s = 0;
                    for (int k = 0; k < r; k++) {
                        s += f[0][i * r + k] * f[3][k * m + j];
                    }
                    pv += val[p] * s;
                }
            }
            double e2 = Forms.dot(dwdw, hh) + 2 * Forms.dot(dww, hdh) + Forms.dot(ww, dhdh);
            q[t] = t == 0 ? 2 * e2 - 4 * (pv - wdw) : 2 * e2 + 4 * (pv + wdw);
            if (t == 1) {
                for (double[] g : new double[][] {dwdw, dww, ww, hh, hdh, dhdh}) {
                    gramSum += sum(g);
                }
            }
        }
        double vmax = 0;
        for (double y : val) {
            vmax = Math.max(vmax, y);
        }
        double g = Point.gammaK(roundings(r) + 4);
        double under = 0x1p-1060 * (((double) n + m + 8) * ((double) r * r + 1) * (1 + gramSum)
                + (val.length + 1.0) * (r + 2) * (1 + vmax));
        double bound = (g * q[1] * (1 + 2 * g) + under) * (1 + 4 * U);
        if (!Double.isFinite(q[0]) || !Double.isFinite(bound)) {
            return new Point.Curvature(q[0], Double.POSITIVE_INFINITY);
        }
        return new Point.Curvature(q[0], bound);
    }

    /**
     * P_L ∇²F d by Grams (no n×m array): the W part 2(dW(HHᵀ) + W(dH Hᵀ) − V dHᵀ + W(H dHᵀ)) (= 2(S Hᵀ − R dHᵀ), S =
     * dW·H + W·dH), the H part 2((WᵀdW)H + (WᵀW)dH − dWᵀV + (dWᵀW)H); zero off L.
     */
    double[] hessianTimesOnL(double[] d, boolean[] free, double[] wd, double[] hd, int r) {
        int nw = n * r;
        double[] dw = java.util.Arrays.copyOfRange(d, 0, nw), dh = java.util.Arrays.copyOfRange(d, nw, d.length);
        double[] hh = gramRows(hd, hd, r, m), hdh = gramRows(hd, dh, r, m), ww = gramCols(wd, wd, n, r), dww = gramCols(dw, wd, n, r);
        double[] out = new double[d.length];
        double[] dwv = new double[r * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                double a = 0, b = 0, c = 0, e = 0, dik = dw[i * r + k];
                for (int l = 0; l < r; l++) {
                    a += dw[i * r + l] * hh[l * r + k];
                    b += wd[i * r + l] * hdh[k * r + l];
                    c += wd[i * r + l] * hdh[l * r + k];
                }
                for (int p = ip[i]; p < ip[i + 1]; p++) {
                    e += val[p] * dh[k * m + idx[p]];
                    if (dik != 0) {
                        dwv[k * m + idx[p]] += dik * val[p];
                    }
                }
                if (free[i * r + k]) {
                    out[i * r + k] = 2 * (a + b - e + c);
                }
            }
        }
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                if (free[nw + k * m + j]) {
                    double a = 0, b = 0, c = 0;
                    for (int l = 0; l < r; l++) {
                        a += dww[l * r + k] * hd[l * m + j];
                        b += ww[k * r + l] * dh[l * m + j];
                        c += dww[k * r + l] * hd[l * m + j];
                    }
                    out[nw + k * m + j] = 2 * (a + b - dwv[k * m + j] + c);
                }
            }
        }
        return out;
    }

    /**
     * φ with ‖fl(P_L∇²F d) − P_L∇²F d‖ ≤ φ‖d‖ + {@link #hessianTimesUnderflow} for {@link #hessianTimesOnL}: each entry errs
     * by γ_K times the same expression in |W|, |H|, |V|, |d| (K = max(n, m) + 2r + 12: a Gram, its product, r terms, four
     * parts), whose norm is at most 2(‖H‖² + ‖W‖² + 4‖W‖‖H‖ + 2‖V‖)‖d‖ (‖|A||B|‖ ≤ ‖A‖‖B‖); plus the part of the underflow
     * proportional to ‖d‖∞ ≤ ‖d‖.
     */
    double hessianTimesBound(double[] wd, double[] hd, int r) {
        double w2 = Forms.dot(wd, wd), h2 = Forms.dot(hd, hd), v2 = Forms.dot(val, val);
        double safe = 1 + 4.0 * (val.length + wd.length + hd.length + 8) * U;
        double nw = Math.sqrt(w2 * safe), nh = Math.sqrt(h2 * safe), nv = Math.sqrt(v2 * safe);
        double g = Point.gammaK(Math.max(n, m) + 2 * r + 12);
        return (2 * g * (nh * nh + nw * nw + 4 * nw * nh + 2 * nv) + underflowProducts(r)) * safe * safe;
    }

    /**
     * The rest of the underflow: an entry combines at most C = 4r·max(n, m) + n + m + 4r + 8 products, each of which may
     * lose 2⁻¹⁰⁷⁵ (MIN_NORMAL taken), later multiplied by at most 1 + ξ + ‖d‖∞; over the √N entries, times 2.
     */
    double hessianTimesUnderflow(int r, double xiAbs) {
        return underflowProducts(r) * (1 + xiAbs);
    }

    private double underflowProducts(int r) {
        double c = 4.0 * r * Math.max(n, m) + n + m + 4.0 * r + 8;
        return 2 * c * Math.sqrt((double) (n + m) * r) * Double.MIN_NORMAL * (1 + 1e-9);
    }

    /**
     * The digest provenance.sha256.V names (../shared/spec/certify.md): the dense one (zeros streamed) up to
     * {@link DataMatrix#DENSE_MAX_ENTRIES} entries, above that SHA-256 of rows, cols (8-byte big-endian) and, for every
     * non-zero in row-major order, its position i·cols + j (8-byte big-endian) and value (binary64 big-endian).
     */
    String sha256() {
        boolean large = (long) n * m > DataMatrix.DENSE_MAX_ENTRIES;
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
            b.putLong(n).putLong(m);
            double[] a = v.values();
            for (int i = 0; i < n; i++) {
                for (int p = ip[i], j = 0; large ? p < ip[i + 1] : j < m; j++) {
                    if (b.remaining() < 16) {
                        md.update(b.array(), 0, b.position());
                        b.clear();
                    }
                    if (large) {
                        if (a[p] != 0) {
                            b.putLong((long) i * m + idx[p]).putDouble(a[p]);
                        }
                        p++;
                    } else {
                        b.putDouble(p < ip[i + 1] && idx[p] == j ? a[p++] : 0.0);
                    }
                }
            }
            md.update(b.array(), 0, b.position());
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    // ---------------------------------------------------------------- exact forms on the non-zeros and r×r Grams

    /**
     * The integer forms of {@link Point}: W = w·2^eW, H = h·2^eH, V = V-integers·2^eV, R at 2^eR with eR = min(eV, eW + eH),
     * so V enters R shifted by sV = eV − eR and WH by sP = eW + eH − eR.
     */
    record Ints(BigInteger[] w, BigInteger[] h, int r, int eV, int eW, int eH, int eR) {
        int sV() {
            return eV - eR;
        }

        int sP() {
            return eW + eH - eR;
        }
    }

    /** Σ_i a_ik b_il (n×r factors) or, {@code rows}, Σ_j a_kj b_lj (r×m factors), row-major r×r. */
    static BigInteger[] gram(BigInteger[] a, BigInteger[] b, int len, int r, boolean rows) {
        BigInteger[] g = new BigInteger[r * r];
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                BigInteger s = BigInteger.ZERO;
                for (int t = 0; t < len; t++) {
                    BigInteger x = rows ? a[k * len + t] : a[t * r + k], y = rows ? b[l * len + t] : b[t * r + l];
                    if (x.signum() != 0 && y.signum() != 0) {
                        s = s.add(x.multiply(y));
                    }
                }
                g[k * r + l] = s;
            }
        }
        return g;
    }

    /** Σ_kl a_kl b_kl, or with {@code transposeA} Σ_kl a_lk b_kl. */
    static BigInteger inner(BigInteger[] a, BigInteger[] b, int r, boolean transposeA) {
        BigInteger s = BigInteger.ZERO;
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                s = s.add((transposeA ? a[l * r + k] : a[k * r + l]).multiply(b[k * r + l]));
            }
        }
        return s;
    }

    /** x·G (x n×r, G r×r; {@code transposeG}: x·Gᵀ), n×r. */
    static BigInteger[] timesGram(BigInteger[] x, BigInteger[] g, int n, int r, boolean transposeG) {
        BigInteger[] out = new BigInteger[n * r];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                BigInteger s = BigInteger.ZERO;
                for (int l = 0; l < r; l++) {
                    BigInteger y = x[i * r + l];
                    if (y.signum() != 0) {
                        s = s.add(y.multiply(transposeG ? g[k * r + l] : g[l * r + k]));
                    }
                }
                out[i * r + k] = s;
            }
        }
        return out;
    }

    /** G·x (G r×r, x r×m; {@code transposeG}: Gᵀ·x), r×m. */
    static BigInteger[] gramTimes(BigInteger[] g, BigInteger[] x, int r, int m, boolean transposeG) {
        BigInteger[] out = new BigInteger[r * m];
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                BigInteger s = BigInteger.ZERO;
                for (int l = 0; l < r; l++) {
                    BigInteger y = x[l * m + j];
                    if (y.signum() != 0) {
                        s = s.add((transposeG ? g[l * r + k] : g[k * r + l]).multiply(y));
                    }
                }
                out[k * m + j] = s;
            }
        }
        return out;
    }

    /** V's stored values as integers times 2^eV. */
    private BigInteger[] vInts(int eV) {
        double[] a = v.values();
        BigInteger[] out = new BigInteger[a.length];
        for (int p = 0; p < a.length; p++) {
            out[p] = Exact.scaled(a[p], eV);
        }
        return out;
    }

    /** {V·bᵀ (n×r), aᵀ·V (r×m)} on the non-zeros, for a n×r and b r×m (integer forms; V-integers at 2^eV). */
    private BigInteger[][] vProducts(BigInteger[] vi, BigInteger[] a, BigInteger[] b, int r) {
        BigInteger[] vb = new BigInteger[n * r], av = new BigInteger[r * m];
        java.util.Arrays.fill(av, BigInteger.ZERO);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                BigInteger s = BigInteger.ZERO, aik = a[i * r + k];
                for (int p = ip[i]; p < ip[i + 1]; p++) {
                    int j = idx[p];
                    s = s.add(vi[p].multiply(b[k * m + j]));
                    if (aik.signum() != 0) {
                        av[k * m + j] = av[k * m + j].add(aik.multiply(vi[p]));
                    }
                }
                vb[i * r + k] = s;
            }
        }
        return new BigInteger[][] {vb, av};
    }

    /**
     * The exact gradient and F without forming WH: R Hᵀ = V Hᵀ·2^sV − W(HHᵀ)·2^sP, Wᵀ R = WᵀV·2^sV − (WᵀW)H·2^sP and
     * ‖R‖² = Σ_nnz V²·2^{2sV} − 2Σ_nnz V(WH)·2^{sV+sP} + ⟨WᵀW, HHᵀ⟩·2^{2sP}, in the exponents of {@link Point#exactFirstOrder}.
     */
    Point.ExactFirstOrder exactFirstOrder(Ints z) {
        int r = z.r(), nw = n * r, sV = z.sV(), sP = z.sP();
        BigInteger[] vi = vInts(z.eV());
        BigInteger[] hh = gram(z.h(), z.h(), m, r, true), ww = gram(z.w(), z.w(), n, r, false);
        BigInteger[][] vp = vProducts(vi, z.w(), z.h(), r);
        BigInteger[] whh = timesGram(z.w(), hh, n, r, false), wwh = gramTimes(ww, z.h(), r, m, false);
        BigFraction[] g = new BigFraction[nw + r * m];
        for (int q = 0; q < nw; q++) {
            BigInteger rht = vp[0][q].shiftLeft(sV).subtract(whh[q].shiftLeft(sP));
            g[q] = Exact.fromDyadic(rht.shiftLeft(1).negate(), z.eR() + z.eH());
        }
        for (int q = 0; q < r * m; q++) {
            BigInteger wtr = vp[1][q].shiftLeft(sV).subtract(wwh[q].shiftLeft(sP));
            g[nw + q] = Exact.fromDyadic(wtr.shiftLeft(1).negate(), z.eW() + z.eR());
        }
        BigInteger v2 = BigInteger.ZERO, vp2 = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            for (int p = ip[i]; p < ip[i + 1]; p++) {
                BigInteger s = BigInteger.ZERO;
                for (int k = 0; k < r; k++) {
                    s = s.add(z.w()[i * r + k].multiply(z.h()[k * m + idx[p]]));
                }
                v2 = v2.add(vi[p].multiply(vi[p]));
                vp2 = vp2.add(vi[p].multiply(s));
            }
        }
        BigInteger f = v2.shiftLeft(2 * sV).subtract(vp2.shiftLeft(1 + sV + sP)).add(inner(ww, hh, r, false).shiftLeft(2 * sP));
        return new Point.ExactFirstOrder(g, Exact.fromDyadic(f, 2 * z.eR()));
    }

    /** The direction's parts as integers over d.den: {dW (n×r), dH (r×m)}. */
    private static BigInteger[][] parts(Direction d, int nw) {
        return new BigInteger[][] {java.util.Arrays.copyOfRange(d.num, 0, nw), java.util.Arrays.copyOfRange(d.num, nw, d.num.length)};
    }

    /**
     * q(d) exactly by Grams: with E = dW·H·2^a + W·dH·2^b (a = eH − eS, b = eW − eS, eS = min(eW, eH)) as in
     * {@link Point#curvatureExact}, ‖E‖² = ⟨dWᵀdW, HHᵀ⟩2^{2a} + 2⟨dWᵀW, H dHᵀ⟩2^{a+b} + ⟨WᵀW, dH dHᵀ⟩2^{2b} and
     * ⟨R, dW dH⟩ = ⟨V, dW dH⟩_nnz·2^sV − ⟨WᵀdW, H dHᵀ⟩·2^sP.
     */
    BigFraction curvatureExact(Ints z, Direction d) {
        int r = z.r(), eS = Math.min(z.eW(), z.eH()), a = z.eH() - eS, b = z.eW() - eS;
        BigInteger[][] dd = parts(d, n * r);
        BigInteger[] dw = dd[0], dh = dd[1];
        BigInteger[] dwdw = gram(dw, dw, n, r, false), dww = gram(dw, z.w(), n, r, false), ww = gram(z.w(), z.w(), n, r, false);
        BigInteger[] hh = gram(z.h(), z.h(), m, r, true), hdh = gram(z.h(), dh, m, r, true), dhdh = gram(dh, dh, m, r, true);
        BigInteger s1 = inner(dwdw, hh, r, false).shiftLeft(2 * a).add(inner(dww, hdh, r, false).shiftLeft(1 + a + b))
                .add(inner(ww, dhdh, r, false).shiftLeft(2 * b));
        BigInteger[] vi = vInts(z.eV());
        BigInteger pv = BigInteger.ZERO;
        for (int i = 0; i < n; i++) {
            for (int p = ip[i]; p < ip[i + 1]; p++) {
                BigInteger s = BigInteger.ZERO;
                for (int k = 0; k < r; k++) {
                    if (dw[i * r + k].signum() != 0) {
                        s = s.add(dw[i * r + k].multiply(dh[k * m + idx[p]]));
                    }
                }
                pv = pv.add(vi[p].multiply(s));
            }
        }
        BigInteger s2 = pv.shiftLeft(z.sV()).subtract(inner(dww, hdh, r, true).shiftLeft(z.sP()));
        int e0 = Math.min(2 * eS, z.eR());
        BigInteger numer = s1.shiftLeft(1 + 2 * eS - e0).subtract(s2.shiftLeft(2 + z.eR() - e0));
        return Exact.fromDyadic(numer, e0).divide(new BigFraction(d.den.multiply(d.den)));
    }

    /**
     * ∇²F·d exactly by Grams, in {@link Point#hessianTimes}' exponents: E Hᵀ = dW(HHᵀ)2^a + W(dH Hᵀ)2^b,
     * R dHᵀ = V dHᵀ·2^sV − W(H dHᵀ)·2^sP, Wᵀ E = (WᵀdW)H·2^a + (WᵀW)dH·2^b, dWᵀ R = dWᵀV·2^sV − (dWᵀW)H·2^sP.
     */
    BigFraction[] hessianTimes(Ints z, Direction d) {
        int r = z.r(), nw = n * r, eS = Math.min(z.eW(), z.eH()), a = z.eH() - eS, b = z.eW() - eS;
        BigInteger[][] dd = parts(d, nw);
        BigInteger[] dw = dd[0], dh = dd[1];
        BigInteger[] hh = gram(z.h(), z.h(), m, r, true), ww = gram(z.w(), z.w(), n, r, false);
        // hdh[k][l] = Σ_j H_kj dH_lj, dww[k][l] = Σ_i dW_ik W_il
        BigInteger[] hdh = gram(z.h(), dh, m, r, true), dww = gram(dw, z.w(), n, r, false);
        BigInteger[][] vp = vProducts(vInts(z.eV()), dw, dh, r);
        BigInteger[] ehW1 = timesGram(dw, hh, n, r, false), ehW2 = timesGram(z.w(), hdh, n, r, true);
        BigInteger[] rdW = timesGram(z.w(), hdh, n, r, false);
        BigInteger[] weH1 = gramTimes(dww, z.h(), r, m, true), weH2 = gramTimes(ww, dh, r, m, false);
        BigInteger[] drH = gramTimes(dww, z.h(), r, m, false);
        BigFraction twoOverDen = new BigFraction(BigInteger.TWO, d.den);
        BigFraction[] out = new BigFraction[nw + r * m];
        for (int q = 0; q < nw; q++) {
            BigInteger pw1 = ehW1[q].shiftLeft(a).add(ehW2[q].shiftLeft(b));
            BigInteger pw2 = vp[0][q].shiftLeft(z.sV()).subtract(rdW[q].shiftLeft(z.sP()));
            out[q] = Exact.fromDyadic(pw1, eS + z.eH()).subtract(Exact.fromDyadic(pw2, z.eR())).multiply(twoOverDen);
        }
        for (int q = 0; q < r * m; q++) {
            BigInteger ph1 = weH1[q].shiftLeft(a).add(weH2[q].shiftLeft(b));
            BigInteger ph2 = vp[1][q].shiftLeft(z.sV()).subtract(drH[q].shiftLeft(z.sP()));
            out[nw + q] = Exact.fromDyadic(ph1, z.eW() + eS).subtract(Exact.fromDyadic(ph2, z.eR())).multiply(twoOverDen);
        }
        return out;
    }
}
