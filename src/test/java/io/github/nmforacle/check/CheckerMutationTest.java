package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 12, acceptance: every single-field change of a genuine certificate — numbers (also ±∞ and NaN), verdicts,
 * witnesses, counts, C, the multiplier, interval ends and methods, digests, structure — is rejected, unless it only
 * weakens a claim and the checker's output says so ("weaker", or an UNDECIDED that "claims nothing"). Exempt by design,
 * and so stated by the checker: the free-form "info" object and provenance.version/options; the tolerances and budgets
 * are the certificate's own terms (a change gives another claim, which the checker verifies as such).
 */
class CheckerMutationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Instance(String name, DenseMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions options) {
    }

    static List<Instance> instances() throws Exception {
        List<Instance> out = new ArrayList<>();
        Path root = Path.of("fixtures");
        String[] nmf = {"scalar-nmf-origin", "scalar-nmf-axis", "scalar-nmf-hyperbola", "planted-exact-rank2", "cone-vs-subspace",
                "cone-vs-subspace-d2", "gl-equal-columns", "gl-active-partial", "zero-point", "mwu-saddle-plateau"};
        for (String f : nmf) {
            Path d = root.resolve(f);
            if (!Files.exists(d.resolve("W.csv"))) {
                continue;
            }
            DenseMatrix v = MatrixIO.read(d.resolve("V.csv")), w = MatrixIO.read(d.resolve("W.csv")), h = MatrixIO.read(d.resolve("H.csv"));
            for (Mode m : Mode.values()) {
                out.add(new Instance(f + " " + m, v, w, h, CertifyOptions.nmf(m)));
            }
        }
        for (String f : new String[] {"scalar-snmf-c4-vertex", "scalar-snmf-c1-centre", "scalar-snmf-v4-c5-optimum"}) {
            Path d = root.resolve(f);
            DenseMatrix v = MatrixIO.read(d.resolve("V.csv")), w = MatrixIO.read(d.resolve("W.csv")), h = MatrixIO.read(d.resolve("H.csv"));
            BigFraction c = Certifier.parseFraction(Double.toString(sum(w) + sum(h)));
            for (Mode m : Mode.values()) {
                out.add(new Instance(f + " " + m, v, w, h, CertifyOptions.simplex(c, m)));
            }
        }
        // a non-stationary point (first-order witness) and a perturbed factorization, both modes
        DenseMatrix one = new DenseMatrix(1, 1, new double[] {1});
        DenseMatrix zero = new DenseMatrix(1, 1, new double[] {0});
        for (Mode m : Mode.values()) {
            out.add(new Instance("not stationary " + m, one, one, zero, CertifyOptions.nmf(m)));
            out.add(new Instance("support gradient " + m, new DenseMatrix(2, 2, new double[] {1, 2, 3, 4}),
                    new DenseMatrix(2, 1, new double[] {1, 1}), new DenseMatrix(1, 2, new double[] {1, 1}), CertifyOptions.nmf(m)));
        }
        return out;
    }

    private static double sum(DenseMatrix a) {
        double s = 0;
        for (double x : a.data()) {
            s += x;
        }
        return s;
    }

    @TestFactory
    Stream<DynamicTest> everySingleFieldChangeIsRejectedUnlessItOnlyWeakensAndSaysSo() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Instance in : instances()) {
            tests.add(DynamicTest.dynamicTest(in.name(), () -> mutateAll(in)));
        }
        return tests.stream();
    }

    private static void mutateAll(Instance in) throws Exception {
        Certificate cert = Certifier.certify(in.v(), in.w(), in.h(), in.options());
        io.github.nmforacle.io.CertificateSchemaTest.requireValid(cert, in.name());
        JsonNode genuine = JSON.readTree(CertificateJson.toJson(cert));
        Report base = Checker.check(in.v(), in.w(), in.h(), genuine, true);
        assertThat(base.ok()).as(in.name() + " genuine: " + base.lines()).isTrue();
        List<String> paths = new ArrayList<>();
        leaves(genuine, "", paths);
        int mutants = 0;
        List<String> accepted = new ArrayList<>();
        for (String path : paths) {
            if (exempt(path)) {
                continue;
            }
            JsonNode original = at(genuine, path);
            for (JsonNode replacement : replacements(path, original)) {
                if (replacement.equals(original) || sameNumber(original, replacement) || sameRational(original, replacement)) {
                    continue;
                }
                JsonNode mutant = genuine.deepCopy();
                set(mutant, path, replacement);
                mutants++;
                Report r;
                try {
                    r = Checker.check(in.v(), in.w(), in.h(), mutant, true);
                } catch (IllegalArgumentException e) {
                    assertThat(e.getMessage()).as(path).doesNotContain("\n");
                    continue; // "not a certificate" (tool changed): rejected, one line
                }
                if (!r.ok() || unverified(r) > unverified(base)) {
                    continue; // rejected, or a claim it cannot verify listed as ACCEPTED UNVERIFIED (asked for here)
                }
                if (stillTrue(in, path, replacement) || stillAWitness(in, mutant, path) || aHintThatStillProves(path, r)) {
                    continue; // another true bound, proven by the method it names (the independent oracle agrees)
                }
                boolean weakening = weakens(path, original, replacement);
                boolean said = r.lines().stream().anyMatch(l -> l.contains("weaker") || l.contains("claims nothing"));
                if (!(weakening && said)) {
                    accepted.add(path + ": " + original + " → " + replacement + (weakening ? " (weakening, not said)" : ""));
                }
            }
        }
        assertThat(mutants).as(in.name() + ": mutants made").isGreaterThan(30);
        assertThat(accepted).as(in.name() + ": doctored certificates accepted").isEmpty();
    }

    /**
     * The symmetry hint is not a claim: another hint with which the checker proves the strict claim (T flat within
     * tolerance, μ on L ⊥ T by its own bordered Cholesky) is another valid certificate, e.g. X scaled, negated, or
     * perturbed within the flatness tolerance.
     */
    private static boolean aHintThatStillProves(String path, Report r) {
        return path.startsWith("strictModuloSymmetry.symmetry") && r.about("strictModuloSymmetry").stream()
                .allMatch(i -> i.status() == Report.Status.VERIFIED) && r.about("strictModuloSymmetry.mu").stream()
                .allMatch(i -> i.status() == Report.Status.VERIFIED);
    }

    private static long unverified(Report r) {
        return r.items().stream().filter(i -> i.status() == Report.Status.ACCEPTED_UNVERIFIED).count();
    }

    private static boolean sameRational(JsonNode a, JsonNode b) {
        if (!a.isTextual() || !b.isTextual()) {
            return false;
        }
        try {
            return Certifier.parseFraction(a.asText()).equals(Certifier.parseFraction(b.asText()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The oracle for interval ends, independent of the checker (exact arithmetic of the problem package): a changed
     * lower end ℓ "gauss-newton" is still true iff ℓ ≤ −2‖R‖_F (ℓ ≤ 0, ℓ² ≥ 4F exactly); a changed method label keeps the
     * same value, which must then be proven by the new method (exact elimination: 0 at a claim that the checker
     * verified as an exact HOLDS, so any accepted relabel to gauss-newton must satisfy the same inequality).
     */
    static boolean stillTrue(Instance in, String path, JsonNode replacement) {
        boolean lowerValue = path.endsWith(".lower") && replacement.isNumber();
        boolean lowerMethod = path.endsWith(".lowerMethod") && replacement.isTextual() && replacement.asText().equals("gauss-newton");
        if (!lowerValue && !lowerMethod) {
            return false;
        }
        io.github.nmforacle.problem.ExactNmf ex = io.github.nmforacle.problem.ExactNmf.of(in.v(), in.w().cols());
        BigFraction f = ex.objective(io.github.nmforacle.problem.ExactNmf.exact(in.w()),
                io.github.nmforacle.problem.ExactNmf.exact(in.h()));
        BigFraction l = lowerValue ? new BigFraction(replacement.asDouble()) : BigFraction.ZERO;
        if (lowerValue && in.options().mode() == Mode.FLOAT && !path.startsWith("strict")) {
            // a verified-cholesky or gauss-newton end on L: true iff ∇²F − ℓI is PSD on L, exactly (L from the exact
            // classification, which these fixtures share with the float one)
            if (psdOnL(in, ex, l)) {
                return true;
            }
        }
        return lowerMethod ? f.signum() == 0 : l.signum() <= 0 && l.multiply(l).compareTo(f.multiply(4)) >= 0;
    }

    /** ∇²F restricted to the coordinates that are not strongly active (exactly), minus ℓI, is PSD. */
    private static boolean psdOnL(Instance in, io.github.nmforacle.problem.ExactNmf ex, BigFraction l) {
        org.hipparchus.linear.FieldMatrix<BigFraction> we = io.github.nmforacle.problem.ExactNmf.exact(in.w());
        org.hipparchus.linear.FieldMatrix<BigFraction> he = io.github.nmforacle.problem.ExactNmf.exact(in.h());
        org.hipparchus.linear.FieldMatrix<BigFraction>[] g = ex.gradient(we, he);
        int n = in.w().rows(), r = in.w().cols(), m = in.h().cols();
        List<Integer> free = new ArrayList<>();
        for (int p = 0; p < (n + m) * r; p++) {
            boolean isW = p < n * r;
            double x = isW ? in.w().data()[p] : in.h().data()[p - n * r];
            BigFraction gp = isW ? g[0].getEntry(p / r, p % r) : g[1].getEntry((p - n * r) / m, (p - n * r) % m);
            if (!(x == 0 && gp.signum() > 0)) {
                free.add(p);
            }
        }
        if (free.size() > 40) {
            return false;
        }
        int[] coords = free.stream().mapToInt(Integer::intValue).toArray();
        BigFraction[][] hm = ex.restrictedHessian(we, he, coords);
        for (int i = 0; i < hm.length; i++) {
            hm[i][i] = hm[i][i].subtract(l);
        }
        return Forms.psd(hm);
    }

    /**
     * A changed entry of a direction witness (e.g. a rounding-level entry of a float eigenvector negated) may leave a
     * valid witness: the oracle recomputes its exact curvature with the problem package; still negative means the
     * certificate is still true (membership in L, K, T⊥ is exact in the checker and simple).
     */
    static boolean stillAWitness(Instance in, JsonNode mutant, String path) {
        if (!path.contains(".witness.dW") && !path.contains(".witness.dH")) {
            return false;
        }
        JsonNode w = at(mutant, path.substring(0, path.indexOf(".witness.") + ".witness".length()));
        io.github.nmforacle.problem.ExactNmf ex = io.github.nmforacle.problem.ExactNmf.of(in.v(), in.w().cols());
        BigFraction q = ex.hessianQuadraticForm(io.github.nmforacle.problem.ExactNmf.exact(in.w()),
                io.github.nmforacle.problem.ExactNmf.exact(in.h()), block(w.get("dW")), block(w.get("dH")));
        return q.signum() < 0;
    }

    private static org.hipparchus.linear.FieldMatrix<BigFraction> block(JsonNode a) {
        BigFraction[][] d = new BigFraction[a.size()][];
        for (int i = 0; i < a.size(); i++) {
            d[i] = new BigFraction[a.get(i).size()];
            for (int j = 0; j < a.get(i).size(); j++) {
                d[i][j] = Certifier.parseFraction(a.get(i).get(j).asText());
            }
        }
        return new org.hipparchus.linear.Array2DRowFieldMatrix<>(d, false);
    }

    /** The parts the checker states it ignores, and the certificate's own terms (see the class comment). */
    static boolean exempt(String path) {
        return path.startsWith("info") || path.equals("provenance.version") || path.startsWith("provenance.options")
                || path.startsWith("tolerances.");
    }

    /** Verdict → UNDECIDED, a lower end decreased, an upper end increased, a number dropped (null). */
    static boolean weakens(String path, JsonNode from, JsonNode to) {
        if (to.isNull() && !from.isNull()) {
            return true;
        }
        if (path.endsWith(".verdict")) {
            return to.isTextual() && to.asText().equals("UNDECIDED");
        }
        if (path.endsWith(".lower") && from.isNumber() && to.isNumber()) {
            return to.asDouble() < from.asDouble();
        }
        if (path.endsWith(".upper") && from.isNumber() && to.isNumber()) {
            return to.asDouble() > from.asDouble();
        }
        return false;
    }

    static List<JsonNode> replacements(String path, JsonNode x) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> out = new ArrayList<>();
        if (path.endsWith("verdict")) {
            for (String v : new String[] {"HOLDS", "FAILS", "UNDECIDED", "holds"}) {
                out.add(f.textNode(v));
            }
            return out;
        }
        if (x.isNumber()) {
            double d = x.asDouble();
            if (x.isIntegralNumber()) {
                out.add(f.numberNode(x.asLong() + 1));
                out.add(f.numberNode(x.asLong() - 1));
                out.add(f.numberNode(0));
                out.add(f.numberNode(x.asLong() + 0.5));
            } else {
                out.add(f.numberNode(d * 2));
                out.add(f.numberNode(d / 2));
                out.add(f.numberNode(-d));
                out.add(f.numberNode(d + 1));
                out.add(f.numberNode(d - 1));
                out.add(f.numberNode(0.0));
                out.add(f.numberNode(d * (1 + 1e-3)));
                out.add(f.numberNode(d * (1 - 1e-3)));
            }
            out.add(f.textNode("Infinity"));
            out.add(f.textNode("-Infinity"));
            out.add(f.textNode("NaN"));
            out.add(f.nullNode());
            out.add(f.textNode("1"));
            return out;
        }
        if (x.isTextual()) {
            String s = x.asText();
            out.add(f.textNode(s + "x"));
            out.add(f.textNode(""));
            out.add(f.nullNode());
            if (s.matches("[+-]?[0-9./eE+-]+")) {
                out.add(f.textNode(s.startsWith("-") ? s.substring(1) : "-" + s));
                out.add(f.textNode("1/3"));
                out.add(f.textNode("0"));
                out.add(f.textNode("2"));
            }
            for (String m : new String[] {"gauss-newton", "exact-elimination", "none", "witness", "L", "K", "L0", "L-perp-T",
                    "W", "H", "negative-entry", "support-gradient", "active-gradient", "sum-constraint", "multiplier-pair", "NMF",
                    "S-NMF", "exact", "float"}) {
                out.add(f.textNode(m));
            }
            return out;
        }
        if (x.isNull()) {
            out.add(f.numberNode(0.0));
            out.add(f.numberNode(1.0));
            out.add(f.textNode("0"));
            out.add(f.objectNode());
            return out;
        }
        if (x.isBoolean()) {
            out.add(f.booleanNode(!x.asBoolean()));
        }
        return out;
    }

    private static boolean sameNumber(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() && a.asDouble() == b.asDouble() && a.isIntegralNumber() == b.isIntegralNumber();
    }

    /** Paths of every leaf (and of every null), "a.b[2].c"; empty arrays and objects count as leaves too. */
    static void leaves(JsonNode n, String path, List<String> out) {
        if (n.isObject() && n.size() > 0) {
            n.fields().forEachRemaining(e -> leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (n.isArray() && n.size() > 0) {
            for (int i = 0; i < n.size(); i++) {
                leaves(n.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.add(path);
        }
    }

    static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = step(n, part);
        }
        return n;
    }

    private static JsonNode step(JsonNode n, String part) {
        String key = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
        JsonNode x = key.isEmpty() ? n : n.get(key);
        for (int i = part.indexOf('['); i >= 0; i = part.indexOf('[', i + 1)) {
            x = x.get(Integer.parseInt(part.substring(i + 1, part.indexOf(']', i))));
        }
        return x;
    }

    static void set(JsonNode root, String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        String parentPath = dot < 0 ? "" : path.substring(0, dot);
        String last = dot < 0 ? path : path.substring(dot + 1);
        JsonNode parent = parentPath.isEmpty() ? root : at(root, parentPath);
        if (last.contains("[")) {
            String key = last.substring(0, last.indexOf('['));
            JsonNode arr = key.isEmpty() ? parent : parent.get(key);
            String idx = last.substring(last.indexOf('['));
            String[] parts = idx.substring(1, idx.length() - 1).split("\\]\\[");
            for (int i = 0; i < parts.length - 1; i++) {
                arr = arr.get(Integer.parseInt(parts[i]));
            }
            ((ArrayNode) arr).set(Integer.parseInt(parts[parts.length - 1]), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }
}
