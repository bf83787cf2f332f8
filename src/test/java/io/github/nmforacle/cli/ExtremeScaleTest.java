package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nmforacle.io.InputException;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.io.TraceCsv;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.StopReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, item 5 "legal extremes": V near either end of the double range, or mixing 1e200 and 1e-200, is solved by
 * every algorithm (they normalise V by a power of two); the objective is never reported as a rounded-away 0 or an
 * overflowed ∞, and entries flushed to 0 relative to max V are counted in the output.
 */
class ExtremeScaleTest {
    @TempDir
    Path dir;

    static final int N = 8;
    static final int M = 6;

    Path matrix(String name, DoubleUnaryOperator entry) throws IOException {
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                sb.append(j > 0 ? "," : "").append(entry.applyAsDouble(i * M + j + rnd.nextDouble()));
            }
            sb.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    /** Runs solve with W, H and the trace written; checks exit 0, one clean summary line and finite outputs. */
    Run solve(Path v, String algorithm) throws IOException {
        Path w = dir.resolve("W.csv"), h = dir.resolve("H.csv"), t = dir.resolve("T.csv");
        Run r = Run.of("solve", "--input", v.toString(), "-r", "2", "-a", algorithm, "-q", "--max-iter", "40",
                "--out-w", w.toString(), "--out-h", h.toString(), "--trace", t.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().count()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("NaN").doesNotContain("Infinity");
        for (Path f : List.of(w, h)) {
            DenseMatrix a = MatrixIO.read(f);
            assertThat(java.util.Arrays.stream(a.data()).allMatch(Double::isFinite)).as(f.toString()).isTrue();
            assertThat(java.util.Arrays.stream(a.data()).anyMatch(x -> x > 0)).as(f + " has a positive entry").isTrue();
        }
        String trace = Files.readString(t);
        assertThat(trace).doesNotContain("Infinity");
        // objective, relative error and residual are finite (the step is NaN where an algorithm has none), F ≠ 0
        trace.lines().skip(1).forEach(line -> {
            String[] c = line.split(",");
            for (int col = 1; col <= 3; col++) {
                assertThat(Double.isFinite(Double.parseDouble(c[col]))).as("trace column %d of %s", col, line).isTrue();
            }
            assertThat(Double.parseDouble(c[1])).as("trace objective: " + line).isPositive();
        });
        return r;
    }

    static String header(Path trace) throws IOException {
        return Files.readAllLines(trace).get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mwu", "mwu-adaptive", "mu", "mu-concurrent", "hals", "pg", "anls-bpp", "als-truncated", "and"})
    void entriesNearMaxValueOverFour(String algorithm) throws IOException {
        Path v = matrix("big.csv", x -> Double.MAX_VALUE / 4 * (0.25 + 0.75 * (x % 1)));
        Run r = solve(v, algorithm);
        // F ≈ 1e614 has no double: the normalised value and its power of two are printed
        assertThat(r.out()).containsPattern("objective [0-9.e+-]+ × 2\\^20[0-9]{2} \\(≈ [0-9.]+e\\+6[0-9]{2}, above the double range\\)");
        assertThat(header(dir.resolve("T.csv"))).isEqualTo(TraceCsv.HEADER_NORMALISED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mwu", "mwu-adaptive", "mu", "mu-concurrent", "hals", "pg", "anls-bpp", "als-truncated", "and"})
    void entriesNear1eMinus300(String algorithm) throws IOException {
        Path v = matrix("tiny.csv", x -> 1e-300 * (0.25 + 0.75 * (x % 1)));
        Run r = solve(v, algorithm);
        // F ≈ 1e-600 underflows in double: never printed as 0
        assertThat(r.out()).doesNotContain("objective 0.000000e+00")
                .containsPattern("objective [0-9.e+-]+ × 2\\^-19[0-9]{2} \\(≈ [0-9.]+e-[56][0-9]{2}, below the double range\\)");
        assertThat(header(dir.resolve("T.csv"))).isEqualTo(TraceCsv.HEADER_NORMALISED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mwu", "mwu-adaptive", "mu", "mu-concurrent", "hals", "pg", "anls-bpp", "als-truncated", "and"})
    void entriesMixing1e200And1eMinus200(String algorithm) throws IOException {
        // entry p is huge when p % 3 == 0: 16 of the 48 entries; the other 32 are below 2^-1074 relative to the largest
        Path v = matrix("mixed.csv", x -> ((int) x % 3 == 0 ? 1e200 : 1e-200) * (0.25 + 0.75 * (x % 1)));
        Run r = solve(v, algorithm);
        assertThat(r.out()).contains("; 32 entries of V are below 2^-1022 times 2^");
        assertThat(r.out()).contains(" and counted as 0");
        // F is about 1e400 times the relative error squared: in the double range or not, printed as a number
        assertThat(r.out()).containsPattern("objective [0-9.]+e[+-][0-9]+( × 2\\^[0-9]+ \\(≈ [0-9.]+e\\+[0-9]+, above the double range\\))?,"
                + " relative error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mwu", "mwu-adaptive", "mu", "mu-concurrent", "hals", "pg", "anls-bpp", "als-truncated", "and"})
    void wholeRowsFlushedToZero(String algorithm) throws IOException {
        // rows 0..3 are about 1e200, rows 4..7 about 1e-200: the normalised V has four zero rows (zero Gram entries,
        // zero rows of W), which no solver may turn into NaN
        Path v = matrix("rows.csv", x -> ((int) x / M < 4 ? 1e200 : 1e-200) * (0.25 + 0.75 * (x % 1)));
        Run r = solve(v, algorithm);
        assertThat(r.out()).contains("; 24 entries of V are below 2^-1022 times 2^");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nndsvd", "nndsvda"})
    void nndsvdStartsAtBothEndsOfTheRangeAndWithFlushedRows(String init) throws IOException {
        for (Path v : List.of(matrix("big.csv", x -> Double.MAX_VALUE / 4 * (0.25 + 0.75 * (x % 1))),
                matrix("tiny.csv", x -> 1e-300 * (0.25 + 0.75 * (x % 1))),
                matrix("rows.csv", x -> ((int) x / M < 4 ? 1e200 : 1e-200) * (0.25 + 0.75 * (x % 1))))) {
            Run r = Run.of("solve", "--input", v.toString(), "-r", "2", "-a", "hals", "-q", "--max-iter", "5",
                    "--init", init);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).doesNotContain("NaN").doesNotContain("Infinity").contains(" the double range)");
        }
    }

    @Test
    void factorsThatCannotBeMappedBackAreRefusedAndNothingIsWritten() throws IOException {
        // V ≈ 2^1020 (e = 510); H0 = 2^-10 is 2^-520 in normalised units, so HALS's first W-step makes W' ≈ 2^520,
        // and W = 2^510 W' overflows
        Path v = dir.resolve("v.csv"), w0 = dir.resolve("w0.csv"), h0 = dir.resolve("h0.csv"), w = dir.resolve("W.csv");
        Files.writeString(v, 0x1p1020 + "," + 0x1p1021 + "\n" + 0x1.8p1021 + "," + 0x1p1020 + "\n");
        Files.writeString(w0, "1\n1\n");
        Files.writeString(h0, 0x1p-10 + "," + 0x1p-10 + "\n");
        Run r = Run.of("solve", "--input", v.toString(), "-r", "1", "-a", "hals", "-q", "--max-iter", "1",
                "--init-w", w0.toString(), "--init-h", h0.toString(), "--out-w", w.toString());
        MalformedInputTest.assertBadInput(r, "hals", "the factors found do not fit the double range on the scale of V");
        assertThat(w).doesNotExist();
    }

    @Test
    void aNonFiniteResultIsStillNeverWritten() {
        DenseMatrix good = new DenseMatrix(1, 1, new double[] {1.0});
        DenseMatrix bad = new DenseMatrix(1, 1, new double[] {Double.NaN});
        SolveResult res = new SolveResult("mu", bad, good, List.of(),
                StopReason.MAX_ITERATIONS, 0, 0.5, 0.1, 0.0, 0, 0);
        assertThatThrownBy(() -> SolveCommand.requireFinite("v.csv", good, res, false))
                .isInstanceOf(InputException.class)
                .hasMessage("v.csv: mu gave a result that is not finite (NaN or ∞ in W, H, the objective or the trace) on this V"
                        + " (largest entry 1.000e+00); nothing was written");
    }
}
