package io.github.nmforacle.solve;

import static io.github.nmforacle.solve.Recorder.sameBits;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Parallel;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.solve.Nndsvd.Method;
import io.github.nmforacle.testkit.Instances;
import java.util.List;
import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

/** {@link Nndsvd}: exactness on rank 1, agreement with a reference SVD, non-negativity, NNDSVDa, inputs, threads. */
class NndsvdTest {
    private static double relativeError(DenseMatrix v, FactorPair x) {
        return Math.sqrt(NmfProblem.of(v, x.w().cols()).objective(x.w(), x.h())) / v.frobeniusNorm();
    }

    /** V = u vᵀ with u, v ≥ 0 (some entries 0) in both orientations: NNDSVD with r = 1 gives back V, both paths. */
    @Test
    void reproducesAnExactlyRankOneMatrix() {
        for (int[] shape : new int[][] {{50, 40}, {40, 50}, {30, 30}, {1, 7}, {7, 1}}) {
            int n = shape[0], m = shape[1];
            SplittableRandom rnd = new SplittableRandom(n * 100L + m);
            double[] u = rnd.doubles(n).toArray();
            double[] w = rnd.doubles(m).toArray();
            if (n > 3 && m > 5) {
                u[3] = 0;
                w[5] = 0;
            }
            double[] d = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    d[i * m + j] = u[i] * w[j];
                }
            }
            DenseMatrix v = new DenseMatrix(n, m, d);
            for (Method method : Method.values()) {
                FactorPair x = Nndsvd.compute(v, 1, false, method, Parallel.sequential());
                assertThat(relativeError(v, x)).as("%dx%d %s", n, m, method).isLessThan(1e-12);
            }
            assertThat(relativeError(v, Nndsvd.nndsvd(v, 1))).isLessThan(1e-12);
        }
    }

    /** The singular values and the first column √σ₁|u₁| agree with Hipparchus's SVD (full rank and planted rank 5). */
    @Test
    void agreesWithAReferenceSvd() {
        record Case(DenseMatrix v, int r, Method method) {
        }
        DenseMatrix uniform = Instances.uniform(40, 32, 3);
        DenseMatrix planted = Instances.planted(45, 60, 5, 4).v();
        for (Case c : List.of(new Case(uniform, 6, Method.GRAM), new Case(uniform.transpose(), 6, Method.GRAM),
                new Case(planted, 5, Method.GRAM), new Case(planted, 5, Method.RANDOMIZED),
                new Case(planted.transpose(), 5, Method.RANDOMIZED))) {
            SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(c.v().toArray()));
            double[] ref = svd.getSingularValues();
            Nndsvd.Triplets t = Nndsvd.topSingular(c.v(), c.r(), c.method(), Parallel.sequential());
            for (int j = 0; j < c.r(); j++) {
                assertThat(t.sigma()[j]).as("%s %s sigma_%d", c.v().shape(), c.method(), j + 1)
                        .isCloseTo(ref[j], org.assertj.core.api.Assertions.within(1e-10 * ref[0]));
            }
            FactorPair x = Nndsvd.compute(c.v(), c.r(), false, c.method(), Parallel.sequential());
            double root = Math.sqrt(ref[0]);
            for (int i = 0; i < c.v().rows(); i++) {
                assertThat(x.w().get(i, 0)).isCloseTo(root * Math.abs(svd.getU().getEntry(i, 0)),
                        org.assertj.core.api.Assertions.within(1e-9 * root));
            }
        }
    }

    /** Non-negative and finite for every r, including r above the rank of V and the zero matrix. */
    @Test
    void outputIsNonNegativeAndFinite() {
        List<DenseMatrix> cases = List.of(Instances.planted(50, 40, 5, 1).v(), Instances.uniform(23, 31, 2),
                Instances.planted(30, 20, 2, 3).v(), new DenseMatrix(6, 4, new double[24]));
        for (DenseMatrix v : cases) {
            for (int r = 1; r <= Math.min(v.rows(), v.cols()); r += 3) {
                for (FactorPair x : List.of(Nndsvd.nndsvd(v, r), Nndsvd.nndsvda(v, r))) {
                    assertThat(x.w().rows()).isEqualTo(v.rows());
                    assertThat(x.w().cols()).isEqualTo(r);
                    assertThat(x.h().rows()).isEqualTo(r);
                    assertThat(x.h().cols()).isEqualTo(v.cols());
                    for (double a : x.w().data()) {
                        assertThat(a).as("%s r=%d", v.shape(), r).isFinite().isGreaterThanOrEqualTo(0.0);
                    }
                    for (double a : x.h().data()) {
                        assertThat(a).as("%s r=%d", v.shape(), r).isFinite().isGreaterThanOrEqualTo(0.0);
                    }
                }
            }
        }
        // Planted rank 2, r = 5: components 3–5 have σ below √ε·σ₁ and are exactly zero.
        FactorPair x = Nndsvd.nndsvd(Instances.planted(30, 20, 2, 3).v(), 5);
        for (int k = 2; k < 5; k++) {
            for (int i = 0; i < 30; i++) {
                assertThat(Double.doubleToRawLongBits(x.w().get(i, k))).isZero();
            }
        }
        FactorPair zero = Nndsvd.nndsvd(new DenseMatrix(6, 4, new double[24]), 2);
        assertThat(zero.w().frobeniusNorm() + zero.h().frobeniusNorm()).isZero();
    }

    /** NNDSVDa is NNDSVD with every zero entry replaced by the mean of V, and has no zero entry. */
    @Test
    void nndsvdaFillsTheZerosWithTheMeanOfV() {
        DenseMatrix v = Instances.planted(50, 40, 5, 6).v();
        double mean = 0;
        for (double a : v.data()) {
            mean += a;
        }
        mean /= 2000;
        FactorPair plain = Nndsvd.nndsvd(v, 5);
        FactorPair filled = Nndsvd.nndsvda(v, 5);
        int zeros = 0;
        for (DenseMatrix[] pair : new DenseMatrix[][] {{plain.w(), filled.w()}, {plain.h(), filled.h()}}) {
            double[] a = pair[0].data(), b = pair[1].data();
            for (int p = 0; p < a.length; p++) {
                if (a[p] == 0) {
                    zeros++;
                    assertThat(b[p]).isEqualTo(mean);
                } else {
                    assertThat(b[p]).isEqualTo(a[p]);
                }
            }
        }
        assertThat(zeros).as("NNDSVD has zeros to fill").isGreaterThan(100);
    }

    @Test
    void badInputsAreRejectedWithOneLineMessages() {
        DenseMatrix v = Instances.planted(6, 5, 2, 1).v();
        HalsTest.assertOneLine(() -> Nndsvd.nndsvd(v, 0), "rank 0 is outside [1, min(n, m)] = [1, 5]");
        HalsTest.assertOneLine(() -> Nndsvd.nndsvd(v, 6), "rank 6 is outside");
        HalsTest.assertOneLine(() -> Nndsvd.nndsvda(v, -1), "rank -1 is outside");
        DenseMatrix nan = v.copy();
        nan.set(4, 0, Double.NaN);
        HalsTest.assertOneLine(() -> Nndsvd.nndsvd(nan, 2), "entry [4, 0] is NaN");
        DenseMatrix inf = v.copy();
        inf.set(0, 0, Double.POSITIVE_INFINITY);
        HalsTest.assertOneLine(() -> Nndsvd.nndsvda(inf, 2), "entry [0, 0] is +Infinity");
        DenseMatrix neg = v.copy();
        neg.set(1, 1, -0.5);
        HalsTest.assertOneLine(() -> Nndsvd.nndsvd(neg, 2), "entry [1, 1] is negative");
        HalsTest.assertOneLine(() -> Nndsvd.nndsvd(new DenseMatrix(0, 3, new double[0]), 1), "empty matrix");
    }

    /** Same bits on every call and for 1 or 2 threads, on both paths (600×530: the products span several blocks). */
    @Test
    void deterministicAndThreadCountIndependent() {
        DenseMatrix v = Instances.planted(600, 530, 6, 8).v();
        try (Parallel two = Parallel.withThreads(2)) {
            for (Method method : new Method[] {Method.GRAM, Method.RANDOMIZED}) {
                FactorPair a = Nndsvd.compute(v, 6, false, method, Parallel.sequential());
                FactorPair b = Nndsvd.compute(v, 6, false, method, two);
                FactorPair c = Nndsvd.compute(v, 6, false, method, Parallel.sequential());
                assertThat(sameBits(a.w(), b.w()) && sameBits(a.h(), b.h())).as("%s 1 vs 2 threads", method).isTrue();
                assertThat(sameBits(a.w(), c.w()) && sameBits(a.h(), c.h())).as("%s rerun", method).isTrue();
            }
        }
        assertThat(sameBits(Nndsvd.nndsvd(v, 3).w(), Nndsvd.nndsvd(v, 3, false, Parallel.sequential()).w())).isTrue();
    }

    /**
     * A sparse V takes the randomized path on its CSR rows: the dense randomized path's result up to the rounding of
     * the products, which sum in another order (both orientations, NNDSVD and NNDSVDa, a row and a column of zeros;
     * planted rank 4: measured agreement 9e-14 relative to the largest entry), and above {@link Nndsvd#SPARSE_DENSE_MAX} entries
     * it is never made dense (a 5000×4000 V with 2,000 non-zeros would be 160 MB dense).
     */
    @Test
    void sparseVTakesTheRandomizedPathWithTheSameBits() {
        for (int[] shape : new int[][] {{70, 45}, {45, 70}}) {
            DenseMatrix v = Instances.planted(shape[0], shape[1], 4, 11).v();
            double[] d = v.data().clone();
            SplittableRandom rnd = new SplittableRandom(5);
            for (int p = 0; p < d.length; p++) {
                if (rnd.nextInt(3) == 0 || p / shape[1] == 7 || p % shape[1] == 3) {
                    d[p] = 0;
                }
            }
            DenseMatrix dense = new DenseMatrix(shape[0], shape[1], d);
            io.github.nmforacle.linalg.CsrMatrix csr = io.github.nmforacle.linalg.CsrMatrix.of(dense);
            for (boolean fill : new boolean[] {false, true}) {
                FactorPair a = Nndsvd.compute(dense, 4, fill, Method.RANDOMIZED, Parallel.sequential());
                FactorPair b = Nndsvd.computeSparse(csr, 4, fill, Parallel.sequential());
                assertThat(maxDifference(a.w(), b.w()) + maxDifference(a.h(), b.h()))
                        .as("%s fill %s", dense.shape(), fill).isLessThan(1e-10 * (maxAbs(a.w()) + maxAbs(a.h())));
            }
            // small sparse V: made dense, so the same bits as the dense V's default (AUTO) path
            FactorPair auto = Nndsvd.nndsvd(csr, 4, false, Parallel.sequential());
            assertThat(sameBits(auto.w(), Nndsvd.nndsvd(dense, 4).w())).isTrue();
        }
        int n = 5000, m = 4000, nnz = 2000;
        SplittableRandom rnd = new SplittableRandom(9);
        int[] ri = new int[nnz], ci = new int[nnz];
        double[] x = new double[nnz];
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int t = 0; t < nnz; t++) {
            do {
                ri[t] = rnd.nextInt(n);
                ci[t] = rnd.nextInt(m);
            } while (!seen.add((long) ri[t] * m + ci[t]));
            x[t] = 1 + rnd.nextInt(9);
        }
        io.github.nmforacle.linalg.CsrMatrix big = io.github.nmforacle.linalg.CsrMatrix.fromTriplets(n, m, ri, ci, x,
                (a, b) -> { });
        assertThat((long) n * m).isGreaterThan(Nndsvd.SPARSE_DENSE_MAX);
        FactorPair start = Nndsvd.nndsvd(big, 3, false, Parallel.sequential());
        assertThat(start.w().rows()).isEqualTo(n);
        assertThat(start.h().cols()).isEqualTo(m);
        double f = NmfProblem.of(big, 3).objective(start.w(), start.h());
        assertThat(f).isLessThan(big.normSquared());        // a start that explains part of V
        assertThat(java.util.Arrays.stream(start.w().data()).min().orElseThrow()).isGreaterThanOrEqualTo(0);
    }

    private static double maxDifference(DenseMatrix a, DenseMatrix b) {
        double d = 0;
        for (int p = 0; p < a.data().length; p++) {
            d = Math.max(d, Math.abs(a.data()[p] - b.data()[p]));
        }
        return d;
    }

    private static double maxAbs(DenseMatrix a) {
        return java.util.Arrays.stream(a.data()).map(Math::abs).max().orElse(0);
    }

    /**
     * As a start: on planted 50×40, r = 5, NNDSVD alone has relative error 0.110 … 0.119 (seeds 1–5; NNDSVDa 1.8 … 2.0,
     * the mean of V is large against the factors' entries), and HALS from NNDSVD reaches 5.5e-4 … 2.8e-3 in 500
     * iterations. Asserted: NNDSVD below 0.2, HALS from it below 1e-2.
     */
    @Test
    void isAGoodStartForHals() {
        for (long seed = 1; seed <= 5; seed++) {
            DenseMatrix v = Instances.planted(50, 40, 5, seed).v();
            FactorPair start = Nndsvd.nndsvd(v, 5);
            assertThat(relativeError(v, start)).as("seed %d", seed).isLessThan(0.2);
            SolveResult res = Hals.hals().solve(v, SolverOptions.rank(5).withMaxIterations(500).withObjectiveTolerance(0)
                    .withInitial(start));
            assertThat(res.relativeError()).as("seed %d", seed).isLessThan(1e-2);
        }
    }
}
