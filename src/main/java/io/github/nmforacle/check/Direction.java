package io.github.nmforacle.check;

import java.math.BigInteger;
import org.hipparchus.fraction.BigFraction;

/**
 * A direction d = (dW, dH) with exact rational entries, in the coordinate order of {@link Point} (W row-major,
 * then H row-major). Also kept as integers over one common denominator, for fast exact quadratic forms.
 */
final class Direction {
    final int n;
    final int m;
    final int r;
    private final BigFraction[] d;
    /** d_p = num[p] / den. */
    final BigInteger[] num;
    final BigInteger den;

    Direction(int n, int m, int r, BigFraction[] d) {
        if (d.length != n * r + r * m) {
            throw new IllegalArgumentException("direction has " + d.length + " entries, expected " + (n * r + r * m));
        }
        this.n = n;
        this.m = m;
        this.r = r;
        this.d = d.clone();
        BigInteger l = BigInteger.ONE;
        for (BigFraction f : d) {
            BigInteger q = f.getDenominator();
            if (!q.equals(BigInteger.ONE) && !l.mod(q).equals(BigInteger.ZERO)) {
                l = l.divide(l.gcd(q)).multiply(q);
            }
        }
        this.den = l;
        this.num = new BigInteger[d.length];
        for (int p = 0; p < d.length; p++) {
            num[p] = d[p].getNumerator().multiply(l.divide(d[p].getDenominator()));
        }
    }

    int size() {
        return d.length;
    }

    BigFraction get(int p) {
        return d[p];
    }

    boolean isZero() {
        for (BigInteger x : num) {
            if (x.signum() != 0) {
                return false;
            }
        }
        return true;
    }

    /** Σ_p d_p, exactly. */
    BigFraction sum() {
        BigInteger s = BigInteger.ZERO;
        for (BigInteger x : num) {
            s = s.add(x);
        }
        return new BigFraction(s, den);
    }

    /** The entries rounded to double (relative error ≤ 2⁻⁵³(1 + 10⁻²⁰) each, apart from underflow). */
    double[] toDoubles() {
        double[] out = new double[d.length];
        for (int p = 0; p < d.length; p++) {
            out[p] = d[p].signum() == 0 ? 0 : Exact.toDouble(d[p]);
        }
        return out;
    }
}
