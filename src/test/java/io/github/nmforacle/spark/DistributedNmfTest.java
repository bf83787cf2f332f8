package io.github.nmforacle.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.TraceRow;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The distributed engine in local[2] against the single-JVM solvers (issue 15, items 2 and 3). */
class DistributedNmfTest {
    static final int N = 70;
    static final int M = 40;
    static final int T = 6;
    static JavaSparkContext sc;
    static DenseMatrix v;
    static BlockedMatrix blocks;
    /** A sparse V (about 30 % non-zeros in [1, 3), so e = 0), cut into the same 3 blocks as CSR and as dense rows. */
    static DenseMatrix sparseV;
    static BlockedMatrix csrBlocks;
    static BlockedMatrix denseOfSparse;

    @BeforeAll
    static void start() {
        sc = SparkSession2.start("DistributedNmfTest");
        SplittableRandom rnd = new SplittableRandom(1);
        double[] d = new double[N * M];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble() * 3;
        }
        v = new DenseMatrix(N, M, d);
        blocks = BlockedMatrix.of(sc, v, 3, Blas.JAVA);      // rows 32, 32, 6
        sparseV = CsrRowBlockTest.sparse(N, M, 0.3, 1, 11);
        csrBlocks = BlockedMatrix.of(sc, CsrMatrix.of(sparseV), 3, Blas.JAVA);
        denseOfSparse = BlockedMatrix.of(sc, sparseV, 3, Blas.JAVA);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static SolverOptions options(int iterations) {
        return SolverOptions.rank(3).withMaxIterations(iterations).withObjectiveTolerance(0).withSeed(5)
                .withThreads(1).withBlas(Blas.JAVA);
    }

    /**
     * The first-order bound on the relative difference of every entry of W_T, H_T between two runs of Lee–Seung MU that
     * differ only in the order of their sums: all quantities are sums of non-negative terms, so each product (V·Hᵀ,
     * W·HHᵀ, Wᵀ·V, WᵀW·H) computed in either order is within γ_N = Nu/(1 − Nu) of the exact value relative to itself
     * (N = max(n, m) terms at most, u = 2^-53), i.e. two orders differ by 2γ_N; an update x·a/b perturbs by δ_x + δ_a + δ_b
     * plus its own two roundings on each side. With δ_t the largest relative difference at iteration t,
     * δ_{t+1} ≤ 2δ_t + 3δ_t (a = V·Hᵀ or Wᵀ·V: δ + 2γ; b = W·HHᵀ: 3δ + 2γ) + 4γ_N + 4u = 5δ_t + 4γ_N + 4u, δ_0 = 0 (the
     * same start): δ_T ≤ (5^T − 1)/4 · (4γ_N + 4u).
     */
    static double roundingBound(int iterations) {
        double u = 0x1p-53;
        int nTerms = Math.max(N, M);
        double gamma = nTerms * u / (1 - nTerms * u);
        return (Math.pow(5, iterations) - 1) / 4 * (4 * gamma + 4 * u);
    }

    static double maxRelativeDifference(SolveResult a, SolveResult b) {
        double max = 0;
        double[][] x = {a.w().data(), a.h().data()};
        double[][] y = {b.w().data(), b.h().data()};
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < x[k].length; i++) {
                max = Math.max(max, Math.abs(x[k][i] - y[k][i]) / Math.abs(y[k][i]));
            }
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mu-concurrent", "mu", "mwu-adaptive"})
    void sameSeedGivesTheSameStartBitForBit(String alg) {
        SolveResult single = Solvers.byName(alg).solve(v, options(0));
        SolveResult dist = new DistributedNmf(sc, blocks).solve(alg, options(0));
        assertThat(dist.w().data()).containsExactly(single.w().data());
        assertThat(dist.h().data()).containsExactly(single.h().data());
        assertThat(dist.objective()).isEqualTo(single.objective());     // same block order of the final residual sum
    }

    @ParameterizedTest
    @ValueSource(strings = {"mu-concurrent", "mu", "mwu-adaptive"})
    void matchesTheSingleJvmSolverWithinTheRoundingBound(String alg) {
        SolveResult single = Solvers.byName(alg).solve(v, options(T));
        DistributedNmf.Outcome out = new DistributedNmf(sc, blocks).run(alg, options(T),
                DistributedNmf.CheckpointOptions.none());
        assertThat(out.result().iterations()).isEqualTo(T);
        assertThat(out.result().stopReason()).isEqualTo(single.stopReason());
        // derived for MU; for mwu-adaptive (whose gradient cancels and whose line search picks among candidates) the same
        // number is a check, not a proof
        assertThat(maxRelativeDifference(out.result(), single)).isLessThanOrEqualTo(roundingBound(T));
        // and the run is not trivially the start
        assertThat(maxRelativeDifference(out.result(), new DistributedNmf(sc, blocks).solve(alg, options(0))))
                .isGreaterThan(1e-3);
    }

    @Test
    void aConcurrentIterationIsOnePassOverVAndAnAlternatingOneTwo() {
        DistributedNmf d = new DistributedNmf(sc, blocks);
        for (String alg : new String[]{"mu-concurrent", "mwu-adaptive", "mu"}) {
            DistributedNmf.Outcome out = d.run(alg, options(T), DistributedNmf.CheckpointOptions.none());
            // counted block visits / blocks: T updates and the measurement of the start (one pass, both products)
            double expected = alg.equals("mu") ? 2.0 : 1.0;
            assertThat(out.passes()).as(alg).isEqualTo(1 + expected * T);
            assertThat(out.passesPerIteration()).as(alg).isEqualTo(expected);
        }
    }

    /** A listener that kills the run at iteration {@code at}, as a lost driver would. */
    static SolverOptions killedAt(SolverOptions o, int at) {
        return o.withListener((row, point) -> {
            if (row.iteration() == at) {
                throw new IllegalStateException("killed at iteration " + at);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"mwu-adaptive", "mu"})
    void aKilledRunResumesFromItsLastCheckpointToTheSameBits(String alg, @TempDir Path dir) throws Exception {
        int k = 3;
        int killAt = 8;
        int iterations = 11;
        DistributedNmf d = new DistributedNmf(sc, blocks);
        SolveResult whole = d.solve(alg, options(iterations));
        DistributedNmf.CheckpointOptions ck = new DistributedNmf.CheckpointOptions(dir, k, true);
        assertThatThrownBy(() -> d.run(alg, killedAt(options(iterations), killAt), ck))
                .hasMessageContaining("killed at iteration " + killAt);
        assertThat(Files.isDirectory(dir.resolve("ckpt-6"))).isTrue();
        DistributedNmf.Outcome resumed = d.run(alg, options(iterations), ck);
        assertThat(resumed.resumedFrom()).isGreaterThanOrEqualTo(killAt - k).isEqualTo(6);
        assertThat(resumed.updates()).isEqualTo(iterations - 6);
        assertThat(resumed.result().w().data()).containsExactly(whole.w().data());
        assertThat(resumed.result().h().data()).containsExactly(whole.h().data());
        assertThat(resumed.result().trace()).hasSize(iterations + 1);
        for (int t = 0; t <= iterations; t++) {
            assertThat(resumed.result().trace().get(t).normalisedObjective())
                    .isEqualTo(whole.trace().get(t).normalisedObjective());
        }
    }

    @Test
    void aCheckpointOfAnotherRunIsRefusedInOneLine(@TempDir Path dir) {
        DistributedNmf d = new DistributedNmf(sc, blocks);
        d.run("mu", options(3), new DistributedNmf.CheckpointOptions(dir, 2, false));
        assertThatThrownBy(() -> d.run("mu-concurrent", options(3), new DistributedNmf.CheckpointOptions(dir, 2, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a checkpoint of mu on 70x40 with r = 3, not of this run");
    }

    @Test
    void rowBlockFilesAreStackedInNameOrder(@TempDir Path dir) throws Exception {
        io.github.nmforacle.io.NpyMatrix.write(slice(0, 40), dir.resolve("part-00.npy"));
        io.github.nmforacle.io.NpyMatrix.write(slice(40, 70), dir.resolve("part-01.npy"));
        BlockedMatrix fromFiles = BlockedMatrix.fromDirectory(sc, dir, Blas.JAVA);
        assertThat(fromFiles.n()).isEqualTo(N);
        assertThat(fromFiles.count()).isEqualTo(2);
        SolveResult a = new DistributedNmf(sc, fromFiles).solve("mu-concurrent", options(0));
        SolveResult b = Solvers.byName("mu-concurrent").solve(v, options(0));
        assertThat(a.w().data()).containsExactly(b.w().data());
        double[] bad = slice(40, 70).data().clone();
        bad[2 * M + 5] = -1;
        io.github.nmforacle.io.NpyMatrix.write(new DenseMatrix(30, M, bad), dir.resolve("part-01.npy"));
        assertThatThrownBy(() -> BlockedMatrix.fromDirectory(sc, dir, Blas.JAVA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("part-01.npy") + ": entry [42, 5] of V is negative (-1.0)");
    }

    /**
     * CSR blocks (issue 15 item 2) against dense blocks of the same rows, --blas java: the products are the same bits
     * (CsrRowBlockTest), so W, H and every traced objective and residual are too; only the final F differs, summed from
     * the CSR identity instead of entry by entry, within CsrRowBlockTest.residualBound. The start is the single-JVM
     * solver's on the CSR V, and the passes are counted alike (1 per concurrent iteration, 2 for mu).
     */
    @ParameterizedTest
    @ValueSource(strings = {"mu-concurrent", "mu", "mwu-adaptive"})
    void csrBlocksGiveTheBitsOfDenseBlocks(String alg) {
        assertThat(csrBlocks.blocks().map(b -> b instanceof CsrRowBlock).collect()).containsExactly(true, true, true);
        DistributedNmf.Outcome dense = new DistributedNmf(sc, denseOfSparse).run(alg, options(T),
                DistributedNmf.CheckpointOptions.none());
        DistributedNmf.Outcome csr = new DistributedNmf(sc, csrBlocks).run(alg, options(T),
                DistributedNmf.CheckpointOptions.none());
        SolveResult a = csr.result(), b = dense.result();
        assertThat(a.iterations()).isEqualTo(T);
        assertThat(a.exponent()).isZero();
        assertThat(a.w().data()).containsExactly(b.w().data());
        assertThat(a.h().data()).containsExactly(b.h().data());
        assertThat(a.trace()).hasSize(T + 1);
        for (int t = 0; t <= T; t++) {
            TraceRow x = a.trace().get(t), y = b.trace().get(t);
            assertThat(x.normalisedObjective()).as("F at %d", t).isEqualTo(y.normalisedObjective());
            assertThat(x.normalisedResidual()).as("residual at %d", t).isEqualTo(y.normalisedResidual());
        }
        assertThat(Math.abs(a.normalisedObjective() - b.normalisedObjective()))
                .isLessThanOrEqualTo(CsrRowBlockTest.residualBound(sparseV, a.w().data(), a.h().data(), 3, 3));
        double perIteration = alg.equals("mu") ? 2.0 : 1.0;
        assertThat(csr.passes()).isEqualTo(1 + perIteration * T).isEqualTo(dense.passes());
        SolveResult start = new DistributedNmf(sc, csrBlocks).solve(alg, options(0));
        SolveResult single = Solvers.byName(alg).solve(CsrMatrix.of(sparseV), options(0));
        assertThat(start.w().data()).containsExactly(single.w().data());
        assertThat(start.h().data()).containsExactly(single.h().data());
        assertThat(maxRelativeDifference(a, start)).isGreaterThan(1e-3);
    }

    @Test
    void npzRowBlocksMixWithDenseOnesToTheSameBits(@TempDir Path dir) throws Exception {
        Path mixed = Files.createDirectory(dir.resolve("mixed")), dense = Files.createDirectory(dir.resolve("dense"));
        DenseMatrix top = rows(sparseV, 0, 40), bottom = rows(sparseV, 40, 70);
        io.github.nmforacle.io.NpzFiles.write(mixed.resolve("part-00.npz"), CsrMatrix.of(top));
        io.github.nmforacle.io.NpyMatrix.write(bottom, mixed.resolve("part-01.npy"));
        io.github.nmforacle.io.NpyMatrix.write(top, dense.resolve("part-00.npy"));
        io.github.nmforacle.io.NpyMatrix.write(bottom, dense.resolve("part-01.npy"));
        BlockedMatrix fromMixed = BlockedMatrix.fromDirectory(sc, mixed, Blas.JAVA);
        assertThat(fromMixed.n()).isEqualTo(N);
        assertThat(fromMixed.blocks().map(b -> b instanceof CsrRowBlock).collect()).containsExactly(true, false);
        SolveResult a = new DistributedNmf(sc, fromMixed).solve("mu-concurrent", options(3));
        SolveResult b = new DistributedNmf(sc, BlockedMatrix.fromDirectory(sc, dense, Blas.JAVA))
                .solve("mu-concurrent", options(3));
        assertThat(a.w().data()).containsExactly(b.w().data());
        assertThat(a.h().data()).containsExactly(b.h().data());
        double[] bad = bottom.data().clone();
        bad[2 * M + 5] = -1;        // a stored entry: sparseV's entries are 0 or ≥ 1
        Files.delete(mixed.resolve("part-01.npy"));
        io.github.nmforacle.io.NpzFiles.write(mixed.resolve("part-01.npz"), CsrMatrix.of(new DenseMatrix(30, M, bad)));
        assertThatThrownBy(() -> BlockedMatrix.fromDirectory(sc, mixed, Blas.JAVA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(mixed.resolve("part-01.npz") + ": entry [42, 5] of V is negative (-1.0)");
    }

    static DenseMatrix slice(int from, int to) {
        return rows(v, from, to);
    }

    static DenseMatrix rows(DenseMatrix a, int from, int to) {
        double[] d = new double[(to - from) * M];
        System.arraycopy(a.data(), from * M, d, 0, d.length);
        return new DenseMatrix(to - from, M, d);
    }
}
