package io.github.nmforacle.io;

import io.github.nmforacle.linalg.DenseMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) holding a 2-D array.
 *
 * <p>Reads dtypes float64 and float32 ({@code '<f8'}, {@code '<f4'}) and, converted to double, int64 and
 * int32 ({@code '<i8'}, {@code '<i4'}; values beyond 2^53 are rounded), each little- or big-endian
 * ({@code '>'}), in C or Fortran order. Writes version 1.0, {@code '<f8'}, C order. Entry positions in
 * messages are 0-based {@code [row, column]}, as numpy indexes them.
 */
public final class NpyMatrix {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself refuses headers above 10 000 bytes by default; this is generous but still bounded. */
    private static final long MAX_HEADER = 1 << 20;
    /** The format spec aligns the data start to 64 bytes. */
    private static final int ALIGN = 64;

    private NpyMatrix() {
    }

    record Dtype(String name, int size, ByteOrder order, boolean floating) {
    }

    /**
     * Reads a 2-D {@code .npy} array of at most {@code maxEntries} entries (see {@link MatrixIO#read(Path, long)}).
     *
     * @throws InputException if the file is missing, unreadable, malformed, not a supported 2-D array, or too large
     */
    public static DenseMatrix read(Path p, long maxEntries) {
        long limit = MatrixIO.effectiveLimit(maxEntries);
        MatrixIO.checkReadable(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            return read(p, ch, limit);
        } catch (IOException e) {
            throw MatrixIO.readError(p, e);
        }
    }

    private static DenseMatrix read(Path p, FileChannel ch, long limit) throws IOException {
        long fileSize = ch.size();
        ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, prefix, 0);
        prefix.flip();
        if (prefix.remaining() < 10 || !prefix.slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw MatrixIO.error(p, "not a .npy file (no \\x93NUMPY magic string)");
        }
        int major = prefix.get(6) & 0xff;
        int minor = prefix.get(7) & 0xff;
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = prefix.getShort(8) & 0xffffL;
            headerStart = 10;
        } else if ((major == 2 || major == 3) && prefix.remaining() == 12) {
            headerLength = prefix.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw MatrixIO.error(p, "unsupported .npy format version " + major + "." + minor);
        }
        if (headerLength > MAX_HEADER) {
            throw MatrixIO.error(p, "header length " + headerLength + " bytes is implausibly large");
        }
        long dataStart = headerStart + headerLength;
        if (dataStart > fileSize) {
            throw MatrixIO.error(p, "truncated: the file ends inside the header");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(ch, headerBytes, headerStart);
        // Version 3.0 differs from 2.0 only in allowing UTF-8 in the header.
        String header = new String(headerBytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(p, header).dict();

        Dtype dtype = dtype(p, dict.get("descr"));
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw MatrixIO.error(p, "header: 'fortran_order' should be True or False, got " + describe(dict.get("fortran_order")));
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw MatrixIO.error(p, "header: 'shape' should be a tuple of integers, got " + describe(dict.get("shape")));
        }
        if (shape.length != 2) {
            throw MatrixIO.error(p, "expected a 2-D array, got shape " + shapeText(shape));
        }
        int n = MatrixIO.checkShape(p, shape[0], shape[1], limit);
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        long expectedBytes = (long) n * dtype.size();
        long available = fileSize - dataStart;
        String announced = rows + "x" + cols + " " + dtype.name() + " values (" + expectedBytes + " bytes)";
        if (available < expectedBytes) {
            throw MatrixIO.error(p, "truncated: header announces " + announced + ", file has " + available + " bytes of data");
        }
        if (available > expectedBytes) {
            throw MatrixIO.error(p, "file has " + available + " bytes of data, more than the header announces: " + announced);
        }
        double[] data = new double[n];
        readData(p, ch, dataStart, dtype, fortran, rows, cols, data);
        MatrixIO.requireFinite(p, data, cols);
        return new DenseMatrix(rows, cols, data);
    }

    /** Streams the data through a small buffer so that memory stays at the matrix itself. */
    private static void readData(Path p, FileChannel ch, long position, Dtype dtype, boolean fortran,
                                 int rows, int cols, double[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(dtype.order()); // a multiple of every item size
        long remaining = (long) data.length * dtype.size();
        int k = 0; // index in file order
        int i = 0; // row and column of entry k when Fortran order
        int j = 0;
        while (remaining > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), remaining));
            while (buf.hasRemaining()) {
                int r = ch.read(buf, position);
                if (r < 0) {
                    throw MatrixIO.error(p, "truncated: the file shrank while being read");
                }
                position += r;
            }
            remaining -= buf.flip().remaining();
            while (buf.hasRemaining()) {
                double v = switch (dtype.size() * (dtype.floating() ? 1 : -1)) {
                    case 8 -> buf.getDouble();
                    case 4 -> buf.getFloat();
                    case -8 -> buf.getLong();
                    default -> buf.getInt();
                };
                if (fortran) {
                    data[i * cols + j] = v;
                    if (++i == rows) {
                        i = 0;
                        j++;
                    }
                } else {
                    data[k++] = v;
                }
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position);
            if (r < 0) {
                return;
            }
            position += r;
        }
    }

    static Dtype dtype(Path p, Object descr) {
        String expected = ", expected float64 or float32 ('<f8', '<f4'; also int64/int32, or '>' for big-endian)";
        if (!(descr instanceof String s) || s.length() != 3) {
            throw MatrixIO.error(p, "unsupported dtype " + describe(descr) + expected);
        }
        ByteOrder order = switch (s.charAt(0)) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> null;
        };
        String type = s.substring(1);
        Dtype d = order == null ? null : switch (type) {
            case "f8" -> new Dtype("float64", 8, order, true);
            case "f4" -> new Dtype("float32", 4, order, true);
            case "i8" -> new Dtype("int64", 8, order, false);
            case "i4" -> new Dtype("int32", 4, order, false);
            default -> null;
        };
        if (d == null) {
            throw MatrixIO.error(p, "unsupported dtype " + describe(descr) + expected);
        }
        return d;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof long[] shape) {
            return shapeText(shape);
        }
        return value instanceof String s ? MatrixIO.quote(s) : String.valueOf(value);
    }

    /** Python's spelling of a shape tuple: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    private static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Writes {@code m} as a version 1.0 {@code '<f8'} C-order array; the header is space-padded so the data
     * starts at a multiple of 64 bytes, as the format spec asks.
     *
     * @throws InputException if the folder does not exist or writing fails
     */
    public static void write(DenseMatrix m, Path p) {
        MatrixIO.writeAtomically(p, body(m));
    }

    /** The content of the file, for {@link MatrixIO#writeAtomically} and staged writes. */
    static MatrixIO.Body body(DenseMatrix m) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1; // magic, version, length, dict, '\n'
        String header = dict + " ".repeat((ALIGN - unpadded % ALIGN) % ALIGN) + "\n";
        return out -> {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
            buf.put(header.getBytes(StandardCharsets.US_ASCII));
            for (double v : m.data()) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putDouble(v);
            }
            out.write(buf.array(), 0, buf.position());
        };
    }

    /**
     * Parses the header, a Python dict literal such as {@code {'descr': '<f8', 'fortran_order': False,
     * 'shape': (3, 4), }}: string keys; values that are strings, {@code True}/{@code False} or tuples of
     * integers (returned as {@code long[]}). Anything else (e.g. a structured dtype's list) is reported.
     */
    static final class HeaderParser {
        private final Path p;
        private final String s;
        private int i;

        HeaderParser(Path p, String s) {
            this.p = p;
            this.s = s;
        }

        Map<String, Object> dict() {
            Map<String, Object> out = new HashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                out.put(key, value());
                if (peek() == ',') {
                    i++;
                } else if (peek() != '}') {
                    throw fail("expected ',' or '}'");
                }
            }
            i++;
            if (peek() != -1) {
                throw fail("unexpected text after the dictionary");
            }
            return out;
        }

        private Object value() {
            int c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (Character.isLetter(c)) {
                int start = i;
                while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                return switch (word) {
                    case "True" -> Boolean.TRUE;
                    case "False" -> Boolean.FALSE;
                    default -> throw fail("unsupported value " + word);
                };
            }
            throw fail("unsupported value");
        }

        private String string() {
            int q = peek();
            if (q != '\'' && q != '"') {
                throw fail("expected a quoted string");
            }
            StringBuilder sb = new StringBuilder();
            for (i++; i < s.length() && s.charAt(i) != q; i++) {
                if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                    i++;
                }
                sb.append(s.charAt(i));
            }
            if (i == s.length()) {
                throw fail("unterminated string");
            }
            i++;
            return sb.toString();
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (peek() != ')') {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    throw fail("expected a non-negative integer");
                }
                try {
                    dims.add(Long.parseLong(s.substring(start, i)));
                } catch (NumberFormatException e) {
                    throw fail("dimension " + s.substring(start, i) + " is too large");
                }
                if (i < s.length() && s.charAt(i) == 'L') {
                    i++; // Python 2 long literal, as written by old NumPy versions
                }
                if (peek() == ',') {
                    i++;
                } else if (peek() != ')') {
                    throw fail("expected ',' or ')'");
                }
            }
            i++;
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            i++;
        }

        /** The next non-whitespace character (skipping it), or -1 at the end. */
        private int peek() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return i < s.length() ? s.charAt(i) : -1;
        }

        private InputException fail(String problem) {
            return MatrixIO.error(p, "malformed header at character " + (i + 1) + ": " + problem + " in "
                    + MatrixIO.quote(s.strip()));
        }
    }
}
