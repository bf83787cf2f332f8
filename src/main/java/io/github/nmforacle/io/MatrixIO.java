package io.github.nmforacle.io;

import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Reads and writes dense matrices, choosing the format from the file extension (case-insensitive):
 * {@code .csv} ({@link CsvMatrix}), {@code .mtx} ({@link MatrixMarket}) or {@code .npy} ({@link NpyMatrix}).
 *
 * <p>Every problem with a file is reported as an {@link InputException} whose message is one line,
 * {@code <path as given>: <problem>}. File positions in messages are 1-based (lines and
 * CSV columns, as editors count them); matrix entries are 0-based {@code [row, column]}, as numpy indexes them. Readers reject NaN and infinite entries and
 * empty (0xK) matrices, and check the announced size against a limit before allocating anything.
 * Writers replace the target atomically, so a failure never leaves a half-written file.
 */
public final class MatrixIO {
    /** Default bound on the number of entries a reader accepts (4 GB of doubles). */
    public static final long DEFAULT_MAX_ENTRIES = 500_000_000L;

    /** The largest {@code double[]} the JVM reliably allocates. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private MatrixIO() {
    }

    /** Reads a matrix, accepting at most {@link #DEFAULT_MAX_ENTRIES} entries (and what the heap can hold). */
    public static DenseMatrix read(Path p) {
        return read(p, DEFAULT_MAX_ENTRIES);
    }

    /**
     * Reads a matrix of at most {@code maxEntries} entries; the bound is further lowered so that the
     * matrix fits in {@link Runtime#maxMemory()}.
     *
     * @throws InputException if the file is missing, unreadable, malformed or too large
     */
    public static DenseMatrix read(Path p, long maxEntries) {
        return switch (extension(p)) {
            case "csv" -> CsvMatrix.read(p, maxEntries);
            case "mtx" -> MatrixMarket.read(p, maxEntries);
            case "npy" -> NpyMatrix.read(p, maxEntries);
            case "npz" -> throw error(p, "a sparse .npz matrix is accepted for V only (the factors W and H are dense)");
            default -> throw unsupportedExtension(p);
        };
    }

    /**
     * Reads a data matrix V, keeping sparse files sparse (issue 15 item 1): a Matrix Market coordinate file and a
     * scipy {@code .npz} ({@link NpzMatrix}) become a {@link io.github.nmforacle.linalg.CsrMatrix}, bounded by
     * {@link #DEFAULT_MAX_ENTRIES} stored entries; {@code .csv}, {@code .npy} and Matrix Market array files are dense
     * as with {@link #read(Path)}.
     */
    public static DataMatrix readData(Path p) {
        return switch (extension(p)) {
            case "mtx" -> MatrixMarket.read(p, DEFAULT_MAX_ENTRIES, true);
            case "npz" -> NpzMatrix.read(p, DEFAULT_MAX_ENTRIES);
            default -> read(p);
        };
    }

    /**
     * Writes {@code m} in the format given by the extension of {@code p}, replacing any existing file.
     *
     * @throws InputException if the extension is unsupported, the folder does not exist or writing fails
     */
    public static void write(DenseMatrix m, Path p) {
        switch (extension(p)) {
            case "csv" -> CsvMatrix.write(m, p);
            case "mtx" -> MatrixMarket.write(m, p);
            case "npy" -> NpyMatrix.write(m, p);
            default -> throw unsupportedExtension(p);
        }
    }

    private static String extension(Path p) {
        Path name = p.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static InputException unsupportedExtension(Path p) {
        return error(p, "unsupported file extension, expected .csv, .mtx or .npy");
    }

    // ---- helpers shared by the format classes ----

    /** An {@link InputException} with the one-line message {@code "<p>: <problem>"}. */
    static InputException error(Path p, String problem) {
        return new InputException(oneLine(p + ": " + problem));
    }

    static InputException error(Path p, String problem, Throwable cause) {
        return new InputException(oneLine(p + ": " + problem), cause);
    }

    /** {@code maxEntries} lowered to what one {@code double[]} in this heap can hold. */
    static long effectiveLimit(long maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        }
        return Math.min(maxEntries, Math.min(MAX_ARRAY_LENGTH, Runtime.getRuntime().maxMemory() / Double.BYTES));
    }

    /**
     * Validates a shape announced by a file header and returns its number of entries; called before
     * allocating so that an absurd header fails fast instead of exhausting the heap.
     */
    static int checkShape(Path p, long rows, long cols, long limit) {
        if (rows < 0 || cols < 0) {
            throw error(p, "header announces a negative dimension (" + rows + "x" + cols + ")");
        }
        if (rows == 0 || cols == 0) {
            throw error(p, "empty matrix (" + rows + "x" + cols + ")");
        }
        if (rows > limit / cols) {
            throw error(p, "header announces " + rows + "x" + cols + " matrix (" + count((double) rows * cols)
                    + " entries), more than the limit of " + count(limit) + " entries");
        }
        return (int) (rows * cols);
    }

    /** Validates the shape of a sparse matrix: positive, and rows + 1 row pointers fit an array. */
    static void checkSparseShape(Path p, long rows, long cols) {
        if (rows < 0 || cols < 0) {
            throw error(p, "header announces a negative dimension (" + rows + "x" + cols + ")");
        }
        if (rows == 0 || cols == 0) {
            throw error(p, "empty matrix (" + rows + "x" + cols + ")");
        }
        if (rows >= MAX_ARRAY_LENGTH || cols >= MAX_ARRAY_LENGTH) {
            throw error(p, "header announces " + rows + "x" + cols + ", more than " + MAX_ARRAY_LENGTH + " rows or columns");
        }
    }

    /** Compact count for messages: exact below a million, else three significant digits ({@code 5e8}, {@code 1.23e16}). */
    static String count(double n) {
        if (n < 1e6) {
            return Long.toString((long) n);
        }
        BigDecimal d = new BigDecimal(n).round(new MathContext(3));
        int exponent = d.precision() - d.scale() - 1;
        return d.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
    }

    /**
     * Parses a decimal number token of a text format; {@code where} locates it ({@code "line 3, column 2"})
     * and is only evaluated for an error message.
     * Only plain decimal syntax is accepted (no hex, no Java {@code d}/{@code f} suffixes), and values that are
     * NaN or infinite, spelled out or by overflow, are rejected.
     */
    static double parseValue(Path p, String token, Supplier<String> where) {
        if (isDecimal(token)) {
            double v = Double.parseDouble(token);
            if (Double.isInfinite(v)) {
                throw error(p, where.get() + ": value " + quote(token) + " is " + describeNonFinite(v) + " (out of double range)");
            }
            return v;
        }
        String t = token.toLowerCase(Locale.ROOT);
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.equals("nan")) {
            throw error(p, where.get() + ": value is NaN");
        }
        if (t.equals("inf") || t.equals("infinity")) {
            throw error(p, where.get() + ": value is " + (negative ? "-" : "+") + "Infinity");
        }
        throw error(p, where.get() + ": non-numeric token " + quote(token));
    }

    /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?} */
    private static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** "NaN", "+Infinity" or "-Infinity". */
    static String describeNonFinite(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity";
    }

    /** Rejects the first NaN or infinite entry of a row-major array, naming it 0-based [i, j] as in numpy. */
    static void requireFinite(Path p, double[] rowMajor, int cols) {
        for (int k = 0; k < rowMajor.length; k++) {
            if (!Double.isFinite(rowMajor[k])) {
                throw error(p, "entry [" + k / cols + ", " + k % cols + "] is " + describeNonFinite(rowMajor[k]));
            }
        }
    }

    /** A token quoted for a message: shortened, with control and non-ASCII characters escaped. */
    static String quote(CharSequence token) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(token.length(), 40);
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.append(token.length() > n ? "...\"" : "\"").toString();
    }

    /** Fails unless {@code p} can be opened as a regular file; opening may still fail (e.g. permissions). */
    static void checkReadable(Path p) {
        if (Files.isDirectory(p)) {
            throw error(p, "is a directory");
        }
        if (Files.notExists(p)) {
            throw error(p, "no such file");
        }
    }

    /** An I/O failure while reading, as an {@link InputException}. */
    static InputException readError(Path p, IOException e) {
        return e instanceof NoSuchFileException ? error(p, "no such file", e) : error(p, "cannot read: " + describe(e), e);
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String oneLine(String s) {
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /** Writes the content of a file to a stream (which the caller closes). */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes to a temporary file in the target's folder, then renames it over the target, so readers
     * never see a partial file and a failure leaves any previous file untouched.
     */
    static void writeAtomically(Path p, Body body) {
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw error(p, "folder " + (p.getParent() != null ? p.getParent() : dir) + " does not exist");
        }
        if (Files.isDirectory(p)) {
            throw error(p, "is a directory");
        }
        // Not Files.createTempFile: it creates files with mode 0600 on POSIX, and the result should get the usual umask.
        Path tmp = dir.resolve("." + p.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw error(p, "cannot write: " + describe(e), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the write itself already failed or succeeded
            }
        }
    }
}
