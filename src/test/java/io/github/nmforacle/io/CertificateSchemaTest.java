package io.github.nmforacle.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.HomogeneityTest;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.cli.Main;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, item 3: every certificate the certifier and the CLI write is valid against the shipped JSON Schema
 * (certificate-v2.schema.json), and the schema rejects what is not a v2 certificate.
 */
public class CertificateSchemaTest {
    static final String RESOURCE = "/io/github/nmforacle/certificate-v2.schema.json";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Path FIXTURES = Path.of("fixtures");
    static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = CertificateJson.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the class path").isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    static List<String> errors(JsonNode j) {
        return schema.validate(j).stream().map(Error::toString).toList();
    }

    /** For the other test classes: every certificate they make is also validated against the schema. */
    public static synchronized void requireValid(Certificate c, String what) {
        if (schema == null) {
            try {
                loadSchema();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertValid(c, what);
    }

    /** Valid as the writer's tree and as its printed text read back (where a non-finite double is a string). */
    static void assertValid(Certificate c, String what) {
        assertThat(errors(CertificateJson.tree(c))).as(what + " (tree)").isEmpty();
        try {
            assertThat(errors(MAPPER.readTree(CertificateJson.toJson(c)))).as(what + " (text)").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the file -------------------------------------------------------------------------------------------------

    @Test
    void schemaIsAMainResourceOfTheDeclaredDialect() throws IOException {
        URL url = CertificateJson.class.getResource(RESOURCE);
        assertThat(url).isNotNull();
        // src/main/resources (target/classes or the jar), not a test resource
        assertThat(url.toString()).doesNotContain("test-classes");
        JsonNode s;
        try (InputStream in = url.openStream()) {
            s = MAPPER.readTree(in);
        }
        assertThat(s.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.path("required").toString()).contains("\"info\"", "\"provenance\"", "\"indexBase\"");
    }

    /** Every property of every object in the schema says what it means. */
    @Test
    void everyPropertyHasADescription() throws IOException {
        JsonNode s;
        try (InputStream in = CertificateJson.class.getResourceAsStream(RESOURCE)) {
            s = MAPPER.readTree(in);
        }
        List<String> missing = new ArrayList<>();
        int[] seen = {0};
        walk(s, "$", (path, node) -> {
            JsonNode props = node.get("properties");
            if (props == null || !props.isObject() || !node.has("type")) {
                return; // conditional subschemas ("if"/"then") only restate properties
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                seen[0]++;
                if (!p.getValue().path("description").isTextual() || p.getValue().path("description").asText().isBlank()) {
                    missing.add(path + "." + p.getKey());
                }
            }
        });
        assertThat(seen[0]).isGreaterThan(50);
        assertThat(missing).isEmpty();
    }

    static void walk(JsonNode n, String path, BiConsumer<String, JsonNode> v) {
        if (n.isObject()) {
            v.accept(path, n);
            n.fields().forEachRemaining(e -> walk(e.getValue(), path + "/" + e.getKey(), v));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(n.get(i), path + "/" + i, v);
            }
        }
    }

    // ---- genuine certificates are valid ------------------------------------------------------------------------------

    /** A fixture's point: V with W, H (or the start W0, H0), and C of S-NMF from expected.properties. */
    record Fixture(String name, DenseMatrix v, DenseMatrix w, DenseMatrix h, BigFraction c) {
        CertifyOptions options(Mode mode) {
            return c == null ? CertifyOptions.nmf(mode) : CertifyOptions.simplex(c, mode);
        }
    }

    static List<Fixture> fixtures() throws IOException {
        List<Fixture> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(FIXTURES)) {
            for (Path d : s.sorted().toList()) {
                String suffix = Files.exists(d.resolve("W.csv")) ? "" : "0";
                if (!Files.exists(d.resolve("V.csv")) || !Files.exists(d.resolve("W" + suffix + ".csv"))) {
                    continue;
                }
                BigFraction c = null;
                if (Files.exists(d.resolve("expected.properties"))) {
                    Properties p = new Properties();
                    try (Reader r = Files.newBufferedReader(d.resolve("expected.properties"))) {
                        p.load(r);
                    }
                    String cs = p.getProperty("C", "").trim();
                    c = cs.isEmpty() ? null : Certifier.parseFraction(cs);
                }
                out.add(new Fixture(d.getFileName().toString(), MatrixIO.read(d.resolve("V.csv")),
                        MatrixIO.read(d.resolve("W" + suffix + ".csv")), MatrixIO.read(d.resolve("H" + suffix + ".csv")), c));
            }
        }
        return out;
    }

    @Test
    void thereAreFixturesOfBothProblems() throws IOException {
        List<Fixture> f = fixtures();
        assertThat(f).hasSizeGreaterThanOrEqualTo(15);
        assertThat(f).anyMatch(x -> x.c() != null).anyMatch(x -> x.c() == null);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void everyFixtureInBothModes(Mode mode) throws IOException {
        for (Fixture f : fixtures()) {
            assertValid(Certifier.certify(f.v(), f.w(), f.h(), f.options(mode)), f.name() + " " + mode);
        }
    }

    static BigFraction pow2(int k) {
        BigFraction t = new BigFraction(java.math.BigInteger.TWO.pow(Math.abs(k)));
        return k >= 0 ? t : t.reciprocal();
    }

    /** Fixtures at (2^{2k}V, 2^k W, 2^k H) on the simplex 2^k C, k = ±500: numbers far outside [1e-300, 1e300]. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void fixturesAtExtremeScales(Mode mode) throws IOException {
        int done = 0;
        for (int k : new int[] {500, -500}) {
            for (Fixture f : fixtures()) {
                Case s = HomogeneityTest.scaled(new Case(f.name(), f.v(), f.w(), f.h()), k, k);
                if (s == null) {
                    continue;
                }
                CertifyOptions o = f.c() == null ? CertifyOptions.nmf(mode) : CertifyOptions.simplex(f.c().multiply(pow2(k)), mode);
                assertValid(Certifier.certify(s.v(), s.w(), s.h(), o), s.kind() + " " + mode);
                done++;
            }
        }
        assertThat(done).isGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void randomPointsInBothModesAndAtExtremeScales(Mode mode) {
        int scaled = 0;
        for (long seed = 0; seed < 40; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Case c = HomogeneityTest.randomCase(rnd);
            assertValid(Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(mode)), c.kind() + " seed " + seed);
            int k = seed % 2 == 0 ? 500 : -500;
            Case s = HomogeneityTest.scaled(c, k, k);
            if (s != null) {
                assertValid(Certifier.certify(s.v(), s.w(), s.h(), CertifyOptions.nmf(mode)), s.kind() + " seed " + seed);
                scaled++;
            }
        }
        assertThat(scaled).isGreaterThanOrEqualTo(10);
    }

    /** S-NMF: planted multipliers (FOSPs of S-NMF), and random points on the simplex C = ΣW + ΣH of the point. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void randomSimplexPoints(Mode mode) {
        for (long seed = 0; seed < 15; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            StationaryPoints.SimplexCase sc = StationaryPoints.plantedMultiplier(rnd, 2 + rnd.nextInt(2), 2 + rnd.nextInt(2),
                    1 + rnd.nextInt(2), seed % 3 == 0 ? 30 : 0);
            Case p = sc.point();
            assertValid(Certifier.certify(p.v(), p.w(), p.h(), CertifyOptions.simplex(new BigFraction(sc.c()), mode)),
                    "planted multiplier seed " + seed);
            Case c = HomogeneityTest.randomCase(rnd);
            BigFraction sum = BigFraction.ZERO;
            for (DenseMatrix a : List.of(c.w(), c.h())) {
                for (double x : a.data()) {
                    sum = sum.add(new BigFraction(x));
                }
            }
            if (sum.signum() > 0) {
                assertValid(Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.simplex(sum, mode)),
                        c.kind() + " on its own simplex, seed " + seed);
            }
        }
    }

    static String cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(code).as(e.toString(StandardCharsets.UTF_8)).isZero();
        return o.toString(StandardCharsets.UTF_8);
    }

    static String[] certifyArgs(String fixture, String... more) {
        Path d = FIXTURES.resolve(fixture);
        List<String> a = new ArrayList<>(List.of("certify", "--input", d.resolve("V.csv").toString(), "--w",
                d.resolve("W.csv").toString(), "--h", d.resolve("H.csv").toString(), "--json"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void cliJsonOutputIsValid() throws IOException {
        String[][] runs = {
            certifyArgs("scalar-snmf-c4-centre", "--simplex-sum", "4", "--mode", "exact"),
            certifyArgs("scalar-snmf-c4-centre", "--simplex-sum", "sum"),
            certifyArgs("cone-vs-subspace", "--mode", "exact"),
            certifyArgs("planted-exact-rank2"),
        };
        for (String[] args : runs) {
            JsonNode j = MAPPER.readTree(cli(args));
            assertThat(errors(j)).as(String.join(" ", args)).isEmpty();
        }
    }

    // ---- what is not a v2 certificate is rejected -----------------------------------------------------------------

    /** A certificate with witnesses, intervals at both ends, counts and S-NMF fields (exact mode). */
    static ObjectNode sample() throws IOException {
        Fixture f = fixtures().stream().filter(x -> x.name().equals("scalar-snmf-c4-centre")).findFirst().orElseThrow();
        ObjectNode t = CertificateJson.tree(Certifier.certify(f.v(), f.w(), f.h(), f.options(Mode.EXACT)));
        assertThat(errors(t)).isEmpty();
        assertThat(t.at("/sospPaper/lambdaMin/upperMethod").asText()).isEqualTo("witness");
        assertThat(t.at("/counts").isObject()).isTrue();
        return t;
    }

    /** The sample altered by {@code edit} is rejected, with an error that names {@code where}. */
    static void assertRejected(Consumer<ObjectNode> edit, String where) throws IOException {
        ObjectNode t = sample();
        edit.accept(t);
        List<String> e = errors(t);
        assertThat(e).as(where).isNotEmpty();
        assertThat(String.join("\n", e)).as(where).contains(where);
    }

    @Test
    void rejectsUnknownFields() throws IOException {
        assertRejected(t -> t.put("lambdaMinL", -6.0), "lambdaMinL");
        assertRejected(t -> ((ObjectNode) t.get("fosp")).put("reason", "kept in info now"), "reason");
        assertRejected(t -> ((ObjectNode) t.at("/sospPaper/lambdaMin")).put("estimate", -6.0), "estimate");
        assertRejected(t -> ((ObjectNode) t.at("/provenance/sha256")).put("C", "00"), "C");
    }

    @Test
    void rejectsMissingFields() throws IOException {
        assertRejected(t -> t.remove("objective"), "objective");
        assertRejected(t -> t.remove("info"), "info");
        assertRejected(t -> ((ObjectNode) t.get("fosp")).remove("multiplierExact"), "multiplierExact");
        assertRejected(t -> ((ObjectNode) t.get("tolerances")).remove("maxExactDimension"), "maxExactDimension");
    }

    @Test
    void rejectsWrongEnums() throws IOException {
        assertRejected(t -> ((ObjectNode) t.get("fosp")).put("verdict", "PASSES"), "verdict");
        assertRejected(t -> t.put("mode", "rational"), "mode");
        assertRejected(t -> ((ObjectNode) t.at("/sospCone/lambdaMin")).put("lowerMethod", "lanczos"), "lowerMethod");
        assertRejected(t -> ((ObjectNode) t.at("/sospPaper/witness")).put("set", "T"), "set");
        assertRejected(t -> t.put("tool", "nmf-oracle certificate v1"), "tool");
    }

    @Test
    void rejectsFormatV1Shapes() throws IOException {
        assertRejected(t -> ((ObjectNode) t.get("sospPaper")).put("lambdaMin", -6.0), "lambdaMin");
        assertRejected(t -> ((ObjectNode) t.get("strictModuloSymmetry")).put("mu", -6.0), "mu");
        assertRejected(t -> ((ObjectNode) t.get("counts")).put("support", "2"), "support");
        assertRejected(t -> t.put("indexBase", 1), "indexBase");
    }

    @Test
    void rejectsBrokenConditionalRules() throws IOException {
        // an interval end without its method, and a method without its end
        assertRejected(t -> ((ObjectNode) t.at("/sospPaper/lambdaMin")).putNull("upper"), "upper");
        assertRejected(t -> ((ObjectNode) t.at("/sospPaper/lambdaMin")).put("lowerMethod", "none"), "lower");
        // float budgets in an exact certificate
        assertRejected(t -> ((ObjectNode) t.get("tolerances")).put("firstOrder", 1e-6), "firstOrder");
        // NMF with a simplex sum
        assertRejected(t -> t.put("problem", "NMF"), "C");
        // counts exist only at a FOSP
        assertRejected(t -> ((ObjectNode) t.get("fosp")).put("verdict", "UNDECIDED"), "counts");
        // exact strings and digests
        assertRejected(t -> t.put("CExact", "4.0e"), "CExact");
        assertRejected(t -> ((ObjectNode) t.get("fosp")).put("multiplierExact", 12), "multiplierExact");
        assertRejected(t -> ((ObjectNode) t.at("/provenance/sha256")).put("V", "xyz"), "V");
    }

    @Test
    void infoIsFreeFormButRequired() throws IOException {
        ObjectNode t = sample();
        ((ObjectNode) t.get("info")).put("anything", 1).putArray("more").add("x");
        assertThat(errors(t)).isEmpty();
        t.put("info", "text");
        assertThat(errors(t)).isNotEmpty();
    }
}
