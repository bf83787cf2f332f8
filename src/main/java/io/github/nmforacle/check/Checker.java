package io.github.nmforacle.check;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.nmforacle.io.InputException;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The independent checker: re-verifies a certificate (JSON, ../shared/spec/certify.md) against (V, W, H)
 * without the code that produced it. It reads the certificate as a JSON tree, recomputes the first-order
 * quantities and the quadratic forms of the witnesses itself (exactly where it matters), and reports each claim
 * as verified, not re-checked (why) or REJECTED (why). See proofs-notes/checker.md.
 *
 * <p>It depends only on {@link DenseMatrix}, {@link CsrMatrix}, {@link MatrixIO}, Hipparchus {@code BigFraction} and
 * Jackson: nothing of the certifier or of the {@code problem} package. A sparse V stays sparse (proofs-notes/checker.md,
 * "Sparse V"); only a method that needs every residual entry makes it dense, and says so when it cannot.
 */
public final class Checker {
    /** The certificate's "tool" field this checker understands. */
    public static final String TOOL = "nmf-oracle certificate v2";
    /** Exact passes over V (the whole exact gradient, exact curvatures) are done when n·m·r is at most this. */
    public static final long EXACT_LIMIT = 2_000_000L;
    /** Exact-mode second-order HOLDS claims are re-decided when the reduced dimension is at most this. */
    public static final int MAX_REDUCED_DIMENSION = 60;
    /** Exact-mode copositivity on K is re-decided when |D| is at most this (2^|D| small solves). */
    public static final int MAX_DEGENERATE = 12;
    /** Float NMF: the checker's own verified Cholesky on L is attempted up to this dimension (d³/3 flops, 8d² bytes). */
    public static final int MAX_CHOLESKY = 2000;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Exact.MAX_LENGTH + 100).maxNumberLength(1000).build())
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    final long exactLimit;
    final int maxReducedDimension;
    final int maxDegenerate;
    /** List HOLDS claims it cannot verify as ACCEPTED UNVERIFIED instead of failing on them (never the default). */
    final boolean acceptUnverified;
    /** Memory its verified factorisations above the dense limit may take; 0: a third of the maximum heap. */
    final long maxFactorBytes;

    Checker(long exactLimit, int maxReducedDimension, int maxDegenerate) {
        this(exactLimit, maxReducedDimension, maxDegenerate, false);
    }

    Checker(long exactLimit, int maxReducedDimension, int maxDegenerate, boolean acceptUnverified) {
        this(exactLimit, maxReducedDimension, maxDegenerate, acceptUnverified, 0L);
    }

    Checker(long exactLimit, int maxReducedDimension, int maxDegenerate, boolean acceptUnverified, long maxFactorBytes) {
        this.exactLimit = exactLimit;
        this.maxReducedDimension = maxReducedDimension;
        this.maxDegenerate = maxDegenerate;
        this.acceptUnverified = acceptUnverified;
        this.maxFactorBytes = maxFactorBytes;
    }

    /** The factorisation budget in bytes. */
    long factorBudget() {
        return maxFactorBytes > 0 ? maxFactorBytes : Runtime.getRuntime().maxMemory() / 3;
    }

    private static final Checker STANDARD = new Checker(EXACT_LIMIT, MAX_REDUCED_DIMENSION, MAX_DEGENERATE);
    private static final Checker ACCEPTING = new Checker(EXACT_LIMIT, MAX_REDUCED_DIMENSION, MAX_DEGENERATE, true);

    /**
     * Checks a certificate against V, W, H.
     *
     * @throws IllegalArgumentException if the matrices do not fit together (W n×r, H r×m for V n×m), V has a
     *                                  negative entry or an entry is not finite, or the JSON is not a certificate
     *                                  (not an object, or "tool" is not {@link #TOOL})
     */
    public static Report check(DenseMatrix v, DenseMatrix w, DenseMatrix h, JsonNode certificate) {
        return STANDARD.run(v, w, h, certificate);
    }

    /** As {@link #check(DenseMatrix, DenseMatrix, DenseMatrix, JsonNode)} for a dense or sparse (CSR) V. */
    public static Report check(DataMatrix v, DenseMatrix w, DenseMatrix h, JsonNode certificate) {
        return STANDARD.run(v, w, h, certificate);
    }

    /**
     * As {@link #check(DenseMatrix, DenseMatrix, DenseMatrix, JsonNode)}; with {@code acceptUnverified} a HOLDS the
     * checker cannot verify is listed as ACCEPTED UNVERIFIED instead of making the report fail.
     */
    public static Report check(DenseMatrix v, DenseMatrix w, DenseMatrix h, JsonNode certificate, boolean acceptUnverified) {
        return (acceptUnverified ? ACCEPTING : STANDARD).run(v, w, h, certificate);
    }

    /**
     * Reads the four files and checks: V, W, H with {@link MatrixIO#read(Path)}, the certificate with
     * {@link #readCertificate(Path)}.
     *
     * @throws InputException for a missing or malformed file, matrices that do not fit together, or a JSON
     *                        file that is not a certificate; the message is one line naming the file
     */
    public static Report check(Path v, Path w, Path h, Path certificate) {
        return check(v, w, h, certificate, false);
    }

    /** As {@link #check(Path, Path, Path, Path)}, optionally accepting unverifiable HOLDS (listed as such). */
    public static Report check(Path v, Path w, Path h, Path certificate, boolean acceptUnverified) {
        return check(v, w, h, certificate, acceptUnverified, 0L);
    }

    /**
     * As above, with the memory its verified factorisations above the dense limit may take ({@code maxFactorBytes}
     * bytes; 0: a third of the maximum heap); a larger one is not attempted and the claim it would prove is NOT VERIFIED.
     */
    public static Report check(Path v, Path w, Path h, Path certificate, boolean acceptUnverified, long maxFactorBytes) {
        DataMatrix vm = readData(v);
        DenseMatrix wm = MatrixIO.read(w);
        DenseMatrix hm = MatrixIO.read(h);
        return check(v, vm, w, wm, h, hm, readCertificate(certificate), acceptUnverified, maxFactorBytes);
    }

    /**
     * As {@link #check(Path, Path, Path, Path, boolean, long)} with the matrices already read (e.g. sent inline to
     * {@code serve}); {@code v}, {@code w}, {@code h} only name them in the one-line errors.
     */
    public static Report check(Path v, DataMatrix vm, Path w, DenseMatrix wm, Path h, DenseMatrix hm,
            JsonNode certificate, boolean acceptUnverified, long maxFactorBytes) {
        requireFitting(v, vm, w, wm, h, hm);
        Checker c = maxFactorBytes == 0 ? acceptUnverified ? ACCEPTING : STANDARD
                : new Checker(EXACT_LIMIT, MAX_REDUCED_DIMENSION, MAX_DEGENERATE, acceptUnverified, maxFactorBytes);
        return c.run(vm, wm, hm, certificate);
    }

    /** V from its file: a sparse file (.mtx coordinate, .npz) stays sparse (CSR). */
    static DataMatrix readData(Path v) {
        try {
            return MatrixIO.readData(v);
        } catch (IllegalArgumentException e) {
            throw new InputException(v + ": " + e.getMessage());
        }
    }

    /** The shape and value checks of {@link #check(Path, Path, Path, Path)} with one-line messages naming the file. */
    static void requireFitting(Path v, DataMatrix vm, Path w, DenseMatrix wm, Path h, DenseMatrix hm) {
        try {
            requireData(vm);
        } catch (IllegalArgumentException e) {
            throw new InputException(v + ": " + e.getMessage());
        }
        try {
            requireFinite(wm, "W", true);
        } catch (IllegalArgumentException e) {
            throw new InputException(w + ": " + e.getMessage());
        }
        try {
            requireFinite(hm, "H", true);
        } catch (IllegalArgumentException e) {
            throw new InputException(h + ": " + e.getMessage());
        }
        if (wm.rows() != vm.rows()) {
            throw new InputException(w + ": W is " + wm.shape() + " but V (" + v + ") is " + vm.shape()
                    + ": W must have " + vm.rows() + " rows");
        }
        if (hm.cols() != vm.cols()) {
            throw new InputException(h + ": H is " + hm.shape() + " but V (" + v + ") is " + vm.shape()
                    + ": H must have " + vm.cols() + " columns");
        }
        if (hm.rows() != wm.cols()) {
            throw new InputException(h + ": H is " + hm.shape() + " but W (" + w + ") is " + wm.shape()
                    + ": H must have " + wm.cols() + " rows");
        }
    }

    /**
     * Reads a certificate file as a JSON tree, as it is (duplicate keys and trailing content are errors).
     *
     * @throws InputException "path: cannot read ..." or "path: not a certificate: ..."
     */
    public static JsonNode readCertificate(Path p) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new InputException(p + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputException(p + ": permission denied");
        } catch (IOException | OutOfMemoryError e) {
            throw new InputException(p + ": cannot read: " + e.getMessage());
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new InputException(p + ": not a certificate: malformed JSON" + at + ": " + plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InputException(p + ": cannot read: " + e.getMessage());
        }
        String what = notACertificate(tree);
        if (what != null) {
            throw new InputException(p + ": not a certificate: " + what);
        }
        return tree;
    }

    /**
     * Jackson's message in words, one line: no class or feature names (e.g. "Duplicate field 'n' for `ObjectNode`: not
     * allowed when `DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY` enabled" becomes "duplicate key 'n'").
     */
    public static String plain(String message) {
        String m = message == null ? "" : message.lines().findFirst().orElse("");
        java.util.regex.Matcher dup = java.util.regex.Pattern.compile("Duplicate field '(.*)' for").matcher(m);
        if (dup.find()) {
            return "duplicate key '" + Exact.abbreviate(dup.group(1)) + "'";
        }
        if (m.startsWith("Trailing token")) {
            return "more content after the certificate's closing brace";
        }
        java.util.regex.Matcher lim = java.util.regex.Pattern.compile(
                "(Number value|String value|Document nesting depth|Name) length \\(?([0-9]+)\\)? exceeds the maximum allowed \\(([0-9]+)")
                .matcher(m.replace("Document nesting depth (", "Document nesting depth length (")
                        .replace("Name length (", "Name length ("));
        if (lim.find()) {
            String what = switch (lim.group(1)) {
                case "Number value" -> "a number of " + lim.group(2) + " characters";
                case "String value" -> "a string of " + lim.group(2) + " characters";
                case "Document nesting depth" -> "nesting " + lim.group(2) + " levels deep";
                default -> "a key of " + lim.group(2) + " characters";
            };
            return what + " (at most " + lim.group(3) + ")";
        }
        // drop parenthesised details that name classes or features (`...`), and "[Source: ...]" locations
        m = m.replaceAll("\\s*\\([^()]*`[^()]*\\)", "").replaceAll("\\s*\\(?\\s*start marker at.*", "").replaceAll("\\s*\\[Source:.*", "").replaceAll("`", "'");
        return m.isBlank() ? "unreadable" : m;
    }

    /** Why the tree is not a certificate at all, or null. */
    static String notACertificate(JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            return "the file is empty";
        }
        if (!tree.isObject()) {
            return "the top level is not a JSON object";
        }
        JsonNode tool = tree.get("tool");
        if (tool == null || !tool.isTextual()) {
            return "no \"tool\" field";
        }
        if (!TOOL.equals(tool.asText())) {
            return "\"tool\" is '" + Exact.abbreviate(tool.asText()) + "', expected '" + TOOL + "'";
        }
        return null;
    }

    static void requireFinite(DenseMatrix a, String name, boolean negativeAllowed) {
        if (a.rows() == 0 || a.cols() == 0) {
            throw new IllegalArgumentException(name + " is empty (" + a.shape() + ")");
        }
        double[] d = a.data();
        for (int p = 0; p < d.length; p++) {
            double x = d[p];
            if (!Double.isFinite(x) || (!negativeAllowed && x < 0)) {
                throw new IllegalArgumentException(name + " has " + (Double.isFinite(x) ? "a negative" : "a non-finite")
                        + " entry " + x + " at (" + (p / a.cols() + 1) + ", " + (p % a.cols() + 1) + ")");
            }
        }
    }

    /** V finite and non-negative: every entry of a dense V, the stored ones of a sparse V. */
    static void requireData(DataMatrix v) {
        if (v instanceof DenseMatrix d) {
            requireFinite(d, "V", false);
            return;
        }
        CsrMatrix c = (CsrMatrix) v;
        if (c.rows() == 0 || c.cols() == 0) {
            throw new IllegalArgumentException("V is empty (" + c.shape() + ")");
        }
        for (int i = 0; i < c.rows(); i++) {
            for (int p = c.indptr()[i]; p < c.indptr()[i + 1]; p++) {
                double x = c.values()[p];
                if (!Double.isFinite(x) || x < 0) {
                    throw new IllegalArgumentException("V has " + (Double.isFinite(x) ? "a negative" : "a non-finite")
                            + " entry " + x + " at (" + (i + 1) + ", " + (c.indices()[p] + 1) + ")");
                }
            }
        }
    }

    Report run(DataMatrix v, DenseMatrix w, DenseMatrix h, JsonNode certificate) {
        requireData(v);
        requireFinite(w, "W", true);
        requireFinite(h, "H", true);
        String what = notACertificate(certificate);
        if (what != null) {
            throw new IllegalArgumentException("not a certificate: " + what);
        }
        return new Verifier(this, new Point(v, w, h), certificate).run();
    }
}
