package io.github.nmforacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certify} on the command line: verdicts, JSON fields of the spec, --require exit codes, bad input. */
class CertifyCliTest {
    @TempDir
    Path dir;

    Run run(String... args) {
        return Run.of(args);
    }

    Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void originOfTheScalarExampleIsAFospButNotAnSosp() throws IOException {
        Path v = file("v.csv", "1\n"), w = file("w.csv", "0\n"), h = file("h.csv", "0\n");
        String[] base = {"certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--mode", "exact"};
        Run r = run(base);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("first order (KKT)").contains("HOLDS").contains("FAILS");
        assertThat(run(concat(base, "--require", "fosp")).code()).isZero();
        assertThat(run(concat(base, "--require", "sosp")).code()).isEqualTo(1);
        assertThat(run(concat(base, "--require", "sosp-cone")).code()).isEqualTo(1);
    }

    @Test
    void jsonHasEveryFieldOfTheSpec() throws IOException {
        Path v = file("v.csv", "1\n"), w = file("w.csv", "2\n"), h = file("h.csv", "0.5\n"), out = dir.resolve("cert.json");
        Run r = run("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--json", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(new ObjectMapper().readTree(Files.readString(out))).isEqualTo(j);
        for (String f : new String[] {"problem", "C", "mode", "n", "m", "r", "objective", "fosp", "sospPaper", "sospCone",
                "strictModuloSymmetry", "tolerances", "counts"}) {
            assertThat(j.has(f)).as(f).isTrue();
        }
        for (String f : new String[] {"verdict", "residual", "multiplier", "witness"}) {
            assertThat(j.get("fosp").has(f)).as("fosp." + f).isTrue();
        }
        // format v2: 0-based indices, proven intervals, provenance digests, free-form info
        assertThat(j.get("tool").asText()).isEqualTo("nmf-oracle certificate v2");
        assertThat(j.get("indexBase").asInt()).isZero();
        for (String[] claim : new String[][] {{"sospPaper", "lambdaMin"}, {"sospCone", "lambdaMin"}, {"strictModuloSymmetry", "mu"}}) {
            JsonNode iv = j.get(claim[0]).get(claim[1]);
            for (String f : new String[] {"lower", "lowerMethod", "upper", "upperMethod"}) {
                assertThat(iv.has(f)).as(claim[0] + "." + claim[1] + "." + f).isTrue();
            }
            // float mode (the default) at R = 0: the Gauss–Newton end is −2× a rounding bound on ‖R‖_F = 0; no witness.
            // μ: a positive bound by the bordered Cholesky (Finsler), with the symmetry hint it rests on
            if (claim[0].equals("strictModuloSymmetry")) {
                assertThat(iv.get("lowerMethod").asText()).isEqualTo("verified-cholesky");
                assertThat(iv.get("lower").asDouble()).isPositive();
                assertThat(j.get(claim[0]).get("symmetry").isArray()).isTrue();
            } else {
                assertThat(iv.get("lowerMethod").asText()).isEqualTo("gauss-newton");
                assertThat(iv.get("lower").asDouble()).isBetween(-1e-12, 0.0);
            }
            assertThat(iv.get("upper").isNull()).isTrue();
            assertThat(iv.get("upperMethod").asText()).isEqualTo("none");
        }
        JsonNode sha = j.get("provenance").get("sha256");
        assertThat(sha.get("V").asText()).isEqualTo(io.github.nmforacle.certify.Certificate.Provenance.sha256(
                io.github.nmforacle.io.MatrixIO.read(v)));
        assertThat(sha.get("W").asText()).hasSize(64).isNotEqualTo(sha.get("H").asText());
        assertThat(j.get("info").isObject()).isTrue();
        assertThat(j.get("tolerances").has("sum")).as("float NMF tolerances have no sum").isFalse();
        assertThat(j.get("tolerances").has("firstOrder")).isTrue();
        for (String f : new String[] {"support", "stronglyActive", "degenerate"}) {
            assertThat(j.get("counts").has(f)).as("counts." + f).isTrue();
        }
        assertThat(j.get("problem").asText()).isEqualTo("NMF");
        assertThat(j.get("fosp").get("verdict").asText()).isEqualTo("HOLDS");
        assertThat(j.get("sospPaper").get("verdict").asText()).isEqualTo("HOLDS");
    }

    /**
     * Issue 13, budgets: --max-factor-memory limits the verified factorisations above --max-dense; a larger one is not
     * attempted (the note says so, the claim stays UNDECIDED with the Gauss–Newton interval), a budget beyond the heap
     * is refused in one line.
     */
    @Test
    void theFactorisationBudgetIsTheUsers() throws IOException {
        io.github.nmforacle.linalg.DenseMatrix vm = io.github.nmforacle.testkit.Instances.plantedNoisy(120, 80, 6, 0.005, 13);
        io.github.nmforacle.solve.SolveResult s = io.github.nmforacle.solve.Solvers.byName("anls-bpp").solve(vm,
                io.github.nmforacle.solve.SolverOptions.rank(6).withMaxIterations(3000).withObjectiveTolerance(0).withSeed(1));
        Path v = dir.resolve("v.npy"), w = dir.resolve("w.npy"), h = dir.resolve("h.npy");
        io.github.nmforacle.io.MatrixIO.write(vm, v);
        io.github.nmforacle.io.MatrixIO.write(s.w(), w);
        io.github.nmforacle.io.MatrixIO.write(s.h(), h);
        String[] base = {"certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--max-dense", "100",
                "--json"};
        Run big = run(base);
        assertThat(big.code()).as(big.err()).isZero();
        JsonNode jb = new ObjectMapper().readTree(big.out());
        assertThat(jb.at("/sospPaper/verdict").asText()).isEqualTo("HOLDS");
        assertThat(jb.at("/sospPaper/lambdaMin/lowerMethod").asText()).isEqualTo("verified-cholesky");
        Run small = run(concat(base, "--max-factor-memory", "1"));
        assertThat(small.code()).as(small.err()).isZero();
        JsonNode js = new ObjectMapper().readTree(small.out());
        assertThat(js.at("/sospPaper/verdict").asText()).isEqualTo("UNDECIDED");
        assertThat(js.at("/sospPaper/lambdaMin/lowerMethod").asText()).isEqualTo("gauss-newton");
        assertThat(js.at("/info/notes").toString()).contains("factorisation budget of 1 MiB");
        assertThat(js.at("/strictModuloSymmetry/verdict").asText()).isEqualTo("UNDECIDED");
        assertThat(jb.at("/strictModuloSymmetry/verdict").asText()).isEqualTo("HOLDS");
        Run absurd = run(concat(base, "--max-factor-memory", "100000000"));
        assertThat(absurd.code()).isEqualTo(2);
        assertThat(absurd.err().strip()).startsWith("nmf-oracle: --max-factor-memory 100000000: must be between 1 and the"
                + " maximum heap").doesNotContain("\n");
    }

    @Test
    void simplexSumOptions() throws IOException {
        Path v = file("v.csv", "1\n"), w = file("w.csv", "2\n"), h = file("h.csv", "2\n");
        Run r = run("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--simplex-sum", "4",
                "--mode", "exact", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"S-NMF\"").contains("\"multiplierExact\" : \"12\"");
        Run s = run("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--simplex-sum", "sum", "--json");
        assertThat(s.out()).contains("\"C\" : 4.0");
        assertThat(run("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--simplex-sum", "abc").code())
                .isEqualTo(2);
    }

    @Test
    void badInputsGiveExitTwoAndOneLine() throws IOException {
        Path v = file("v.csv", "1,2\n3,4\n"), w = file("w.csv", "1\n1\n"), h = file("h.csv", "1,1\n");
        Path wnan = file("wnan.csv", "1\nnan\n"), hbad = file("hbad.csv", "1,1,1\n"), w2 = file("w2.csv", "1,1\n1,1\n");
        String vs = v.toString();
        assertBad(run("certify", "--input", vs, "--w", wnan.toString(), "--h", h.toString()), "wnan.csv", "NaN");
        assertBad(run("certify", "--input", vs, "--w", w.toString(), "--h", hbad.toString()), "hbad.csv", "columns");
        assertBad(run("certify", "--input", vs, "--w", w2.toString(), "--h", h.toString()), "h.csv", "rank");
        assertBad(run("certify", "--input", vs, "--w", w.toString(), "--h", h.toString(), "--out", vs), "v.csv", "also an input");
        assertThat(run("certify", "--input", vs, "--w", w.toString(), "--h", h.toString(), "--mode", "fuzzy").code()).isEqualTo(2);
        assertThat(run("certify", "--input", vs, "--w", w.toString(), "--h", h.toString(), "--require", "all").code()).isEqualTo(2);
        assertThat(run("certify", "--input", vs, "--w", w.toString(), "--h", h.toString(), "--tol-first-order", "2").code()).isEqualTo(2);
        Path vneg = file("vneg.csv", "1,-2\n3,4\n");
        assertBad(run("certify", "--input", vneg.toString(), "--w", w.toString(), "--h", h.toString()), "vneg.csv", "negative");
    }

    @Test
    void negativeFactorEntryIsAFirstOrderFailureNotAnError() throws IOException {
        Path v = file("v.csv", "1\n"), w = file("w.csv", "-1\n"), h = file("h.csv", "-1\n");
        Run r = run("certify", "--input", v.toString(), "--w", w.toString(), "--h", h.toString(), "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("negative-entry");
    }

    @Test
    void demoSolvesThenCertifies() {
        Run r = run("demo", "--max-iter", "200", "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("mwu-adaptive on example planted").contains("certificate: NMF")
                .contains("first order (KKT)");
    }

    static void assertBad(Run r, String file, String problem) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        String first = r.err().lines().findFirst().orElse("");
        assertThat(first).startsWith("nmf-oracle: ").contains(file).contains(problem);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** bench --certify --planted prints one row of issue 13's table: the method that decided, times, peak heap. */
    @Test
    void benchCertifyPlantedPrintsATableRow() {
        Run r = Run.of("bench", "--certify", "--planted", "--n", "40", "--m", "30", "-r", "3");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("| n×m, r | N | dim L |").contains("| 40x30, 3 | 210 |").contains("; check: ")
                .doesNotContain("REJECTED"); // a float strictness HOLDS is NOT VERIFIED by the checker
        assertThat(r.out()).containsPattern("\\| HOLDS \\| HOLDS \\((verified-cholesky|dense-eigen)\\)");
        Run bad = Run.of("bench", "--certify", "--planted", "--n", "4", "--m", "3", "-r", "5");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("need 1 <= r <= min(n, m)").doesNotContain("\n\tat ");
    }

    /** bench --certify --planted --saddle l|cone: issue 13's planted saddles, FAILS with a witness the checker verifies. */
    @Test
    void benchCertifyPlantedSaddlesFailWithVerifiedWitnesses() {
        Run l = Run.of("bench", "--certify", "--planted", "--saddle", "l", "--n", "30", "--m", "20", "-r", "3");
        assertThat(l.code()).as(l.err()).isEqualTo(0);
        assertThat(l.out()).contains("| 30x20, 3 | 150 | 150 | HOLDS | FAILS (dense-eigen) |").contains("= -1.000e-03·η")
                .contains("witness in L").contains("check: OK");
        Run cone = Run.of("bench", "--certify", "--planted", "--saddle", "cone", "--n", "30", "--m", "20", "-r", "3");
        assertThat(cone.code()).as(cone.err()).isEqualTo(0);
        assertThat(cone.out()).contains("| FAILS (cone-from-L) |").contains("witness in K").contains("check: OK");
        Run bad = Run.of("bench", "--certify", "--planted", "--saddle", "x");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--saddle takes l or cone").doesNotContain("\n\tat ");
    }
}
