package io.github.nmforacle.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.solve.TraceRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figure 2 reproduces Example 1 exactly (fixtures/example-1/README.md, errata E1): mu-concurrent alternates
 * F = 10 ↔ 100/64 (error √10 ↔ 5/4) for ever, mu reaches F = 1 after one update and stays. All numbers are
 * dyadic, so the comparisons are exact.
 */
class Fig2Test {
    @TempDir
    Path dir;

    @Test
    void concurrentOscillatesWithPeriodTwoAndAlternatingStopsAtOne() {
        Fig2.Result res = Fig2.run(50);
        List<TraceRow> c = res.concurrent();
        List<TraceRow> a = res.alternating();
        assertThat(c).hasSize(51);
        assertThat(a).hasSize(51);
        for (int t = 0; t <= 50; t++) {
            assertThat(c.get(t).objective()).as("mu-concurrent F_%d", t).isEqualTo(t % 2 == 0 ? 10.0 : 100.0 / 64.0);
            assertThat(Fig2.Result.error(c.get(t))).as("mu-concurrent error_%d", t).isEqualTo(t % 2 == 0 ? Math.sqrt(10) : 1.25);
            assertThat(a.get(t).objective()).as("mu F_%d", t).isEqualTo(t == 0 ? 10.0 : 1.0);
        }
        assertThat(Fig2.verdict(res)).contains("period-2 oscillation").contains("10.0 <-> 1.5625")
                .contains("constant F = 1.0 from iteration 1 on");
    }

    @Test
    void writesCsvAndPng() throws IOException {
        Fig2.Result res = Fig2.run(50);
        List<Path> files = Fig2.write(res, OutputFolder.prepare(dir.resolve("out")));
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("fig2.csv", "fig2.png", "fig2.txt");
        List<String> csv = Files.readAllLines(dir.resolve("out/fig2.csv"));
        assertThat(csv).hasSize(52);
        assertThat(csv.get(0)).isEqualTo(Fig2.CSV_HEADER);
        assertThat(csv.get(1)).isEqualTo("0,3.1622776601683795,3.1622776601683795,10.0,10.0");
        assertThat(csv.get(2)).isEqualTo("1,1.25,1.0,1.5625,1.0");
        assertThat(csv.get(51)).startsWith("50,3.1622776601683795,1.0,");
        byte[] png = Files.readAllBytes(dir.resolve("out/fig2.png"));
        assertThat(Arrays.copyOf(png, 8)).containsExactly(Charts.PNG_MAGIC);
        assertThat(png.length).isGreaterThan(5000);
    }
}
