package io.github.nmforacle.check;

import static io.github.nmforacle.check.Certs.HALF;
import static io.github.nmforacle.check.Certs.H12;
import static io.github.nmforacle.check.Certs.ONE;
import static io.github.nmforacle.check.Certs.V1;
import static io.github.nmforacle.check.Certs.V12;
import static io.github.nmforacle.check.Certs.W2;
import static io.github.nmforacle.check.Certs.ZERO;
import static io.github.nmforacle.check.Certs.parse;
import static io.github.nmforacle.check.Certs.with;
import static io.github.nmforacle.check.Certs.withDigests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.check.Report.Status;
import io.github.nmforacle.linalg.DenseMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Correct certificates pass; each doctored variant is rejected with the reason. */
class CheckerTest {
    static final DenseMatrix HALF_W = Certs.HALF_W;
    static final DenseMatrix TWO = Certs.TWO;

    static Report check(DenseMatrix v, DenseMatrix w, DenseMatrix h, JsonNode cert) {
        return Checker.check(v, w, h, cert);
    }

    static void assertOk(Report r) {
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.lastLine()).isEqualTo("check: OK");
        assertThat(r.exitCode()).isZero();
    }

    /** Not OK by default only because of HOLDS the checker cannot verify: each named NOT VERIFIED, nothing rejected. */
    static void assertOnlyUnverifiedHolds(Report r, String... subjects) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.lastLine()).as(r.toString()).isEqualTo("check: NOT VERIFIED (" + subjects.length
                + (subjects.length == 1 ? " problem)" : " problems)"));
        assertThat(r.items().stream().filter(Report.Item::problem).map(Report.Item::subject))
                .containsExactlyInAnyOrder(subjects);
        for (String s : subjects) {
            assertThat(status(r, s)).isEqualTo(Status.NOT_VERIFIED);
            assertThat(r.about(s).get(0).message()).contains("cannot verify this HOLDS");
        }
    }

    /** The same certificate with --accept-unverified: OK, with the unverified HOLDS listed and counted. */
    static void assertAcceptedUnverified(Report r, String... subjects) {
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.lastLine()).isEqualTo("check: OK, with " + subjects.length + (subjects.length == 1 ? " claim" : " claims")
                + " accepted UNVERIFIED (--accept-unverified)");
        for (String s : subjects) {
            assertThat(status(r, s)).isEqualTo(Status.ACCEPTED_UNVERIFIED);
        }
    }

    static Report checkAccepting(DenseMatrix v, DenseMatrix w, DenseMatrix h, JsonNode cert) {
        return Checker.check(v, w, h, cert, true);
    }

    /** Rejected, with the subject's line containing the given text. */
    static void assertRejected(Report r, String subject, String text) {
        assertThat(r.ok()).as(r.toString()).isFalse();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.lastLine()).as(r.toString()).startsWith("check: REJECTED (");
        assertThat(r.about(subject)).as(r.toString()).anySatisfy(i -> {
            assertThat(i.status()).isEqualTo(Status.REJECTED);
            assertThat(i.message()).contains(text);
        });
    }

    /** The certificate with every verdict UNDECIDED and no witnesses (it claims nothing). */
    static JsonNode undecided(JsonNode cert) {
        JsonNode c = cert;
        for (String claim : new String[] {"fosp", "sospPaper", "sospCone", "strictModuloSymmetry"}) {
            c = with(with(c, "/" + claim + "/verdict", "UNDECIDED"), "/" + claim + "/witness", null);
        }
        return c;
    }

    static Status status(Report r, String subject) {
        List<Report.Item> items = r.about(subject);
        assertThat(items).as(r.toString()).hasSize(1);
        return items.get(0).status();
    }

    // ------------------------------------------------------------------ correct certificates

    @Test
    void saddleAtZeroVerifies() {
        Report r = check(V1, ZERO, ZERO, parse(Certs.SADDLE));
        assertOk(r);
        for (String s : List.of("structure", "fields", "provenance", "scales", "objective", "fosp", "counts", "sospPaper",
                "sospCone", "strictModuloSymmetry", "sospPaper.lambdaMin", "sospCone.lambdaMin", "strictModuloSymmetry.mu")) {
            assertThat(status(r, s)).as(s + "\n" + r).isEqualTo(Status.VERIFIED);
        }
        assertThat(r.about("sospPaper").get(0).message()).contains("-4 (exact)");
        // λ_min ∈ [−2‖R‖_F, q(d)/‖d‖²] = [−2, −2], both ends decided exactly
        assertThat(r.about("sospPaper.lambdaMin").get(0).message()).contains("≤ −2‖R‖_F, exactly", "of the witness, exactly");
        assertThat(status(r, "info")).isEqualTo(Status.NOT_RECHECKED);
        assertThat(r.lines().get(r.lines().size() - 1)).isEqualTo("check: OK");
    }

    /** Found by the property test: at V = W = H = 0 the η formula gives 0 and the certifier's floor η = 1 must pass. */
    @Test
    void zeroDataAtTheOriginPassesWithTheCertifierFloors() throws Exception {
        for (var mode : io.github.nmforacle.certify.Mode.values()) {
            var cert = io.github.nmforacle.certify.Certifier.certify(ZERO, ZERO, ZERO, io.github.nmforacle.certify.CertifyOptions.nmf(mode));
            assertThat(cert.scales().hessian()).isEqualTo(1.0);
            JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(io.github.nmforacle.io.CertificateJson.toJson(cert));
            Report r = checkAccepting(ZERO, ZERO, ZERO, json);
            assertThat(r.ok()).as(r.toString()).isTrue();
            assertThat(r.items()).noneMatch(Report.Item::problem);
            assertThat(status(r, "scales")).as(r.toString()).isEqualTo(Status.VERIFIED);
            assertThat(check(ZERO, ZERO, ZERO, json).items()).noneMatch(i -> i.status() == Status.REJECTED);
        }
    }

    @Test
    void exactMinimumVerifiesEverySecondOrderHoldsByElimination() {
        Report r = check(V1, W2, HALF, parse(Certs.MINIMUM));
        assertOk(r);
        assertThat(status(r, "sospPaper")).isEqualTo(Status.VERIFIED);
        assertThat(status(r, "sospCone")).isEqualTo(Status.VERIFIED);
        assertThat(status(r, "strictModuloSymmetry")).isEqualTo(Status.VERIFIED);
        assertThat(r.about("strictModuloSymmetry").get(0).message()).contains("positive definite", "reduced dimension 1");
    }

    @Test
    void floatSecondOrderHoldsIsNotVerifiedUnlessAcceptedExplicitly() {
        // issue 12: the checker must not print OK over a float HOLDS it cannot prove. Where its own rigorous Gauss–Newton
        // bound −2‖R‖_F reaches −secondOrder·η it proves sospPaper and sospCone itself (here R = 0); strictness (μ > 0)
        // needs the symmetry hint behind a bordered Cholesky (issue 13), which this hand-written certificate lacks.
        Report r = check(V1, W2, HALF, parse(Certs.MINIMUM_FLOAT));
        assertThat(status(r, "fosp")).isEqualTo(Status.VERIFIED);
        assertThat(status(r, "counts")).isEqualTo(Status.VERIFIED);
        assertThat(status(r, "sospPaper")).isEqualTo(Status.VERIFIED);
        assertThat(r.about("sospPaper").get(0).message()).contains("Gauss–Newton", "≥ −secondOrder·η");
        assertThat(status(r, "sospCone")).isEqualTo(Status.VERIFIED);
        assertOnlyUnverifiedHolds(r, "strictModuloSymmetry");
        assertThat(r.about("strictModuloSymmetry").get(0).message()).contains("symmetry is absent", "cannot bound μ");
        Report a = checkAccepting(V1, W2, HALF, parse(Certs.MINIMUM_FLOAT));
        assertAcceptedUnverified(a, "strictModuloSymmetry");
        assertThat(a.about("strictModuloSymmetry").get(0).line()).startsWith("strictModuloSymmetry: ACCEPTED UNVERIFIED: ");
        // where −2‖R‖_F = −3/2 does not reach −secondOrder·η (true HOLDS, λ = 3/2 on L), the checker cannot prove them
        Report s = check(V12, HALF_W, H12, parse(Certs.SIMPLEX_ACTIVE_FLOAT));
        assertOnlyUnverifiedHolds(s, "sospPaper", "sospCone");
        assertThat(s.about("sospPaper").get(0).message()).contains("Gauss–Newton bound", "nor its own Cholesky", "reaches −secondOrder·η");
        assertAcceptedUnverified(checkAccepting(V12, HALF_W, H12, parse(Certs.SIMPLEX_ACTIVE_FLOAT)), "sospPaper", "sospCone");
        // the doctored λ_min of the issue, now an interval end: a lower end above −2‖R‖_F is no proof, rejected
        Report edited = check(V12, HALF_W, H12, with(parse(Certs.SIMPLEX_ACTIVE_FLOAT), "/sospPaper/lambdaMin/lower", 5.0));
        assertRejected(edited, "sospPaper.lambdaMin", "lower = 5.0");
        assertThat(edited.exitCode()).isEqualTo(1);
    }

    @Test
    void firstOrderFailureVerifiesAndSecondOrderFollows() {
        Report r = check(V1, ONE, ZERO, parse(Certs.NOT_STATIONARY));
        assertOk(r);
        assertThat(r.about("fosp").get(0).message()).contains("H[0,0]", "-2");
        assertThat(status(r, "sospPaper")).isEqualTo(Status.VERIFIED);
        assertThat(status(r, "sospCone")).isEqualTo(Status.VERIFIED);
        assertThat(status(r, "strictModuloSymmetry")).isEqualTo(Status.NOT_RECHECKED);
    }

    @Test
    void floatFirstOrderFailureVerifies() {
        assertOk(check(V1, ONE, ZERO, parse(Certs.NOT_STATIONARY_FLOAT)));
    }

    @Test
    void simplexWithStronglyActiveCoordinateVerifies() {
        Report r = check(V12, HALF_W, H12, parse(Certs.SIMPLEX_ACTIVE));
        assertOk(r);
        assertThat(r.about("counts").get(0).message()).contains("S = 2, A = 1, D = 0");
        assertThat(status(r, "sospPaper")).isEqualTo(Status.VERIFIED);
    }

    @Test
    void simplexSaddleVerifies() {
        assertOk(check(V1, TWO, TWO, parse(Certs.SIMPLEX_SADDLE)));
    }

    @Test
    void simplexCornerSingleWitnessNeedsAForcedMultiplier() {
        JsonNode cert = parse(Certs.SIMPLEX_CORNER);
        Report ok = check(V1, ONE, ZERO, cert);
        assertOk(ok);
        assertThat(ok.about("fosp").get(0).message()).contains("forced by W[0,0]");
        // c = 1 makes g_H − c = −3 < 0, but no support coordinate has gradient 1: nothing forces c = 1
        JsonNode notForced = with(with(with(cert, "/fosp/multiplierExact", "1"), "/fosp/multiplier", 1.0),
                "/fosp/witness/valueExact", "-3");
        notForced = with(notForced, "/fosp/witness/value", -3.0);
        assertRejected(check(V1, ONE, ZERO, notForced), "fosp", "multiplier-pair");
    }

    @Test
    void floatMultiplierPairVerifies() {
        Report r = check(V1, ONE, ZERO, parse(Certs.SIMPLEX_CORNER_FLOAT_PAIR));
        assertOk(r);
        assertThat(r.about("fosp").get(0).message()).contains("no c fits both W[0,0]", "H[0,0]");
        JsonNode swapped = with(with(parse(Certs.SIMPLEX_CORNER_FLOAT_PAIR), "/fosp/witness/coordinates/0",
                parse(Certs.SIMPLEX_CORNER_FLOAT_PAIR).at("/fosp/witness/coordinates/1")),
                "/fosp/witness/coordinates/1", parse(Certs.SIMPLEX_CORNER_FLOAT_PAIR).at("/fosp/witness/coordinates/0"));
        assertRejected(check(V1, ONE, ZERO, swapped), "fosp", "multiplier-pair");
    }

    @Test
    void zeroCurvatureRefutesStrictnessInExactMode() {
        DenseMatrix v0 = Certs.mat(new double[][] {{0}});
        Report r = check(v0, ZERO, ZERO, parse(Certs.FLAT));
        assertOk(r);
        assertThat(status(r, "sospPaper")).isEqualTo(Status.VERIFIED);
        assertThat(status(r, "sospCone")).isEqualTo(Status.VERIFIED);
        assertThat(r.about("strictModuloSymmetry").get(0).message()).contains("= 0 (exact)");
    }

    // ------------------------------------------------------------------ doctored certificates

    @Test
    void witnessValueChangedIsRejected() {
        JsonNode cert = with(parse(Certs.NOT_STATIONARY), "/fosp/witness/valueExact", "-3");
        assertRejected(check(V1, ONE, ZERO, cert), "fosp", "valueExact = -3");
        JsonNode floatCert = with(parse(Certs.NOT_STATIONARY_FLOAT), "/fosp/witness/value", 0.5);
        assertRejected(check(V1, ONE, ZERO, floatCert), "fosp", "value = 0.5");
    }

    @Test
    void witnessGradientChangedIsRejected() {
        JsonNode cert = with(parse(Certs.NOT_STATIONARY), "/fosp/witness/coordinates/0/gradientExact", "-5/2");
        assertRejected(check(V1, ONE, ZERO, cert), "fosp", "gradientExact = -5/2");
    }

    @Test
    void witnessMovedToANonViolatingCoordinateIsRejected() {
        JsonNode base = parse(Certs.NOT_STATIONARY);
        JsonNode cert = with(base, "/fosp/witness/coordinates/0",
                parse("{\"factor\": \"W\", \"row\": 0, \"col\": 0, \"x\": \"1\", \"gradient\": 0.0, \"gradientExact\": \"0\"}"));
        assertRejected(check(V1, ONE, ZERO, cert), "fosp", "not a zero coordinate");
        // the same coordinate with x claimed to be 0, to pretend it is active: the file says 1
        JsonNode lying = with(base, "/fosp/witness/coordinates/0",
                parse("{\"factor\": \"W\", \"row\": 0, \"col\": 0, \"x\": \"0\", \"gradient\": 0.0, \"gradientExact\": \"0\"}"));
        assertRejected(check(V1, ONE, ZERO, lying), "fosp", "in the file");
        // indices are 0-based: v1's 1-based (1, 1) is outside the 1×1 factors, as is −1
        JsonNode outside = with(base, "/fosp/witness/coordinates/0/row", 1);
        assertRejected(check(V1, ONE, ZERO, outside), "fosp", "is not an entry");
        assertRejected(check(V1, ONE, ZERO, with(base, "/fosp/witness/coordinates/0/col", 1)), "fosp", "is not an entry");
        assertRejected(check(V1, ONE, ZERO, with(base, "/fosp/witness/coordinates/0/row", -1)), "fosp", "is not an entry");
    }

    @Test
    void firstOrderWitnessOnAStationaryPointIsRejected() {
        // W = 2, H = 0.5 is a FOSP: claiming FAILS with the support-gradient of W must be rejected
        JsonNode cert = with(parse(Certs.MINIMUM), "/fosp", parse("""
                {"verdict": "FAILS", "residual": 0.0, "multiplier": null, "multiplierExact": null, "sum": null,
                 "witness": {"kind": "support-gradient", "coordinates": [{"factor": "W", "row": 0, "col": 0,
                 "x": "2", "gradient": 0.0, "gradientExact": "0"}], "value": 0.0, "valueExact": "0"}}"""));
        Report r = check(V1, W2, HALF, cert);
        assertRejected(r, "fosp", "not a support coordinate with ∂F ≠ c");
        // and the second-order HOLDS claims now stand on a FAILS first order
        assertRejected(r, "sospPaper", "HOLDS although fosp is FAILS");
    }

    @Test
    void secondOrderHoldsWithFirstOrderFailsIsRejected() {
        JsonNode cert = with(parse(Certs.NOT_STATIONARY), "/sospPaper",
                parse("{\"verdict\": \"HOLDS\", \"lambdaMin\": " + Certs.NO_BOUNDS + ", \"witness\": null}"));
        assertRejected(check(V1, ONE, ZERO, cert), "sospPaper", "HOLDS although fosp is FAILS");
        JsonNode strict = with(parse(Certs.NOT_STATIONARY), "/strictModuloSymmetry/verdict", "HOLDS");
        assertRejected(check(V1, ONE, ZERO, strict), "strictModuloSymmetry", "HOLDS although fosp is FAILS");
    }

    @Test
    void firstOrderWitnessForSecondOrderNeedsFirstOrderFails() {
        JsonNode fw = parse(Certs.NOT_STATIONARY).at("/fosp/witness");
        JsonNode cert = with(parse(Certs.SADDLE), "/sospPaper/witness", fw);
        assertRejected(check(V1, ZERO, ZERO, cert), "sospPaper", "first-order witness, but fosp is HOLDS");
    }

    @Test
    void curvatureChangedIsRejected() {
        JsonNode cert = with(parse(Certs.SADDLE), "/sospPaper/witness/curvatureExact", "-5");
        assertRejected(check(V1, ZERO, ZERO, cert), "sospPaper", "curvatureExact = -5");
        JsonNode dbl = with(parse(Certs.SADDLE), "/sospPaper/witness/curvature", -4.5);
        assertRejected(check(V1, ZERO, ZERO, dbl), "sospPaper", "curvature = -4.5");
    }

    @Test
    void directionWithNonNegativeCurvatureIsRejected() {
        // d = (1, −1): q = −4·(1)(−1) = 4 > 0, with the honest curvature
        JsonNode cert = with(with(with(parse(Certs.SADDLE), "/sospPaper/witness/dH/0/0", "-1"),
                "/sospPaper/witness/curvatureExact", "4"), "/sospPaper/witness/curvature", 4.0);
        assertRejected(check(V1, ZERO, ZERO, cert), "sospPaper", "not negative");
    }

    @Test
    void directionOutsideTheConeIsRejected() {
        // d = (1, −1) has a negative entry on a degenerate coordinate: in L but not in K
        JsonNode cert = with(with(with(parse(Certs.SADDLE), "/sospCone/witness/dH/0/0", "-1"),
                "/sospCone/witness/curvatureExact", "4"), "/sospCone/witness/curvature", 4.0);
        assertRejected(check(V1, ZERO, ZERO, cert), "sospCone", "is degenerate but d = -1 < 0");
        JsonNode l0 = with(parse(Certs.SADDLE), "/sospCone/witness/set", "L0");
        assertRejected(check(V1, ZERO, ZERO, l0), "sospCone", "is degenerate but d = 1 ≠ 0");
        JsonNode wrongSet = with(parse(Certs.SADDLE), "/sospPaper/witness/set", "K");
        assertRejected(check(V1, ZERO, ZERO, wrongSet), "sospPaper", "expected one of [L]");
    }

    @Test
    void directionOnAStronglyActiveCoordinateIsRejected() {
        // S-NMF point with A = {H(1,2)}: d = (1, 0, −1) sums to 0 but moves H(1,2)
        JsonNode cert = with(parse(Certs.SIMPLEX_ACTIVE), "/sospPaper", parse("""
                {"verdict": "FAILS",
                 "lambdaMin": {"lower": -1.5, "lowerMethod": "gauss-newton", "upper": -0.5, "upperMethod": "witness"},
                 "witness": {"set": "L", "curvature": -1.0, "curvatureExact": "-1", "dW": [["1"]], "dH": [["0", "-1"]]}}"""));
        Report r = check(V12, HALF_W, H12, cert);
        assertRejected(r, "sospPaper", "H[0,1] is strongly active");
        // and the upper end rests on that witness, so it has none to rest on
        assertRejected(r, "sospPaper.lambdaMin", "no verified direction witness");
    }

    @Test
    void directionWithNonZeroSumIsRejectedForSimplex() {
        // d = (1, 1) at the S-NMF saddle: q = 2(2 + 2)² − 4(−3) = 44, and Σd = 2 ≠ 0
        JsonNode cert = with(with(with(parse(Certs.SIMPLEX_SADDLE), "/sospPaper/witness/dH/0/0", "1"),
                "/sospPaper/witness/curvatureExact", "44"), "/sospPaper/witness/curvature", 44.0);
        assertRejected(check(V1, TWO, TWO, cert), "sospPaper", "Σd = 2 ≠ 0");
        // the same with a negative-looking curvature claim
        JsonNode lie = with(with(cert, "/sospPaper/witness/curvatureExact", "-12"), "/sospPaper/witness/curvature", -12.0);
        assertRejected(check(V1, TWO, TWO, lie), "sospPaper", "Σd = 2 ≠ 0");
    }

    @Test
    void zeroDirectionIsRejected() {
        JsonNode cert = with(with(with(parse(Certs.FLAT), "/strictModuloSymmetry/witness/dW/0/0", "0"),
                "/strictModuloSymmetry/witness/curvatureExact", "0"), "/strictModuloSymmetry/witness/curvature", 0.0);
        assertRejected(check(Certs.mat(new double[][] {{0}}), ZERO, ZERO, cert), "strictModuloSymmetry", "zero");
    }

    @Test
    void strictWitnessAlongTheSymmetryIsRejected() {
        // at W = 2, H = 0.5 the symmetry direction s = (2, −1/2) has curvature 0; it is in L but says nothing
        JsonNode cert = with(parse(Certs.MINIMUM), "/strictModuloSymmetry", parse("""
                {"verdict": "FAILS", "mu": {"lower": 0.0, "lowerMethod": "gauss-newton", "upper": null, "upperMethod": "none"},
                 "witness": {"set": "L", "curvature": 0.0, "curvatureExact": "0", "dW": [["2"]], "dH": [["-1/2"]]}}"""));
        // one form: a strictness witness is given in L-perp-T (the checker does not project onto T⊥)
        assertRejected(check(V1, W2, HALF, cert), "strictModuloSymmetry", "expected one of [L-perp-T]");
        JsonNode perp = with(cert, "/strictModuloSymmetry/witness/set", "L-perp-T");
        assertRejected(check(V1, W2, HALF, perp), "strictModuloSymmetry", "≠ 0 for a direction t = (WX, −XH) of T");
    }

    @Test
    void strictnessOnTheSimplexProjectsOutOnlyTheFlatSymmetryDirections() {
        // S-NMF(4) at W = H = 2: s = (2, −2) is in L but ∇²F s = (−12, 12) is not ∝ 1, so T = {0} (symmetry-gl-r.md) and
        // L-perp-T is L = span(1, −1), where q = −12. Projecting s out would make a strictness HOLDS vacuously true
        // at this saddle.
        JsonNode fails = with(parse(Certs.SIMPLEX_SADDLE), "/strictModuloSymmetry", parse("""
                {"verdict": "FAILS", "mu": {"lower": -6.0, "lowerMethod": "gauss-newton", "upper": -6.0, "upperMethod": "witness"},
                 "witness": {"set": "L-perp-T", "curvature": -12.0, "curvatureExact": "-12", "dW": [["-1"]], "dH": [["1"]]}}"""));
        Report r = check(V1, TWO, TWO, fails);
        assertOk(r);
        assertThat(r.about("strictModuloSymmetry").get(0).message()).contains("T of dimension 0");
        // μ ≤ q(d)/‖d‖² = −6 for the verified witness in L-perp-T
        assertThat(status(r, "strictModuloSymmetry.mu")).isEqualTo(Status.VERIFIED);
        JsonNode holds = with(parse(Certs.SIMPLEX_SADDLE), "/strictModuloSymmetry", parse("""
                {"verdict": "HOLDS", "mu": {"lower": 0.0, "lowerMethod": "exact-elimination", "upper": null, "upperMethod": "none"},
                 "witness": null}"""));
        Report h = check(V1, TWO, TWO, holds);
        assertRejected(h, "strictModuloSymmetry", "not positive definite on L ∩ T⊥");
        assertRejected(h, "strictModuloSymmetry.mu", "rejected above");
        // at an NMF minimum the scaling direction is flat, so in T: a witness along it is not in L-perp-T
        JsonNode along = with(parse(Certs.MINIMUM), "/strictModuloSymmetry", parse("""
                {"verdict": "FAILS", "mu": {"lower": 0.0, "lowerMethod": "gauss-newton", "upper": null, "upperMethod": "none"},
                 "witness": {"set": "L-perp-T", "curvature": 0.0, "curvatureExact": "0", "dW": [["2"]], "dH": [["-1/2"]]}}"""));
        assertRejected(check(V1, W2, HALF, along), "strictModuloSymmetry", "not in L-perp-T");
    }

    @Test
    void countsChangedAreRejected() {
        JsonNode cert = with(with(parse(Certs.MINIMUM), "/counts/support", 1), "/counts/degenerate", 1);
        assertRejected(check(V1, W2, HALF, cert), "counts", "recomputed S = 2, A = 0, D = 0");
        JsonNode floatCert = with(parse(Certs.MINIMUM_FLOAT), "/counts/stronglyActive", 1);
        assertRejected(check(V1, W2, HALF, floatCert), "counts", "recomputed S = 2");
        JsonNode simplex = with(with(parse(Certs.SIMPLEX_ACTIVE), "/counts/stronglyActive", 0), "/counts/degenerate", 1);
        assertRejected(check(V12, HALF_W, H12, simplex), "counts", "A = 1");
        JsonNode negative = with(parse(Certs.MINIMUM), "/counts/support", -1);
        assertRejected(check(V1, W2, HALF, negative), "counts", "negative count");
        // v2: counts exist only at a FOSP; given while fosp FAILS (or UNDECIDED) they are rejected, even if "right"
        JsonNode atFails = with(parse(Certs.NOT_STATIONARY), "/counts", parse(
                "{\"support\": 1, \"stronglyActive\": 0, \"degenerate\": 0}"));
        assertRejected(check(V1, ONE, ZERO, atFails), "counts", "counts must be null when fosp is not HOLDS");
        JsonNode atUndecided = undecided(atFails);
        assertRejected(check(V1, ONE, ZERO, atUndecided), "counts", "counts must be null when fosp is not HOLDS");
        assertOk(check(V1, ONE, ZERO, undecided(parse(Certs.NOT_STATIONARY))));
        // and required when it HOLDS
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM), "/counts", null)), "counts", "fosp HOLDS but counts is null");
    }

    @Test
    void objectiveChangedIsRejected() {
        JsonNode cert = with(parse(Certs.SADDLE), "/objective", 1.5);
        assertRejected(check(V1, ZERO, ZERO, cert), "objective", "objective = 1.5");
        JsonNode floatCert = with(parse(Certs.MINIMUM_FLOAT), "/objective", 1e-3);
        assertRejected(check(V1, W2, HALF, floatCert), "objective", "objective = 0.001");
    }

    @Test
    void shapeChangedIsRejectedAndStops() {
        Report r = check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/n", 2));
        assertRejected(r, "structure", "n is 2 but there are 1 rows of V");
        assertThat(r.about("sospPaper")).isEmpty();
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/r", "1")), "structure", "r is not an integer");
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/mode", "approximate")), "structure", "mode");
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/problem", "SNMF")), "structure", "problem");
    }

    @Test
    void simplexFieldsMustMatchTheProblem() {
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/C", 1.0)), "structure", "NMF has no C");
        assertRejected(check(V1, TWO, TWO, with(parse(Certs.SIMPLEX_SADDLE), "/CExact", "5")), "structure",
                "C = 4.0 is not CExact = 5");
        // a wrong C also breaks the sum constraint of the HOLDS claim
        Report r = check(V1, TWO, TWO, with(with(parse(Certs.SIMPLEX_SADDLE), "/CExact", "5"), "/C", 5.0));
        assertRejected(r, "fosp", "Σx = 4 ≠ C = 5");
        assertRejected(check(V1, TWO, TWO, with(parse(Certs.SIMPLEX_SADDLE), "/fosp/multiplierExact", "11")), "fosp",
                "∂F − c = 1 ≠ 0");
    }

    @Test
    void scalesChangedAreRejected() {
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM), "/scales/gradient", 9.0)), "scales", "γ");
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM), "/scales/hessian", 8.0)), "scales", "η");
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM), "/scales/entry", 0.5)), "scales", "ξ");
    }

    @Test
    void exactPsdClaimOnANonPsdHessianIsRejected() {
        // at W = H = 0 the Hessian on L = ℝ² is [[0, −2], [−2, 0]]: claiming PSD (and copositive) is false
        // (with the lower end 0 a forger would give it: that end is rejected with the HOLDS it rests on)
        String holds = "{\"verdict\": \"HOLDS\", \"lambdaMin\": {\"lower\": 0.0, \"lowerMethod\": \"exact-elimination\","
                + " \"upper\": null, \"upperMethod\": \"none\"}, \"witness\": null}";
        JsonNode cert = with(with(parse(Certs.SADDLE), "/sospPaper", parse(holds)), "/sospCone", parse(holds));
        Report r = check(V1, ZERO, ZERO, cert);
        assertRejected(r, "sospPaper", "not positive semidefinite on L");
        assertRejected(r, "sospCone", "not copositive on K");
        assertRejected(r, "sospPaper.lambdaMin", "rests on the HOLDS of sospPaper, rejected above");
        assertRejected(r, "sospCone.lambdaMin", "rejected above");
        JsonNode strict = with(parse(Certs.SADDLE), "/strictModuloSymmetry", parse(holds.replace("lambdaMin", "mu")));
        Report s = check(V1, ZERO, ZERO, strict);
        assertRejected(s, "strictModuloSymmetry", "not positive definite");
        assertRejected(s, "strictModuloSymmetry.mu", "rejected above");
        // and the flat point is PSD but not PD modulo symmetry
        JsonNode flat = with(parse(Certs.FLAT), "/strictModuloSymmetry", parse(holds.replace("lambdaMin", "mu")));
        assertRejected(check(Certs.mat(new double[][] {{0}}), ZERO, ZERO, flat), "strictModuloSymmetry",
                "not positive definite");
    }

    @Test
    void coneFailsContradictingPaperHoldsIsRejected() {
        JsonNode cert = with(parse(Certs.MINIMUM), "/sospCone", parse(Certs.SADDLE).at("/sospCone"));
        assertRejected(check(V1, W2, HALF, cert), "sospCone", "contradicts sospPaper HOLDS");
    }

    @Test
    void exactHoldsNeedsResidualZeroAndFirstOrderTruth() {
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM), "/fosp/residual", 1e-20)), "fosp", "residual 0");
        // the certificate of the minimum against a non-stationary point: its digests name other matrices
        JsonNode moved = with(with(with(parse(Certs.MINIMUM), "/scales/gradient", 2.0), "/scales/entry", 1.0),
                "/scales/hessian", 6.0);
        assertRejected(check(V1, ONE, ZERO, moved), "provenance", "of W, H does not match");
        // and with the digests forged too, the first-order claim itself is found false
        Report r = check(V1, ONE, ZERO, withDigests(moved, V1, ONE, ZERO));
        assertRejected(r, "fosp", "H[0,0] = 0 and ∂F − c = -2 < 0");
    }

    @Test
    void floatIntervalEndsThatAreNotProvenAreRejected() {
        // v1 compared a float λ_min with −secondOrder·η; v2 has only proven ends. At W = 2, H = 1/2, R = 0: −2‖R‖_F = 0.
        JsonNode base = parse(Certs.MINIMUM_FLOAT);
        assertRejected(check(V1, W2, HALF, with(base, "/sospPaper/lambdaMin/lower", 1.0)), "sospPaper.lambdaMin",
                "lower = 1.0 but −2‖R‖_F");
        assertRejected(check(V1, W2, HALF, with(base, "/strictModuloSymmetry/mu/lower", 1e-300)), "strictModuloSymmetry.mu",
                "lower = 1.0E-300");
        // an upper end "by witness" where the claim has none
        JsonNode up = with(with(base, "/sospCone/lambdaMin/upper", 1.0), "/sospCone/lambdaMin/upperMethod", "witness");
        assertRejected(check(V1, W2, HALF, up), "sospCone.lambdaMin", "no verified direction witness");
        // exact elimination is not a float method
        JsonNode ee = with(base, "/sospPaper/lambdaMin/lowerMethod", "exact-elimination");
        assertRejected(check(V1, W2, HALF, ee), "sospPaper.lambdaMin", "needs exact mode");
        // Infinity is no value: it used to pass every comparison
        assertRejected(check(V1, W2, HALF, with(base, "/strictModuloSymmetry/mu/lower", Double.NEGATIVE_INFINITY)),
                "strictModuloSymmetry.mu", "not a finite number");
        assertRejected(check(V1, W2, HALF, with(with(base, "/sospPaper/lambdaMin/upper", Double.POSITIVE_INFINITY),
                "/sospPaper/lambdaMin/upperMethod", "witness")), "sospPaper.lambdaMin", "not a finite number");
        // and a float HOLDS on a non-stationary point fails the residual test (digests forged to reach it)
        JsonNode moved = withDigests(with(with(with(base, "/scales/gradient", 2.0), "/scales/entry", 1.0),
                "/scales/hessian", 6.0), V1, ONE, ZERO);
        assertRejected(check(V1, ONE, ZERO, moved), "fosp", "relative residual at H[0,0] is 1.000000e+00");
    }

    @Test
    void failsWithoutWitnessIsRejectedUnlessFirstOrderFails() {
        JsonNode cert = with(parse(Certs.SADDLE), "/sospPaper/witness", null);
        assertRejected(check(V1, ZERO, ZERO, cert), "sospPaper", "FAILS without a witness");
        JsonNode garbage = with(parse(Certs.SADDLE), "/sospPaper/witness", parse("{\"foo\": 1}"));
        assertRejected(check(V1, ZERO, ZERO, garbage), "sospPaper", "neither");
        JsonNode fospNoWitness = with(parse(Certs.NOT_STATIONARY), "/fosp/witness", null);
        Report r = check(V1, ONE, ZERO, fospNoWitness);
        assertRejected(r, "fosp", "fosp.witness is missing");
        assertRejected(r, "sospCone", "FAILS without a witness");
    }

    @Test
    void malformedPartsAreRejectedNotThrown() {
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/fosp/verdict", "TRUE")), "fosp",
                "expected HOLDS, FAILS or UNDECIDED");
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/sospPaper/witness/dW/0/0", "1.5.2")),
                "sospPaper", "not an exact decimal");
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/sospPaper/witness/dW/0/0", 0.5)),
                "sospPaper", "not an exact string");
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/sospPaper/witness/dH", List.of(List.of("1", "2")))),
                "sospPaper", "dH[0] is not an array of 1 entries");
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/sospPaper/witness/curvatureExact", "1/0")),
                "sospPaper", "zero denominator");
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/counts", null)), "counts", "counts is null");
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/sospPaper/lambdaMin", -2.0)), "sospPaper.lambdaMin",
                "is not an object");
    }

    @Test
    void undecidedIsNotAProblem() {
        // the reason now lives in info, which the checker does not read
        JsonNode cert = with(with(parse(Certs.SADDLE), "/sospPaper", parse(
                "{\"verdict\": \"UNDECIDED\", \"lambdaMin\": " + Certs.NO_BOUNDS + ", \"witness\": null}")),
                "/info/reasons/sospPaper", "budget");
        Report r = check(V1, ZERO, ZERO, cert);
        assertOk(r);
        assertThat(status(r, "sospPaper")).isEqualTo(Status.NOT_RECHECKED);
        assertThat(r.about("sospPaper").get(0).message()).contains("claims nothing").doesNotContain("budget");
        // the checker decides it (exactly: not PSD on L) and says the certificate claims less than the data give
        assertThat(r.about("sospPaper").get(0).message()).contains("weaker than the checker's own finding FAILS");
        // no upper end without a witness, a weaker (absent) lower end: both said
        assertThat(r.about("sospPaper.lambdaMin").get(0).message()).contains("lower: none (weaker", "upper: none");
    }

    @Test
    void notACertificateIsBadInput() {
        assertThatThrownBy(() -> check(V1, ZERO, ZERO, parse("[1, 2]"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a certificate");
        assertThatThrownBy(() -> check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/tool", "other v9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'other v9'");
        assertThatThrownBy(() -> check(Certs.mat(new double[][] {{-1}}), ZERO, ZERO, parse(Certs.SADDLE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    // ------------------------------------------------------------------ conventions and exactness

    @Test
    void conventionsLeftOpenByTheModelAreAccepted() {
        // γ = 0 by the formula at W = H = 0: a floor γ = 1 is accepted (∇F = 0 there)
        assertOk(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/scales/gradient", 1.0)));
        assertRejected(check(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/scales/gradient", 2.0)), "scales", "γ");
        // float strict HOLDS with no bounds at all: nothing to compare, not a problem (weaker than the checker's bound)
        Report r = checkAccepting(V1, W2, HALF, with(parse(Certs.MINIMUM_FLOAT), "/strictModuloSymmetry/mu",
                parse(Certs.NO_BOUNDS)));
        assertAcceptedUnverified(r, "strictModuloSymmetry");
        assertThat(status(r, "strictModuloSymmetry.mu")).isEqualTo(Status.VERIFIED);
        assertThat(r.about("strictModuloSymmetry.mu").get(0).message()).contains("lower: none (weaker than the checker's");
        // S-NMF off the simplex has no multiplier, hence no residual
        JsonNode off = with(with(with(parse(Certs.SIMPLEX_CORNER), "/CExact", "2"), "/C", 2.0), "/fosp", parse("""
                {"verdict": "FAILS", "residual": null, "multiplier": null, "multiplierExact": null, "sum": 1.0,
                 "witness": {"kind": "sum-constraint", "coordinates": [], "value": -1.0, "valueExact": "-1"}}"""));
        Report s = check(V1, ONE, ZERO, off);
        assertOk(s);
        assertThat(s.about("fosp").get(0).message()).contains("Σx − C = -1");
        assertRejected(check(V1, ONE, ZERO, with(off, "/fosp/witness/valueExact", "-1/2")), "fosp", "Σx − C = -1");
        // an NMF point always has a residual, whatever the verdict
        assertRejected(check(V1, W2, HALF, with(parse(Certs.MINIMUM_FLOAT), "/fosp/residual", null)), "fosp",
                "fosp.residual is missing");
    }

    /** Issue 12's mutation findings: a field nobody checks, or a number only compared with tolerance, is no claim. */
    @Test
    void fieldsThatWereNeverCheckedAreNowRejected() {
        JsonNode exactFails = parse(Certs.NOT_STATIONARY);
        assertOk(check(V1, ONE, ZERO, exactFails));
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/objective", Double.POSITIVE_INFINITY)), "objective", "");
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/scales/hessian", Double.NEGATIVE_INFINITY)), "scales", "η");
        assertRejected(check(V1, ONE, ZERO, with(with(exactFails, "/fosp/residual", null), "/fosp/residu_al", 0.0)),
                "fields", "unknown field fosp.residu_al");
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/tolerances/maxExactDimension", "x")), "tolerances",
                "maxExactDimension is not an integer");
        JsonNode floatFails = parse(Certs.NOT_STATIONARY_FLOAT);
        assertOk(check(V1, ONE, ZERO, floatFails));
        assertRejected(check(V1, ONE, ZERO, with(floatFails, "/tolerances/firstOrder", "x")), "tolerances", "firstOrder");
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/fosp/multiplier", 0.0)), "fosp", "must be null for NMF");
        // the certifier's rounding band is informational (info.estimates.fosp.noise): in fosp it is an unknown field
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/fosp/noise", 0.0)), "fields", "unknown field fosp.noise");
        // v2: bounds at a point that is not a FOSP (L is not defined there)
        assertRejected(check(V1, ONE, ZERO, with(with(exactFails, "/sospPaper/lambdaMin/lower", -2.0),
                "/sospPaper/lambdaMin/lowerMethod", "gauss-newton")), "sospPaper.lambdaMin", "fosp is FAILS");
        // v1 fields are now unknown fields: a claim nobody would check
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/sospCone/noise", 0.0)), "fields", "unknown field sospCone.noise");
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/sospCone/method", "exact-ldl")), "fields",
                "unknown field sospCone.method");
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/fosp/reason", "-")), "fields", "unknown field fosp.reason");
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/fosp/witness/explanation", "-")), "fields",
                "unknown field fosp.witness.explanation");
        assertRejected(check(V1, ONE, ZERO, with(exactFails, "/notes", List.of())), "fields", "unknown field notes");
    }

    @Test
    void subnormalEntriesAreTakenExactly() {
        // W = [[2⁻¹⁰⁷⁴]], H = [[0]], V = [[1]]: ∂F/∂H = −2·W·R = −2⁻¹⁰⁷³ < 0 at H = 0. Hipparchus 4.0.3's
        // new BigFraction(double) halves subnormals, which would give −2⁻¹⁰⁷⁴: that value must be rejected.
        DenseMatrix tiny = Certs.mat(new double[][] {{Double.MIN_VALUE}});
        String g = "-1/" + java.math.BigInteger.ONE.shiftLeft(1073);
        String cert = Certs.NOT_STATIONARY.replace("\"gradientExact\": \"-2\"", "\"gradientExact\": \"" + g + "\"")
                .replace("\"valueExact\": \"-2\"", "\"valueExact\": \"" + g + "\"")
                .replace("\"gradient\": -2.0", "\"gradient\": -1.0E-323").replace("\"value\": -2.0", "\"value\": -1.0E-323")
                .replace("\"gradient\": 2.0", "\"gradient\": 1.0E-323").replace("\"entry\": 1.0", "\"entry\": " + Double.MIN_VALUE)
                .replace("\"hessian\": 6.0", "\"hessian\": 4.0");
        Report r = check(V1, tiny, ZERO, withDigests(parse(cert), V1, tiny, ZERO));
        assertOk(r);
        String halved = cert.replace(g, "-1/" + java.math.BigInteger.ONE.shiftLeft(1074));
        assertRejected(check(V1, tiny, ZERO, withDigests(parse(halved), V1, tiny, ZERO)), "fosp", "gradientExact");
    }

    // ------------------------------------------------------------------ size limits

    @Test
    void exactHoldsAboveTheSizeLimitIsNotVerified() {
        Checker tiny = new Checker(0, Checker.MAX_REDUCED_DIMENSION, Checker.MAX_DEGENERATE);
        Report r = tiny.run(V1, W2, HALF, parse(Certs.MINIMUM));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(status(r, "fosp")).isEqualTo(Status.NOT_VERIFIED);
        assertThat(r.about("fosp").get(0).message()).contains("too large to re-check exactly");
        // and the exact second-order HOLDS built on it cannot be verified either, nor their bounds (on L, which rests on it)
        assertThat(r.lastLine()).isEqualTo("check: NOT VERIFIED (7 problems)");
        assertThat(r.items()).noneMatch(i -> i.status() == Status.REJECTED);
        assertThat(status(r, "sospPaper")).isEqualTo(Status.NOT_VERIFIED);
        assertThat(status(r, "sospPaper.lambdaMin")).isEqualTo(Status.NOT_VERIFIED);
    }

    @Test
    void witnessCurvatureAboveTheSizeLimitUsesARigorousBound() {
        Checker tiny = new Checker(0, Checker.MAX_REDUCED_DIMENSION, Checker.MAX_DEGENERATE);
        Report r = tiny.run(V1, ZERO, ZERO, parse(Certs.SADDLE));
        assertThat(status(r, "sospPaper")).as(r.toString()).isEqualTo(Status.VERIFIED);
        assertThat(r.about("sospPaper").get(0).message()).contains("±");
        Report bad = tiny.run(V1, ZERO, ZERO, with(parse(Certs.SADDLE), "/sospPaper/witness/curvatureExact", "-5"));
        assertRejected(bad, "sospPaper", "curvatureExact = -5");
        // exact mode: the bounds rest on the exact fosp HOLDS, which is beyond the limit
        assertThat(status(r, "sospPaper.lambdaMin")).as(r.toString()).isEqualTo(Status.NOT_VERIFIED);
        assertThat(r.about("sospPaper.lambdaMin").get(0).message()).contains("rests on fosp HOLDS, not verified");
        // float mode: the interval ends against the rigorous rounding bounds. The tight [−2, −2] is within rounding (not
        // verified), ends clear of it are verified, and wrong ends are rejected
        JsonNode saddleFloat = parse(Certs.toFloat(Certs.SADDLE));
        Report f = tiny.run(V1, ZERO, ZERO, saddleFloat);
        assertThat(status(f, "fosp")).as(f.toString()).isEqualTo(Status.VERIFIED);
        assertThat(status(f, "sospPaper.lambdaMin")).as(f.toString()).isEqualTo(Status.NOT_VERIFIED);
        assertThat(f.about("sospPaper.lambdaMin").get(0).message()).contains("within rounding");
        JsonNode clear = with(with(saddleFloat, "/sospPaper/lambdaMin/lower", -2.5), "/sospPaper/lambdaMin/upper", -1.5);
        Report c = tiny.run(V1, ZERO, ZERO, clear);
        assertThat(status(c, "sospPaper.lambdaMin")).as(c.toString()).isEqualTo(Status.VERIFIED);
        assertThat(c.about("sospPaper.lambdaMin").get(0).message()).contains("rigorous rounding bounds");
        assertRejected(tiny.run(V1, ZERO, ZERO, with(clear, "/sospPaper/lambdaMin/lower", -1.5)), "sospPaper.lambdaMin",
                "is smaller");
        assertRejected(tiny.run(V1, ZERO, ZERO, with(clear, "/sospPaper/lambdaMin/upper", -2.5)), "sospPaper.lambdaMin",
                "Rayleigh quotient is larger");
    }

    @Test
    void reducedDimensionAboveTheLimitLeavesTheHoldsUnverified() {
        Checker small = new Checker(Checker.EXACT_LIMIT, 0, Checker.MAX_DEGENERATE);
        // the lower ends 0 "by exact elimination" rest on those HOLDS: not verified either (before: "verified")
        JsonNode noLower = parse(Certs.MINIMUM);
        for (String p : new String[] {"/sospPaper/lambdaMin", "/sospCone/lambdaMin", "/strictModuloSymmetry/mu"}) {
            noLower = with(noLower, p, parse(Certs.NO_BOUNDS));
        }
        Report r = small.run(V1, W2, HALF, noLower);
        assertOnlyUnverifiedHolds(r, "sospPaper", "sospCone", "strictModuloSymmetry");
        assertThat(r.about("sospPaper").get(0).message()).contains("reduced dimension");
        Report e = small.run(V1, W2, HALF, parse(Certs.MINIMUM));
        assertThat(e.lastLine()).as(e.toString()).isEqualTo("check: NOT VERIFIED (6 problems)");
        for (String s : List.of("sospPaper.lambdaMin", "sospCone.lambdaMin", "strictModuloSymmetry.mu")) {
            assertThat(status(e, s)).as(e.toString()).isEqualTo(Status.NOT_VERIFIED);
            assertThat(e.about(s).get(0).message()).contains("not verified above");
        }
        Report a = new Checker(Checker.EXACT_LIMIT, 0, Checker.MAX_DEGENERATE, true).run(V1, W2, HALF, noLower);
        assertAcceptedUnverified(a, "sospPaper", "sospCone", "strictModuloSymmetry");
        Report ae = new Checker(Checker.EXACT_LIMIT, 0, Checker.MAX_DEGENERATE, true).run(V1, W2, HALF, parse(Certs.MINIMUM));
        assertAcceptedUnverified(ae, "sospPaper", "sospCone", "strictModuloSymmetry", "sospPaper.lambdaMin",
                "sospCone.lambdaMin", "strictModuloSymmetry.mu");
    }
}
