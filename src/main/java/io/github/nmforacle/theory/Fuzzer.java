package io.github.nmforacle.theory;

import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.theory.TheoryProperty.Status;
import io.github.nmforacle.theory.TheoryProperty.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/** Runs a {@link TheoryProperty} on many seeds and keeps the smallest counterexample. */
public final class Fuzzer {
    private Fuzzer() {
    }

    /**
     * @param smallest      the smallest failing trial ((n+m)r, then entry sizes), or null
     * @param smallestSeed  its trial seed (re-run it with {@code property.trial(seed, smallestMaxDim)})
     */
    public record Report(String property, int trials, int passes, int failures, int discards, Trial smallest,
                         long smallestSeed, int smallestMaxDim, long firstFailureSeed, String firstFailure) {
    }

    /** Trial seeds are drawn from SplittableRandom(seed), so a run is reproducible. */
    public static Report run(TheoryProperty p, int trials, long seed, IntConsumer progress) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int pass = 0, fail = 0, discard = 0;
        Trial smallest = null;
        long smallestSeed = 0, firstSeed = 0;
        int smallestDim = TheoryProperties.MAX_DIM;
        String first = null;
        for (int t = 0; t < trials; t++) {
            long s = rnd.nextLong();
            Trial tr = guarded(p, s, TheoryProperties.MAX_DIM);
            switch (tr.status()) {
                case PASS -> pass++;
                case DISCARD -> discard++;
                case FAIL -> {
                    fail++;
                    if (first == null) {
                        first = tr.detail();
                        firstSeed = s;
                    }
                    if (smallest == null || tr.size() < smallest.size()) {
                        smallest = tr;
                        smallestSeed = s;
                    }
                }
            }
            if (progress != null) {
                progress.accept(t + 1);
            }
        }
        if (smallest != null) {
            // shrink: look for a failure with ever smaller generated dimensions (200 seeds per size)
            SplittableRandom sr = new SplittableRandom(seed ^ 0x5DEECE66DL);
            outer:
            for (int d = 1; d <= 4; d++) {
                for (int i = 0; i < 200; i++) {
                    long s = sr.nextLong();
                    Trial tr = guarded(p, s, d);
                    if (tr.status() == Status.FAIL && tr.size() < smallest.size()) {
                        smallest = tr;
                        smallestSeed = s;
                        smallestDim = d;
                        break outer;
                    }
                }
            }
        }
        return new Report(p.name(), trials, pass, fail, discard, smallest, smallestSeed, smallestDim, firstSeed, first);
    }

    /** Writes a failing trial as V.csv, W.csv, H.csv and counterexample.txt (the certifier reads them directly). */
    public static void writeCounterexample(Report r, Path dir) {
        Trial t = r.smallest();
        if (t == null || t.example() == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            MatrixIO.write(t.example().v(), dir.resolve("V.csv"));
            MatrixIO.write(t.example().w(), dir.resolve("W.csv"));
            MatrixIO.write(t.example().h(), dir.resolve("H.csv"));
            String c = t.c() == null ? "" : "C = " + io.github.nmforacle.certify.Certifier.fraction(t.c()) + "\n";
            Files.writeString(dir.resolve("counterexample.txt"), "property " + r.property() + "\ntrial seed " + r.smallestSeed()
                    + ", max dimension " + r.smallestMaxDim()
                    + "\n" + c + t.detail() + "\ncertify with: java -jar target/nmf-oracle.jar certify --input V.csv --w W.csv"
                    + " --h H.csv --mode exact" + (t.c() == null ? "" : " --simplex-sum " + io.github.nmforacle.certify.Certifier.fraction(t.c()))
                    + "\n");
        } catch (IOException e) {
            throw new io.github.nmforacle.io.InputException(dir + ": cannot write the counterexample: " + e.getMessage());
        }
    }

    /** A trial that throws is a failure of the code under test (a crash is a counterexample too). */
    static Trial guarded(TheoryProperty p, long seed, int maxDim) {
        try {
            return p.trial(seed, maxDim);
        } catch (RuntimeException e) {
            return Trial.fail("exception: " + e, null, null);
        }
    }
}
