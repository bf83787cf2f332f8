package io.github.nmforacle.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sparse readers (issue 15 item 1): Matrix Market coordinate kept sparse, scipy's .npz CSR/CSC. */
class SparseIOTest {
    private static final Path FIX = Path.of("fixtures", "sparse");

    @TempDir
    Path dir;

    @Test
    void scipyFilesReadAsTheSameMatrix() {
        DenseMatrix dense = MatrixIO.read(FIX.resolve("small-dense.npy"));
        for (String f : new String[] {"small-csr.npz", "small-csc.npz", "small.mtx"}) {
            DataMatrix v = MatrixIO.readData(FIX.resolve(f));
            assertThat(v).as(f).isInstanceOf(CsrMatrix.class);
            assertThat(v.dense("test").data()).as(f).isEqualTo(dense.data());
            assertThat(((CsrMatrix) v).nonZeros()).as(f).isEqualTo(10);
        }
        double[] f32 = dense.data().clone();
        for (int i = 0; i < f32.length; i++) {
            f32[i] = (float) f32[i];
        }
        assertThat(MatrixIO.readData(FIX.resolve("small-csr-float32.npz")).dense("test").data()).isEqualTo(f32);
        // .npy stays dense; a coordinate file is still dense through MatrixIO.read (the factors' reader)
        assertThat(MatrixIO.readData(FIX.resolve("small-dense.npy"))).isInstanceOf(DenseMatrix.class);
        assertThat(MatrixIO.read(FIX.resolve("small.mtx")).data()).isEqualTo(dense.data());
    }

    @Test
    void coordinateFileTooLargeDenseIsReadSparse() throws IOException {
        Path p = write("big.mtx", "%%MatrixMarket matrix coordinate real general\n100000 20000 3\n"
                + "100000 20000 2.5\n1 1 1\n7 3 0.5\n");
        CsrMatrix c = (CsrMatrix) MatrixIO.readData(p);
        assertThat(c.shape()).isEqualTo("100000x20000");
        assertThat(c.get(99_999, 19_999)).isEqualTo(2.5);
        assertThat(c.get(6, 2)).isEqualTo(0.5);
        assertThat(c.get(6, 1)).isEqualTo(0.0);
        assertThatThrownBy(() -> MatrixIO.read(p)).isInstanceOf(InputException.class)
                .hasMessageContaining("more than the limit of");
    }

    @Test
    void coordinateErrorsAreAsForTheDenseReader() throws IOException {
        String head = "%%MatrixMarket matrix coordinate real general\n3 4 3\n";
        expect(write("dup.mtx", head + "1 1 1\n2 2 2\n1 1 3\n"), "dup.mtx: line 5: duplicate entry (1, 1)");
        expect(write("range.mtx", head + "1 1 1\n4 1 2\n1 2 3\n"), "range.mtx: line 4: index (4, 1) out of range for a 3x4 matrix");
        expect(write("short.mtx", head + "1 1 1\n"), "short.mtx: truncated: header announces 3 entries, found 1");
        expect(write("nan.mtx", head + "1 1 1\n2 2 nan\n1 2 3\n"), "nan.mtx: line 4, entry (2, 2): value is NaN");
        expect(write("many.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 5\n"),
                "many.mtx: line 2: header announces 5 entries, more than the 4 of a 2x2 matrix");
        for (String f : new String[] {"dup.mtx", "range.mtx", "short.mtx"}) {
            String sparse = message(() -> MatrixIO.readData(dir.resolve(f)));
            assertThat(sparse).isEqualTo(message(() -> MatrixIO.read(dir.resolve(f))));
        }
    }

    @Test
    void npzOfCsrAndCscFromJava() throws IOException {
        // [[0, 2, 0], [1, 0, 3]]
        Path csr = npz("a.npz", "csr", new long[] {2, 3}, f8(2, 1, 3), i4(1, 0, 2), i4(0, 1, 3));
        Path csc = npz("b.npz", "csc", new long[] {2, 3}, f8(1, 2, 3), i8(1, 0, 1), i8(0, 1, 2, 3));
        double[] want = {0, 2, 0, 1, 0, 3};
        assertThat(MatrixIO.readData(csr).dense("t").data()).isEqualTo(want);
        assertThat(MatrixIO.readData(csc).dense("t").data()).isEqualTo(want);
    }

    @Test
    void npzIsValidated() throws IOException {
        long[] shape = {2, 3};
        expect(npz("coo.npz", "coo", shape, f8(1), i4(0), i4(0, 1, 1)),
                "coo.npz: format \"coo\" is not supported, expected csr or csc (scipy: save .tocsr())");
        expect(npz("ptr.npz", "csr", shape, f8(1, 2), i4(0, 1), i4(0, 2, 1)),
                "ptr.npz: indptr.npy: must run from 0 to nnz = 2, got 0 to 1");
        expect(npz("dec.npz", "csr", shape, f8(1, 2), i4(0, 1), i4(0, 2)),
                "dec.npz: indptr.npy: 2 entries, expected 3 for CSR of a 2x3 matrix");
        expect(npz("mono.npz", "csr", new long[] {3, 3}, f8(1, 2), i4(0, 1), i4(0, 2, 1, 2)),
                "mono.npz: indptr.npy: decreases at position 2 (2 then 1)");
        expect(npz("idx.npz", "csr", shape, f8(1, 2), i4(0, 3), i4(0, 1, 2)),
                "idx.npz: indices.npy: column index 3 at position 1 is outside [0, 3)");
        expect(npz("dupl.npz", "csr", shape, f8(1, 2), i4(1, 1), i4(0, 2, 2)),
                "dupl.npz: duplicate entry [0, 1]");
        expect(npz("sort.npz", "csr", shape, f8(1, 2), i4(2, 1), i4(0, 2, 2)),
                "sort.npz: indices.npy: column indices of row 0 are not sorted (scipy: call sort_indices() before save_npz)");
        expect(npz("inf.npz", "csc", shape, f8(1, Double.POSITIVE_INFINITY), i4(0, 1), i4(0, 1, 2, 2)),
                "inf.npz: entry [1, 1] is +Infinity");
        expect(npz("len.npz", "csr", shape, f8(1, 2), i4(0), i4(0, 1, 2)),
                "len.npz: indices.npy: 1 entries but data.npy has 2");
        expect(npz("neg.npz", "csr", new long[] {0, 3}, f8(), i4(), i4(0)), "neg.npz: empty matrix (0x3)");
        Path noShape = dir.resolve("noshape.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(noShape))) {
            z.putNextEntry(new ZipEntry("format.npy"));
            z.write(NpzFiles.npy("|S3", "()", "csr".getBytes(StandardCharsets.US_ASCII)));
        }
        expect(noShape, "noshape.npz: no shape.npy in the archive: not a scipy sparse matrix (scipy.sparse.save_npz)");
        expect(write("text.npz", "hello"), "text.npz: not a .npz file (not a readable zip archive)");
        // V's sparse reader only: a factor cannot be .npz
        expect(npz("w.npz", "csr", shape, f8(1), i4(0), i4(0, 1, 1)), () -> MatrixIO.read(dir.resolve("w.npz")),
                "w.npz: a sparse .npz matrix is accepted for V only (the factors W and H are dense)");
    }

    private Path npz(String name, String format, long[] shape, byte[] data, byte[] indices, byte[] indptr) throws IOException {
        return NpzFiles.write(dir.resolve(name), format, shape, data, indices, indptr);
    }

    private static byte[] f8(double... v) {
        return NpzFiles.f8(v);
    }

    private static byte[] i4(int... v) {
        return NpzFiles.i4(v);
    }

    private static byte[] i8(long... v) {
        return NpzFiles.i8(v);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private void expect(Path p, String message) {
        expect(p, () -> MatrixIO.readData(p), message);
    }

    private void expect(Path p, Runnable read, String message) {
        assertThat(message(read)).isEqualTo(dir.resolve(message.substring(0, message.indexOf(':'))) + message.substring(message.indexOf(':')));
    }

    private static String message(Runnable read) {
        try {
            read.run();
        } catch (InputException e) {
            return e.getMessage();
        }
        throw new AssertionError("no InputException");
    }
}
