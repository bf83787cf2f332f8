package io.github.nmforacle.check;

import static io.github.nmforacle.check.CheckerTest.assertOk;
import static io.github.nmforacle.check.CheckerTest.assertRejected;
import static io.github.nmforacle.check.CheckerTest.check;
import static io.github.nmforacle.check.CheckerTest.status;
import static io.github.nmforacle.check.Certs.H12;
import static io.github.nmforacle.check.Certs.HALF;
import static io.github.nmforacle.check.Certs.HALF_W;
import static io.github.nmforacle.check.Certs.ONE;
import static io.github.nmforacle.check.Certs.TWO;
import static io.github.nmforacle.check.Certs.V1;
import static io.github.nmforacle.check.Certs.V12;
import static io.github.nmforacle.check.Certs.W2;
import static io.github.nmforacle.check.Certs.ZERO;
import static io.github.nmforacle.check.Certs.interval;
import static io.github.nmforacle.check.Certs.parse;
import static io.github.nmforacle.check.Certs.with;
import static io.github.nmforacle.check.Certs.without;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.check.Report.Status;
import io.github.nmforacle.linalg.DenseMatrix;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rules of certificate format v2: provenance, indexBase, info, per-mode tolerances, proven intervals. */
class CheckerV2Test {

    // ------------------------------------------------------------------ provenance

    /** The documented digest, computed independently of Point and of the certifier. */
    static String documentedSha256(DenseMatrix a) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + 8 * a.data().length); // big-endian by default
        b.putLong(a.rows()).putLong(a.cols());
        for (double x : a.data()) {
            b.putLong(Double.doubleToRawLongBits(x));
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }

    @Test
    void digestIsSha256OfShapeAndBigEndianBinary64EntriesRowMajor() throws Exception {
        // known answers, from Python: hashlib.sha256(struct.pack('>qq', r, c) + b''.join(struct.pack('>d', x) ...))
        assertThat(Point.sha256(V1)).isEqualTo("2511d5cfb41011e40c901085bf8ba167b1615747d9ac353d54cd37838ebd0484");
        DenseMatrix row = Certs.mat(new double[][] {{0.5, -0.0}});
        DenseMatrix col = Certs.mat(new double[][] {{0.5}, {-0.0}});
        assertThat(Point.sha256(row)).isEqualTo("a2a3164cbdacf61b1ba4f36ac7de7dab49422ddf5b2c3a19137500c233f31b23");
        // the shape is part of it, and −0.0 is not +0.0 (the raw bits)
        assertThat(Point.sha256(col)).isEqualTo("fc14fe1de6b319f5ce0f18739a0493e7213369b3b8d39767b882b5b29146e33c");
        assertThat(Point.sha256(Certs.mat(new double[][] {{1, 2}, {3, 0.25}})))
                .isEqualTo("6ef3e66781243ba6609fbfaaa4323bc08bbc2cb2e42abbedab573e21c808ae41");
        assertThat(Point.sha256(Certs.mat(new double[][] {{0.5, 0.0}}))).isNotEqualTo(Point.sha256(row));
        // the checker's, the certifier's and the documented digest agree (also on large matrices: buffered in chunks)
        SplittableRandom rnd = new SplittableRandom(12);
        for (int[] shape : new int[][] {{1, 1}, {3, 5}, {7, 2}, {100, 90}}) {
            DenseMatrix a = DenseMatrix.zeros(shape[0], shape[1]);
            for (int i = 0; i < a.data().length; i++) {
                a.data()[i] = rnd.nextInt(4) == 0 ? 0 : Math.scalb(rnd.nextDouble(), rnd.nextInt(-1000, 1000));
            }
            assertThat(Point.sha256(a)).isEqualTo(documentedSha256(a));
            assertThat(io.github.nmforacle.certify.Certificate.Provenance.sha256(a)).isEqualTo(documentedSha256(a));
        }
    }

    @Test
    void aWrongDigestIsRejected() {
        JsonNode cert = parse(Certs.SADDLE);
        String w = cert.at("/provenance/sha256/W").asText();
        String flipped = (w.charAt(0) == '0' ? "1" : "0") + w.substring(1);
        Report r = check(V1, ZERO, ZERO, with(cert, "/provenance/sha256/W", flipped));
        assertRejected(r, "provenance", "provenance.sha256 of W does not match");
        // the claims are still checked, and each stands or falls on its own
        assertThat(status(r, "fosp")).isEqualTo(Status.VERIFIED);
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/provenance/sha256/V", w.toUpperCase(java.util.Locale.ROOT))),
                "provenance", "of V does not match");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/provenance/sha256/H", null)), "provenance", "sha256.H is missing");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/provenance", null)), "provenance", "provenance is missing");
        assertRejected(check(V1, ZERO, ZERO, without(cert, "/provenance/sha256/H")), "fields", "missing field provenance.sha256.H");
        // the same certificate for other matrices of the same shape: the digests name the wrong ones
        Report other = check(V1, ONE, ZERO, cert);
        assertRejected(other, "provenance", "of W does not match");
        assertThat(other.about("provenance")).hasSize(1);
    }

    @Test
    void provenanceVersionAndOptionsAreIgnored() {
        JsonNode cert = with(with(parse(Certs.MINIMUM), "/provenance/version", "some other tool 9.9"),
                "/provenance/options", parse("{\"mode\": \"float\", \"seed\": 42}"));
        Report r = check(V1, W2, HALF, cert);
        assertOk(r);
        assertThat(r.about("info").get(0).message()).contains("provenance.version and provenance.options", "not read");
        assertRejected(check(V1, W2, HALF, with(cert, "/provenance/options", "x")), "fields", "options is not an object");
    }

    // ------------------------------------------------------------------ structure

    @Test
    void indexBaseMustBeZero() {
        for (Object bad : new Object[] {1, "0", 0.5, -1}) {
            assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/indexBase", bad)), "fields", "indexBase must be 0");
        }
        assertRejected(check(V1, ZERO, ZERO, without(parse(Certs.SADDLE), "/indexBase")), "fields", "indexBase");
    }

    @Test
    void infoIsIgnoredAndTheReportSaysSo() {
        JsonNode base = parse(Certs.NOT_STATIONARY);
        Report r0 = check(V1, ONE, ZERO, base);
        assertOk(r0);
        assertThat(status(r0, "info")).isEqualTo(Status.NOT_RECHECKED);
        assertThat(r0.about("info").get(0).message()).contains("ignored");
        // a changed, added or emptied info entry changes nothing in the report
        for (JsonNode changed : List.of(with(base, "/info/reasons/fosp", "HOLDS, trust me"),
                with(base, "/info/estimates", parse("{\"sospPaper\": {\"lambdaMin\": 1e300}}")),
                with(base, "/info", parse("{}")),
                with(base, "/info/notes", List.of("the point is a strict minimum")))) {
            Report r = check(V1, ONE, ZERO, changed);
            assertOk(r);
            assertThat(r.lines()).isEqualTo(r0.lines());
        }
        // but it must be an object and it must be there
        assertRejected(check(V1, ONE, ZERO, with(base, "/info", 5)), "fields", "info is not an object");
        assertRejected(check(V1, ONE, ZERO, without(base, "/info")), "fields", "missing field info");
    }

    @Test
    void tolerancesHaveTheFieldsOfTheirMode() {
        // exact mode: the budgets only
        JsonNode exact = parse(Certs.SADDLE);
        assertRejected(check(V1, ZERO, ZERO, with(exact, "/tolerances/firstOrder", 1e-6)), "fields",
                "unknown field tolerances.(exact mode: the budgets only) firstOrder");
        assertRejected(check(V1, ZERO, ZERO, without(exact, "/tolerances/maxExactDimension")), "fields",
                "missing field tolerances.(exact mode: the budgets only) maxExactDimension");
        assertRejected(check(V1, ZERO, ZERO, with(exact, "/tolerances/maxDegenerate", -1)), "tolerances",
                "tolerances.maxDegenerate is negative");
        // float NMF: no sum
        JsonNode fl = parse(Certs.MINIMUM_FLOAT);
        assertRejected(check(V1, W2, HALF, with(fl, "/tolerances/sum", 1e-9)), "fields", "unknown field tolerances.sum");
        assertRejected(check(V1, W2, HALF, with(fl, "/tolerances/maxDegenerate", 12)), "fields",
                "unknown field tolerances.maxDegenerate");
        assertRejected(check(V1, W2, HALF, without(fl, "/tolerances/maxDenseDimension")), "fields",
                "missing field tolerances.maxDenseDimension");
        assertRejected(check(V1, W2, HALF, with(fl, "/tolerances/secondOrder", 0.0)), "tolerances", "secondOrder = 0.0");
        // float S-NMF: with sum
        JsonNode snmf = parse(Certs.SIMPLEX_CORNER_FLOAT_PAIR);
        assertOk(check(V1, ONE, ZERO, snmf));
        assertRejected(check(V1, ONE, ZERO, without(snmf, "/tolerances/sum")), "fields", "missing field tolerances.sum");
        assertRejected(check(V1, ONE, ZERO, with(snmf, "/tolerances/sum", 1.5)), "tolerances", "sum = 1.5");
    }

    // ------------------------------------------------------------------ curvature intervals, exact mode

    @Test
    void aLowerEndAboveMinusTwiceTheResidualNormIsRejected() {
        // SADDLE: −2‖R‖_F = −2 exactly; −2 itself passes (exactly: ℓ ≤ 0, ℓ² ≥ 4F)
        JsonNode cert = parse(Certs.SADDLE);
        double above = Math.nextUp(-2.0);
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/sospPaper/lambdaMin", interval(above, "gauss-newton", null, null))),
                "sospPaper.lambdaMin", "exactly: ℓ² < 4F");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/sospCone/lambdaMin", interval(0.0, "gauss-newton", null, null))), "sospCone.lambdaMin",
                "is smaller");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/strictModuloSymmetry/mu", interval(-1.0, "gauss-newton", null, null))), "strictModuloSymmetry.mu",
                "is smaller");
        // SIMPLEX_SADDLE: −2‖R‖_F = −6
        assertRejected(check(V1, TWO, TWO, with(parse(Certs.SIMPLEX_SADDLE), "/strictModuloSymmetry/mu/lower", -5.5)),
                "strictModuloSymmetry.mu", "lower = -5.5");
        // at R = 0 the lower end 0 is exact, and anything above it is not
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM_FLOAT), "/sospPaper/lambdaMin/lower", Double.MIN_VALUE)),
                "sospPaper.lambdaMin", "is smaller");
    }

    @Test
    void aWeakerLowerEndIsAcceptedAndSaidWeaker() {
        Report r = check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/sospPaper/lambdaMin/lower", -3.0));
        assertOk(r);
        assertThat(r.about("sospPaper.lambdaMin").get(0).message()).contains("weaker than the checker's");
        // the tight one is not said weaker
        assertThat(check(V1, ZERO, ZERO, parse(Certs.SADDLE)).about("sospPaper.lambdaMin").get(0).message())
                .doesNotContain("weaker");
        // a Gauss–Newton end where exact elimination proves 0: weaker, accepted
        Report m = check(V1, TWO, TWO, with(parse(Certs.SIMPLEX_SADDLE), "/strictModuloSymmetry/mu/lower", -100.0));
        assertOk(m);
        assertThat(m.about("strictModuloSymmetry.mu").get(0).message()).contains("weaker");
        Report g = check(V12, HALF_W, H12, with(parse(Certs.SIMPLEX_ACTIVE), "/sospPaper/lambdaMin",
                interval(-1.5, "gauss-newton", null, null)));
        assertOk(g);
        // and no lower end at all
        Report none = check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/sospCone/lambdaMin", interval(null, null, -2.0,
                "witness")));
        assertOk(none);
        assertThat(none.about("sospCone.lambdaMin").get(0).message()).contains("lower: none (weaker");
    }

    @Test
    void anUpperEndBelowTheWitnessRayleighQuotientIsRejected() {
        // SADDLE: d = (1, 1), q = −4, ‖d‖² = 2: the Rayleigh quotient is −2 (not the curvature −4)
        JsonNode cert = parse(Certs.SADDLE);
        Report r = check(V1, ZERO, ZERO, with(with(cert, "/sospPaper/lambdaMin/upper", -4.0), "/sospPaper/lambdaMin/lower",
                -4.0));
        assertRejected(r, "sospPaper.lambdaMin", "upper = -4.0 but the witness's Rayleigh quotient is -2 (exact), larger");
        assertRejected(check(V1, ZERO, ZERO, with(with(cert, "/strictModuloSymmetry/mu/upper", Math.nextDown(-2.0)),
                "/strictModuloSymmetry/mu/lower", -3.0)), "strictModuloSymmetry.mu", "larger");
        // a weaker upper end is accepted and said weaker
        Report w = check(V1, ZERO, ZERO, with(cert, "/sospCone/lambdaMin/upper", -1.0));
        assertOk(w);
        assertThat(w.about("sospCone.lambdaMin").get(0).message()).contains("weaker than the witness's Rayleigh quotient -2");
        // no upper end although there is a witness: weaker, said
        Report n = check(V1, ZERO, ZERO, with(cert, "/sospPaper/lambdaMin", interval(-2.0, "gauss-newton", null, null)));
        assertOk(n);
        assertThat(n.about("sospPaper.lambdaMin").get(0).message()).contains("upper: none (weaker");
        // SIMPLEX_SADDLE: q(1, −1) = −12, ‖d‖² = 2, Rayleigh quotient −6
        assertRejected(check(V1, TWO, TWO, with(with(parse(Certs.SIMPLEX_SADDLE), "/sospPaper/lambdaMin/upper", -12.0),
                "/sospPaper/lambdaMin/lower", -12.0)), "sospPaper.lambdaMin", "Rayleigh quotient is -6 (exact)");
    }

    @Test
    void anUpperEndNeedsAVerifiedWitnessOfTheClaim() {
        // MINIMUM has no witnesses: an upper end "by witness" rests on nothing
        JsonNode cert = with(parse(Certs.MINIMUM), "/sospPaper/lambdaMin", interval(0.0, "exact-elimination", 1.0, "witness"));
        assertRejected(check(V1, W2, HALF, cert), "sospPaper.lambdaMin", "no verified direction witness");
        // a witness that is rejected does not carry the upper end either
        JsonNode bad = with(parse(Certs.SADDLE), "/sospPaper/witness/curvatureExact", "-5");
        Report r = check(V1, ZERO, ZERO, bad);
        assertRejected(r, "sospPaper", "curvatureExact = -5");
        assertRejected(r, "sospPaper.lambdaMin", "no verified direction witness");
        // another claim's witness does not count: sospCone's upper end with sospCone UNDECIDED (its witness gone)
        JsonNode cone = with(with(parse(Certs.SADDLE), "/sospCone/verdict", "UNDECIDED"), "/sospCone/witness", null);
        assertRejected(check(V1, ZERO, ZERO, cone), "sospCone.lambdaMin", "sospCone has no verified direction witness");
    }

    @Test
    void anExactEliminationLowerEndNeedsAVerifiedExactHolds() {
        JsonNode saddle = parse(Certs.SADDLE);
        JsonNode zero = interval(0.0, "exact-elimination", null, null);
        // at a FAILS
        assertRejected(check(V1, ZERO, ZERO, with(saddle, "/sospPaper/lambdaMin", zero)), "sospPaper.lambdaMin",
                "needs a HOLDS (sospPaper is FAILS)");
        // at an UNDECIDED (the checker itself finds FAILS)
        JsonNode und = with(with(saddle, "/sospPaper/verdict", "UNDECIDED"), "/sospPaper/witness", null);
        assertRejected(check(V1, ZERO, ZERO, with(und, "/sospPaper/lambdaMin", zero)), "sospPaper.lambdaMin", "needs a HOLDS");
        // not 0
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM), "/sospPaper/lambdaMin/lower", -1.0)),
                "sospPaper.lambdaMin", "must be 0");
        // the cone may rest on sospPaper HOLDS (K ⊆ L) when its own verdict is UNDECIDED
        JsonNode cone = with(parse(Certs.MINIMUM), "/sospCone/verdict", "UNDECIDED");
        Report r = check(V1, W2, HALF, cone);
        assertOk(r);
        assertThat(r.about("sospCone.lambdaMin").get(0).message()).contains("sospPaper (K ⊆ L)");
        assertThat(r.about("sospCone").get(0).message()).contains("weaker than the checker's own finding HOLDS");
        // but strictness may not rest on sospPaper
        JsonNode strict = with(parse(Certs.MINIMUM), "/strictModuloSymmetry/verdict", "UNDECIDED");
        assertRejected(check(V1, W2, HALF, strict), "strictModuloSymmetry.mu", "needs a HOLDS");
    }

    @Test
    void intervalShapeRules() {
        JsonNode cert = parse(Certs.SADDLE);
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/sospPaper/lambdaMin/lowerMethod", "none")), "sospPaper.lambdaMin",
                "an end is null exactly when its method is none");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/sospPaper/lambdaMin/upper", null)), "sospPaper.lambdaMin",
                "an end is null exactly when its method is none");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/sospPaper/lambdaMin/lowerMethod", "lanczos")), "sospPaper.lambdaMin",
                "lowerMethod is 'lanczos'");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/sospPaper/lambdaMin/upperMethod", "gauss-newton")),
                "sospPaper.lambdaMin", "upperMethod is 'gauss-newton'");
        assertRejected(check(V1, ZERO, ZERO, with(with(cert, "/sospPaper/lambdaMin/lower", -1.0), "/sospPaper/lambdaMin/upper",
                -1.5)), "sospPaper.lambdaMin", "lower = -1.0 > upper = -1.5");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/sospPaper/lambdaMin/estimate", -2.0)), "fields",
                "unknown field sospPaper.lambdaMin.estimate");
        assertRejected(check(V1, ZERO, ZERO, with(cert, "/strictModuloSymmetry/mu/lower", "-2")), "strictModuloSymmetry.mu",
                "is not a number");
    }

    @Test
    void boundsGivenWhileFospIsNotHoldsAreRejected() {
        JsonNode cert = parse(Certs.NOT_STATIONARY);
        assertRejected(check(V1, ONE, ZERO, with(cert, "/sospCone/lambdaMin", interval(-2.0, "gauss-newton", null, null))),
                "sospCone.lambdaMin", "L is defined only at a first-order point (fosp is FAILS)");
        assertRejected(check(V1, ONE, ZERO, with(cert, "/strictModuloSymmetry/mu", interval(null, null, 1.0, "witness"))),
                "strictModuloSymmetry.mu", "fosp is FAILS");
        JsonNode und = CheckerTest.undecided(cert);
        assertRejected(check(V1, ONE, ZERO, with(und, "/sospPaper/lambdaMin", interval(-2.0, "gauss-newton", null, null))),
                "sospPaper.lambdaMin", "fosp is UNDECIDED");
        JsonNode fl = parse(Certs.NOT_STATIONARY_FLOAT);
        assertRejected(check(V1, ONE, ZERO, with(fl, "/sospPaper/lambdaMin", interval(-2.0, "gauss-newton", null, null))),
                "sospPaper.lambdaMin", "fosp is FAILS");
    }

    /**
     * The checker works at its power-of-two normalised point but compares interval ends in the input's units. The
     * float saddle at V = [[2^-500]], W = H = [[0]]: −2‖R‖_F = −2^-499, and the witness d = (1, 1) has q = −4·2^-500,
     * Rayleigh quotient −2^-499; η = 4·2^-500, F = 2^-1000. An end written in the normalised units (−2) is off by 2^499.
     */
    @Test
    void intervalEndsAreComparedInTheInputsUnits() {
        double t = 0x1p-499;
        DenseMatrix v = Certs.mat(new double[][] {{0x1p-500}});
        JsonNode cert = Certs.withDigests(parse(Certs.toFloat(Certs.SADDLE)), v, ZERO, ZERO);
        cert = with(with(cert, "/objective", 0x1p-1000), "/scales/hessian", 0x1p-498);
        for (String claim : new String[] {"sospPaper", "sospCone", "strictModuloSymmetry"}) {
            cert = with(with(with(cert, "/" + claim + "/witness/curvature", -0x1p-498), "/" + claim + "/witness/curvatureExact",
                    null), "/" + claim + (claim.startsWith("strict") ? "/mu" : "/lambdaMin"), interval(-1.25 * t, "gauss-newton",
                    -0.75 * t, "witness"));
        }
        for (Checker checker : new Checker[] {new Checker(Checker.EXACT_LIMIT, Checker.MAX_REDUCED_DIMENSION,
                Checker.MAX_DEGENERATE), new Checker(0, Checker.MAX_REDUCED_DIMENSION, Checker.MAX_DEGENERATE)}) {
            String how = checker.exactLimit == 0 ? "rigorous rounding bounds" : "exactly";
            Report r = checker.run(v, ZERO, ZERO, cert);
            // (below the exact limit the checker cannot decide orthogonality to T, so strictness is not verified there)
            assertThat(r.items().stream().filter(Report.Item::problem).map(Report.Item::subject)).as(r.toString())
                    .isSubsetOf("strictModuloSymmetry", "strictModuloSymmetry.mu");
            assertThat(r.ok()).as(r.toString()).isEqualTo(checker.exactLimit > 0);
            for (String s : List.of("sospPaper.lambdaMin", "sospCone.lambdaMin")) {
                assertThat(status(r, s)).as(r.toString()).isEqualTo(Status.VERIFIED);
                assertThat(r.about(s).get(0).message()).as(r.toString()).contains(how);
            }
            assertRejected(checker.run(v, ZERO, ZERO, with(cert, "/sospPaper/lambdaMin/lower", -0.75 * t)), "sospPaper.lambdaMin",
                    "is smaller");
            assertRejected(checker.run(v, ZERO, ZERO, with(cert, "/sospCone/lambdaMin/upper", -1.0 * 0x1.4p-499)),
                    "sospCone.lambdaMin", "larger");
            // the normalised point's numbers: a (weaker) lower end −2, an upper end −2 far below the Rayleigh quotient
            Report weak = checker.run(v, ZERO, ZERO, with(cert, "/sospCone/lambdaMin/lower", -2.0));
            assertThat(status(weak, "sospCone.lambdaMin")).as(weak.toString()).isEqualTo(Status.VERIFIED);
            assertThat(weak.about("sospCone.lambdaMin").get(0).message()).contains("weaker");
            assertRejected(checker.run(v, ZERO, ZERO, with(with(cert, "/sospPaper/lambdaMin/upper", -2.0),
                    "/sospPaper/lambdaMin/lower", -2.0)), "sospPaper.lambdaMin", "larger");
        }
    }

    // ------------------------------------------------------------------ verdicts

    @Test
    void aHoldsWithAWitnessIsRejected() {
        JsonNode w = parse(Certs.SADDLE).at("/sospPaper/witness");
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM), "/sospPaper/witness", w)), "sospPaper",
                "HOLDS with a witness");
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM_FLOAT), "/sospCone/witness", w)), "sospCone",
                "HOLDS with a witness");
    }

    @Test
    void undecidedIsAcceptedAndSaidWeakerWhenTheCheckerDecides() {
        // fosp UNDECIDED at a point the checker finds not first-order (exactly and in float)
        JsonNode fosp = CheckerTest.undecided(parse(Certs.NOT_STATIONARY));
        Report r = check(V1, ONE, ZERO, fosp);
        assertOk(r);
        assertThat(status(r, "fosp")).isEqualTo(Status.NOT_RECHECKED);
        assertThat(r.about("fosp").get(0).message()).contains("claims nothing", "weaker than the checker's own finding FAILS");
        JsonNode fl = CheckerTest.undecided(parse(Certs.NOT_STATIONARY_FLOAT));
        assertThat(check(V1, ONE, ZERO, fl).about("fosp").get(0).message()).contains("finding FAILS");
        // a float sospPaper UNDECIDED the Gauss–Newton bound proves
        JsonNode paper = with(parse(Certs.MINIMUM_FLOAT), "/sospPaper/verdict", "UNDECIDED");
        Report p = check(V1, W2, HALF, paper);
        assertThat(status(p, "sospPaper")).isEqualTo(Status.NOT_RECHECKED);
        assertThat(p.about("sospPaper").get(0).message()).contains("weaker than the checker's own finding HOLDS");
        // and one it cannot decide
        JsonNode cannot = with(parse(Certs.SIMPLEX_ACTIVE_FLOAT), "/sospPaper/verdict", "UNDECIDED");
        Report c = check(V12, HALF_W, H12, cannot);
        assertThat(c.about("sospPaper").get(0).message()).contains("claims nothing").doesNotContain("weaker");
    }
}
