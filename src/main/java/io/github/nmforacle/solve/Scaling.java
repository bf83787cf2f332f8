package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import java.util.Locale;

/**
 * The power-of-two normalisation of the solvers (issue 12, item 5): F is homogeneous,
 * F(2^e W, 2^e H; 2^{2e} V) = 2^{4e} F(W, H; V), so every solver runs on V' = 2^{-2e} V, with e chosen from the
 * exponent of max V alone so that V and 2^{2k} V normalise to the same V' bit for bit, and its factors are mapped
 * back by 2^e exactly. Derivation of how each option and reported quantity scales: proofs-notes/solver-scaling.md.
 *
 * @param exponent e (0 for V = 0 or max V in [1, 4))
 * @param v        V' = 2^{-2e} V, with entries that would be subnormal set to 0
 * @param flushed  positive entries of V set to 0 in V' (below 2^-1022 · 2^{2e}, i.e. below about 2^-1024 max V:
 *                 their effect on F is far below the rounding of F)
 */
public record Scaling(int exponent, DataMatrix v, long flushed) {

    /** V' when V is dense (the normalisation keeps the storage of V). */
    public DenseMatrix denseV() {
        return (DenseMatrix) v;
    }

    /** The normalisation of a dense or sparse V: on a sparse V the same scan over its stored values, same bits. */
    public static Scaling of(DataMatrix v) {
        if (v instanceof DenseMatrix d) {
            return of(d);
        }
        CsrMatrix c = (CsrMatrix) v;
        DenseMatrix values = new DenseMatrix(1, c.nonZeros(), c.values());
        Scaling s = of(values);
        return s.v() == values ? new Scaling(0, v, 0)
                : new Scaling(s.exponent(), c.withValues(s.denseV().data()), s.flushed());
    }

    /** ⌊log₂ x⌋ for finite x &gt; 0, exact for subnormals too. */
    static int log2(double x) {
        return x >= Double.MIN_NORMAL ? Math.getExponent(x) : Math.getExponent(x * 0x1p54) - 54;
    }

    /** The normalisation of V (finite, ≥ 0; not validated here): max V' lies in [1, 4). */
    public static Scaling of(DenseMatrix v) {
        double max = 0;
        for (double x : v.data()) {
            max = Math.max(max, x);
        }
        if (!(max > 0)) {
            return new Scaling(0, v, 0);
        }
        int e = Math.floorDiv(log2(max), 2);
        double[] d = v.data();
        long flushed = 0;
        boolean negativeZero = false;
        for (double x : d) {
            double y = Math.scalb(x, -2 * e);
            if (x > 0 && y < Double.MIN_NORMAL) {
                flushed++;
            }
            negativeZero |= Double.doubleToRawLongBits(x) == Long.MIN_VALUE;
        }
        // -0.0 becomes +0.0 in a copy; copy then too, so that V' never depends on whether V needed scaling
        if (e == 0 && flushed == 0 && !negativeZero) {
            return new Scaling(0, v, 0);         // the common case: no copy of V
        }
        double[] s = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            double y = Math.scalb(d[i], -2 * e);
            // a subnormal entry has lost bits anyway and is far below the rounding of F; also slow to compute with
            s[i] = y < Double.MIN_NORMAL ? 0.0 : y;
        }
        return new Scaling(e, new DenseMatrix(v.rows(), v.cols(), s), flushed);
    }

    /** 2^p · a, entry by entry (exact unless an entry leaves the double range). */
    static DenseMatrix scale(DenseMatrix a, int p) {
        if (p == 0) {
            return a;
        }
        double[] d = a.data();
        double[] s = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            s[i] = Math.scalb(d[i], p);
        }
        return new DenseMatrix(a.rows(), a.cols(), s);
    }

    /** (2^p W, 2^p H). */
    static FactorPair scale(FactorPair x, int p) {
        return p == 0 ? x : new FactorPair(scale(x.w(), p), scale(x.h(), p));
    }

    /** Whether x · 2^p is a double that maps back to x exactly (no overflow, no loss of bits below 2^-1022). */
    public static boolean representable(double x, int p) {
        double y = Math.scalb(x, p);
        return Double.isNaN(x) || (Double.isFinite(y) || !Double.isFinite(x)) && Math.scalb(y, -p) == x;
    }

    /**
     * x · 2^p for output: {@code String.format(format, x·2^p)} when that is the exact value; otherwise
     * the honest form "x × 2^p (≈ d, below/above the double range)", never a rounded-away 0 or an overflowed ∞.
     */
    public static String format(String format, double x, int p) {
        if (representable(x, p)) {
            return String.format(Locale.ROOT, format, Math.scalb(x, p));
        }
        int q = log2(Math.abs(x)) + p;
        String side = q < 0 ? "below" : "above";
        return String.format(Locale.ROOT, format + " × 2^%d (≈ %s, %s the double range)", x, p, decimal(x, p), side);
    }

    /** x · 2^p in decimal scientific notation (4 significant digits) for any p: from log₁₀, as the value has no double. */
    static String decimal(double x, int p) {
        if (x == 0) {
            return "0";
        }
        double l = Math.log10(Math.abs(x)) + p * Math.log10(2.0);
        double d = Math.floor(l);
        double mant = Math.pow(10, l - d);
        if (mant >= 9.9995) {           // rounds to 10.000 at 4 digits
            mant /= 10;
            d += 1;
        }
        return String.format(Locale.ROOT, "%s%.3fe%+d", x < 0 ? "-" : "", mant, (long) d);
    }
}
