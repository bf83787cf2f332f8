package io.github.nmforacle.theory;

import java.util.List;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;

/**
 * The paper's constructions, as code over the rationals (proofs-notes/lemma-*.md, theorem-2.md). Each method
 * cites the lemma it implements; the properties in {@link TheoryProperties} check what the paper claims of them.
 */
public final class Constructions {
    /** Test-only switch: flips the sign of H_k in the Lemma 3 direction, to show that the properties can fail. */
    static volatile boolean breakLemma3ForTests = false;

    private Constructions() {
    }

    /** A direction d = (dW, dH). */
    public record Direction(FieldMatrix<BigFraction> dw, FieldMatrix<BigFraction> dh) {
        public BigFraction sum() {
            BigFraction s = BigFraction.ZERO;
            for (int i = 0; i < dw.getRowDimension(); i++) {
                for (int k = 0; k < dw.getColumnDimension(); k++) {
                    s = s.add(dw.getEntry(i, k));
                }
            }
            for (int k = 0; k < dh.getRowDimension(); k++) {
                for (int j = 0; j < dh.getColumnDimension(); j++) {
                    s = s.add(dh.getEntry(k, j));
                }
            }
            return s;
        }

        public Direction plus(Direction o, BigFraction a, BigFraction b) {
            return new Direction(dw.scalarMultiply(a).add(o.dw.scalarMultiply(b)), dh.scalarMultiply(a).add(o.dh.scalarMultiply(b)));
        }

        public boolean isZero() {
            for (FieldMatrix<BigFraction> a : List.of(dw, dh)) {
                for (int i = 0; i < a.getRowDimension(); i++) {
                    for (int j = 0; j < a.getColumnDimension(); j++) {
                        if (a.getEntry(i, j).signum() != 0) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
    }

    /**
     * Lemma 3's direction s̃_k: W^k in column k of dW, −H_k in row k of dH, zero elsewhere. Lemma 3 claims
     * ∇²F·s̃_k = (−∂F/∂W^k in column k, +∂F/∂H_k in row k, 0 elsewhere) at every point.
     */
    public static Direction scalingDirection(Exact x, int k) {
        FieldMatrix<BigFraction> dw = Exact.zeros(x.n, x.r), dh = Exact.zeros(x.r, x.m);
        for (int i = 0; i < x.n; i++) {
            dw.setEntry(i, k, x.w.getEntry(i, k));
        }
        for (int j = 0; j < x.m; j++) {
            BigFraction v = x.h.getEntry(k, j);
            dh.setEntry(k, j, breakLemma3ForTests ? v : v.negate());
        }
        return new Direction(dw, dh);
    }

    /** The right-hand side Lemma 3 predicts for ∇²F·s̃_k. */
    public static Direction lemma3Prediction(Exact x, int k) {
        FieldMatrix<BigFraction>[] g = x.gradient();
        FieldMatrix<BigFraction> dw = Exact.zeros(x.n, x.r), dh = Exact.zeros(x.r, x.m);
        for (int i = 0; i < x.n; i++) {
            dw.setEntry(i, k, g[0].getEntry(i, k).negate());
        }
        for (int j = 0; j < x.m; j++) {
            dh.setEntry(k, j, g[1].getEntry(k, j));
        }
        return new Direction(dw, dh);
    }

    /** ∇²F·d exactly. */
    public static Direction hessianTimes(Exact x, Direction d) {
        FieldMatrix<BigFraction>[] hd = x.f.hessianTimes(x.w, x.h, d.dw(), d.dh());
        return new Direction(hd[0], hd[1]);
    }

    /** Lemma 4: ‖W^k‖₁ − ‖H_k‖₁ for every k (zero at an S-NMF FOSP with c ≠ 0). */
    public static BigFraction[] lemma4Imbalance(Exact x) {
        BigFraction[] d = new BigFraction[x.r];
        for (int k = 0; k < x.r; k++) {
            d[k] = x.columnSum(k).subtract(x.rowSum(k));
        }
        return d;
    }

    /** The column k maximising ‖W^k‖₁ + ‖H_k‖₁ (Lemma 2's and Theorem 2's choice). */
    public static int heaviestColumn(Exact x) {
        int best = 0;
        BigFraction bm = null;
        for (int k = 0; k < x.r; k++) {
            BigFraction mk = x.columnSum(k).add(x.rowSum(k));
            if (bm == null || mk.compareTo(bm) > 0) {
                bm = mk;
                best = k;
            }
        }
        return best;
    }

    /** Lemma 2's escape direction: s̃_k for the heaviest column k. */
    public static Direction lemma2Escape(Exact x) {
        return scalingDirection(x, heaviestColumn(x));
    }

    /** The outcome of Lemma 1's construction. */
    public record Lemma1Result(boolean defined, String reason, Exact rebalanced, Exact point, BigFraction c,
                               BigFraction scale) {
    }

    /**
     * Lemma 1: from an NMF FOSP, (i) zero the partner of every zero column/row (W^k = 0 ⇒ H_k := 0 and vice versa;
     * keeps WH and first-order stationarity), (ii) rebalance each column pair by a power of two α_k ≈ √(‖H_k‖₁/‖W^k‖₁)
     * (an exact rational stand-in for the paper's square root: any α &gt; 0 keeps WH and stationarity), (iii) scale by
     * t = 2^j, (tŴ, Ĥ/t), with the smallest j ≥ 0 that puts C_t = tΣŴ + ΣĤ/t above the threshold C*. The result is
     * an S-NMF(C_t) point with the same product WH. Undefined when WH = 0 (every pair has a zero side): then no
     * scaling reaches any C &gt; 0 — the case the paper's "without loss of generality" skips (errata).
     */
    public static Lemma1Result lemma1(Exact x) {
        FieldMatrix<BigFraction> w = x.w.copy(), h = x.h.copy();
        boolean any = false;
        for (int k = 0; k < x.r; k++) {
            BigFraction a = x.columnSum(k), b = x.rowSum(k);
            if (a.signum() == 0 || b.signum() == 0) {
                for (int i = 0; i < x.n; i++) {
                    w.setEntry(i, k, BigFraction.ZERO);
                }
                for (int j = 0; j < x.m; j++) {
                    h.setEntry(k, j, BigFraction.ZERO);
                }
                continue;
            }
            any = true;
            BigFraction alpha = powerOfTwoNear(Math.sqrt(b.doubleValue() / a.doubleValue()));
            for (int i = 0; i < x.n; i++) {
                w.setEntry(i, k, w.getEntry(i, k).multiply(alpha));
            }
            for (int j = 0; j < x.m; j++) {
                h.setEntry(k, j, h.getEntry(k, j).divide(alpha));
            }
        }
        if (!any) {
            return new Lemma1Result(false, "W·H = 0: every column pair has a zero side, so ΣŴ = ΣĤ = 0 after step (i)"
                    + " and no scaling (tŴ, Ĥ/t) reaches ΣW + ΣH = C > 0", null, null, null, null);
        }
        Exact reb = new Exact(x.f, w, h);
        BigFraction a = BigFraction.ZERO, b = BigFraction.ZERO;
        for (int k = 0; k < x.r; k++) {
            a = a.add(reb.columnSum(k));
            b = b.add(reb.rowSum(k));
        }
        BigFraction t = BigFraction.ONE;
        for (int j = 0; j < 200; j++) {
            BigFraction c = t.multiply(a).add(b.divide(t));
            if (reb.aboveThreshold(c)) {
                FieldMatrix<BigFraction> tw = w.scalarMultiply(t), th = h.scalarMultiply(t.reciprocal());
                return new Lemma1Result(true, "ok", reb, new Exact(x.f, tw, th), c, t);
            }
            t = t.multiply(2);
        }
        return new Lemma1Result(false, "no t = 2^j, j < 200, reaches C > C*", reb, null, null, null);
    }

    static BigFraction powerOfTwoNear(double v) {
        int e = Math.getExponent(v);
        double lo = Math.scalb(1.0, e), hi = Math.scalb(1.0, e + 1);
        int best = v / lo <= hi / v ? e : e + 1;
        return best >= 0 ? new BigFraction(java.math.BigInteger.TWO.pow(best))
                : new BigFraction(java.math.BigInteger.ONE, java.math.BigInteger.TWO.pow(-best));
    }

    /**
     * Theorem 2's lift (corrected): given an S-NMF FOSP x with c = 0 and an NMF escape direction ŝ (ŝ_A = 0,
     * q(ŝ) &lt; 0), returns s = a·s̃_k + ŝ with Σs = 0, where k is any column with σ_k = ‖W^k‖₁ − ‖H_k‖₁ ≠ 0 (the
     * paper uses the heaviest column and s̃_k + tŝ; we put the free coefficient on s̃_k so that ŝ keeps its sign,
     * which also keeps s in the cone K when ŝ is). q(s) = q(ŝ) because ∇²F s̃_k vanishes off A (Lemma 3 with
     * c = 0) and s̃_k, ŝ vanish on A. Returns ŝ itself when Σŝ = 0, null when every σ_k = 0 and Σŝ ≠ 0.
     */
    public static Direction theorem2Lift(Exact x, Direction sHat) {
        BigFraction sum = sHat.sum();
        if (sum.signum() == 0) {
            return sHat;
        }
        int k = -1;
        BigFraction best = BigFraction.ZERO;
        for (int l = 0; l < x.r; l++) {
            BigFraction sig = x.columnSum(l).subtract(x.rowSum(l));
            if (sig.abs().compareTo(best) > 0) {
                best = sig.abs();
                k = l;
            }
        }
        if (k < 0) {
            return null;
        }
        BigFraction sigma = x.columnSum(k).subtract(x.rowSum(k));
        BigFraction a = sum.negate().divide(sigma);
        return scalingDirection(x, k).plus(sHat, a, BigFraction.ONE);
    }

    /** Coordinates by class at an exact FOSP with multiplier c: 0 = support, 1 = strongly active, 2 = degenerate. */
    public static int[][] classes(Exact x, BigFraction c) {
        FieldMatrix<BigFraction>[] g = x.gradient();
        int[][] cls = new int[2][];
        cls[0] = new int[x.n * x.r];
        cls[1] = new int[x.r * x.m];
        for (int i = 0; i < x.n; i++) {
            for (int k = 0; k < x.r; k++) {
                cls[0][i * x.r + k] = classOf(x.w.getEntry(i, k), g[0].getEntry(i, k).subtract(c));
            }
        }
        for (int k = 0; k < x.r; k++) {
            for (int j = 0; j < x.m; j++) {
                cls[1][k * x.m + j] = classOf(x.h.getEntry(k, j), g[1].getEntry(k, j).subtract(c));
            }
        }
        return cls;
    }

    private static int classOf(BigFraction xi, BigFraction gc) {
        return xi.signum() > 0 ? 0 : gc.signum() > 0 ? 1 : 2;
    }

    /** d vanishes on the strongly active coordinates (d ∈ L up to the sum), and (cone) d ≥ 0 on the degenerate ones. */
    public static boolean inSubspace(Exact x, BigFraction c, Direction d, boolean cone) {
        int[][] cls = classes(x, c);
        for (int i = 0; i < x.n; i++) {
            for (int k = 0; k < x.r; k++) {
                if (!ok(cls[0][i * x.r + k], d.dw().getEntry(i, k), cone)) {
                    return false;
                }
            }
        }
        for (int k = 0; k < x.r; k++) {
            for (int j = 0; j < x.m; j++) {
                if (!ok(cls[1][k * x.m + j], d.dh().getEntry(k, j), cone)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean ok(int cls, BigFraction v, boolean cone) {
        return switch (cls) {
            case 1 -> v.signum() == 0;
            case 2 -> !cone || v.signum() >= 0;
            default -> true;
        };
    }
}
