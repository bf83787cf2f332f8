package io.github.nmforacle.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.reproduce.ScalarExample.Problem;
import io.github.nmforacle.reproduce.ScalarExample.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** example-2-1: the certifier's verdicts agree with proofs-notes/scalar-example.md on every representative point. */
class Example21Test {
    static List<Row> rows;

    @TempDir
    Path dir;

    @BeforeAll
    static void certifyOnce() {
        rows = ScalarExample.run();
    }

    static Row row(Problem p, String label) {
        return rows.stream().filter(r -> r.point().problem() == p && r.point().label().equals(label)).findFirst().orElseThrow();
    }

    @Test
    void everyRowAgreesWithTheDerivation() {
        assertThat(rows).hasSize(ScalarExample.points().size()).hasSizeGreaterThanOrEqualTo(15);
        for (Row r : rows) {
            assertThat(r.agrees()).as("%s %s: certifier %s/%s/%s/%s", r.point().problem(), r.point().label(), r.fosp(),
                    r.sospPaper(), r.sospCone(), r.strict()).isTrue();
        }
    }

    @Test
    void thePrintedFirstOrderListsContainNonStationaryPoints() {
        // E4: the open axes of NMF; E5: the vertices for C = 1; E6: (0,1), (1,0) are not even feasible for C = 4.
        for (Row r : List.of(row(Problem.NMF, "(1, 0)"), row(Problem.NMF, "(0, 2)"), row(Problem.SNMF_1, "(0, 1)"),
                row(Problem.SNMF_1, "(1, 0)"), row(Problem.SNMF_4, "(0, 1)"), row(Problem.SNMF_4, "(1, 0)"))) {
            assertThat(r.point().paperFosp()).isTrue();
            assertThat(r.point().fosp()).isFalse();
            assertThat(r.point().mode()).isEqualTo(Mode.EXACT);
            assertThat(r.fosp()).isEqualTo(Verdict.FAILS);
            assertThat(r.sospPaper()).isNotEqualTo(Verdict.HOLDS);
        }
        assertThat(row(Problem.SNMF_4, "(0, 1)").certificate().fosp().reason()).contains("simplex");
    }

    @Test
    void theDerivedStationaryPointsWithTheirNumbers() {
        Row origin = row(Problem.NMF, "(0, 0)");
        assertThat(origin.fosp()).isEqualTo(Verdict.HOLDS);
        assertThat(origin.sospCone()).isEqualTo(Verdict.FAILS);
        assertThat(origin.certificate().sospPaper().lambdaMin()).isCloseTo(-2.0, org.assertj.core.data.Offset.offset(1e-12));

        Row hyperbola = row(Problem.NMF, "(2, 1/2)");
        assertThat(hyperbola.strict()).isEqualTo(Verdict.HOLDS);
        assertThat(hyperbola.certificate().strictModuloSymmetry().mu()).isCloseTo(8.5, org.assertj.core.data.Offset.offset(1e-12));

        Row centre1 = row(Problem.SNMF_1, "(1/2, 1/2)");
        assertThat(centre1.certificate().fosp().multiplierExact()).isEqualTo("-3/4");
        assertThat(centre1.sospPaper()).isEqualTo(Verdict.HOLDS);

        Row centre4 = row(Problem.SNMF_4, "(2, 2)");
        assertThat(centre4.certificate().fosp().multiplierExact()).isEqualTo("12");
        assertThat(centre4.fosp()).isEqualTo(Verdict.HOLDS);
        assertThat(centre4.sospPaper()).isEqualTo(Verdict.FAILS);
        assertThat(centre4.point().paperFosp()).isTrue();
        assertThat(centre4.point().paperSosp()).isFalse();

        for (String label : List.of("(2+√3, 2−√3)", "(2−√3, 2+√3)")) {
            Row r = row(Problem.SNMF_4, label);
            assertThat(r.point().mode()).isEqualTo(Mode.FLOAT);
            assertThat(r.point().paperSosp()).isTrue();
            assertThat(r.sospPaper()).isEqualTo(Verdict.HOLDS);
            assertThat(r.strict()).isEqualTo(Verdict.HOLDS);
            assertThat(r.certificate().fosp().multiplier()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(r.certificate().sospPaper().lambdaMin()).isCloseTo(12.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void writesCsvMarkdownAndPng() throws IOException {
        List<Path> files = ScalarExample.write(rows, OutputFolder.prepare(dir));
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("example-2-1.csv", "example-2-1.md", "example-2-1.png");
        List<String> csv = Files.readAllLines(dir.resolve("example-2-1.csv"));
        assertThat(csv.get(0)).isEqualTo(ScalarExample.CSV_HEADER);
        assertThat(csv).hasSize(rows.size() + 1);
        int agreesColumn = Arrays.asList(ScalarExample.CSV_HEADER.split(",")).indexOf("agrees");
        assertThat(agreesColumn).isPositive();
        assertThat(csv.get(1)).startsWith("NMF,\"(0, 0)\",0.0,0.0,exact,yes,no,yes,no,no,");
        for (String line : csv.subList(1, csv.size())) {
            List<String> fields = splitCsv(line);
            assertThat(fields).as(line).hasSize(agreesColumn + 2);
            assertThat(fields.get(agreesColumn)).as(line).isEqualTo("yes");
        }
        String md = Files.readString(dir.resolve("example-2-1.md"));
        assertThat(md).contains("| problem | printed FOSPs | derived FOSPs | printed SOSPs | derived SOSPs |")
                .contains("The certifier agrees with the derivation on all " + rows.size() + " points.")
                .doesNotContain("**NO**");
        byte[] png = Files.readAllBytes(dir.resolve("example-2-1.png"));
        assertThat(Arrays.copyOf(png, 8)).containsExactly(Charts.PNG_MAGIC);
    }

    /** RFC 4180 fields of one line (quotes around fields with commas, "" for a quote). */
    static List<String> splitCsv(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
