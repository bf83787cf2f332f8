package io.github.nmforacle.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.cli.Main;
import io.github.nmforacle.io.NpyMatrix;
import io.github.nmforacle.io.NpzFiles;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's {@code spark} command with --master local[2] (its own context, stopped when the command ends). */
class SparkCommandTest {
    @Test
    void solvesWritesTheFactorsAndCountsThePasses(@TempDir Path dir) {
        double[] d = new double[50 * 30];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble();
        }
        Path v = dir.resolve("v.npy");
        NpyMatrix.write(new DenseMatrix(50, 30, d), v);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"spark", "--master", "local[2]", "--input", v.toString(), "-r", "2", "-a", "mu",
                "--blocks", "2", "--max-iter", "4", "--tol", "0", "--out-w", dir.resolve("w.npy").toString(),
                "--checkpoint-dir", dir.resolve("ck").toString(), "--checkpoint-every", "2"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("mu on " + v + ": objective ")
                .contains("iterations 4 (max iterations)").contains("passes over V: 9 (2.00 per iteration)");
        assertThat(NpyMatrix.read(dir.resolve("w.npy"), 1000).rows()).isEqualTo(50);
        assertThat(Files.isDirectory(dir.resolve("ck").resolve("ckpt-2"))).isTrue();
    }

    @Test
    void aBadBlockFileIsOneLineAndExit2(@TempDir Path dir) throws Exception {
        Path blocks = Files.createDirectory(dir.resolve("blocks"));
        NpyMatrix.write(new DenseMatrix(2, 2, new double[]{1, 2, 3, Double.NaN}), blocks.resolve("b0.npy"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"spark", "--master", "local[2]", "--input-dir", blocks.toString(), "-r", "1"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("nmf-oracle: " + blocks.resolve("b0.npy") + ": entry [1, 1] is NaN");
    }

    @Test
    void aBadSparseBlockFileOrInputIsOneLineAndExit2(@TempDir Path dir) throws Exception {
        Path blocks = Files.createDirectory(dir.resolve("blocks"));
        NpyMatrix.write(new DenseMatrix(2, 3, new double[]{1, 2, 3, 4, 5, 6}), blocks.resolve("b0.npy"));
        CsrMatrix bad = CsrMatrix.of(new DenseMatrix(2, 3, new double[]{0, 1, 0, 2, 0, -2}));
        NpzFiles.write(blocks.resolve("b1.npz"), bad);
        String[] err = new String[1];
        assertThat(run(err, "--input-dir", blocks.toString())).isEqualTo(2);
        assertThat(err[0]).isEqualTo("nmf-oracle: " + blocks.resolve("b1.npz") + ": entry [3, 2] of V is negative (-2.0)");
        Path v = NpzFiles.write(dir.resolve("v.npz"), bad);
        assertThat(run(err, "--input", v.toString())).isEqualTo(2);
        assertThat(err[0]).isEqualTo("nmf-oracle: " + v + ": entry [1, 2] is negative (-2.0)");
    }

    /** The spark command with -r 1 on local[2]: its exit code, and its stderr (stripped) in err[0]. */
    private static int run(String[] err, String... source) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String[] args = new String[source.length + 5];
        System.arraycopy(new String[]{"spark", "--master", "local[2]", "-r", "1"}, 0, args, 0, 5);
        System.arraycopy(source, 0, args, 5, source.length);
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        err[0] = e.toString(StandardCharsets.UTF_8).strip();
        return code;
    }

    @Test
    void certifiesTheResultOnTheDistributedVAndTheCheckerAcceptsIt(@TempDir Path dir) throws Exception {
        double[] d = new double[40 * 12];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextDouble();
        }
        Path v = dir.resolve("v.npy"), w = dir.resolve("w.npy"), h = dir.resolve("h.npy"), cert = dir.resolve("c.json");
        NpyMatrix.write(new DenseMatrix(40, 12, d), v);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"spark", "--master", "local[2]", "--input", v.toString(), "-r", "2", "-a", "mu",
                "--blocks", "2", "--max-iter", "20", "--tol", "0", "--out-w", w.toString(), "--out-h", h.toString(),
                "--certify", cert.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("; certificate: fosp ");
        assertThat(Files.readString(cert)).contains("V is distributed in 2 row blocks");
        io.github.nmforacle.check.Report report = io.github.nmforacle.check.Checker.check(v, w, h, cert);
        assertThat(report.ok()).as(report.items().toString()).isTrue();
    }
}
