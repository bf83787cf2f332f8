package io.github.nmforacle.io;

import io.github.nmforacle.linalg.CsrMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * scipy's sparse {@code .npz} files ({@code scipy.sparse.save_npz}, compressed or not): a zip of {@code format.npy}
 * ({@code b'csr'} or {@code b'csc'}), {@code shape.npy}, {@code data.npy}, {@code indices.npy} and {@code indptr.npy}.
 * Read as a {@link CsrMatrix} (a CSC file is transposed on reading), issue 15 item 1.
 *
 * <p>Everything is checked before use: the shape; {@code indptr} starting at 0, non-decreasing, ending at nnz;
 * indices inside the matrix and strictly increasing within a row or column (scipy's canonical form; duplicates are
 * refused, as by the Matrix Market reader); values finite (negatives are left to the data check, which names the
 * entry). Data dtypes as {@link NpyMatrix} (float64, float32, int64, int32); index dtypes int32 and int64.
 */
public final class NpzMatrix {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpzMatrix() {
    }

    /**
     * Reads a sparse {@code .npz} matrix of at most {@code maxEntries} stored entries.
     *
     * @throws InputException if the file is missing, unreadable, not a scipy sparse matrix, inconsistent or too large
     */
    public static CsrMatrix read(Path p, long maxEntries) {
        long limit = MatrixIO.effectiveLimit(maxEntries);
        MatrixIO.checkReadable(p);
        try (ZipFile zip = new ZipFile(p.toFile())) {
            return read(p, zip, limit);
        } catch (ZipException e) {
            throw MatrixIO.error(p, "not a .npz file (not a readable zip archive)", e);
        } catch (IOException e) {
            throw MatrixIO.readError(p, e);
        }
    }

    private static CsrMatrix read(Path p, ZipFile zip, long limit) throws IOException {
        String format = formatOf(p, array(p, zip, "format", 1 << 16));
        Array shapeArr = array(p, zip, "shape", 1 << 16);
        long[] shape = integers(p, shapeArr);
        if (shapeArr.shape.length != 1 || shape.length != 2) {
            throw MatrixIO.error(p, "shape.npy: expected 2 dimensions, got " + shape.length);
        }
        MatrixIO.checkSparseShape(p, shape[0], shape[1]);
        int rows = (int) shape[0], cols = (int) shape[1];
        boolean csc = format.equals("csc");
        int major = csc ? cols : rows;
        int minor = csc ? rows : cols;
        Array dataArr = array(p, zip, "data", limit * 8 + 4096);
        long nnzLong = count(p, dataArr);
        if (nnzLong > limit) {
            throw MatrixIO.error(p, "data.npy: " + nnzLong + " stored entries, more than the limit of " + MatrixIO.count(limit));
        }
        int nnz = (int) nnzLong;
        long[] indptr = integers(p, array(p, zip, "indptr", (long) (major + 1) * 8 + 4096));
        long[] indices = integers(p, array(p, zip, "indices", limit * 8 + 4096));
        if (indptr.length != major + 1) {
            throw MatrixIO.error(p, "indptr.npy: " + indptr.length + " entries, expected " + (major + 1) + " for "
                    + format.toUpperCase(java.util.Locale.ROOT) + " of a " + rows + "x" + cols + " matrix");
        }
        if (indices.length != nnz) {
            throw MatrixIO.error(p, "indices.npy: " + indices.length + " entries but data.npy has " + nnz);
        }
        if (indptr[0] != 0 || indptr[major] != nnz) {
            throw MatrixIO.error(p, "indptr.npy: must run from 0 to nnz = " + nnz + ", got " + indptr[0] + " to " + indptr[major]);
        }
        double[] values = doubles(p, dataArr);
        int[] ptr = new int[major + 1];
        int[] idx = new int[nnz];
        for (int a = 0; a < major; a++) {
            if (indptr[a + 1] < indptr[a]) {
                throw MatrixIO.error(p, "indptr.npy: decreases at position " + (a + 1) + " (" + indptr[a] + " then "
                        + indptr[a + 1] + ")");
            }
            ptr[a + 1] = (int) indptr[a + 1];
            for (int q = ptr[a]; q < ptr[a + 1]; q++) {
                long b = indices[q];
                int i = csc ? (int) b : a, j = csc ? a : (int) b;
                if (b < 0 || b >= minor) {
                    throw MatrixIO.error(p, "indices.npy: " + (csc ? "row" : "column") + " index " + b + " at position " + q
                            + " is outside [0, " + minor + ")");
                }
                if (q > ptr[a] && b <= indices[q - 1]) {
                    throw MatrixIO.error(p, b == indices[q - 1] ? "duplicate entry [" + i + ", " + j + "]"
                            : "indices.npy: " + (csc ? "row" : "column") + " indices of " + (csc ? "column " : "row ") + a
                            + " are not sorted (scipy: call sort_indices() before save_npz)");
                }
                if (!Double.isFinite(values[q])) {
                    throw MatrixIO.error(p, "entry [" + i + ", " + j + "] is " + MatrixIO.describeNonFinite(values[q]));
                }
                idx[q] = (int) b;
            }
        }
        CsrMatrix m = new CsrMatrix(major, minor, ptr, idx, values);
        return csc ? m.transpose() : m;
    }

    /** One member of the archive, parsed as a .npy array. */
    private record Array(String name, String descr, long[] shape, ByteBuffer data) {
    }

    private static Array array(Path p, ZipFile zip, String name, long maxBytes) throws IOException {
        String file = name + ".npy";
        ZipEntry e = zip.getEntry(file);
        if (e == null) {
            throw MatrixIO.error(p, "no " + file + " in the archive: not a scipy sparse matrix (scipy.sparse.save_npz)");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = readAtMost(p, file, in, maxBytes);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !ByteBuffer.wrap(bytes, 0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw MatrixIO.error(p, file + ": not a .npy array (no \\x93NUMPY magic string)");
        }
        int major = bytes[6] & 0xff;
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffffL;
            headerStart = 10;
        } else if ((major == 2 || major == 3) && bytes.length >= 12) {
            headerLength = b.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw MatrixIO.error(p, file + ": unsupported .npy format version " + major + "." + (bytes[7] & 0xff));
        }
        if (headerStart + headerLength > bytes.length) {
            throw MatrixIO.error(p, file + ": truncated: the member ends inside the header");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Path where = Path.of(p + "[" + file + "]");
        Map<String, Object> dict = new NpyMatrix.HeaderParser(where, header).dict();
        if (!(dict.get("descr") instanceof String descr)) {
            throw MatrixIO.error(p, file + ": header: 'descr' should be a dtype string");
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw MatrixIO.error(p, file + ": header: 'shape' should be a tuple of integers");
        }
        if (dict.get("fortran_order") != Boolean.FALSE && shape.length > 1) {
            throw MatrixIO.error(p, file + ": Fortran order is not expected in a scipy sparse matrix");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, headerStart + (int) headerLength,
                bytes.length - headerStart - (int) headerLength).slice();
        return new Array(file, descr, shape, data);
    }

    private static byte[] readAtMost(Path p, String file, InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int k;
        while ((k = in.read(buf)) > 0) {
            total += k;
            if (total > maxBytes || total > Integer.MAX_VALUE - 8) {
                throw MatrixIO.error(p, file + ": larger than the limit on stored entries allows");
            }
            out.write(buf, 0, k);
        }
        return out.toByteArray();
    }

    /** The number of items of a 1-D array, checked against the bytes present. */
    private static long count(Path p, Array a) {
        if (a.shape.length != 1) {
            throw MatrixIO.error(p, a.name + ": expected a 1-D array, got " + a.shape.length + " dimensions");
        }
        NpyMatrix.Dtype d = NpyMatrix.dtype(Path.of(p + "[" + a.name + "]"), a.descr);
        if (a.shape[0] > Integer.MAX_VALUE - 8) {
            throw MatrixIO.error(p, a.name + ": " + a.shape[0] + " items, more than an array holds");
        }
        long bytes = a.shape[0] * d.size();
        if (a.data.remaining() != bytes) {
            throw MatrixIO.error(p, a.name + ": header announces " + a.shape[0] + " " + d.name() + " values (" + bytes
                    + " bytes), the member has " + a.data.remaining());
        }
        return a.shape[0];
    }

    private static double[] doubles(Path p, Array a) {
        int len = (int) count(p, a);
        NpyMatrix.Dtype d = NpyMatrix.dtype(Path.of(p + "[" + a.name + "]"), a.descr);
        ByteBuffer b = a.data.order(d.order());
        double[] out = new double[len];
        for (int q = 0; q < len; q++) {
            out[q] = switch (d.size() * (d.floating() ? 1 : -1)) {
                case 8 -> b.getDouble();
                case 4 -> b.getFloat();
                case -8 -> b.getLong();
                default -> b.getInt();
            };
        }
        return out;
    }

    private static long[] integers(Path p, Array a) {
        int len = (int) count(p, a);
        NpyMatrix.Dtype d = NpyMatrix.dtype(Path.of(p + "[" + a.name + "]"), a.descr);
        if (d.floating()) {
            throw MatrixIO.error(p, a.name + ": dtype " + d.name() + ", expected int32 or int64");
        }
        ByteBuffer b = a.data.order(d.order());
        long[] out = new long[len];
        for (int q = 0; q < len; q++) {
            out[q] = d.size() == 8 ? b.getLong() : b.getInt();
        }
        return out;
    }

    /** {@code format.npy}: a 0-d bytes ({@code |S3}) or str ({@code <U3}) array holding csr or csc. */
    private static String formatOf(Path p, Array a) {
        String s;
        if (a.shape.length != 0) {
            throw MatrixIO.error(p, "format.npy: expected a scalar, got " + a.shape.length + " dimensions");
        }
        if (a.descr.startsWith("|S") || a.descr.startsWith("S")) {
            s = StandardCharsets.ISO_8859_1.decode(a.data.duplicate()).toString();
        } else if (a.descr.length() >= 2 && a.descr.charAt(1) == 'U') {
            ByteBuffer b = a.data.duplicate().order(a.descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            StringBuilder sb = new StringBuilder();
            while (b.remaining() >= 4) {
                int c = b.getInt();
                sb.appendCodePoint(Character.isValidCodePoint(c) ? c : '?');
            }
            s = sb.toString();
        } else {
            throw MatrixIO.error(p, "format.npy: dtype " + MatrixIO.quote(a.descr) + ", expected a string");
        }
        s = s.replace("\0", "");
        if (!s.equals("csr") && !s.equals("csc")) {
            throw MatrixIO.error(p, "format " + MatrixIO.quote(s) + " is not supported, expected csr or csc"
                    + " (scipy: save .tocsr())");
        }
        return s;
    }
}
