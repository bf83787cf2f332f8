package io.github.nmforacle.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.TraceRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fig1 on a tiny grid (n = 20, r = 2, budget 2000): the early stop is exact, the files are written. */
class Fig1Test {
    @TempDir
    Path dir;

    @Test
    void instanceIsScaledToMaxOneAndReproducible() {
        DenseMatrix v = Fig1.instance(20, 2, 1);
        double max = Arrays.stream(v.data()).max().orElseThrow();
        double min = Arrays.stream(v.data()).min().orElseThrow();
        assertThat(max).isEqualTo(1.0);
        assertThat(min).isGreaterThanOrEqualTo(0.0);
        assertThat(v.data()).containsExactly(Fig1.instance(20, 2, 1).data());
        assertThat(v.data()).isNotEqualTo(Fig1.instance(20, 2, 2).data());
    }

    /**
     * The solvers draw their random starts from SplittableRandom(startSeed) in the order W, H, as the instance draws
     * W₀, H₀ from SplittableRandom(seed): equal seeds would make the start a function of the planted factors (this
     * happened once and made mwu-adaptive look 50× faster). The start seed must differ, and the runs must use it.
     */
    @Test
    void theStartSeedIsNotTheInstanceSeed() {
        for (long seed = 0; seed < 5; seed++) {
            assertThat(Fig1.startSeed(seed)).isNotEqualTo(seed);
            for (long other = 0; other < 5; other++) {
                assertThat(Fig1.startSeed(seed)).isNotEqualTo(other);
            }
        }
        Fig1.Config c = new Fig1.Config(List.of(20), List.of(2), List.of(4L), 40, List.of("mu"), 1, 0);
        Fig1.Run viaGrid = Fig1.run(c, 1, null).runs().get(0);
        Fig1.Run direct = Fig1.measure(Solvers.byName("mu"), Fig1.instance(20, 2, 4), 2, Fig1.startSeed(4), 40, 1);
        assertThat(viaGrid.seed()).isEqualTo(4);
        assertThat(viaGrid.initialRelativeError()).isEqualTo(direct.initialRelativeError());
        assertThat(viaGrid.relativeErrorAtStop()).isEqualTo(direct.relativeErrorAtStop());
    }

    @Test
    void theEarlyStopReportsTheFirstIterationOfAFullRunThatMeetsTheTarget() {
        DenseMatrix v = Fig1.instance(20, 2, 3);
        for (String a : List.of("mu", "mwu-adaptive")) {
            Fig1.Run run = Fig1.measure(Solvers.byName(a), v, 2, 3, 2000, 1);
            SolveResult full = Solvers.byName(a).solve(v, SolverOptions.rank(2).withMaxIterations(2000)
                    .withObjectiveTolerance(0).withSeed(3).withThreads(1));
            List<TraceRow> t = full.trace();
            int first = -1;
            for (int i = 1; i < t.size(); i++) {
                if (t.get(i).relativeError() <= 0.01 * t.get(0).relativeError()) {
                    first = i;
                    break;
                }
            }
            assertThat(first).as(a).isPositive();
            assertThat(run.reached()).isTrue();
            assertThat(run.status()).isEqualTo("reached");
            assertThat(run.iterations()).as(a).isEqualTo(first);
            assertThat(run.initialRelativeError()).isEqualTo(t.get(0).relativeError());
            assertThat(run.relativeErrorAtStop()).isEqualTo(t.get(first).relativeError());
        }
    }

    @Test
    void aFixedRelativeErrorTargetIsTheSameForEveryAlgorithm() {
        DenseMatrix v = Fig1.instance(20, 2, 1);
        Fig1.Run mu = Fig1.measure(Solvers.byName("mu"), v, 2, 1, 2000, 1, 0.05);
        assertThat(mu.reached()).isTrue();
        assertThat(mu.relativeErrorAtStop()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void tinyGridWritesCsvPngAndReport() throws IOException {
        Fig1.Config c = new Fig1.Config(List.of(20), List.of(2), Fig1.Config.seeds(1, 3), 2000, Fig1.DEFAULT_ALGORITHMS, 1, 0);
        List<String> log = new ArrayList<>();
        Fig1.Result res = Fig1.run(c, 2, log::add);
        List<String> registered = Fig1.DEFAULT_ALGORITHMS.stream().filter(a -> Solvers.names().contains(a)).toList();
        assertThat(res.algorithms()).containsExactlyElementsOf(registered);
        assertThat(res.runs()).hasSize(3 * registered.size());
        assertThat(res.skipped()).hasSize(Fig1.DEFAULT_ALGORITHMS.size() - registered.size());

        // Algorithm 1 as printed (fixed step 1/C^2) does not get there within 2000 iterations; Lee-Seung does.
        for (Fig1.Run r : res.cell("mwu", 20, 2)) {
            assertThat(r.reached()).isFalse();
            assertThat(r.status()).isEqualTo("budget");
            assertThat(r.iterationsRun()).isEqualTo(2000);
        }
        for (Fig1.Run r : res.cell("mu", 20, 2)) {
            assertThat(r.reached()).isTrue();
            assertThat(r.iterations()).isBetween(1, 2000);
            assertThat(r.relativeErrorAtStop()).isLessThanOrEqualTo(0.01 * r.initialRelativeError());
        }
        assertThat(log).hasSizeGreaterThanOrEqualTo(res.runs().size());

        List<Path> files = Fig1.write(res, OutputFolder.prepare(dir.resolve("new/folder")));
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("fig1.csv", "fig1.png", "fig1.txt");
        List<String> csv = Files.readAllLines(dir.resolve("new/folder/fig1.csv"));
        assertThat(csv.get(0)).isEqualTo(Fig1.CSV_HEADER);
        assertThat(csv).hasSize(res.runs().size() + 1);
        assertThat(csv).anyMatch(l -> l.startsWith("mwu,20,2,1,,budget,"));
        assertThat(csv).anyMatch(l -> l.matches("mu,20,2,1,\\d+,reached,.*"));
        byte[] png = Files.readAllBytes(dir.resolve("new/folder/fig1.png"));
        assertThat(Arrays.copyOf(png, 8)).containsExactly(Charts.PNG_MAGIC);
        String report = Files.readString(dir.resolve("new/folder/fig1.txt"));
        assertThat(report).contains(Fig1.CONSTRUCTION).contains(">2000 / >2000")
                .contains("mwu: did NOT reach the target (1% of the initial error) in 3 of 3 runs (budget 2000 iterations");
    }

    @Test
    void anUnregisteredAlgorithmIsSkippedWithAMessage() {
        Fig1.Config c = new Fig1.Config(List.of(20), List.of(2), List.of(1L), 50, List.of("no-such-solver", "mu"), 1, 0);
        List<String> log = new ArrayList<>();
        Fig1.Result res = Fig1.run(c, 1, log::add);
        assertThat(res.skipped()).singleElement().asString().startsWith("no-such-solver: not registered");
        assertThat(log).anyMatch(l -> l.startsWith("fig1: skipping no-such-solver"));
        assertThat(res.runs()).extracting(Fig1.Run::algorithm).containsOnly("mu");
        assertThat(Fig1.report(res)).contains("skipped: no-such-solver");
    }

    @Test
    void percentagesKeepTheDigitsThatMatter() {
        assertThat(Fig1.percent(0.999514)).isEqualTo("99.9514%");
        assertThat(Fig1.percent(0.9999996)).isEqualTo("99.99996%");
        assertThat(Fig1.percent(4.86e-4)).isEqualTo("0.0486%");
        assertThat(Fig1.percent(0.0109375)).isEqualTo("1.09%");
        assertThat(Fig1.percent(1.0)).isEqualTo("100%");
        assertThat(Fig1.progress(0.999342)).isEqualTo("at most 0.00066 of the initial error removed");
        assertThat(Fig1.progress(1 - 1.51e-11)).isEqualTo("at most 1.5e-11 of the initial error removed");
        assertThat(Fig1.progress(0.0116)).isEqualTo("error still >= 1.16% of the initial");
    }

    @Test
    void medianAndMaxCountNotReachedAsAboveTheBudget() {
        double[] s = {5, 7, Double.POSITIVE_INFINITY};
        assertThat(Fig1.count(Fig1.median(s), 100)).isEqualTo("7");
        assertThat(Fig1.count(s[2], 100)).isEqualTo(">100");
        assertThat(Fig1.count(Fig1.median(new double[] {5, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}), 100)).isEqualTo(">100");
    }
}
