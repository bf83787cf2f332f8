package io.github.nmforacle.certify;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.hipparchus.fraction.BigFraction;

/**
 * The power-of-two normalisation of float mode (issue 12): F is homogeneous, F(2^k W, 2^k H; 2^{2k} V) = 2^{4k} F(W, H; V),
 * so (2^{2k}V, 2^k W, 2^k H) is the same point up to scale: ∇F scales by 2^{3k}, ∇²F by 2^{2k}, and every sign, class
 * and PSD verdict is the same (for S-NMF the sum C scales by 2^k). Float mode certifies the normalised point, whose
 * largest of max V and max|W|·max|H| is of order 1, instead of the given one, and reports in the input's units
 * (proofs-notes/certifier.md, "Power-of-two normalisation").
 *
 * <p>k is chosen so that every entry scales exactly: multiplying by 2^k never rounds unless the result leaves the
 * double range (overflow) or loses its lowest set bit below 2^-1074 (underflow). The feasible k form an interval that
 * contains 0; the target k is clamped into it, so the normalised point is always exactly the given point, scaled.
 *
 * @param k the exponent (0: nothing scaled)
 * @param v 2^{2k} V
 * @param w 2^k W
 * @param h 2^k H
 * @param options the options with C replaced by 2^k C (S-NMF)
 * @param clamped true when the target exponent was limited by the dynamic range of the input
 */
record Normalisation(int k, DataMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions options, boolean clamped) {

    /** ⌊log₂|x|⌋ for finite x ≠ 0, exact also for subnormals. */
    static int exponent(double x) {
        double a = Math.abs(x);
        return a >= Double.MIN_NORMAL ? Math.getExponent(a) : Math.getExponent(a * 0x1p54) - 54;
    }

    /** The exponent of the lowest set bit of x ≠ 0 (x is an odd multiple of 2^lowBit). */
    static int lowBit(double x) {
        long bits = Double.doubleToRawLongBits(Math.abs(x));
        long mant = bits & ((1L << 52) - 1);
        int biased = (int) (bits >>> 52);
        long sig = biased == 0 ? mant : mant | (1L << 52);
        int base = biased == 0 ? -1074 : biased - 1075;
        return base + Long.numberOfTrailingZeros(sig);
    }

    static Normalisation of(DataMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        // a sparse V: the same scan and scaling over its stored values (its zeros scale exactly)
        double[] stored = v instanceof CsrMatrix c ? c.values() : ((DenseMatrix) v).data();
        int eV = Integer.MIN_VALUE, eW = Integer.MIN_VALUE, eH = Integer.MIN_VALUE;
        // feasible k: 2^k x exact for W, H entries; 2^{2k} x exact for V entries
        long kMin = Long.MIN_VALUE / 4, kMax = Long.MAX_VALUE / 4;
        for (double x : stored) {
            if (x != 0) {
                int e = exponent(x);
                eV = Math.max(eV, e);
                kMax = Math.min(kMax, Math.floorDiv(1023 - e, 2));
                kMin = Math.max(kMin, -Math.floorDiv(1074 + lowBit(x), 2));
            }
        }
        for (DenseMatrix a : new DenseMatrix[] {w, h}) {
            int em = Integer.MIN_VALUE;
            for (double x : a.data()) {
                if (x != 0) {
                    int e = exponent(x);
                    em = Math.max(em, e);
                    kMax = Math.min(kMax, 1023 - e);
                    kMin = Math.max(kMin, -1074 - lowBit(x));
                }
            }
            if (a == w) {
                eW = em;
            } else {
                eH = em;
            }
        }
        if (o.isSimplex()) {
            // C is used as a double in float mode: keep it normal (C is exact in the options as a rational)
            double c = o.simplexSum().doubleValue();
            if (c > 0 && Double.isFinite(c)) {
                int e = exponent(c);
                kMax = Math.min(kMax, 1023 - e);
                kMin = Math.max(kMin, -1022 - e);
            }
        }
        // P: exponent of the larger of max V and max|W|·max|H| (the scale of V and of WH)
        long p = Long.MIN_VALUE;
        if (eV != Integer.MIN_VALUE) {
            p = eV;
        }
        if (eW != Integer.MIN_VALUE && eH != Integer.MIN_VALUE) {
            p = Math.max(p, (long) eW + eH);
        } else if (p == Long.MIN_VALUE) {
            // V = 0 and W = 0 or H = 0: the largest factor to order 1
            long e = Math.max(eW, eH);
            p = e == Integer.MIN_VALUE ? 0 : 2 * e;
        }
        long target = -Math.floorDiv(p, 2);
        long k = Math.max(kMin, Math.min(kMax, target));
        if (kMin > kMax) {
            k = 0; // cannot happen (0 is always feasible); safe side
        }
        boolean clamped = k != target;
        if (k == 0) {
            return new Normalisation(0, v, w, h, o, clamped);
        }
        int ki = (int) k;
        DenseMatrix vd = scaled(new DenseMatrix(1, stored.length, stored), 2 * ki), ws = scaled(w, ki), hs = scaled(h, ki);
        DataMatrix vs = vd == null ? null : v instanceof CsrMatrix c ? c.withValues(vd.data())
                : new DenseMatrix(v.rows(), v.cols(), vd.data());
        if (vs == null || ws == null || hs == null) {
            return new Normalisation(0, v, w, h, o, true); // not reached: k is feasible by construction
        }
        CertifyOptions os = o.isSimplex()
                ? new CertifyOptions(o.simplexSum().multiply(pow2(ki)), o.mode(), o.tolerances(), o.threads(), o.seed(),
                        o.maxFactorBytes())
                : o;
        return new Normalisation(ki, vs, ws, hs, os, clamped);
    }

    /** 2^e·A entrywise, or null if some entry would not scale exactly (checked by the round trip). */
    static DenseMatrix scaled(DenseMatrix a, int e) {
        DenseMatrix b = a.copy();
        double[] d = b.data();
        for (int i = 0; i < d.length; i++) {
            double x = d[i];
            double y = Math.scalb(x, e);
            if (!Double.isFinite(y) || Math.scalb(y, -e) != x) {
                return null;
            }
            d[i] = y;
        }
        return b;
    }

    static BigFraction pow2(int e) {
        return e >= 0 ? new BigFraction(BigInteger.ONE.shiftLeft(e)) : new BigFraction(BigInteger.ONE, BigInteger.ONE.shiftLeft(-e));
    }

    /** 2^e exactly as a decimal (2^-e = 5^e / 10^e). */
    static BigDecimal pow2Decimal(int e) {
        return e >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e)) : new BigDecimal(BigInteger.valueOf(5).pow(-e), -e);
    }

    String note() {
        return String.format(java.util.Locale.ROOT, "float mode certified the normalised point (2^%dV, 2^%dW, 2^%dH), the same"
                + " point up to scale (exact powers of two, no rounding)%s; objective (×2^%d), scales γ (×2^%d), ξ (×2^%d),"
                + " η (×2^%d), gradients and the multiplier (×2^%d), λ, μ, curvatures and their noise (×2^%d) are reported in"
                + " the input's units (they may under- or overflow there), residuals are scale-free; numbers quoted inside"
                + " reason strings are in the normalised units", 2 * k, k, k, clamped ? ", k limited by the dynamic range of"
                + " the input" : "", -4 * k, -3 * k, -k, -2 * k, -3 * k, -2 * k);
    }
}
