package io.github.nmforacle.check;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.linalg.DenseMatrix;

/**
 * Hand-written certificates (format v2) for tiny instances whose truth is known by hand (values derived in the
 * comments), and helpers to doctor them. Coordinates are 0-based. provenance.sha256 is filled from the matrices each
 * certificate is about ({@link #provenance}); the digest itself is tested against an independent computation in
 * CheckerV2Test. Gauss–Newton lower ends are −2‖R‖_F computed by hand (tight: the checker decides ℓ ≤ −2‖R‖_F
 * exactly, as ℓ ≤ 0 and ℓ² ≥ 4F, for these tiny instances); upper ends are the witnesses' Rayleigh quotients
 * dᵀ∇²F d/‖d‖², also by hand.
 */
final class Certs {
    static final ObjectMapper JSON = new ObjectMapper();

    private Certs() {
    }

    static DenseMatrix mat(double[][] a) {
        return DenseMatrix.of(a);
    }

    static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A copy of {@code root} with the value at the JSON pointer replaced (the parent must exist). */
    static JsonNode with(JsonNode root, String pointer, Object value) {
        JsonNode copy = root.deepCopy();
        JsonPointer ptr = JsonPointer.compile(pointer);
        JsonNode parent = copy.at(ptr.head());
        JsonNode v = JSON.valueToTree(value);
        String last = ptr.last().getMatchingProperty();
        if (parent instanceof ObjectNode o) {
            o.set(last, v);
        } else if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), v);
        } else {
            throw new AssertionError("no parent for " + pointer);
        }
        return copy;
    }

    /** A copy of {@code root} without the field at the JSON pointer. */
    static JsonNode without(JsonNode root, String pointer) {
        JsonNode copy = root.deepCopy();
        JsonPointer ptr = JsonPointer.compile(pointer);
        ((ObjectNode) copy.at(ptr.head())).remove(ptr.last().getMatchingProperty());
        return copy;
    }

    /** A copy with provenance.sha256 recomputed for other matrices (a forger can always do that). */
    static JsonNode withDigests(JsonNode root, DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        JsonNode copy = root.deepCopy();
        ObjectNode sha = (ObjectNode) copy.get("provenance").get("sha256");
        sha.put("V", Point.sha256(v));
        sha.put("W", Point.sha256(w));
        sha.put("H", Point.sha256(h));
        return copy;
    }

    /** An interval object {lower, lowerMethod, upper, upperMethod}; a null end has method "none". */
    static JsonNode interval(Double lower, String lowerMethod, Double upper, String upperMethod) {
        ObjectNode o = JSON.createObjectNode();
        o.put("lower", lower);
        o.put("lowerMethod", lower == null ? "none" : lowerMethod);
        o.put("upper", upper);
        o.put("upperMethod", upper == null ? "none" : upperMethod);
        return o;
    }

    static final String NO_BOUNDS = """
            {"lower": null, "lowerMethod": "none", "upper": null, "upperMethod": "none"}""";

    /** "provenance": the digests of the matrices the certificate is about. */
    static String provenance(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        return """
                "provenance": {"version": "nmf-oracle (hand-written test certificate)", "options": {"mode": "by hand"},
                               "sha256": {"V": "%s", "W": "%s", "H": "%s"}}""".formatted(Point.sha256(v), Point.sha256(w),
                Point.sha256(h));
    }

    static final String TOLERANCES_EXACT = """
            "tolerances": {"maxDegenerate": 12, "maxExactDimension": 120}""";
    static final String TOLERANCES_FLOAT = """
            "tolerances": {"firstOrder": 1e-6, "degenerate": 1e-6, "secondOrder": 1e-6, "maxDenseDimension": 1500}""";
    static final String TOLERANCES_FLOAT_SNMF = """
            "tolerances": {"firstOrder": 1e-6, "degenerate": 1e-6, "secondOrder": 1e-6, "sum": 1e-9,
                           "maxDenseDimension": 1500}""";

    /** A free-form "info" object (ignored by the checker): what v1 had in reason, method, noise and notes. */
    static final String INFO = """
            "info": {"about": "ignored by the checker", "reasons": {"fosp": "by hand"}, "notes": []}""";

    static final DenseMatrix V1 = mat(new double[][] {{1}});
    static final DenseMatrix ZERO = mat(new double[][] {{0}});
    static final DenseMatrix W2 = mat(new double[][] {{2}});
    static final DenseMatrix HALF = mat(new double[][] {{0.5}});
    static final DenseMatrix HALF_W = mat(new double[][] {{0.5}});
    static final DenseMatrix TWO = mat(new double[][] {{2}});
    static final DenseMatrix ONE = mat(new double[][] {{1}});
    static final DenseMatrix V12 = mat(new double[][] {{1, 0}});
    static final DenseMatrix H12 = mat(new double[][] {{0.5, 0}});

    // ------------------------------------------------------------------------------------------------
    // V = [[1]], W = H = [[0]] (NMF): F = (1 − xy)² = 1, R = 1, g = (−2RH, −2WR) = (0, 0); γ = 0, ξ = 0,
    // η = 0 + 4·1 = 4. Both coordinates are degenerate (x = 0, g = 0). q(a, b) = 2·0 − 4·1·ab = −4ab:
    // d = (1, 1) ∈ K ⊆ L with q = −4, ‖d‖² = 2, Rayleigh quotient −2. s_1 = (W, −H) = 0, so L-perp-T = L.
    // −2‖R‖_F = −2 (= λ_min of [[0, −2], [−2, 0]]): every interval is [−2, −2].
    static final String SADDLE = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "NMF", "C": null, "CExact": null,
             "mode": "exact", "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": null, "multiplierExact": null,
                      "sum": null, "witness": null},
             "sospPaper": {"verdict": "FAILS",
                           "lambdaMin": {"lower": -2.0, "lowerMethod": "gauss-newton", "upper": -2.0, "upperMethod": "witness"},
                           "witness": {"set": "L", "curvature": -4.0, "curvatureExact": "-4", "dW": [["1"]], "dH": [["1"]]}},
             "sospCone": {"verdict": "FAILS",
                          "lambdaMin": {"lower": -2.0, "lowerMethod": "gauss-newton", "upper": -2.0, "upperMethod": "witness"},
                          "witness": {"set": "K", "curvature": -4.0, "curvatureExact": "-4", "dW": [["1"]], "dH": [["1"]]}},
             "strictModuloSymmetry": {"verdict": "FAILS",
                          "mu": {"lower": -2.0, "lowerMethod": "gauss-newton", "upper": -2.0, "upperMethod": "witness"},
                          "witness": {"set": "L-perp-T", "curvature": -4.0, "curvatureExact": "-4", "dW": [["1"]], "dH": [["1"]]}},
             %s,
             "counts": {"support": 0, "stronglyActive": 0, "degenerate": 2},
             "scales": {"gradient": 1.0, "entry": 0.0, "hessian": 4.0},
             %s,
             %s}
            """.formatted(TOLERANCES_EXACT, provenance(V1, ZERO, ZERO), INFO);

    // ------------------------------------------------------------------------------------------------
    // V = [[1]], W = [[2]], H = [[0.5]] (NMF): R = 0, F = 0, g = 0, both coordinates in the support.
    // γ = 2·max(VHᵀ + W·HHᵀ, WᵀV + WᵀW·H) = 2·max(0.5 + 0.5, 2 + 2) = 8, ξ = 2, η = 2(4 + 0.25) + 0 = 8.5.
    // q(a, b) = 2(0.5a + 2b)² ≥ 0 with null direction s = (2, −0.5); on s⊥ = span(0.5, 2) it is positive.
    // Exact elimination proves all three HOLDS: the lower ends are 0; no witness, so no upper ends.
    static final String MINIMUM = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "NMF", "C": null, "CExact": null,
             "mode": "exact", "n": 1, "m": 1, "r": 1, "objective": 0.0,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": null, "multiplierExact": null,
                      "sum": null, "witness": null},
             "sospPaper": {"verdict": "HOLDS",
                           "lambdaMin": {"lower": 0.0, "lowerMethod": "exact-elimination", "upper": null, "upperMethod": "none"},
                           "witness": null},
             "sospCone": {"verdict": "HOLDS",
                          "lambdaMin": {"lower": 0.0, "lowerMethod": "exact-elimination", "upper": null, "upperMethod": "none"},
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "HOLDS",
                          "mu": {"lower": 0.0, "lowerMethod": "exact-elimination", "upper": null, "upperMethod": "none"},
                          "witness": null},
             %s,
             "counts": {"support": 2, "stronglyActive": 0, "degenerate": 0},
             "scales": {"gradient": 8.0, "entry": 2.0, "hessian": 8.5},
             %s,
             %s}
            """.formatted(TOLERANCES_EXACT, provenance(V1, W2, HALF), INFO);

    /**
     * The same point certified in float mode. R = 0, so −2‖R‖_F = 0 ≥ −secondOrder·η: the checker proves sospPaper and
     * sospCone HOLDS itself (Gauss–Newton); the lower ends 0 are exact (ℓ ≤ 0, ℓ² ≥ 4F = 0). Strictness (μ &gt; 0) needs an
     * eigenvalue computation, which the checker does not repeat.
     */
    /** The float-mode form of an exact certificate text: mode, tolerances, and no exact curvature strings. */
    static String toFloat(String exactCert) {
        return exactCert.replace("\"mode\": \"exact\"", "\"mode\": \"float\"").replace(TOLERANCES_EXACT, TOLERANCES_FLOAT)
                .replaceAll("\"curvatureExact\": \"[^\"]*\"", "\"curvatureExact\": null");
    }

    static final String MINIMUM_FLOAT = MINIMUM.replace("\"mode\": \"exact\"", "\"mode\": \"float\"")
            .replace("\"exact-elimination\"", "\"gauss-newton\"").replace(TOLERANCES_EXACT, TOLERANCES_FLOAT);

    // ------------------------------------------------------------------------------------------------
    // V = [[1]], W = [[1]], H = [[0]] (NMF): R = 1, F = 1, g = (−2·1·0, −2·1·1) = (0, −2): H = 0 with g < 0
    // violates first order. γ = 2·max(0, 1 + 0) = 2, ξ = 1, η = 2·1 + 4·1 = 6.
    // Relative residuals: W: |min(1·2/1, 0)|/2 = 0; H: |min(0, −2)|/2 = 1. Not a FOSP: no counts, no bounds (L undefined).
    static final String NOT_STATIONARY = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "NMF", "C": null, "CExact": null,
             "mode": "exact", "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "FAILS", "residual": 1.0, "multiplier": null, "multiplierExact": null,
                      "sum": null,
                      "witness": {"kind": "active-gradient",
                                  "coordinates": [{"factor": "H", "row": 0, "col": 0, "x": "0", "gradient": -2.0,
                                                   "gradientExact": "-2"}],
                                  "value": -2.0, "valueExact": "-2"}},
             "sospPaper": {"verdict": "FAILS", "lambdaMin": %s,
                           "witness": {"kind": "active-gradient",
                                  "coordinates": [{"factor": "H", "row": 0, "col": 0, "x": "0", "gradient": -2.0,
                                                   "gradientExact": "-2"}],
                                  "value": -2.0, "valueExact": "-2"}},
             "sospCone": {"verdict": "FAILS", "lambdaMin": %s, "witness": null},
             "strictModuloSymmetry": {"verdict": "UNDECIDED", "mu": %s, "witness": null},
             %s,
             "counts": null,
             "scales": {"gradient": 2.0, "entry": 1.0, "hessian": 6.0},
             %s,
             %s}
            """.formatted(NO_BOUNDS, NO_BOUNDS, NO_BOUNDS, TOLERANCES_EXACT, provenance(V1, ONE, ZERO), INFO);

    /** The same point in float mode: the witness value is the relative residual 1, no exact strings. */
    static final String NOT_STATIONARY_FLOAT = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "NMF", "C": null, "CExact": null,
             "mode": "float", "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "FAILS", "residual": 1.0, "multiplier": null, "multiplierExact": null,
                      "sum": null,
                      "witness": {"kind": "active-gradient",
                                  "coordinates": [{"factor": "H", "row": 0, "col": 0, "x": "0", "gradient": -2.0,
                                                   "gradientExact": null}],
                                  "value": 1.0, "valueExact": null}},
             "sospPaper": {"verdict": "FAILS", "lambdaMin": %s, "witness": null},
             "sospCone": {"verdict": "UNDECIDED", "lambdaMin": %s, "witness": null},
             "strictModuloSymmetry": {"verdict": "UNDECIDED", "mu": %s, "witness": null},
             %s,
             "counts": null,
             "scales": {"gradient": 2.0, "entry": 1.0, "hessian": 6.0},
             %s,
             %s}
            """.formatted(NO_BOUNDS, NO_BOUNDS, NO_BOUNDS, TOLERANCES_FLOAT, provenance(V1, ONE, ZERO), INFO);

    // ------------------------------------------------------------------------------------------------
    // S-NMF(C = 1), V = [[1, 0]], W = [[1/2]], H = [[1/2, 0]]: R = (3/4, 0), F = 9/16,
    // g = (−2·(3/4)(1/2), −2·(1/2)(3/4), −2·(1/2)·0) = (−3/4, −3/4, 0); c = −3/4, so H[0,1] = 0 has
    // g − c = 3/4 > 0: strongly active. S = {W, H[0,0]}, A = {H[0,1]}, D = ∅.
    // γ = 2·max(0.5 + 0.125, 0.5 + 0.125, 0) = 1.25, ξ = 0.5, η = 2(0.25 + 0.25) + 4·0.75 = 4.
    // L = {(a, −a, 0)}: d = (1, −1, 0) gives E = 0.5 − 0.5 = 0, ⟨R, dW·dH⟩ = −3/4, q = 3 > 0 (Rayleigh quotient 3/2).
    // −2‖R‖_F = −3/2. Exact elimination proves PSD on L and copositivity on K: lower ends 0; strictness is left
    // UNDECIDED, with its Gauss–Newton lower end −3/2.
    static final String SIMPLEX_ACTIVE = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "S-NMF", "C": 1.0, "CExact": "1",
             "mode": "exact", "n": 1, "m": 2, "r": 1, "objective": 0.5625,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": -0.75, "multiplierExact": "-3/4",
                      "sum": 1.0, "witness": null},
             "sospPaper": {"verdict": "HOLDS",
                           "lambdaMin": {"lower": 0.0, "lowerMethod": "exact-elimination", "upper": null, "upperMethod": "none"},
                           "witness": null},
             "sospCone": {"verdict": "HOLDS",
                          "lambdaMin": {"lower": 0.0, "lowerMethod": "exact-elimination", "upper": null, "upperMethod": "none"},
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "UNDECIDED",
                          "mu": {"lower": -1.5, "lowerMethod": "gauss-newton", "upper": null, "upperMethod": "none"},
                          "witness": null},
             %s,
             "counts": {"support": 2, "stronglyActive": 1, "degenerate": 0},
             "scales": {"gradient": 1.25, "entry": 0.5, "hessian": 4.0},
             %s,
             %s}
            """.formatted(TOLERANCES_EXACT, provenance(V12, HALF_W, H12), INFO);

    /**
     * The same point in float mode (the estimate ⟨x, ∇F⟩/Σx = −3/4 is c, every relative residual is 0): the HOLDS are
     * true (λ = 3/2 on L) but −2‖R‖_F = −3/2 is far below −secondOrder·η = −4e-6, so the checker cannot prove them.
     */
    static final String SIMPLEX_ACTIVE_FLOAT = SIMPLEX_ACTIVE.replace("\"mode\": \"exact\"", "\"mode\": \"float\"")
            .replace("{\"lower\": 0.0, \"lowerMethod\": \"exact-elimination\"", "{\"lower\": -1.5, \"lowerMethod\": \"gauss-newton\"")
            .replace(TOLERANCES_EXACT, TOLERANCES_FLOAT_SNMF);

    // ------------------------------------------------------------------------------------------------
    // S-NMF(C = 4), V = [[1]], W = H = [[2]]: R = −3, F = 9, g = (−2(−3)2, −2·2(−3)) = (12, 12), c = 12.
    // γ = 2·max(2 + 8, 2 + 8) = 20, ξ = 2, η = 2·8 + 4·3 = 28. L = {(a, −a)}: d = (1, −1) gives E = 0,
    // dW·dH = −1, q = −4·(−3)(−1) = −12 < 0: not an SOSP. ‖d‖² = 2: Rayleigh quotient −6 = −2‖R‖_F.
    static final String SIMPLEX_SADDLE = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "S-NMF", "C": 4.0, "CExact": "4",
             "mode": "exact", "n": 1, "m": 1, "r": 1, "objective": 9.0,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": 12.0, "multiplierExact": "12",
                      "sum": 4.0, "witness": null},
             "sospPaper": {"verdict": "FAILS",
                           "lambdaMin": {"lower": -6.0, "lowerMethod": "gauss-newton", "upper": -6.0, "upperMethod": "witness"},
                           "witness": {"set": "L", "curvature": -12.0, "curvatureExact": "-12", "dW": [["1"]], "dH": [["-1"]]}},
             "sospCone": {"verdict": "FAILS",
                          "lambdaMin": {"lower": -6.0, "lowerMethod": "gauss-newton", "upper": -6.0, "upperMethod": "witness"},
                          "witness": {"set": "K", "curvature": -12.0, "curvatureExact": "-12", "dW": [["1"]], "dH": [["-1"]]}},
             "strictModuloSymmetry": {"verdict": "UNDECIDED",
                          "mu": {"lower": -6.0, "lowerMethod": "gauss-newton", "upper": null, "upperMethod": "none"},
                          "witness": null},
             %s,
             "counts": {"support": 2, "stronglyActive": 0, "degenerate": 0},
             "scales": {"gradient": 20.0, "entry": 2.0, "hessian": 28.0},
             %s,
             %s}
            """.formatted(TOLERANCES_EXACT, provenance(V1, TWO, TWO), INFO);

    // ------------------------------------------------------------------------------------------------
    // S-NMF(C = 1), V = [[1]], W = [[1]], H = [[0]]: g = (0, −2). W > 0 forces c = 0 and then H[0,0] = 0 has
    // g − c = −2 < 0. Float: the pair (W, H) excludes every c since x_W/ξ = 1 > firstOrder and
    // g_H = −2 < g_W − 2·firstOrder·γ. Estimate c = ⟨x, g⟩/Σx = 0. γ = 2, ξ = 1, η = 6.
    static final String SIMPLEX_CORNER = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "S-NMF", "C": 1.0, "CExact": "1",
             "mode": "exact", "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "FAILS", "residual": 1.0, "multiplier": 0.0, "multiplierExact": "0",
                      "sum": 1.0,
                      "witness": {"kind": "active-gradient",
                                  "coordinates": [{"factor": "H", "row": 0, "col": 0, "x": "0", "gradient": -2.0,
                                                   "gradientExact": "-2"}],
                                  "value": -2.0, "valueExact": "-2"}},
             "sospPaper": {"verdict": "FAILS", "lambdaMin": %s, "witness": null},
             "sospCone": {"verdict": "FAILS", "lambdaMin": %s, "witness": null},
             "strictModuloSymmetry": {"verdict": "FAILS", "mu": %s, "witness": null},
             %s,
             "counts": null,
             "scales": {"gradient": 2.0, "entry": 1.0, "hessian": 6.0},
             %s,
             %s}
            """.formatted(NO_BOUNDS, NO_BOUNDS, NO_BOUNDS, TOLERANCES_EXACT, provenance(V1, ONE, ZERO), INFO);

    static final String SIMPLEX_CORNER_FLOAT_PAIR = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "S-NMF", "C": 1.0, "CExact": "1",
             "mode": "float", "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "FAILS", "residual": 1.0, "multiplier": 0.0, "multiplierExact": "0",
                      "sum": 1.0,
                      "witness": {"kind": "multiplier-pair",
                                  "coordinates": [{"factor": "W", "row": 0, "col": 0, "x": "1", "gradient": 0.0,
                                                   "gradientExact": null},
                                                  {"factor": "H", "row": 0, "col": 0, "x": "0", "gradient": -2.0,
                                                   "gradientExact": null}],
                                  "value": 1.0, "valueExact": null}},
             "sospPaper": {"verdict": "UNDECIDED", "lambdaMin": %s, "witness": null},
             "sospCone": {"verdict": "UNDECIDED", "lambdaMin": %s, "witness": null},
             "strictModuloSymmetry": {"verdict": "UNDECIDED", "mu": %s, "witness": null},
             %s,
             "counts": null,
             "scales": {"gradient": 2.0, "entry": 1.0, "hessian": 6.0},
             %s,
             %s}
            """.formatted(NO_BOUNDS, NO_BOUNDS, NO_BOUNDS, TOLERANCES_FLOAT_SNMF, provenance(V1, ONE, ZERO), INFO);

    // ------------------------------------------------------------------------------------------------
    // V = [[0]], W = H = [[0]] (NMF): R = 0, F = 0, g = 0, q ≡ 0: PSD on L and copositive on K, but not
    // positive definite on L-perp-T = L (s_1 = 0): the direction (1, 0) has curvature 0 ≤ 0, Rayleigh quotient 0.
    // −2‖R‖_F = 0, so μ ∈ [0, 0].
    static final String FLAT = """
            {"tool": "nmf-oracle certificate v2", "indexBase": 0, "problem": "NMF", "C": null, "CExact": null,
             "mode": "exact", "n": 1, "m": 1, "r": 1, "objective": 0.0,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": null, "multiplierExact": null,
                      "sum": null, "witness": null},
             "sospPaper": {"verdict": "HOLDS",
                           "lambdaMin": {"lower": 0.0, "lowerMethod": "exact-elimination", "upper": null, "upperMethod": "none"},
                           "witness": null},
             "sospCone": {"verdict": "HOLDS",
                          "lambdaMin": {"lower": 0.0, "lowerMethod": "exact-elimination", "upper": null, "upperMethod": "none"},
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "FAILS",
                          "mu": {"lower": 0.0, "lowerMethod": "gauss-newton", "upper": 0.0, "upperMethod": "witness"},
                          "witness": {"set": "L-perp-T", "curvature": 0.0, "curvatureExact": "0", "dW": [["1"]], "dH": [["0"]]}},
             %s,
             "counts": {"support": 0, "stronglyActive": 0, "degenerate": 2},
             "scales": {"gradient": 1.0, "entry": 0.0, "hessian": 1.0},
             %s,
             %s}
            """.formatted(TOLERANCES_EXACT, provenance(ZERO, ZERO, ZERO), INFO);
}
