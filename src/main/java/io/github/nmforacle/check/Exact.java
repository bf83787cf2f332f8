package io.github.nmforacle.check;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.regex.Pattern;
import org.hipparchus.fraction.BigFraction;

/**
 * Exact rationals for the checker: parsing the certificate's exact strings, doubles as dyadic rationals,
 * and printing. Nothing here rounds except {@link #toDouble} and {@link #show}.
 */
final class Exact {
    /** Longest exact string accepted (a double's exact decimal has at most about 770 significant digits). */
    static final int MAX_LENGTH = 100_000;
    /** Largest |decimal exponent| accepted, so that a doctored "1E999999999" cannot exhaust memory. */
    static final int MAX_SCALE = 20_000;

    private static final Pattern FRACTION = Pattern.compile("[+-]?[0-9]+/[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final MathContext ROUND = new MathContext(30);

    private Exact() {
    }

    /**
     * Parses a decimal ("0.1", "-2.5E-7", "3") or a fraction ("p/q", q &gt; 0) exactly.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static BigFraction parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("missing exact number");
        }
        String t = s.trim();
        if (t.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("exact number longer than " + MAX_LENGTH + " characters");
        }
        if (FRACTION.matcher(t).matches()) {
            int slash = t.indexOf('/');
            BigInteger p = new BigInteger(t.substring(0, slash));
            BigInteger q = new BigInteger(t.substring(slash + 1));
            if (q.signum() == 0) {
                throw new IllegalArgumentException("zero denominator in '" + abbreviate(t) + "'");
            }
            return new BigFraction(p, q);
        }
        if (!DECIMAL.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + abbreviate(t) + "' is not an exact decimal or fraction p/q");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(t);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + abbreviate(t) + "' is not an exact decimal");
        }
        int scale = d.scale();
        if (Math.abs((long) scale) > MAX_SCALE) {
            throw new IllegalArgumentException("decimal exponent of '" + abbreviate(t) + "' is out of range");
        }
        BigInteger unscaled = d.unscaledValue();
        if (scale >= 0) {
            return new BigFraction(unscaled, BigInteger.TEN.pow(scale));
        }
        return new BigFraction(unscaled.multiply(BigInteger.TEN.pow(-scale)));
    }

    /** The exact value of a finite double. */
    static BigFraction of(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("not a finite number: " + x);
        }
        return fromDyadic(mantissa(x), exponent(x));
    }

    /** f·2^e exactly. */
    static BigFraction scalb(BigFraction f, int e) {
        if (e == 0 || f.signum() == 0) {
            return f;
        }
        return e > 0 ? f.multiply(new BigFraction(BigInteger.ONE.shiftLeft(e)))
                : f.divide(new BigFraction(BigInteger.ONE.shiftLeft(-e)));
    }

    /** num·2^exp as a fraction. */
    static BigFraction fromDyadic(BigInteger num, int exp) {
        if (num.signum() == 0) {
            return BigFraction.ZERO;
        }
        return exp >= 0 ? new BigFraction(num.shiftLeft(exp)) : new BigFraction(num, BigInteger.ONE.shiftLeft(-exp));
    }

    /** The signed odd (or zero) integer mantissa M of a finite double x = M·2^{exponent(x)}. */
    static BigInteger mantissa(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long mant = rawMantissa(bits);
        if (mant == 0) {
            return BigInteger.ZERO;
        }
        mant >>>= Long.numberOfTrailingZeros(mant);
        return BigInteger.valueOf(bits < 0 ? -mant : mant);
    }

    /** The exponent e with x = mantissa(x)·2^e (0 for x = 0). */
    static int exponent(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long mant = rawMantissa(bits);
        if (mant == 0) {
            return 0;
        }
        int biased = (int) ((bits >>> 52) & 0x7ff);
        int e = biased == 0 ? -1074 : biased - 1075;
        return e + Long.numberOfTrailingZeros(mant);
    }

    private static long rawMantissa(long bits) {
        long frac = bits & 0xfffffffffffffL;
        int biased = (int) ((bits >>> 52) & 0x7ff);
        return biased == 0 ? frac : frac | (1L << 52);
    }

    /** The smallest exponent over the non-zero entries (0 if all are zero): every entry is an integer times 2^that. */
    static int commonExponent(double[] a) {
        int e = Integer.MAX_VALUE;
        for (double x : a) {
            if (x != 0) {
                e = Math.min(e, exponent(x));
            }
        }
        return e == Integer.MAX_VALUE ? 0 : e;
    }

    /** x / 2^e as an integer; requires exponent(x) ≥ e. */
    static BigInteger scaled(double x, int e) {
        if (x == 0) {
            return BigInteger.ZERO;
        }
        return mantissa(x).shiftLeft(exponent(x) - e);
    }

    /** The nearest-ish double (relative error below 1e-29 before the final rounding). */
    static double toDouble(BigFraction f) {
        if (f.signum() == 0) {
            return 0;
        }
        return new BigDecimal(f.getNumerator()).divide(new BigDecimal(f.getDenominator()), ROUND).doubleValue();
    }

    /** "p/q" or "p": the exact form, as written in certificates. */
    static String text(BigFraction f) {
        return f.getDenominator().equals(BigInteger.ONE) ? f.getNumerator().toString()
                : f.getNumerator() + "/" + f.getDenominator();
    }

    /** A short human form: the exact text when short, else a 6-digit rounding marked with "≈". */
    static String show(BigFraction f) {
        String t = text(f);
        return t.length() <= 24 ? t : "≈" + String.format(java.util.Locale.ROOT, "%.6e", toDouble(f));
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
