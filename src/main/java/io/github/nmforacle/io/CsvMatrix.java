package io.github.nmforacle.io;

import io.github.nmforacle.linalg.DenseMatrix;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Dense CSV: one matrix row per line, values separated by commas, no header row.
 *
 * <p>Whitespace around values is ignored, lines starting with {@code #} are comments, and blank lines are
 * allowed only at the end. Every other line must hold the same number of plain decimal numbers
 * ({@code 1}, {@code -2.5}, {@code 1.0E-300}). Error positions are 1-based file lines and columns.
 */
public final class CsvMatrix {
    /** Values longer than this are certainly not numbers; capping them bounds memory on binary input. */
    private static final int MAX_TOKEN = 1024;

    private CsvMatrix() {
    }

    /**
     * Reads a CSV matrix of at most {@code maxEntries} entries (see {@link MatrixIO#read(Path, long)}).
     *
     * @throws InputException if the file is missing, unreadable, malformed or too large
     */
    public static DenseMatrix read(Path p, long maxEntries) {
        long limit = MatrixIO.effectiveLimit(maxEntries);
        MatrixIO.checkReadable(p);
        try (InputStream in = Files.newInputStream(p)) {
            return new Parser(p, limit).parse(in);
        } catch (IOException e) {
            throw MatrixIO.readError(p, e);
        }
    }

    /**
     * Writes {@code m} as CSV with {@code '\n'} line ends; values use {@link Double#toString(double)},
     * which reads back bit-identically. Non-finite values are written as Java spells them, which
     * {@link #read} rejects.
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
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    if (j > 0) {
                        w.write(',');
                    }
                    w.write(Double.toString(m.get(i, j)));
                }
                w.write('\n');
            }
            w.flush();
        };
    }

    /**
     * A byte-level state machine rather than line reading, so that memory stays bounded by the matrix
     * even when the input is one enormous line (say, a binary file given a .csv name).
     */
    private static final class Parser {
        private final Path p;
        private final long limit;
        private final StringBuilder token = new StringBuilder();
        private double[] values;
        private int count;
        private int cols = -1;
        private int rows;
        private int firstDataLine;
        private int line = 1;
        private int column;
        private int tokenLength;
        private boolean content;
        private boolean comment;
        private int blankLine;
        private int previous = -1;

        Parser(Path p, long limit) {
            this.p = p;
            this.limit = limit;
            this.values = new double[(int) Math.min(limit, 1024)];
        }

        DenseMatrix parse(InputStream in) throws IOException {
            byte[] head = in.readNBytes(3);
            boolean byteOrderMark = head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
                    && (head[2] & 0xff) == 0xBF;
            if (!byteOrderMark) {
                feed(head, head.length);
            }
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                feed(buffer, n);
            }
            if (content || comment) {
                endLine(); // last line without a line end
            }
            if (rows == 0) {
                throw MatrixIO.error(p, "empty file, no matrix");
            }
            double[] data = count == values.length ? values : Arrays.copyOf(values, count);
            return new DenseMatrix(rows, cols, data);
        }

        private void feed(byte[] bytes, int n) {
            for (int i = 0; i < n; i++) {
                int c = bytes[i] & 0xff;
                boolean crlfTail = c == '\n' && previous == '\r'; // already ended the line at the '\r'
                if (crlfTail) {
                    previous = c;
                    continue;
                }
                if (c == '\n' || c == '\r') {
                    endLine();
                } else {
                    accept((char) c); // read as ISO-8859-1: never fails to decode, odd bytes become odd tokens
                }
                previous = c;
            }
        }

        private void accept(char c) {
            if (comment) {
                return;
            }
            if (!content) {
                if (c == ' ' || c == '\t') {
                    return;
                }
                if (c == '#') {
                    comment = true;
                    return;
                }
                if (blankLine > 0) {
                    throw MatrixIO.error(p, "line " + blankLine + ": blank line inside the matrix");
                }
                content = true;
            }
            if (c == ',') {
                endToken();
            } else {
                if (tokenLength++ < MAX_TOKEN) {
                    token.append(c);
                }
            }
        }

        private void endLine() {
            if (content) {
                endToken();
                if (cols < 0) {
                    cols = column;
                    firstDataLine = line;
                } else if (column != cols) {
                    throw MatrixIO.error(p, "line " + line + ": " + column + " values, expected " + cols
                            + " (as on line " + firstDataLine + ")");
                }
                rows++;
            } else if (!comment && rows > 0 && blankLine == 0) {
                blankLine = line; // an error only if more data follows
            }
            content = false;
            comment = false;
            column = 0;
            line++;
        }

        private void endToken() {
            column++;
            int at = column;
            Supplier<String> where = () -> "line " + line + ", column " + at;
            String t = token.toString().strip();
            if (tokenLength > MAX_TOKEN) {
                throw MatrixIO.error(p, where.get() + ": non-numeric token " + MatrixIO.quote(t));
            }
            if (t.isEmpty()) {
                throw MatrixIO.error(p, where.get() + ": empty value");
            }
            double v = MatrixIO.parseValue(p, t, where);
            if (count == limit) {
                throw MatrixIO.error(p, "line " + line + ": more than the limit of " + MatrixIO.count(limit) + " entries");
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(limit, 2L * count));
            }
            values[count++] = v;
            token.setLength(0);
            tokenLength = 0;
        }
    }
}
