package io.github.nmforacle.solve;

import static io.github.nmforacle.solve.Recorder.sameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.NmfProblem;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 1: every solver on a sparse V (CSR) gives the run of the dense path on the same matrix, bit for bit,
 * on the Java kernels. Why bits and not a tolerance: the CSR products sum the terms v_ij·x in the order of the dense
 * row-dot kernel (j, resp. i, increasing, one accumulator), and the dense kernel's terms at v_ij = 0 are +0 or −0,
 * which leave a sum unchanged; Java does not contract a·b + c into an FMA. The one quantity computed differently is
 * the final objective (Σ_nnz (V − WH)² + ⟨WᵀW, HHᵀ⟩ − Σ_nnz (WH)² against the entrywise sum), checked against the
 * rounding bound of that expression.
 */
class SparseSolveTest {
    static final List<String> SOLVERS = List.of("mu", "mu-concurrent", "hals", "mwu-adaptive", "anls-bpp", "pg", "mwu",
            "mwu-orbit", "als-truncated", "and");

    /** n×m with about {@code density}·nm entries uniform in (0, 1], a seeded pattern (some rows left empty). */
    static DenseMatrix sparseDense(int n, int m, double density, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] d = new double[n * m];
        for (int i = 0; i < d.length; i++) {
            if (i / m != 3 && rnd.nextDouble() < density) {
                d[i] = 1.0 - rnd.nextDouble();
            }
        }
        return new DenseMatrix(n, m, d);
    }

    @Test
    void everySolverGivesTheDenseRunBitForBit() {
        DenseMatrix v = sparseDense(67, 41, 0.15, 5);
        CsrMatrix c = CsrMatrix.of(v);
        assertThat(c.nonZeros()).isBetween(300, 600);
        for (String alg : SOLVERS) {
            for (int threads : new int[] {1, 2}) {
                SolverOptions o = SolverOptions.rank(4).withMaxIterations(12).withObjectiveTolerance(0).withSeed(3)
                        .withThreads(threads).withBlas(Blas.JAVA);
                SolveResult dense = Solvers.byName(alg).solve(v, o);
                SolveResult sparse = Solvers.byName(alg).solve(c, o);
                String what = alg + " on " + threads + " thread(s)";
                assertThat(sameBits(dense.w(), sparse.w())).as("%s: W", what).isTrue();
                assertThat(sameBits(dense.h(), sparse.h())).as("%s: H", what).isTrue();
                assertThat(sparse.iterations()).as(what).isEqualTo(dense.iterations());
                for (int t = 0; t < dense.trace().size(); t++) {
                    assertThat(sparse.trace().get(t).objective()).as("%s: trace objective %d", what, t)
                            .isEqualTo(dense.trace().get(t).objective());
                    assertThat(sparse.trace().get(t).firstOrderResidual()).as("%s: residual %d", what, t)
                            .isEqualTo(dense.trace().get(t).firstOrderResidual());
                }
                // final F: Gram form on CSR. Error ≤ γ_{2r+nnz+...}·(Σ|terms|); here every term ≥ 0 and bounded by
                // ‖V‖² + 2⟨V, WH⟩ + ‖WH‖², so a relative bound of 1e-12 of that sum is far above the rounding (1e-14)
                double scale = 4 * (dense.objective() + 2 * frob2(v) + 2 * frob2(times(dense.w(), dense.h())));
                assertThat(Math.abs(sparse.objective() - dense.objective())).as("%s: final objective", what)
                        .isLessThanOrEqualTo(1e-12 * scale);
            }
        }
    }

    @Test
    void onlyAMethodThatNeedsVDenseNamesTheDenseSize() {
        // 100000 × 60000 with 3 entries: a solver runs on it; the dense form (6e9 entries) is refused by name
        CsrMatrix c = CsrMatrix.fromTriplets(100_000, 60_000, new int[] {0, 1, 99_999}, new int[] {0, 59_999, 7},
                new double[] {1, 2, 3}, (a, b) -> { });
        SolveResult res = Solvers.byName("hals").solve(c, SolverOptions.rank(1).withMaxIterations(2).withSeed(1));
        assertThat(res.iterations()).isEqualTo(2);
        NmfProblem p = NmfProblem.of(c, 1);
        assertThatThrownBy(() -> p.dense("the dense Hessian"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the dense Hessian needs V dense: 100000x60000 is 6.00e+09 entries (45776 MiB),"
                        + " more than the limit of ")   // 5e8, or less in a small heap
                .hasMessageEndingWith(" entries; V has 3 non-zeros, and the sparse methods do not need it dense");
    }

    private static double frob2(DenseMatrix a) {
        double s = 0;
        for (double x : a.data()) {
            s += x * x;
        }
        return s;
    }

    private static DenseMatrix times(DenseMatrix a, DenseMatrix b) {
        int n = a.rows(), r = a.cols(), m = b.cols();
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < m; j++) {
                    out[i * m + j] += a.get(i, k) * b.get(k, j);
                }
            }
        }
        return new DenseMatrix(n, m, out);
    }
}
