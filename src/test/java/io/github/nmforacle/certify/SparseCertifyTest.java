package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nmforacle.check.Checker;
import io.github.nmforacle.check.Report;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certifier on a sparse V (issue 15 item 1) gives the dense path's certificate: the same verdicts, the same
 * first-order numbers (∇F and its bounds come from the same products, the dense Java path's bits), an objective within
 * the rounding bound of the Gram form, the same provenance digest; and the checker accepts it with V read from a
 * sparse file. Exact mode too (ExactNmf on the non-zeros).
 */
class SparseCertifyTest {
    @TempDir
    Path dir;

    private static DenseMatrix sparseV(int n, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] d = new double[n * m];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble() < 0.3 ? 1 + rnd.nextInt(4) : 0;
        }
        return new DenseMatrix(n, m, d);
    }

    @Test
    void sparseAndDenseCertificatesAgree() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            DenseMatrix v = sparseV(14, 11, seed);
            CsrMatrix c = CsrMatrix.of(v);
            for (int iterations : new int[] {3, 3000}) {
                SolveResult s = Solvers.byName("hals").solve(v, SolverOptions.rank(2).withMaxIterations(iterations)
                        .withObjectiveTolerance(0).withSeed(seed).withBlas(Blas.JAVA));
                for (Mode mode : Mode.values()) {
                    CertifyOptions o = CertifyOptions.nmf(mode);
                    Certificate dense = Certifier.certify(v, s.w(), s.h(), o);
                    Certificate sparse = Certifier.certify(c, s.w(), s.h(), o);
                    String what = "seed " + seed + ", " + iterations + " iterations, " + mode;
                    assertThat(sparse.fosp()).as(what).isEqualTo(dense.fosp());
                    assertThat(sparse.sospPaper().verdict()).as(what).isEqualTo(dense.sospPaper().verdict());
                    assertThat(sparse.sospCone().verdict()).as(what).isEqualTo(dense.sospCone().verdict());
                    assertThat(sparse.strictModuloSymmetry().verdict()).as(what)
                            .isEqualTo(dense.strictModuloSymmetry().verdict());
                    assertThat(sparse.counts()).as(what).isEqualTo(dense.counts());
                    assertThat(sparse.provenance()).as(what).isEqualTo(dense.provenance());
                    // F by the Gram form: within γ_K·3(‖V‖ + ‖W‖‖H‖)², K = nnz + r² + n + m + 2r + 8 < 100
                    double a = v.frobeniusNorm() + s.w().frobeniusNorm() * s.h().frobeniusNorm();
                    assertThat(Math.abs(sparse.objective() - dense.objective())).as(what)
                            .isLessThanOrEqualTo(100 * 0x1p-53 * 3 * a * a);
                    if (mode == Mode.FLOAT) {
                        assertThat(check(v, c, s, sparse).ok()).as(what + ": checker").isTrue();
                    }
                }
            }
        }
    }

    /** The checker on the certificate, V read from a Matrix Market coordinate file (sparse), W and H from .csv. */
    private Report check(DenseMatrix v, CsrMatrix c, SolveResult s, Certificate cert) throws IOException {
        StringBuilder sb = new StringBuilder("%%MatrixMarket matrix coordinate real general\n")
                .append(v.rows()).append(' ').append(v.cols()).append(' ').append(c.nonZeros()).append('\n');
        c.forEach((i, j, x) -> sb.append(i + 1).append(' ').append(j + 1).append(' ').append(x).append('\n'));
        Path vp = dir.resolve("V.mtx"), wp = dir.resolve("W.csv"), hp = dir.resolve("H.csv"), cp = dir.resolve("c.json");
        Files.writeString(vp, sb);
        assertThat(MatrixIO.readData(vp)).isEqualTo(c);
        MatrixIO.write(s.w(), wp);
        MatrixIO.write(s.h(), hp);
        Files.writeString(cp, CertificateJson.toJson(cert));
        new ObjectMapper().readTree(cp.toFile());
        return Checker.check(vp, wp, hp, cp, true);
    }
}
