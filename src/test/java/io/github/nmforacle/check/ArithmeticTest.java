package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.DenseMatrix;
import java.util.SplittableRandom;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/** The checker's own arithmetic: exact parsing, exact and double F, ∇F, q(d), Hessian entries, and the forms. */
class ArithmeticTest {
    static BigFraction f(long p, long q) {
        return new BigFraction(p, q);
    }

    static BigFraction[][] m(long[][] a) {
        BigFraction[][] out = new BigFraction[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                out[i][j] = new BigFraction(a[i][j]);
            }
        }
        return out;
    }

    @Test
    void exactStringsParseExactly() {
        assertThat(Exact.parse("0.1")).isEqualTo(f(1, 10));
        assertThat(Exact.parse("-2.5E-7")).isEqualTo(f(-25, 100_000_000));
        assertThat(Exact.parse("1e3")).isEqualTo(new BigFraction(1000));
        assertThat(Exact.parse("-3/4")).isEqualTo(f(-3, 4));
        assertThat(Exact.parse("6/8")).isEqualTo(f(3, 4));
        assertThat(Exact.parse(new java.math.BigDecimal(0.1).toPlainString())).isEqualTo(new BigFraction(0.1));
        assertThat(Exact.of(0.1)).isEqualTo(new BigFraction(0.1));
        // subnormals: Hipparchus 4.0.3's new BigFraction(double) returns x/2 for them (checked by hand), so the
        // reference here is BigDecimal(double), exact by specification
        for (double x : new double[] {Double.MIN_VALUE, -3 * Double.MIN_VALUE, Double.MIN_NORMAL / 2, Double.MIN_NORMAL,
                -3.0 * 0x1p-1000, Double.MAX_VALUE, 1e300, -0.0}) {
            assertThat(Exact.of(x)).as("%s", x).isEqualTo(fromBigDecimal(new java.math.BigDecimal(x)));
        }
        for (String bad : new String[] {"", "1/0", "NaN", "0x10", "1/-2", "1e99999999", "--1", "1 2"}) {
            assertThatThrownBy(() -> Exact.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    static BigFraction fromBigDecimal(java.math.BigDecimal d) {
        return d.scale() >= 0 ? new BigFraction(d.unscaledValue(), java.math.BigInteger.TEN.pow(d.scale()))
                : new BigFraction(d.unscaledValue().multiply(java.math.BigInteger.TEN.pow(-d.scale())));
    }

    /** A random instance whose entries are small dyadic rationals, some exactly zero. */
    static Point randomPoint(SplittableRandom rnd, int n, int m, int r) {
        DenseMatrix v = DenseMatrix.zeros(n, m);
        DenseMatrix w = DenseMatrix.zeros(n, r);
        DenseMatrix h = DenseMatrix.zeros(r, m);
        for (DenseMatrix a : new DenseMatrix[] {v, w, h}) {
            double[] d = a.data();
            for (int p = 0; p < d.length; p++) {
                d[p] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1, 64) / (double) (1 << rnd.nextInt(0, 8));
            }
        }
        return new Point(v, w, h);
    }

    static Direction randomDirection(SplittableRandom rnd, Point pt) {
        BigFraction[] d = new BigFraction[pt.size];
        for (int p = 0; p < d.length; p++) {
            d[p] = rnd.nextInt(3) == 0 ? BigFraction.ZERO : f(rnd.nextInt(-9, 10), rnd.nextInt(1, 7));
        }
        return new Direction(pt.n, pt.m, pt.r, d);
    }

    /** Naive exact F, ∇F and q(d) straight from the definitions, entry by entry. */
    static BigFraction[][] residual(Point pt) {
        BigFraction[][] res = new BigFraction[pt.n][pt.m];
        for (int i = 0; i < pt.n; i++) {
            for (int j = 0; j < pt.m; j++) {
                BigFraction s = Exact.of(pt.v.get(i, j));
                for (int k = 0; k < pt.r; k++) {
                    s = s.subtract(Exact.of(pt.w.get(i, k)).multiply(Exact.of(pt.h.get(k, j))));
                }
                res[i][j] = s;
            }
        }
        return res;
    }

    static BigFraction naiveCurvature(Point pt, Direction d) {
        BigFraction[][] res = residual(pt);
        BigFraction q = BigFraction.ZERO;
        for (int i = 0; i < pt.n; i++) {
            for (int j = 0; j < pt.m; j++) {
                BigFraction e = BigFraction.ZERO;
                BigFraction pr = BigFraction.ZERO;
                for (int k = 0; k < pt.r; k++) {
                    BigFraction dw = d.get(i * pt.r + k);
                    BigFraction dh = d.get(pt.nw + k * pt.m + j);
                    e = e.add(dw.multiply(Exact.of(pt.h.get(k, j)))).add(Exact.of(pt.w.get(i, k)).multiply(dh));
                    pr = pr.add(dw.multiply(dh));
                }
                q = q.add(e.multiply(e).multiply(2)).subtract(res[i][j].multiply(pr).multiply(4));
            }
        }
        return q;
    }

    @Test
    void exactFirstOrderMatchesTheDefinitionsAndTheDoubleBounds() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            Point pt = randomPoint(rnd, rnd.nextInt(1, 5), rnd.nextInt(1, 5), rnd.nextInt(1, 4));
            BigFraction[][] res = residual(pt);
            Point.ExactFirstOrder ef = pt.exactFirstOrder();
            BigFraction obj = BigFraction.ZERO;
            for (BigFraction[] row : res) {
                for (BigFraction x : row) {
                    obj = obj.add(x.multiply(x));
                }
            }
            assertThat(ef.objective()).isEqualTo(obj);
            double objN = pt.norm(obj, 4); // the double quantities are at the normalised point
            assertThat(Math.abs(pt.objective - objN)).isLessThanOrEqualTo(1e-12 * (1 + objN));
            for (int p = 0; p < pt.size; p++) {
                BigFraction g = BigFraction.ZERO;
                if (pt.isW(p)) {
                    int i = p / pt.r;
                    int k = p % pt.r;
                    for (int j = 0; j < pt.m; j++) {
                        g = g.subtract(res[i][j].multiply(Exact.of(pt.h.get(k, j))).multiply(2));
                    }
                } else {
                    int k = (p - pt.nw) / pt.m;
                    int j = (p - pt.nw) % pt.m;
                    for (int i = 0; i < pt.n; i++) {
                        g = g.subtract(res[i][j].multiply(Exact.of(pt.w.get(i, k))).multiply(2));
                    }
                }
                assertThat(ef.gradient()[p]).as("p = " + p).isEqualTo(g);
                assertThat(pt.gradientExact(p)).as("p = " + p).isEqualTo(g);
                assertThat(Math.abs(pt.grad[p] - pt.norm(g, 3))).isLessThanOrEqualTo(pt.gradNoise);
            }
        }
    }

    @Test
    void curvatureExactDoubleAndHessianEntriesAgree() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            Point pt = randomPoint(rnd, rnd.nextInt(1, 4), rnd.nextInt(1, 4), rnd.nextInt(1, 3));
            Direction d = randomDirection(rnd, pt);
            BigFraction q = naiveCurvature(pt, d);
            assertThat(pt.curvatureExact(d)).isEqualTo(q);
            Point.Curvature qd = pt.curvatureDouble(d);
            double qn = pt.norm(q, 2);
            assertThat(Math.abs(qd.value() - qn)).isLessThanOrEqualTo(qd.bound() + 1e-300);
            assertThat(qd.bound()).isLessThan(1e-10 * (1 + Math.abs(qn)) + 1e-8);
            BigFraction viaEntries = BigFraction.ZERO;
            for (int a = 0; a < pt.size; a++) {
                for (int b = 0; b < pt.size; b++) {
                    viaEntries = viaEntries.add(d.get(a).multiply(pt.hessian(a, b)).multiply(d.get(b)));
                }
            }
            assertThat(viaEntries).as("dᵀ(∂²F)d = q(d)").isEqualTo(q);
            BigFraction[] hd = pt.hessianTimes(d);
            for (int a = 0; a < pt.size; a++) {
                BigFraction row = BigFraction.ZERO;
                for (int b = 0; b < pt.size; b++) {
                    row = row.add(pt.hessian(a, b).multiply(d.get(b)));
                }
                assertThat(hd[a]).as("(∇²F d)_" + a).isEqualTo(row);
            }
        }
    }

    @Test
    void symmetryDirectionsAreNullAtAnExactFactorization() {
        // V = W·H exactly: R = 0, so q(s_k) = 2‖W^k·(−H_k) + W^k·H_k‖²... = 0 for the scaling direction s_k
        SplittableRandom rnd = new SplittableRandom(3);
        Point p0 = randomPoint(rnd, 3, 3, 2);
        DenseMatrix v = DenseMatrix.zeros(3, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 2; k++) {
                    s += p0.w.get(i, k) * p0.h.get(k, j);
                }
                v.set(i, j, s);
            }
        }
        Point pt = new Point(v, p0.w, p0.h);
        for (int k = 0; k < 2; k++) {
            BigFraction[] s = new BigFraction[pt.size];
            for (int p = 0; p < pt.size; p++) {
                s[p] = pt.symmetryEntry(k, p);
            }
            assertThat(pt.curvatureExact(new Direction(3, 3, 2, s))).isEqualTo(BigFraction.ZERO);
        }
    }

    @Test
    void definitenessByElimination() {
        assertThat(Forms.psd(m(new long[][] {{1, 1}, {1, 1}}))).isTrue();
        assertThat(Forms.psd(m(new long[][] {{1, 2}, {2, 1}}))).isFalse();
        assertThat(Forms.psd(m(new long[][] {{0, 0}, {0, 3}}))).isTrue();
        assertThat(Forms.psd(m(new long[][] {{0, 1}, {1, 3}}))).isFalse();
        assertThat(Forms.psd(m(new long[][] {{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}}))).isTrue();
        assertThat(Forms.pd(m(new long[][] {{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}}))).isTrue();
        assertThat(Forms.pd(m(new long[][] {{1, 1}, {1, 1}}))).isFalse();
        assertThat(Forms.pd(m(new long[][] {{0, 0}, {0, 1}}))).isFalse();
        assertThat(Forms.pd(new BigFraction[0][0])).isTrue();
    }

    @Test
    void copositivity() {
        assertThat(Forms.copositiveOrthant(m(new long[][] {{1, 2}, {2, 1}}))).isTrue();
        assertThat(Forms.copositiveOrthant(m(new long[][] {{1, -2}, {-2, 1}}))).isFalse();
        assertThat(Forms.copositiveOrthant(m(new long[][] {{0, -1}, {-1, 0}}))).isFalse();
        assertThat(Forms.copositiveOrthant(m(new long[][] {{1, -1}, {-1, 1}}))).isTrue();
        assertThat(Forms.copositiveOrthant(m(new long[][] {{-1}}))).isFalse();
        // the Horn matrix: copositive but neither PSD nor a sum of PSD and non-negative
        long[][] horn = {{1, -1, 1, 1, -1}, {-1, 1, -1, 1, 1}, {1, -1, 1, -1, 1}, {1, 1, -1, 1, -1}, {-1, 1, 1, -1, 1}};
        assertThat(Forms.copositiveOrthant(m(horn))).isTrue();
        assertThat(Forms.psd(m(horn))).isFalse();
        BigFraction[][] shifted = m(horn);
        for (int i = 0; i < 5; i++) {
            shifted[i][i] = shifted[i][i].subtract(f(1, 100));
        }
        assertThat(Forms.copositiveOrthant(shifted)).isFalse();
        // free y, z ≥ 0: y² + 2yz = (y + z)² − z² is not copositive; y² + 2yz + 2z² is
        assertThat(Forms.copositive(m(new long[][] {{1, 1}, {1, 0}}), new boolean[] {false, true})).isFalse();
        assertThat(Forms.copositive(m(new long[][] {{1, 1}, {1, 2}}), new boolean[] {false, true})).isTrue();
        // zero pivot on a free variable coupled to a constrained one: 2yz is unbounded below
        assertThat(Forms.copositive(m(new long[][] {{0, 1}, {1, 5}}), new boolean[] {false, true})).isFalse();
        // z₁z₂ ≥ 0 on the orthant although not PSD
        assertThat(Forms.copositive(m(new long[][] {{0, 1}, {1, 0}}), new boolean[] {true, true})).isTrue();
        assertThat(Forms.psd(m(new long[][] {{0, 1}, {1, 0}}))).isFalse();
    }

    @Test
    void copositivityAgreesWithSamplingOnRandomMatrices() {
        SplittableRandom rnd = new SplittableRandom(9);
        int disagreements = 0;
        for (int trial = 0; trial < 300; trial++) {
            int t = rnd.nextInt(1, 5);
            long[][] a = new long[t][t];
            for (int i = 0; i < t; i++) {
                for (int j = i; j < t; j++) {
                    a[i][j] = rnd.nextInt(-3, 5);
                    a[j][i] = a[i][j];
                }
            }
            boolean cop = Forms.copositiveOrthant(m(a));
            // a negative value at a sampled z ≥ 0 proves non-copositivity: then the test must say false
            boolean foundNegative = false;
            for (int s = 0; s < 2000 && !foundNegative; s++) {
                long[] z = new long[t];
                for (int i = 0; i < t; i++) {
                    z[i] = rnd.nextInt(0, 6);
                }
                long q = 0;
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < t; j++) {
                        q += z[i] * a[i][j] * z[j];
                    }
                }
                foundNegative = q < 0;
            }
            if (foundNegative) {
                assertThat(cop).as(java.util.Arrays.deepToString(a)).isFalse();
            } else if (!cop) {
                disagreements++;
            }
        }
        // non-copositive matrices that the coarse grid missed are possible but should be rare
        assertThat(disagreements).isLessThan(10);
    }

    @Test
    void nullspaceOfTheSumConstraint() {
        BigFraction[][] rows = {{BigFraction.ONE, BigFraction.ONE, BigFraction.ONE}};
        Forms.Nullspace ns = Forms.nullspace(rows, 3);
        assertThat(ns.basis()).hasNumberOfRows(2);
        assertThat(ns.free()).containsExactly(1, 2);
        for (BigFraction[] z : ns.basis()) {
            assertThat(z[0].add(z[1]).add(z[2])).isEqualTo(BigFraction.ZERO);
        }
        Forms.Nullspace none = Forms.nullspace(new BigFraction[0][], 2);
        assertThat(none.basis()).hasNumberOfRows(2);
    }

    /**
     * Issue 12: the double quantities are computed at the normalised point, so (2^{2k}V, 2^k W, 2^k H) gives the same
     * doubles bit for bit as (V, W, H) for every k where both normalise to the same point (no clamping), and the exact
     * ones scale by the exact powers of two.
     */
    @Test
    void doubleQuantitiesAreTheSameAtEveryExactRescaling() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            Point pt = randomPoint(rnd, rnd.nextInt(1, 4), rnd.nextInt(1, 4), rnd.nextInt(1, 3));
            for (int k : new int[] {-520, -400, -300, -1, 1, 300, 400, 500}) {
                DenseMatrix v = CheckerScaleTest.scalb(pt.v, 2 * k), w = CheckerScaleTest.scalb(pt.w, k), h = CheckerScaleTest.scalb(pt.h, k);
                if (v == null || w == null || h == null) {
                    continue;
                }
                Point s = new Point(v, w, h);
                String at = "trial " + trial + ", k = " + k;
                assertThat(s.ks).as(at).isEqualTo(pt.ks - k);
                assertThat(s.objective).as(at).isEqualTo(pt.objective);
                assertThat(s.gamma).as(at).isEqualTo(pt.gamma);
                assertThat(s.eta).as(at).isEqualTo(pt.eta);
                assertThat(s.grad).as(at).isEqualTo(pt.grad);
                assertThat(s.exactFirstOrder().objective()).as(at)
                        .isEqualTo(Exact.scalb(pt.exactFirstOrder().objective(), 4 * k));
            }
        }
    }

    /**
     * Issue 13: the double Hessian on a coordinate set, at the normalised point, is within its stated Frobenius error
     * bound of the exact Hessian (scaled by 2^{2k} to the normalised point), also for random points with non-dyadic
     * entries where every product rounds.
     */
    @Test
    void restrictedHessianInDoubleIsWithinItsBound() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int trial = 0; trial < 40; trial++) {
            int n = rnd.nextInt(1, 5), m = rnd.nextInt(1, 5), r = rnd.nextInt(1, 4);
            Point pt;
            if (trial % 2 == 0) {
                pt = randomPoint(rnd, n, m, r);
            } else {
                DenseMatrix v = DenseMatrix.zeros(n, m), w = DenseMatrix.zeros(n, r), h = DenseMatrix.zeros(r, m);
                for (DenseMatrix a : new DenseMatrix[] {v, w, h}) {
                    for (int q = 0; q < a.data().length; q++) {
                        a.data()[q] = Math.scalb(rnd.nextDouble(), rnd.nextInt(-30, 30));
                    }
                }
                pt = new Point(v, w, h);
            }
            int[] coords = java.util.stream.IntStream.range(0, pt.size).filter(q -> rnd.nextInt(3) > 0).toArray();
            double[] bound = new double[1];
            double[][] a = pt.restrictedHessian(coords, bound);
            BigFraction err2 = BigFraction.ZERO;
            for (int i = 0; i < coords.length; i++) {
                for (int j = 0; j < coords.length; j++) {
                    BigFraction exact = Exact.scalb(pt.hessian(coords[i], coords[j]), 2 * pt.ks);
                    BigFraction e = Exact.of(a[i][j]).subtract(exact);
                    err2 = err2.add(e.multiply(e));
                }
            }
            BigFraction b = Exact.of(bound[0]);
            assertThat(err2.compareTo(b.multiply(b))).as("trial " + trial + ": ‖Â − A‖_F² ≤ bound²").isLessThanOrEqualTo(0);
        }
    }
}
