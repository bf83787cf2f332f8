package io.github.nmforacle.check;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.linalg.DenseMatrix;

/**
 * Hand-written certificates for tiny instances whose truth is known by hand (values derived in the comments),
 * and a helper to doctor them.
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

    static final String TOLERANCES = """
            "tolerances": {"firstOrder": 1e-6, "degenerate": 1e-6, "secondOrder": 1e-6, "sum": 1e-9,
                           "maxDegenerate": 12, "maxDenseDimension": 1500, "maxExactDimension": 120}""";

    // ------------------------------------------------------------------------------------------------
    // V = [[1]], W = H = [[0]] (NMF): F = (1 − xy)² = 1, R = 1, g = (−2RH, −2WR) = (0, 0); γ = 0, ξ = 0,
    // η = 0 + 4·1 = 4. Both coordinates are degenerate (x = 0, g = 0). q(a, b) = 2·0 − 4·1·ab = −4ab:
    // d = (1, 1) ∈ K ⊆ L with q = −4. s_1 = (W, −H) = 0, so L-perp-T = L.
    static final DenseMatrix V1 = mat(new double[][] {{1}});
    static final DenseMatrix ZERO = mat(new double[][] {{0}});

    static final String SADDLE = """
            {"tool": "nmf-oracle certificate v1", "problem": "NMF", "C": null, "CExact": null, "mode": "exact",
             "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": null, "multiplierExact": null, "noise": 0.0,
                      "sum": null, "reason": "exact KKT", "witness": null},
             "sospPaper": {"verdict": "FAILS", "lambdaMin": null, "method": "exact-ldl", "noise": null, "reason": "negative pivot",
                           "witness": {"set": "L", "curvature": -4.0, "curvatureExact": "-4", "dW": [["1"]], "dH": [["1"]]}},
             "sospCone": {"verdict": "FAILS", "lambdaMin": null, "method": "exact-copositive", "noise": null, "reason": "z >= 0",
                          "witness": {"set": "K", "curvature": -4.0, "curvatureExact": "-4", "dW": [["1"]], "dH": [["1"]]}},
             "strictModuloSymmetry": {"verdict": "FAILS", "mu": null, "method": "exact-ldl", "noise": null, "reason": "r",
                          "witness": {"set": "L-perp-T", "curvature": -4.0, "curvatureExact": "-4", "dW": [["1"]], "dH": [["1"]]}},
             %s,
             "counts": {"support": 0, "stronglyActive": 0, "degenerate": 2},
             "scales": {"gradient": 0.0, "entry": 0.0, "hessian": 4.0},
             "notes": []}
            """.formatted(TOLERANCES);

    // ------------------------------------------------------------------------------------------------
    // V = [[1]], W = [[2]], H = [[0.5]] (NMF): R = 0, F = 0, g = 0, both coordinates in the support.
    // γ = 2·max(VHᵀ + W·HHᵀ, WᵀV + WᵀW·H) = 2·max(0.5 + 0.5, 2 + 2) = 8, ξ = 2, η = 2(4 + 0.25) + 0 = 8.5.
    // q(a, b) = 2(0.5a + 2b)² ≥ 0 with null direction s = (2, −0.5); on s⊥ = span(0.5, 2) it is positive.
    static final DenseMatrix W2 = mat(new double[][] {{2}});
    static final DenseMatrix HALF = mat(new double[][] {{0.5}});

    static final String MINIMUM = """
            {"tool": "nmf-oracle certificate v1", "problem": "NMF", "C": null, "CExact": null, "mode": "exact",
             "n": 1, "m": 1, "r": 1, "objective": 0.0,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": null, "multiplierExact": null, "noise": 0.0,
                      "sum": null, "reason": "exact KKT", "witness": null},
             "sospPaper": {"verdict": "HOLDS", "lambdaMin": 0.0, "method": "exact-ldl", "noise": null, "reason": "psd",
                           "witness": null},
             "sospCone": {"verdict": "HOLDS", "lambdaMin": 0.0, "method": "exact-ldl", "noise": null, "reason": "D empty",
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "HOLDS", "mu": 1.0, "method": "exact-ldl", "noise": null,
                          "reason": "pd", "witness": null},
             %s,
             "counts": {"support": 2, "stronglyActive": 0, "degenerate": 0},
             "scales": {"gradient": 8.0, "entry": 2.0, "hessian": 8.5},
             "notes": []}
            """.formatted(TOLERANCES);

    /** The same point certified in float mode. */
    static final String MINIMUM_FLOAT = MINIMUM.replace("\"mode\": \"exact\"", "\"mode\": \"float\"")
            .replace("\"exact-ldl\"", "\"dense-eigen\"");

    // ------------------------------------------------------------------------------------------------
    // V = [[1]], W = [[1]], H = [[0]] (NMF): R = 1, F = 1, g = (−2·1·0, −2·1·1) = (0, −2): H = 0 with g < 0
    // violates first order. γ = 2·max(0, 1 + 0) = 2, ξ = 1, η = 2·1 + 4·1 = 6.
    // Relative residuals: W: |min(1·2/1, 0)|/2 = 0; H: |min(0, −2)|/2 = 1.
    static final DenseMatrix ONE = mat(new double[][] {{1}});

    static final String NOT_STATIONARY = """
            {"tool": "nmf-oracle certificate v1", "problem": "NMF", "C": null, "CExact": null, "mode": "exact",
             "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "FAILS", "residual": 1.0, "multiplier": null, "multiplierExact": null, "noise": 0.0,
                      "sum": null, "reason": "active gradient",
                      "witness": {"kind": "active-gradient",
                                  "coordinates": [{"factor": "H", "row": 1, "col": 1, "x": "0", "gradient": -2.0,
                                                   "gradientExact": "-2"}],
                                  "value": -2.0, "valueExact": "-2", "explanation": "H(1,1) = 0 and dF/dH < 0"}},
             "sospPaper": {"verdict": "FAILS", "lambdaMin": null, "method": "first-order", "noise": null, "reason": "fosp fails",
                           "witness": {"kind": "active-gradient",
                                  "coordinates": [{"factor": "H", "row": 1, "col": 1, "x": "0", "gradient": -2.0,
                                                   "gradientExact": "-2"}],
                                  "value": -2.0, "valueExact": "-2", "explanation": "same"}},
             "sospCone": {"verdict": "FAILS", "lambdaMin": null, "method": "first-order", "noise": null, "reason": "fosp fails",
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "UNDECIDED", "mu": null, "method": "first-order", "noise": null,
                          "reason": "not a first-order point", "witness": null},
             %s,
             "counts": {"support": 0, "stronglyActive": 0, "degenerate": 0},
             "scales": {"gradient": 2.0, "entry": 1.0, "hessian": 6.0},
             "notes": []}
            """.formatted(TOLERANCES);

    /** The same point in float mode: the witness value is the relative residual 1, no exact strings. */
    static final String NOT_STATIONARY_FLOAT = """
            {"tool": "nmf-oracle certificate v1", "problem": "NMF", "C": null, "CExact": null, "mode": "float",
             "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "FAILS", "residual": 1.0, "multiplier": null, "multiplierExact": null, "noise": 1e-16,
                      "sum": null, "reason": "active gradient",
                      "witness": {"kind": "active-gradient",
                                  "coordinates": [{"factor": "H", "row": 1, "col": 1, "x": "0", "gradient": -2.0,
                                                   "gradientExact": null}],
                                  "value": 1.0, "valueExact": null, "explanation": "H(1,1) = 0 and dF/dH < 0"}},
             "sospPaper": {"verdict": "FAILS", "lambdaMin": null, "method": "first-order", "noise": null, "reason": "fosp fails",
                           "witness": null},
             "sospCone": {"verdict": "UNDECIDED", "lambdaMin": null, "method": "first-order", "noise": null, "reason": "-",
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "UNDECIDED", "mu": null, "method": "first-order", "noise": null,
                          "reason": "-", "witness": null},
             %s,
             "counts": {"support": 0, "stronglyActive": 0, "degenerate": 0},
             "scales": {"gradient": 2.0, "entry": 1.0, "hessian": 6.0},
             "notes": []}
            """.formatted(TOLERANCES);

    // ------------------------------------------------------------------------------------------------
    // S-NMF(C = 1), V = [[1, 0]], W = [[1/2]], H = [[1/2, 0]]: R = (3/4, 0), F = 9/16,
    // g = (−2·(3/4)(1/2), −2·(1/2)(3/4), −2·(1/2)·0) = (−3/4, −3/4, 0); c = −3/4, so H(1,2) = 0 has
    // g − c = 3/4 > 0: strongly active. S = {W, H(1,1)}, A = {H(1,2)}, D = ∅.
    // γ = 2·max(0.5 + 0.125, 0.5 + 0.125, 0) = 1.25, ξ = 0.5, η = 2(0.25 + 0.25) + 4·0.75 = 4.
    // L = {(a, −a, 0)}: d = (1, −1, 0) gives E = 0.5 − 0.5 = 0, ⟨R, dW·dH⟩ = −3/4, q = 3 > 0.
    static final DenseMatrix V12 = mat(new double[][] {{1, 0}});
    static final DenseMatrix H12 = mat(new double[][] {{0.5, 0}});

    static final String SIMPLEX_ACTIVE = """
            {"tool": "nmf-oracle certificate v1", "problem": "S-NMF", "C": 1.0, "CExact": "1", "mode": "exact",
             "n": 1, "m": 2, "r": 1, "objective": 0.5625,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": -0.75, "multiplierExact": "-3/4", "noise": 0.0,
                      "sum": 1.0, "reason": "exact KKT", "witness": null},
             "sospPaper": {"verdict": "HOLDS", "lambdaMin": 3.0, "method": "exact-ldl", "noise": null, "reason": "psd",
                           "witness": null},
             "sospCone": {"verdict": "HOLDS", "lambdaMin": 3.0, "method": "exact-ldl", "noise": null, "reason": "D empty",
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "UNDECIDED", "mu": null, "method": null, "noise": null,
                          "reason": "not decided", "witness": null},
             %s,
             "counts": {"support": 2, "stronglyActive": 1, "degenerate": 0},
             "scales": {"gradient": 1.25, "entry": 0.5, "hessian": 4.0},
             "notes": []}
            """.formatted(TOLERANCES);

    // ------------------------------------------------------------------------------------------------
    // S-NMF(C = 4), V = [[1]], W = H = [[2]]: R = −3, F = 9, g = (−2(−3)2, −2·2(−3)) = (12, 12), c = 12.
    // γ = 2·max(2 + 8, 2 + 8) = 20, ξ = 2, η = 2·8 + 4·3 = 28. L = {(a, −a)}: d = (1, −1) gives E = 0,
    // dW·dH = −1, q = −4·(−3)(−1) = −12 < 0: not an SOSP.
    static final String SIMPLEX_SADDLE = """
            {"tool": "nmf-oracle certificate v1", "problem": "S-NMF", "C": 4.0, "CExact": "4", "mode": "exact",
             "n": 1, "m": 1, "r": 1, "objective": 9.0,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": 12.0, "multiplierExact": "12", "noise": 0.0,
                      "sum": 4.0, "reason": "exact KKT", "witness": null},
             "sospPaper": {"verdict": "FAILS", "lambdaMin": null, "method": "exact-ldl", "noise": null, "reason": "neg",
                           "witness": {"set": "L", "curvature": -12.0, "curvatureExact": "-12", "dW": [["1"]], "dH": [["-1"]]}},
             "sospCone": {"verdict": "FAILS", "lambdaMin": null, "method": "exact-copositive", "noise": null, "reason": "neg",
                          "witness": {"set": "K", "curvature": -12.0, "curvatureExact": "-12", "dW": [["1"]], "dH": [["-1"]]}},
             "strictModuloSymmetry": {"verdict": "UNDECIDED", "mu": null, "method": null, "noise": null,
                          "reason": "-", "witness": null},
             %s,
             "counts": {"support": 2, "stronglyActive": 0, "degenerate": 0},
             "scales": {"gradient": 20.0, "entry": 2.0, "hessian": 28.0},
             "notes": []}
            """.formatted(TOLERANCES);

    // ------------------------------------------------------------------------------------------------
    // S-NMF(C = 1), V = [[1]], W = [[1]], H = [[0]]: g = (0, −2). W > 0 forces c = 0 and then H(1,1) = 0 has
    // g − c = −2 < 0. Float: the pair (W, H) excludes every c since x_W/ξ = 1 > firstOrder and
    // g_H = −2 < g_W − 2·firstOrder·γ. Estimate c = ⟨x, g⟩/Σx = 0. γ = 2, ξ = 1, η = 6.
    static final String SIMPLEX_CORNER = """
            {"tool": "nmf-oracle certificate v1", "problem": "S-NMF", "C": 1.0, "CExact": "1", "mode": "exact",
             "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "FAILS", "residual": 1.0, "multiplier": 0.0, "multiplierExact": "0", "noise": 0.0,
                      "sum": 1.0, "reason": "active gradient",
                      "witness": {"kind": "active-gradient",
                                  "coordinates": [{"factor": "H", "row": 1, "col": 1, "x": "0", "gradient": -2.0,
                                                   "gradientExact": "-2"}],
                                  "value": -2.0, "valueExact": "-2", "explanation": "c is forced by W"}},
             "sospPaper": {"verdict": "FAILS", "lambdaMin": null, "method": "first-order", "noise": null, "reason": "-",
                           "witness": null},
             "sospCone": {"verdict": "FAILS", "lambdaMin": null, "method": "first-order", "noise": null, "reason": "-",
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "FAILS", "mu": null, "method": "first-order", "noise": null,
                          "reason": "-", "witness": null},
             %s,
             "counts": {"support": 0, "stronglyActive": 0, "degenerate": 0},
             "scales": {"gradient": 2.0, "entry": 1.0, "hessian": 6.0},
             "notes": []}
            """.formatted(TOLERANCES);

    static final String SIMPLEX_CORNER_FLOAT_PAIR = """
            {"tool": "nmf-oracle certificate v1", "problem": "S-NMF", "C": 1.0, "CExact": "1", "mode": "float",
             "n": 1, "m": 1, "r": 1, "objective": 1.0,
             "fosp": {"verdict": "FAILS", "residual": 1.0, "multiplier": 0.0, "multiplierExact": "0", "noise": 1e-16,
                      "sum": 1.0, "reason": "no multiplier fits",
                      "witness": {"kind": "multiplier-pair",
                                  "coordinates": [{"factor": "W", "row": 1, "col": 1, "x": "1", "gradient": 0.0,
                                                   "gradientExact": null},
                                                  {"factor": "H", "row": 1, "col": 1, "x": "0", "gradient": -2.0,
                                                   "gradientExact": null}],
                                  "value": 1.0, "valueExact": null, "explanation": "pair"}},
             "sospPaper": {"verdict": "UNDECIDED", "lambdaMin": null, "method": "first-order", "noise": null, "reason": "-",
                           "witness": null},
             "sospCone": {"verdict": "UNDECIDED", "lambdaMin": null, "method": "first-order", "noise": null, "reason": "-",
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "UNDECIDED", "mu": null, "method": "first-order", "noise": null,
                          "reason": "-", "witness": null},
             %s,
             "counts": {"support": 0, "stronglyActive": 0, "degenerate": 0},
             "scales": {"gradient": 2.0, "entry": 1.0, "hessian": 6.0},
             "notes": []}
            """.formatted(TOLERANCES);

    // ------------------------------------------------------------------------------------------------
    // V = [[0]], W = H = [[0]] (NMF): R = 0, F = 0, g = 0, q ≡ 0: PSD on L and copositive on K, but not
    // positive definite on L-perp-T = L (s_1 = 0): the direction (1, 0) has curvature 0 ≤ 0.
    static final String FLAT = """
            {"tool": "nmf-oracle certificate v1", "problem": "NMF", "C": null, "CExact": null, "mode": "exact",
             "n": 1, "m": 1, "r": 1, "objective": 0.0,
             "fosp": {"verdict": "HOLDS", "residual": 0.0, "multiplier": null, "multiplierExact": null, "noise": 0.0,
                      "sum": null, "reason": "exact KKT", "witness": null},
             "sospPaper": {"verdict": "HOLDS", "lambdaMin": 0.0, "method": "exact-ldl", "noise": null, "reason": "psd",
                           "witness": null},
             "sospCone": {"verdict": "HOLDS", "lambdaMin": 0.0, "method": "exact-copositive", "noise": null, "reason": "cop",
                          "witness": null},
             "strictModuloSymmetry": {"verdict": "FAILS", "mu": 0.0, "method": "exact-ldl", "noise": null, "reason": "null",
                          "witness": {"set": "L-perp-T", "curvature": 0.0, "curvatureExact": "0", "dW": [["1"]], "dH": [["0"]]}},
             %s,
             "counts": {"support": 0, "stronglyActive": 0, "degenerate": 2},
             "scales": {"gradient": 0.0, "entry": 0.0, "hessian": 0.0},
             "notes": []}
            """.formatted(TOLERANCES);
}
