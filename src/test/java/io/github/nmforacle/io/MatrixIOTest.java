package io.github.nmforacle.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.linalg.DenseMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatrixIOTest {
    @TempDir
    Path dir;

    /** Values that a sloppy formatter would not round-trip. */
    private static final DenseMatrix TRICKY = DenseMatrix.of(new double[][] {
        {1e-300, 0.1, 1.0 / 3, 1e300},
        {-0.0, Double.MIN_VALUE, Double.MAX_VALUE, -2.5},
        {0, 123456789.123456789, Math.PI, 7},
    });

    // ---- round trips ----

    @ParameterizedTest
    @ValueSource(strings = {"m.csv", "m.mtx", "m.npy", "M.CSV", "M.Mtx", "M.NPY"})
    void roundTripIsBitIdentical(String name) throws IOException {
        Path p = dir.resolve(name);
        MatrixIO.write(TRICKY, p);
        assertBitIdentical(MatrixIO.read(p), TRICKY);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(p); // no temporary file left behind
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"m.csv", "m.mtx", "m.npy"})
    void writeReplacesAnExistingFile(String name) {
        Path p = dir.resolve(name);
        MatrixIO.write(TRICKY, p);
        DenseMatrix small = DenseMatrix.of(new double[][] {{1, 2}});
        MatrixIO.write(small, p);
        assertBitIdentical(MatrixIO.read(p), small);
    }

    @Test
    void npyWriterAlignsHeaderTo64Bytes() throws IOException {
        Path p = dir.resolve("a.npy");
        MatrixIO.write(TRICKY, p);
        byte[] b = Files.readAllBytes(p);
        int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertThat((10 + headerLength) % 64).isZero();
        assertThat(b[10 + headerLength - 1]).isEqualTo((byte) '\n');
        assertThat(new String(b, 10, headerLength, StandardCharsets.US_ASCII))
                .startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }");
        assertThat(b.length).isEqualTo(10 + headerLength + 12 * 8);
    }

    @Test
    void mtxWriterUsesColumnMajorArrayFormat() throws IOException {
        Path p = dir.resolve("a.mtx");
        MatrixIO.write(DenseMatrix.of(new double[][] {{1, 2}, {3, 4}}), p);
        assertThat(Files.readString(p)).isEqualTo("%%MatrixMarket matrix array real general\n2 2\n1.0\n3.0\n2.0\n4.0\n");
    }

    // ---- reading the formats ----

    @Test
    void csvAllowsCommentsWhitespaceCrlfByteOrderMarkAndTrailingBlankLines() throws IOException {
        Path p = write("v.csv", "\uFEFF# a comment\r\n 1 , 2.5,-3e2\r\n  # another\r\n4,5,6\r\n\r\n  \n");
        assertThat(MatrixIO.read(p)).isEqualTo(DenseMatrix.of(new double[][] {{1, 2.5, -300}, {4, 5, 6}}));
    }

    @Test
    void csvWithoutFinalLineEnd() throws IOException {
        assertThat(MatrixIO.read(write("v.csv", "1,2\n3,4"))).isEqualTo(DenseMatrix.of(new double[][] {{1, 2}, {3, 4}}));
    }

    @Test
    void npyFloat64COrder() throws IOException {
        double[] rowMajor = {1, 2, 3, 4, 5, 6};
        Path p = npy("c.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                doubles(ByteOrder.LITTLE_ENDIAN, rowMajor));
        assertThat(MatrixIO.read(p)).isEqualTo(new DenseMatrix(2, 3, rowMajor));
    }

    @Test
    void npyFloat64FortranOrder() throws IOException {
        Path p = npy("f.npy", 1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                doubles(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6));
        assertThat(MatrixIO.read(p)).isEqualTo(new DenseMatrix(2, 3, new double[] {1, 2, 3, 4, 5, 6}));
    }

    @Test
    void npyFloat32COrderAndFortranOrder() throws IOException {
        float[] values = {0.1f, 2, 3, 4, 5, 6.5f};
        Path c = npy("c32.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", floats(values));
        Path f = npy("f32.npy", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", floats(values));
        assertThat(MatrixIO.read(c).data()).containsExactly(0.1f, 2, 3, 4, 5, 6.5f);
        assertThat(MatrixIO.read(f).data()).containsExactly(0.1f, 3, 5, 2, 4, 6.5f);
    }

    @Test
    void npyBigEndianVersion2DoubleQuotesAndNoTrailingComma() throws IOException {
        Path p = npy("b.npy", 2, "{\"shape\":(1,2),\"fortran_order\":False,\"descr\":\">f8\"}",
                doubles(ByteOrder.BIG_ENDIAN, 0.1, 1e-300));
        assertBitIdentical(MatrixIO.read(p), new DenseMatrix(1, 2, new double[] {0.1, 1e-300}));
    }

    @Test
    void npyIntegersAreConverted() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-3).putInt(40);
        Path p = npy("i.npy", 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 1), }", b.array());
        assertThat(MatrixIO.read(p).data()).containsExactly(-3, 40);
    }

    @Test
    void mtxCoordinateWithUnlistedZeros() throws IOException {
        Path p = write("c.mtx", """
                %%MatrixMarket matrix coordinate real general
                % a comment
                3 2 3
                1 1 1.5
                3 2 -2

                2 1 1e-300
                """);
        assertBitIdentical(MatrixIO.read(p), DenseMatrix.of(new double[][] {{1.5, 0}, {1e-300, 0}, {0, -2}}));
    }

    @Test
    void mtxArrayIsColumnMajorAndIntegerFieldAndBannerCaseAreAccepted() throws IOException {
        Path p = write("a.mtx", "%%matrixmarket MATRIX Array Integer GENERAL\n2 3\n1\n4\n2\n5\n3\n6\n");
        assertThat(MatrixIO.read(p)).isEqualTo(DenseMatrix.of(new double[][] {{1, 2, 3}, {4, 5, 6}}));
    }

    // ---- bad input: every message is one line, "<path>: <problem>" ----

    @Test
    void nanIsRejected() throws IOException {
        assertInputError(write("V.csv", "1,2,3\n4,5,NaN\n"), "line 2, column 3", "value is NaN");
        assertInputError(write("V.mtx", "%%MatrixMarket matrix array real general\n1 2\n1\nnan\n"), "line 4", "NaN");
        Path npy = npy("V.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, Double.NaN, 4));
        assertInputError(npy, "entry [1, 0] is NaN");
    }

    @Test
    void infinityIsRejected() throws IOException {
        assertInputError(write("V.csv", "1,-inf\n"), "line 1, column 2", "value is -Infinity");
        assertInputError(write("W.csv", "Infinity\n"), "line 1, column 1", "value is +Infinity");
        assertInputError(write("X.csv", "1\n1e999\n"), "line 2, column 1", "+Infinity");
        assertInputError(write("V.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n2 1 -1e400\n"),
                "line 3", "-Infinity");
        Path npy = npy("V.npy", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                floats(1, 2, Float.POSITIVE_INFINITY, 4));
        assertInputError(npy, "entry [0, 1] is +Infinity");
    }

    @Test
    void nonNumericTokenIsRejected() throws IOException {
        assertInputError(write("V.csv", "1,2\n3,abc\n"), "line 2, column 2", "non-numeric token \"abc\"");
        assertInputError(write("W.csv", "1,0x10\n"), "non-numeric token \"0x10\"");
        assertInputError(write("X.csv", "1,2d\n"), "non-numeric token \"2d\"");
        assertInputError(write("Y.csv", "1,,2\n"), "line 1, column 2", "empty value");
    }

    @Test
    void raggedCsvIsRejected() throws IOException {
        assertInputError(write("V.csv", "1,2,3\n4,5\n"), "line 2", "2 values, expected 3");
    }

    @Test
    void blankLineInsideCsvIsRejected() throws IOException {
        assertInputError(write("V.csv", "1,2\n\n3,4\n"), "line 2", "blank line");
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        assertInputError(write("V.csv", ""), "empty file");
        assertInputError(write("W.csv", "# only a comment\n\n"), "empty file");
        assertInputError(write("V.mtx", ""), "empty file");
        assertInputError(write("V.npy", ""), "not a .npy file");
    }

    @Test
    void emptyMatrixIsRejected() throws IOException {
        assertInputError(write("V.mtx", "%%MatrixMarket matrix array real general\n0 3\n"), "empty matrix (0x3)");
        assertInputError(npy("V.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 0), }", new byte[0]),
                "empty matrix (2x0)");
    }

    @Test
    void truncatedNpyIsRejected() throws IOException {
        Path p = npy("V.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }",
                doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3));
        assertInputError(p, "truncated: header announces 3x4 float64 values (96 bytes), file has 24 bytes of data");
    }

    @Test
    void truncatedMtxIsRejected() throws IOException {
        assertInputError(write("V.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 4\n1 1 1\n2 2 2\n"),
                "truncated: header announces 4 entries, found 2");
        assertInputError(write("W.mtx", "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n"),
                "truncated: header announces 4 entries, found 3");
    }

    @Test
    void extraMtxEntriesAreRejected() throws IOException {
        assertInputError(write("V.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 1\n1 1 1\n2 2 2\n"),
                "line 4", "more entries than the 1");
        assertInputError(write("W.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 5\n"),
                "header announces 5 entries, more than the 4");
    }

    @Test
    void absurdHeaderSizesAreRejectedBeforeAllocating() throws IOException {
        assertInputError(write("big.mtx", "%%MatrixMarket matrix coordinate real general\n100000000 100000000 1\n1 1 1\n"),
                "header announces 100000000x100000000 matrix (1e16 entries), more than the limit of");
        assertInputError(npy("big.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000, 100000000), }",
                new byte[8]), "header announces 100000000x100000000 matrix (1e16 entries), more than the limit of");
    }

    @Test
    void explicitEntryLimitIsHonoured() throws IOException {
        Path csv = write("V.csv", "1,2\n3,4\n5,6\n");
        assertThat(MatrixIO.read(csv, 6).rows()).isEqualTo(3);
        assertThatThrownBy(() -> MatrixIO.read(csv, 5)).isInstanceOf(InputException.class)
                .hasMessageContaining("line 3").hasMessageContaining("more than the limit of 5 entries");
        Path mtx = write("V.mtx", "%%MatrixMarket matrix array real general\n2 3\n1\n2\n3\n4\n5\n6\n");
        assertThatThrownBy(() -> MatrixIO.read(mtx, 5)).isInstanceOf(InputException.class)
                .hasMessageContaining("2x3 matrix (6 entries), more than the limit of 5 entries");
    }

    @Test
    void duplicateMtxEntryIsRejected() throws IOException {
        assertInputError(write("V.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 2 1\n1 2 0\n"),
                "line 4", "duplicate entry (1, 2)");
    }

    @Test
    void outOfRangeMtxIndexIsRejected() throws IOException {
        assertInputError(write("V.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n"),
                "line 3", "index (3, 1) out of range for a 2x2 matrix");
        assertInputError(write("W.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n0 1 1\n"),
                "line 3", "out of range");
    }

    @Test
    void unsupportedMtxKindsAreRejected() throws IOException {
        for (String kind : new String[] {"coordinate complex general", "coordinate pattern general",
                "array real symmetric", "coordinate real skew-symmetric", "coordinate complex hermitian"}) {
            assertInputError(write("V.mtx", "%%MatrixMarket matrix " + kind + "\n2 2 0\n"),
                    "only real/integer general matrices are supported");
        }
        assertInputError(write("W.mtx", "2 2 0\n"), "missing %%MatrixMarket banner");
    }

    @Test
    void unsupportedNpyContentIsRejected() throws IOException {
        assertInputError(npy("V.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }",
                doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5)), "expected a 2-D array, got shape (5,)");
        assertInputError(npy("W.npy", 1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1, 1), }", new byte[16]),
                "unsupported dtype \"<c16\"");
        assertInputError(npy("X.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1) ", new byte[8]),
                "malformed header");
        assertInputError(npy("Y.npy", 7, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", new byte[8]),
                "unsupported .npy format version 7.0");
        assertInputError(npy("Z.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", new byte[16]),
                "more than the header announces");
        Path bad = write("bad.npy", "NUMPY this is text");
        assertInputError(bad, "not a .npy file");
    }

    @Test
    void unsupportedExtensionIsRejected() throws IOException {
        Path p = write("V.txt", "1,2\n");
        assertInputError(p, "unsupported file extension, expected .csv, .mtx or .npy");
        assertThatThrownBy(() -> MatrixIO.write(TRICKY, dir.resolve("out.json")))
                .isInstanceOf(InputException.class).hasMessageContaining("unsupported file extension");
    }

    @Test
    void missingFileAndDirectoryAreRejected() throws IOException {
        assertInputError(dir.resolve("V.csv"), "no such file");
        assertInputError(dir.resolve("V.npy"), "no such file");
        assertInputError(Files.createDirectory(dir.resolve("d.mtx")), "is a directory");
    }

    @Test
    void writingIntoAMissingFolderIsRejected() {
        Path p = dir.resolve("nope").resolve("W.csv");
        assertThatThrownBy(() -> MatrixIO.write(TRICKY, p)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(p + ": ").hasMessageContaining("does not exist").hasMessageNotContaining("\n");
    }

    @Test
    void countsAreFormattedCompactly() {
        assertThat(MatrixIO.count(5e8)).isEqualTo("5e8");
        assertThat(MatrixIO.count(1e16)).isEqualTo("1e16");
        assertThat(MatrixIO.count(536_870_912)).isEqualTo("5.37e8");
        assertThat(MatrixIO.count(999_999)).isEqualTo("999999");
    }

    // ---- helpers ----

    private static void assertInputError(Path p, String... phrases) {
        assertThatThrownBy(() -> MatrixIO.read(p))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(p + ": ")
                .hasMessageNotContaining("\n")
                .satisfies(e -> assertThat(e.getMessage()).contains(p.getFileName().toString()).contains(phrases));
    }

    private static void assertBitIdentical(DenseMatrix actual, DenseMatrix expected) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        assertThat(rawBits(actual)).containsExactly(rawBits(expected));
    }

    private static long[] rawBits(DenseMatrix m) {
        return Arrays.stream(m.data()).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** A hand-made .npy file: magic, version, header length (2 bytes for v1, 4 for v2+), header, data. */
    private Path npy(String name, int major, String dict, byte[] data) throws IOException {
        int lengthBytes = major == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lengthBytes + dict.length() + 1;
        byte[] header = (dict + " ".repeat((64 - unpadded % 64) % 64) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        b.put(header).put(data);
        return Files.write(dir.resolve(name), b.array());
    }

    private static byte[] doubles(ByteOrder order, double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(order);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
