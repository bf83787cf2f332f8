package io.github.nmforacle.io;

import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Matrix Market exchange format, real general matrices only.
 *
 * <p>Reads {@code %%MatrixMarket matrix coordinate real general} (1-based {@code row col value} triplets;
 * unlisted entries are zero; duplicates are an error rather than summed) and
 * {@code %%MatrixMarket matrix array real general} (all values, column-major). Banner words are
 * case-insensitive and field {@code integer} is read as real. Lines starting with {@code %} and blank
 * lines after the banner are skipped. Error positions are 1-based file lines and 1-based
 * {@code (row, column)} entries.
 */
public final class MatrixMarket {
    private static final String ARRAY_BANNER = "%%MatrixMarket matrix array real general";
    /** Entry and size lines are short; the cap keeps memory bounded on a file with no line ends. */
    private static final int MAX_LINE = 1 << 20;

    private MatrixMarket() {
    }

    /**
     * Reads a Matrix Market matrix of at most {@code maxEntries} entries (see {@link MatrixIO#read(Path, long)}).
     *
     * @throws InputException if the file is missing, unreadable, malformed, not real general, or too large
     */
    public static DenseMatrix read(Path p, long maxEntries) {
        return (DenseMatrix) read(p, maxEntries, false);
    }

    /**
     * As {@link #read(Path, long)}, keeping a coordinate file sparse ({@link CsrMatrix}) when {@code sparse}: then
     * {@code maxEntries} bounds the stored entries, not rows·cols (issue 15 item 1). An array file is dense.
     */
    public static DataMatrix read(Path p, long maxEntries, boolean sparse) {
        long limit = MatrixIO.effectiveLimit(maxEntries);
        MatrixIO.checkReadable(p);
        try (InputStream in = Files.newInputStream(p)) {
            return parse(p, new Lines(p, in), limit, sparse);
        } catch (IOException e) {
            throw MatrixIO.readError(p, e);
        }
    }

    /**
     * Writes {@code m} in array format (column-major) with values from {@link Double#toString(double)},
     * which read back bit-identically.
     *
     * @throws InputException if the folder does not exist or writing fails
     */
    public static void write(DenseMatrix m, Path p) {
        MatrixIO.writeAtomically(p, body(m));
    }

    /** The content of the file, for {@link MatrixIO#writeAtomically} and staged writes. */
    static MatrixIO.Body body(DenseMatrix m) {
        return out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
            w.write(ARRAY_BANNER + "\n");
            w.write(m.rows() + " " + m.cols() + "\n");
            for (int j = 0; j < m.cols(); j++) {
                for (int i = 0; i < m.rows(); i++) {
                    w.write(Double.toString(m.get(i, j)));
                    w.write('\n');
                }
            }
            w.flush();
        };
    }

    private static DataMatrix parse(Path p, Lines lines, long limit, boolean sparse) throws IOException {
        String banner = lines.next();
        if (banner == null) {
            throw MatrixIO.error(p, "empty file, no matrix");
        }
        boolean coordinate = parseBanner(p, banner);
        String sizeLine = nextData(lines);
        if (sizeLine == null) {
            throw MatrixIO.error(p, "missing size line after the banner");
        }
        List<String> size = tokens(sizeLine);
        int expected = coordinate ? 3 : 2;
        if (size.size() != expected) {
            throw MatrixIO.error(p, "line " + lines.number + ": size line should be \""
                    + (coordinate ? "rows cols entries" : "rows cols") + "\", found " + MatrixIO.quote(sizeLine.strip()));
        }
        long rows = sizeNumber(p, lines, size.get(0));
        long cols = sizeNumber(p, lines, size.get(1));
        if (coordinate && sparse) {
            int sizeLineNumber = lines.number;
            MatrixIO.checkSparseShape(p, rows, cols);
            long nnz = sizeNumber(p, lines, size.get(2));
            if (nnz > limit || nnz > (double) rows * cols) {
                throw MatrixIO.error(p, "line " + sizeLineNumber + ": header announces " + nnz + " entries, more than "
                        + (nnz > limit ? "the limit of " + MatrixIO.count(limit) : "the " + rows * cols + " of a "
                        + rows + "x" + cols + " matrix"));
            }
            return readSparse(p, lines, (int) rows, (int) cols, (int) nnz);
        }
        int n = MatrixIO.checkShape(p, rows, cols, limit);
        double[] data = new double[n];
        if (coordinate) {
            long nnz = sizeNumber(p, lines, size.get(2));
            if (nnz > n) {
                throw MatrixIO.error(p, "line " + lines.number + ": header announces " + nnz + " entries, more than the "
                        + n + " of a " + rows + "x" + cols + " matrix");
            }
            readCoordinate(p, lines, (int) rows, (int) cols, (int) nnz, data);
        } else {
            readArray(p, lines, (int) rows, (int) cols, data);
        }
        return new DenseMatrix((int) rows, (int) cols, data);
    }

    /** Returns true for coordinate format, false for array. */
    private static boolean parseBanner(Path p, String line) {
        List<String> words = tokens(line.toLowerCase(Locale.ROOT));
        if (words.isEmpty() || !words.get(0).equals("%%matrixmarket")) {
            throw MatrixIO.error(p, "line 1: missing %%MatrixMarket banner");
        }
        if (words.size() != 5) {
            throw MatrixIO.error(p, "line 1: banner should be \"%%MatrixMarket matrix coordinate|array real general\"");
        }
        if (!words.get(1).equals("matrix")) {
            throw MatrixIO.error(p, "line 1: only matrices are supported, got object " + MatrixIO.quote(words.get(1)));
        }
        String format = words.get(2);
        if (!format.equals("coordinate") && !format.equals("array")) {
            throw MatrixIO.error(p, "line 1: unknown format " + MatrixIO.quote(format) + ", expected coordinate or array");
        }
        String field = words.get(3);
        String symmetry = words.get(4);
        if (!(field.equals("real") || field.equals("integer")) || !symmetry.equals("general")) {
            throw MatrixIO.error(p, "line 1: only real/integer general matrices are supported, got "
                    + MatrixIO.quote(field + " " + symmetry));
        }
        return format.equals("coordinate");
    }

    /** One parsed coordinate entry: 1-based file line, 0-based row and column, value. */
    @FunctionalInterface
    private interface EntrySink {
        void entry(int line, int i, int j, double value);
    }

    /** Parses the coordinate entries (checked: count, token shape, index range, value) into {@code sink}. */
    private static void readEntries(Path p, Lines lines, int rows, int cols, int nnz, EntrySink sink) throws IOException {
        int found = 0;
        String line;
        while ((line = nextData(lines)) != null) {
            List<String> t = tokens(line);
            int number = lines.number;
            if (t.size() != 3) {
                throw MatrixIO.error(p, "line " + number + ": expected \"row col value\", found " + MatrixIO.quote(line.strip()));
            }
            if (found == nnz) {
                throw MatrixIO.error(p, "line " + number + ": more entries than the " + nnz + " the header announces");
            }
            long i = index(p, number, t.get(0));
            long j = index(p, number, t.get(1));
            if (i < 1 || i > rows || j < 1 || j > cols) {
                throw MatrixIO.error(p, "line " + number + ": index (" + i + ", " + j + ") out of range for a "
                        + rows + "x" + cols + " matrix");
            }
            sink.entry(number, (int) (i - 1), (int) (j - 1),
                    MatrixIO.parseValue(p, t.get(2), () -> "line " + number + ", entry (" + i + ", " + j + ")"));
            found++;
        }
        if (found < nnz) {
            throw MatrixIO.error(p, "truncated: header announces " + nnz + " entries, found " + found);
        }
    }

    private static void readCoordinate(Path p, Lines lines, int rows, int cols, int nnz, double[] data) throws IOException {
        BitSet seen = new BitSet(data.length);
        readEntries(p, lines, rows, cols, nnz, (line, i, j, value) -> {
            int k = i * cols + j;
            if (seen.get(k)) {
                throw MatrixIO.error(p, "line " + line + ": duplicate entry (" + (i + 1) + ", " + (j + 1) + ")");
            }
            seen.set(k);
            data[k] = value;
        });
    }

    /**
     * Coordinate entries into CSR: the same checks and messages as the dense reader, duplicates found after sorting
     * each row (reported at the later of the two lines).
     */
    private static CsrMatrix readSparse(Path p, Lines lines, int rows, int cols, int nnz) throws IOException {
        int[] ri = new int[nnz], ci = new int[nnz], lineOf = new int[nnz];
        double[] val = new double[nnz];
        int[] found = {0};
        readEntries(p, lines, rows, cols, nnz, (line, i, j, value) -> {
            int q = found[0]++;
            ri[q] = i;
            ci[q] = j;
            val[q] = value;
            lineOf[q] = line;
        });
        return CsrMatrix.fromTriplets(rows, cols, ri, ci, val, (a, b) -> {
            throw MatrixIO.error(p, "line " + Math.max(lineOf[a], lineOf[b]) + ": duplicate entry (" + (ri[a] + 1) + ", "
                    + (ci[a] + 1) + ")");
        });
    }

    private static void readArray(Path p, Lines lines, int rows, int cols, double[] data) throws IOException {
        int n = data.length;
        int found = 0;
        String line;
        while ((line = nextData(lines)) != null) {
            List<String> t = tokens(line);
            int number = lines.number;
            if (t.size() != 1) {
                throw MatrixIO.error(p, "line " + number + ": expected one value, found " + MatrixIO.quote(line.strip()));
            }
            if (found == n) {
                throw MatrixIO.error(p, "line " + number + ": more values than the " + n + " of the "
                        + rows + "x" + cols + " matrix the header announces");
            }
            int i = found % rows;
            int j = found / rows;
            data[i * cols + j] = MatrixIO.parseValue(p, t.get(0), () -> "line " + number + ", entry (" + (i + 1) + ", " + (j + 1) + ")");
            found++;
        }
        if (found < n) {
            throw MatrixIO.error(p, "truncated: header announces " + n + " entries, found " + found);
        }
    }

    private static long sizeNumber(Path p, Lines lines, String token) {
        try {
            long v = Long.parseLong(token);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw MatrixIO.error(p, "line " + lines.number + ": size " + MatrixIO.quote(token) + " is not a non-negative integer");
    }

    private static long index(Path p, int line, String token) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw MatrixIO.error(p, "line " + line + ": index " + MatrixIO.quote(token) + " is not an integer");
        }
    }

    /** The next line that is neither blank nor a {@code %} comment, or null at the end. */
    private static String nextData(Lines lines) throws IOException {
        String line;
        while ((line = lines.next()) != null) {
            String s = line.strip();
            if (!s.isEmpty() && s.charAt(0) != '%') {
                return line;
            }
        }
        return null;
    }

    /** Whitespace-separated tokens; cheaper than a regex split on the per-entry path. */
    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>(3);
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(line.substring(start, i));
            }
        }
        return out;
    }

    /** Lines of an ISO-8859-1 stream (which cannot fail to decode), ended by LF, CR or CRLF, of bounded length. */
    private static final class Lines {
        private final Path p;
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private final StringBuilder sb = new StringBuilder();
        private int pos;
        private int end;
        private boolean skipLf;
        /** 1-based number of the line last returned. */
        int number;

        Lines(Path p, InputStream in) {
            this.p = p;
            this.in = in;
        }

        String next() throws IOException {
            sb.setLength(0);
            while (true) {
                if (pos == end) {
                    end = in.read(buffer);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        if (sb.length() == 0) {
                            return null;
                        }
                        number++;
                        return sb.toString();
                    }
                }
                int c = buffer[pos++] & 0xff;
                if (skipLf) {
                    skipLf = false;
                    if (c == '\n') {
                        continue;
                    }
                }
                if (c == '\n' || c == '\r') {
                    skipLf = c == '\r';
                    number++;
                    return sb.toString();
                }
                if (sb.length() == MAX_LINE) {
                    throw MatrixIO.error(p, "line " + (number + 1) + " is longer than " + MAX_LINE + " characters");
                }
                sb.append((char) c);
            }
        }
    }
}
