package io.github.nmforacle.audit;

import io.github.nmforacle.io.InputException;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.testkit.Instances;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.zip.GZIPInputStream;

/**
 * One audited problem: V, the rank, and optionally how starts are drawn (null: each solver's own seeded random start).
 *
 * @param start seed → start (W⁰, H⁰), or null
 */
public record AuditInstance(String name, DenseMatrix v, int rank, LongFunction<FactorPair> start) {

    /** Where Debian's python3-sklearn keeps the digits data (1797×64, integers 0..16, plus a label column). */
    public static final Path DIGITS = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");

    /**
     * Parses a comma-separated family list: {@code planted[:n:m:r]}, {@code noisy[:n:m:r]},
     * {@code overparam[:n:m:r0:r]} (two instances: full-rank and rank-deficient starts), {@code digits[:r]},
     * {@code file:PATH:r}. Unknown names or a missing digits file are errors with one-line messages.
     */
    public static List<AuditInstance> parse(String spec, long seed) {
        return parse(spec, seed, null);
    }

    /**
     * As {@link #parse(String, long)}, but a missing digits file is skipped with a message added to {@code skipped}
     * (when that list is given) instead of being an error.
     */
    public static List<AuditInstance> parse(String spec, long seed, List<String> skipped) {
        List<AuditInstance> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String[] f = part.trim().split(":", -1);
            switch (f[0]) {
                case "planted" -> {
                    int[] a = sizes(f, new int[] {50, 40, 5});
                    out.add(new AuditInstance("planted " + a[0] + "x" + a[1] + " r" + a[2],
                            Instances.planted(a[0], a[1], a[2], seed).v(), a[2], null));
                }
                case "noisy" -> {
                    int[] a = sizes(f, new int[] {50, 40, 5});
                    DenseMatrix v = Instances.planted(a[0], a[1], a[2], seed).v().copy();
                    SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
                    double mean = 0;
                    for (double x : v.data()) {
                        mean += x / v.data().length;
                    }
                    double[] d = v.data();
                    for (int i = 0; i < d.length; i++) {
                        d[i] += 0.05 * mean * rnd.nextDouble();
                    }
                    out.add(new AuditInstance("noisy " + a[0] + "x" + a[1] + " r" + a[2], v, a[2], null));
                }
                case "overparam" -> {
                    int[] a = sizes(f, new int[] {30, 20, 2, 4});
                    DenseMatrix v = Instances.planted(a[0], a[1], a[2], seed).v();
                    int n = a[0], m = a[1], r = a[3];
                    out.add(new AuditInstance("overparam r0=" + a[2] + " r=" + r + " full-rank start", v, r,
                            s -> randomStart(n, m, r, s, false)));
                    out.add(new AuditInstance("overparam r0=" + a[2] + " r=" + r + " rank-deficient start", v, r,
                            s -> randomStart(n, m, r, s, true)));
                }
                case "digits" -> {
                    int r = f.length > 1 ? ints(f, 1, new int[] {16})[0] : 16;
                    if (f.length > 2) {
                        throw new IllegalArgumentException(spec(f) + ": digits takes at most one field, the rank");
                    }
                    if (r < 1 || r > 64) {
                        throw new IllegalArgumentException(spec(f) + ": rank " + r + " is outside [1, min(n, m)] = [1, 64]"
                                + " for the 1797x64 digits data");
                    }
                    if (skipped != null && !Files.isRegularFile(DIGITS)) {
                        skipped.add("digits skipped: " + DIGITS + " not found (install Debian's python3-sklearn; nothing is downloaded)");
                        continue;
                    }
                    out.add(new AuditInstance("digits 1797x64 r" + r, digits(), r, null));
                }
                case "file" -> {
                    String t = part.trim();
                    int last = t.lastIndexOf(':');
                    if (f.length < 3 || last <= "file:".length()) {
                        throw new IllegalArgumentException("--instances file:PATH:RANK needs a path and a rank, got '" + part + "'");
                    }
                    Path p = Path.of(t.substring("file:".length(), last));
                    String rs = t.substring(last + 1).trim();
                    int r;
                    try {
                        r = Integer.parseInt(rs);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--instances " + t + ": the rank '" + rs + "' is not an integer");
                    }
                    DenseMatrix v = MatrixIO.read(p);
                    try {
                        io.github.nmforacle.problem.NmfProblem.requireData(v);
                    } catch (IllegalArgumentException e) {
                        throw new InputException("--instances " + t + ": " + p + ": " + e.getMessage());
                    }
                    if (r < 1 || r > Math.min(v.rows(), v.cols())) {
                        throw new IllegalArgumentException("--instances " + t + ": rank " + r + " is outside [1, min(n, m)] = [1, "
                                + Math.min(v.rows(), v.cols()) + "] for the " + v.shape() + " matrix in " + p);
                    }
                    out.add(new AuditInstance(p.getFileName().toString(), v, r, null));
                }
                default -> throw new IllegalArgumentException("--instances: unknown family '" + f[0]
                        + "', expected planted, noisy, overparam, digits or file:PATH:RANK");
            }
        }
        return out;
    }

    private static String spec(String[] f) {
        return "--instances " + String.join(":", f);
    }

    /** Largest planted instance: 10^8 entries (800 MB of doubles). */
    static final long MAX_ENTRIES = 100_000_000L;

    /**
     * The fields n:m:r (or n:m:r0:r) of a generated family: integers, at most as many as the defaults, n, m ≥ 1,
     * n·m ≤ {@link #MAX_ENTRIES}, every rank in [1, min(n, m)].
     */
    private static int[] sizes(String[] f, int[] defaults) {
        if (f.length - 1 > defaults.length) {
            throw new IllegalArgumentException(spec(f) + ": " + f[0] + " takes at most " + defaults.length + " fields ("
                    + (defaults.length == 3 ? "n:m:r" : "n:m:r0:r") + "), got " + (f.length - 1));
        }
        int[] a = ints(f, 1, defaults);
        if (a[0] < 1 || a[1] < 1) {
            throw new IllegalArgumentException(spec(f) + ": the size n x m = " + a[0] + "x" + a[1] + " must be at least 1x1");
        }
        if ((long) a[0] * a[1] > MAX_ENTRIES) {
            throw new IllegalArgumentException(spec(f) + ": the size n x m = " + a[0] + "x" + a[1] + " is above the limit of "
                    + MAX_ENTRIES + " entries");
        }
        for (int k = 2; k < a.length; k++) {
            if (a[k] < 1 || a[k] > Math.min(a[0], a[1])) {
                throw new IllegalArgumentException(spec(f) + ": rank " + a[k] + " is outside [1, min(n, m)] = [1, "
                        + Math.min(a[0], a[1]) + "]");
            }
        }
        return a;
    }

    private static int[] ints(String[] f, int from, int[] defaults) {
        int[] a = defaults.clone();
        for (int i = from; i < f.length && i - from < a.length; i++) {
            try {
                a[i - from] = Integer.parseInt(f[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--instances: '" + f[i] + "' is not an integer in '" + String.join(":", f) + "'");
            }
        }
        return a;
    }

    /**
     * A positive random start; rank-deficient: the second half of the columns of W⁰ copies the first half (and
     * likewise the rows of H⁰), so W⁰H⁰ has rank ≤ ⌈r/2⌉ (related.md §3, the NMF analogue of Eftekhari's starts).
     */
    static FactorPair randomStart(int n, int m, int r, long seed, boolean deficient) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DenseMatrix w = DenseMatrix.zeros(n, r), h = DenseMatrix.zeros(r, m);
        int half = (r + 1) / 2;
        for (int k = 0; k < r; k++) {
            int src = deficient && k >= half ? k - half : k;
            for (int i = 0; i < n; i++) {
                w.set(i, k, src == k ? rnd.nextDouble() : w.get(i, src));
            }
            for (int j = 0; j < m; j++) {
                h.set(k, j, src == k ? rnd.nextDouble() : h.get(src, j));
            }
        }
        return new FactorPair(w, h);
    }

    /** The digits data from Debian's scikit-learn package, without the label column; never downloaded. */
    public static DenseMatrix digits() {
        if (!Files.isRegularFile(DIGITS)) {
            throw new InputException(DIGITS + ": not found — install Debian's python3-sklearn to audit the digits data"
                    + " (nothing is downloaded)");
        }
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(DIGITS)),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] t = line.split(",");
                double[] row = new double[t.length - 1];
                for (int j = 0; j < row.length; j++) {
                    row[j] = Double.parseDouble(t[j].trim());
                }
                rows.add(row);
            }
        } catch (IOException | NumberFormatException e) {
            throw new InputException(DIGITS + ": cannot read: " + e.getMessage());
        }
        return DenseMatrix.of(rows.toArray(new double[0][]));
    }
}
