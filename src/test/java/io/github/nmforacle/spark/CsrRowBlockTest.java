package io.github.nmforacle.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CSR row blocks against dense ones on the same random sparse rows (Java kernels): every RowBlock method. */
class CsrRowBlockTest {
    /** A rows×cols matrix with about density·rows·cols entries in [lo, lo + 2), the rest 0. */
    static DenseMatrix sparse(int rows, int cols, double density, double lo, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            if (rnd.nextDouble() < density) {
                d[i] = lo + 2 * rnd.nextDouble();
            }
        }
        return new DenseMatrix(rows, cols, d);
    }

    static double[] positive(int len, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextDouble();
        }
        return x;
    }

    /**
     * The bound on |F_csr − F_dense| for F = ‖V − YH‖² (V, Y, H ≥ 0), both as computed; u = 2⁻⁵³, γ_K = Ku/(1 − Ku),
     * v = ‖V‖², p = ‖YH‖², ρ_ij = v_ij + (YH)_ij, so Σρ² ≤ 2v + 2p. Dense: each residual v − Σ_k y_k h_kj in r
     * subtractions of products is within γ_{r+1}ρ_ij, its square within (2γ_{r+1} + γ²_{r+1})ρ², the sum of the nm
     * squares adds γ_{nm}: |F_dense − F| ≤ γ_K(2v + 2p). CSR (CsrMatrix.residualNormSquared): Σ_nnz (v − YH)² likewise
     * within γ_K(2v + 2p); Σ_nnz (YH)² within γ_K·p; ⟨YᵀY, HHᵀ⟩ = p, all terms ≥ 0, within γ_{rows+m+r²}·p; the two
     * final additions within 3u(2v + 4p) ≤ γ_K(2v + 4p): |F_csr − F| ≤ γ_K(4v + 8p). Sums over b blocks add γ_b times
     * the sum of the block values on either side, ≤ γ_K(4v + 4p) for both. In all, with
     * K = rows·m + rows + m + r² + 2r + b + 4: |F_csr − F_dense| ≤ γ_K(10v + 14p).
     */
    static double residualBound(DenseMatrix v, double[] y, double[] h, int r, int blocks) {
        int n = v.rows(), m = v.cols();
        double vv = 0, p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double ab = 0;
                for (int k = 0; k < r; k++) {
                    ab += y[i * r + k] * h[k * m + j];
                }
                vv += v.get(i, j) * v.get(i, j);
                p += ab * ab;
            }
        }
        double k = (double) n * m + n + m + r * r + 2 * r + blocks + 4, u = 0x1p-53;
        return k * u / (1 - k * u) * (10 * vv + 14 * p);
    }

    @Test
    void everyMethodAgreesWithTheDenseBlock() throws Exception {
        int rows = 70, cols = 45, r = 6, first = 32;
        DenseMatrix a = sparse(rows, cols, 0.15, 0, 7);
        double[] d = a.data().clone();
        d[3] = 1e-300;      // flushed by 2^-100, unlike the rest
        d[40] = 3e-305;
        DenseMatrix v = new DenseMatrix(rows, cols, d);
        DenseRowBlock dense = new DenseRowBlock(first, rows, cols, v.data(), Blas.JAVA);
        RowBlock csr = roundTrip(CsrRowBlock.slice(CsrMatrix.of(v), 0, rows, first));
        assertThat(csr.firstRow()).isEqualTo(first);
        assertThat(csr.rows()).isEqualTo(rows);
        assertThat(csr.cols()).isEqualTo(cols);
        double[] x = positive(r * cols, 1), y = positive(rows * r, 2);
        double[] want = new double[rows * r], got = new double[rows * r];
        dense.timesTransposed(x, r, want);
        csr.timesTransposed(x, r, got);
        assertThat(got).containsExactly(want);
        double[] want2 = new double[r * cols], got2 = new double[r * cols];
        dense.transposedTimes(y, r, want2);
        csr.transposedTimes(y, r, got2);
        assertThat(got2).containsExactly(want2);
        double fd = dense.residualNormSquared(y, r, x), fc = csr.residualNormSquared(y, r, x);
        assertThat(Math.abs(fc - fd)).isLessThanOrEqualTo(residualBound(v, y, x, r, 1));
        assertThat(fc).isGreaterThan(0);
        assertThat(csr.max()).isEqualTo(dense.max()).isGreaterThan(1);
        for (int p : new int[]{0, -2, -100}) {
            assertThat(csr.flushedBy(p)).as("p = %d", p).isEqualTo(dense.flushedBy(p));
        }
        assertThat(csr.flushedBy(-100)).isEqualTo(2);
        OrderedSums sd = new OrderedSums(), sc = new OrderedSums();
        dense.feed(sd);
        csr.feed(sc);
        assertThat(sc.sum).isEqualTo(sd.sum).isPositive();
        assertThat(sc.sumSquares).isEqualTo(sd.sumSquares);
        for (double[] ps : new double[][]{{-100, 1}, {3, 1}, {0, 0.3}}) {
            RowBlock s = csr.scaled((int) ps[0], ps[1]);
            double[] sdense = ((DenseRowBlock) dense.scaled((int) ps[0], ps[1])).data();
            assertThat(s).isInstanceOf(CsrRowBlock.class);
            assertThat(((CsrRowBlock) s).matrix().dense("test").data()).containsExactly(sdense);
            assertThat(s.firstRow()).isEqualTo(first);
        }
    }

    /** The block after Java serialisation, as Spark ships it (the CsrMatrix view is transient). */
    static RowBlock roundTrip(RowBlock b) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RowBlock) in.readObject();
        }
    }

    @Test
    void aSliceRebasesTheRowPointers() {
        DenseMatrix v = sparse(90, 20, 0.2, 0, 3);
        CsrRowBlock b = CsrRowBlock.slice(CsrMatrix.of(v), 40, 30, 40);
        double[] want = new double[30 * 20];
        System.arraycopy(v.data(), 40 * 20, want, 0, want.length);
        assertThat(b.matrix().dense("test").data()).containsExactly(want);
        assertThat(b.matrix().indptr()[0]).isZero();
    }
}
