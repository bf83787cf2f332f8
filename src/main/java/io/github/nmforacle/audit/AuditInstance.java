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
        for (String part : spec.split(",")) {
            String[] f = part.trim().split(":");
            switch (f[0]) {
                case "planted" -> {
                    int[] a = ints(f, 1, new int[] {50, 40, 5});
                    out.add(new AuditInstance("planted " + a[0] + "x" + a[1] + " r" + a[2],
                            Instances.planted(a[0], a[1], a[2], seed).v(), a[2], null));
                }
                case "noisy" -> {
                    int[] a = ints(f, 1, new int[] {50, 40, 5});
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
                    int[] a = ints(f, 1, new int[] {30, 20, 2, 4});
                    DenseMatrix v = Instances.planted(a[0], a[1], a[2], seed).v();
                    int n = a[0], m = a[1], r = a[3];
                    out.add(new AuditInstance("overparam r0=" + a[2] + " r=" + r + " full-rank start", v, r,
                            s -> randomStart(n, m, r, s, false)));
                    out.add(new AuditInstance("overparam r0=" + a[2] + " r=" + r + " rank-deficient start", v, r,
                            s -> randomStart(n, m, r, s, true)));
                }
                case "digits" -> {
                    int r = f.length > 1 ? Integer.parseInt(f[1]) : 16;
                    if (skipped != null && !Files.isRegularFile(DIGITS)) {
                        skipped.add("digits skipped: " + DIGITS + " not found (install Debian's python3-sklearn; nothing is downloaded)");
                        continue;
                    }
                    out.add(new AuditInstance("digits 1797x64 r" + r, digits(), r, null));
                }
                case "file" -> {
                    if (f.length < 3) {
                        throw new IllegalArgumentException("--instances file:PATH:RANK needs a path and a rank, got '" + part + "'");
                    }
                    Path p = Path.of(f[1]);
                    out.add(new AuditInstance(p.getFileName().toString(), MatrixIO.read(p), Integer.parseInt(f[2]), null));
                }
                default -> throw new IllegalArgumentException("--instances: unknown family '" + f[0]
                        + "', expected planted, noisy, overparam, digits or file:PATH:RANK");
            }
        }
        return out;
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
