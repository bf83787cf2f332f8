package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.io.MatrixIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** solve, certify and check take a sparse V (scipy .npz, coordinate .mtx) transparently (issue 15 item 1). */
class SparseCliTest {
    private static final Path FIX = Path.of("fixtures", "sparse");

    @TempDir
    Path dir;

    @Test
    void solveCertifyCheckOnScipyNpz() throws IOException {
        String[] inputs = {"small-csr.npz", "small-csc.npz", "small.mtx", "small-dense.npy"};
        byte[] firstW = null;
        for (String in : inputs) {
            Path w = dir.resolve(in + ".W.npy"), h = dir.resolve(in + ".H.npy"), cert = dir.resolve(in + ".json");
            Run s = Run.of("solve", "--input", FIX.resolve(in).toString(), "--rank", "2", "-a", "hals", "--max-iter",
                    "500", "--blas", "java", "--quiet", "--out-w", w.toString(), "--out-h", h.toString());
            assertThat(s.code()).as(in + ": " + s.err()).isZero();
            // the sparse and dense paths give the same factors bit for bit (the same products' summation order)
            byte[] bytes = Files.readAllBytes(w);
            if (firstW == null) {
                firstW = bytes;
            }
            assertThat(bytes).as(in).isEqualTo(firstW);
            Run c = Run.of("certify", "--input", FIX.resolve(in).toString(), "--w", w.toString(), "--h", h.toString(),
                    "--out", cert.toString());
            assertThat(c.code()).as(in + ": " + c.err()).isZero();
            assertThat(c.out()).contains("V 7x5, r = 2");
            Run k = Run.of("check", "--input", FIX.resolve(in).toString(), "--w", w.toString(), "--h", h.toString(),
                    "--certificate", cert.toString(), "--accept-unverified");
            assertThat(k.code()).as(in + ": " + k.out() + k.err()).isZero();
        }
        assertThat(MatrixIO.read(dir.resolve("small-csr.npz.W.npy")).rows()).isEqualTo(7);
    }

    @Test
    void badSparseInputIsOneLine() throws IOException {
        Path bad = dir.resolve("V.npz");
        Files.writeString(bad, "not a zip");
        Run r = Run.of("solve", "--input", bad.toString(), "--rank", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("nmf-oracle: " + bad + ": not a .npz file (not a readable zip archive)");
        Path neg = dir.resolve("neg.mtx");
        Files.writeString(neg, "%%MatrixMarket matrix coordinate real general\n2 3 2\n1 1 1\n2 3 -4\n");
        Run n = Run.of("solve", "--input", neg.toString(), "--rank", "1");
        assertThat(n.code()).isEqualTo(2);
        assertThat(n.err().strip()).isEqualTo("nmf-oracle: " + neg + ": entry [1, 2] is negative (-4.0)");
    }
}
