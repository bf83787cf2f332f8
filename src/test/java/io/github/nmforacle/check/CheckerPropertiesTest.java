package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The certifier's certificates pass the independent checker on generated cases (every witness re-checks), and every
 * single alteration of a claim makes the checker reject the certificate.
 */
class CheckerPropertiesTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    record Generated(Case c, CertifyOptions o) {
    }

    static Generated generate(SplittableRandom rnd) {
        int n = 1 + rnd.nextInt(3), m = 1 + rnd.nextInt(3), r = 1 + rnd.nextInt(Math.min(n, m));
        Mode mode = rnd.nextBoolean() ? Mode.EXACT : Mode.FLOAT;
        return switch (rnd.nextInt(5)) {
            case 0 -> new Generated(StationaryPoints.randomPoint(rnd, n, m, r, rnd.nextInt(50)), CertifyOptions.nmf(mode));
            case 1 -> new Generated(StationaryPoints.origin(rnd, n, m, r), CertifyOptions.nmf(mode));
            case 2 -> new Generated(StationaryPoints.blockSaddle(rnd, 1, 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1, 1 + rnd.nextInt(2)),
                    CertifyOptions.nmf(mode));
            case 3 -> new Generated(StationaryPoints.exactFactorization(rnd, n, m, r), CertifyOptions.nmf(mode));
            default -> {
                StationaryPoints.SimplexCase sc = StationaryPoints.plantedMultiplier(rnd, n, m, r, rnd.nextInt(40));
                yield new Generated(sc.point(), CertifyOptions.simplex(ExactNmf.exact(sc.c()), mode));
            }
        };
    }

    static JsonNode certificate(Generated g) throws Exception {
        Certificate cert = Certifier.certify(g.c().v(), g.c().w(), g.c().h(), g.o());
        return MAPPER.readTree(CertificateJson.toJson(cert));
    }

    static Report check(Generated g, JsonNode cert) {
        return Checker.check(g.c().v(), g.c().w(), g.c().h(), cert);
    }

    @Property(tries = 150)
    void everyCertificateOfTheCertifierPassesTheChecker(@ForAll long seed) throws Exception {
        Generated g = generate(new SplittableRandom(seed));
        JsonNode cert = certificate(g);
        String what = g.c().kind() + " " + g.o().mode() + "\n";
        // with --accept-unverified nothing is wrong; by default the only problems are the HOLDS it could not verify
        Report lenient = Checker.check(g.c().v(), g.c().w(), g.c().h(), cert, true);
        assertThat(lenient.problems()).as(what + lenient).isZero();
        Report r = check(g, cert);
        assertThat(r.items()).as(what + r).noneMatch(i -> i.status() == Report.Status.REJECTED);
        for (Report.Item i : lenient.items()) {
            Report.Status expected = i.status() == Report.Status.ACCEPTED_UNVERIFIED ? Report.Status.NOT_VERIFIED : i.status();
            assertThat(r.about(i.subject())).as(what + r).extracting(Report.Item::status).contains(expected);
        }
        assertThat(r.ok()).isEqualTo(lenient.items().stream().noneMatch(i -> i.status() == Report.Status.ACCEPTED_UNVERIFIED));
        // "info" is ignored: rewriting every entry of it changes nothing
        ObjectNode doctored = cert.deepCopy();
        doctored.set("info", MAPPER.readTree("{\"reasons\": {\"fosp\": \"HOLDS\"}, \"estimates\": {\"sospPaper\": {\"lambdaMin\": 1e9}}}"));
        assertThat(check(g, doctored).lines()).as(what).isEqualTo(r.lines());
    }

    @Property(tries = 150)
    void everyAlteredClaimIsRejected(@ForAll long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        Generated g = generate(rnd);
        JsonNode cert = certificate(g);
        List<String> names = new ArrayList<>();
        List<Consumer<ObjectNode>> edits = new ArrayList<>();
        names.add("objective");
        edits.add(c -> c.put("objective", c.get("objective").asDouble() * 1.5 + 1.0));
        names.add("n");
        edits.add(c -> c.put("n", c.get("n").asInt() + 1));
        names.add("fosp verdict");
        edits.add(c -> ((ObjectNode) c.get("fosp")).put("verdict", flip(c.get("fosp").get("verdict").asText())));
        names.add("sospPaper verdict");
        edits.add(c -> ((ObjectNode) c.get("sospPaper")).put("verdict", flip(c.get("sospPaper").get("verdict").asText())));
        if (cert.get("fosp").get("verdict").asText().equals("HOLDS")) {
            names.add("counts");
            edits.add(c -> ((ObjectNode) c.get("counts")).put("support", c.get("counts").get("support").asInt() + 1));
        }
        JsonNode pw = cert.get("sospPaper").get("witness");
        if (pw != null && pw.has("curvatureExact") && !pw.get("curvatureExact").isNull()) {
            names.add("witness curvature");
            edits.add(c -> ((ObjectNode) c.get("sospPaper").get("witness")).put("curvatureExact", "-987654321/7"));
        }
        if (pw != null && pw.has("dW")) {
            names.add("witness direction (doubled: the curvature quadruples)");
            edits.add(c -> {
                for (String f : new String[] {"dW", "dH"}) {
                    for (JsonNode row : c.get("sospPaper").get("witness").get(f)) {
                        ArrayNode a = (ArrayNode) row;
                        for (int j = 0; j < a.size(); j++) {
                            String doubled = Certifier.fraction(Certifier.parseFraction(a.get(j).asText()).multiply(2));
                            a.set(j, MAPPER.getNodeFactory().textNode(doubled));
                        }
                    }
                }
            });
        }
        names.add("provenance digest of H");
        edits.add(c -> ((ObjectNode) c.get("provenance").get("sha256")).put("H", Point.sha256(
                new io.github.nmforacle.linalg.DenseMatrix(1, 1, new double[] {1234.5}))));
        if (!cert.get("fosp").get("verdict").asText().equals("HOLDS")) {
            names.add("counts given while fosp is not HOLDS");
            edits.add(c -> c.set("counts", MAPPER.createObjectNode().put("support", 0).put("stronglyActive", 0)
                    .put("degenerate", 0)));
            names.add("bounds given while fosp is not HOLDS");
            edits.add(c -> ((ObjectNode) c.get("sospPaper").get("lambdaMin")).put("lower", -1e300).put("lowerMethod",
                    "gauss-newton"));
        }
        for (String claim : new String[] {"sospPaper", "sospCone", "strictModuloSymmetry"}) {
            String field = claim.equals("strictModuloSymmetry") ? "mu" : "lambdaMin";
            JsonNode iv = cert.get(claim).get(field);
            if (iv.get("lowerMethod").asText().equals("gauss-newton")) {
                // −2‖R‖_F ≤ 0 always, and = 0 only at R = 0: a positive lower end is never proven by Gauss–Newton
                names.add(claim + " Gauss–Newton lower end raised above −2‖R‖_F");
                edits.add(c -> ((ObjectNode) c.get(claim).get(field)).put("lower", 1.0).putNull("upper").put("upperMethod", "none"));
            }
            if (iv.get("upperMethod").asText().equals("witness")) {
                double u = iv.get("upper").asDouble();
                names.add(claim + " upper end lowered below the witness's Rayleigh quotient");
                edits.add(c -> ((ObjectNode) c.get(claim).get(field)).put("upper", u - Math.abs(u) - 1).putNull("lower")
                        .put("lowerMethod", "none"));
            }
            if (!cert.get(claim).get("verdict").asText().equals("HOLDS") && !(claim.equals("sospCone")
                    && cert.get("sospPaper").get("verdict").asText().equals("HOLDS"))) {
                names.add(claim + " lower end 0 by exact elimination without a HOLDS");
                edits.add(c -> ((ObjectNode) c.get(claim).get(field)).put("lower", 0.0).put("lowerMethod", "exact-elimination")
                        .putNull("upper").put("upperMethod", "none"));
            }
        }
        JsonNode fw = cert.get("fosp").get("witness");
        if (fw != null && !fw.isNull() && fw.get("coordinates").size() > 0) {
            names.add("first-order witness coordinate");
            edits.add(c -> {
                ObjectNode co = (ObjectNode) c.get("fosp").get("witness").get("coordinates").get(0);
                co.put("x", "1234.5");
            });
        }
        for (int i = 0; i < names.size(); i++) {
            ObjectNode copy = cert.deepCopy();
            edits.get(i).accept(copy);
            Report r = check(g, copy);
            assertThat(r.ok()).as("altered " + names.get(i) + " on " + g.c().kind() + " " + g.o().mode() + " was accepted:\n" + r)
                    .isFalse();
        }
    }

    static String flip(String v) {
        return switch (v) {
            case "HOLDS" -> "FAILS";
            case "FAILS" -> "HOLDS";
            default -> "HOLDS";
        };
    }
}
