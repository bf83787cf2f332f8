package io.github.nmforacle.certify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A certificate: the verdicts on (V, W, H) with their witnesses, margins, tolerances and counts, in the
 * JSON shape of ../shared/spec/certify.md (field names exactly as there; more fields added). Numbers that
 * must be re-checked exactly are also given as exact strings: decimals ("0.1000000000000000055511151231257827")
 * or fractions ("1/3"); {@link io.github.nmforacle.check.Checker} parses both.
 *
 * @param problem   "NMF" or "S-NMF"
 * @param C         the simplex sum of S-NMF (null for NMF)
 * @param CExact    C as an exact rational string (null for NMF)
 * @param mode      "exact" or "float"
 * @param objective F(W, H) = ‖V − WH‖²_F (rounded to double in exact mode)
 * @param scales    γ (gradient), ξ (largest entry), η (Hessian) used by the relative tolerances
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"tool", "problem", "C", "CExact", "mode", "n", "m", "r", "objective", "fosp", "sospPaper", "sospCone",
        "strictModuloSymmetry", "tolerances", "counts", "scales", "notes"})
public record Certificate(String tool, String problem, Double C, String CExact, String mode, int n, int m, int r,
                          double objective, FirstOrder fosp, SecondOrder sospPaper, SecondOrder sospCone,
                          Strict strictModuloSymmetry, TolerancesJson tolerances, Counts counts, Scales scales,
                          List<String> notes) {

    public static final String TOOL = "nmf-oracle certificate v1";

    /**
     * First order, paper (1) for NMF and (3) for S-NMF.
     *
     * @param residual        max_i |min(x_i·γ/ξ, g_i − c)|/γ (float); in exact mode the same quantity rounded (0 iff FOSP)
     * @param multiplier      c of (3): exact in exact mode; in float mode the estimate ⟨x, ∇F⟩/Σx; null for NMF
     * @param multiplierExact c as an exact rational string (null for NMF)
     * @param noise           rigorous bound on the rounding error in the residual (0 in exact mode)
     * @param sum             S-NMF: Σx as a double (null for NMF)
     * @param reason          why the verdict is what it is, one line
     */
    @JsonPropertyOrder({"verdict", "residual", "multiplier", "multiplierExact", "noise", "sum", "reason", "witness"})
    public record FirstOrder(Verdict verdict, Double residual, Double multiplier, String multiplierExact, double noise,
                             Double sum, String reason, FirstOrderWitness witness) {
    }

    /**
     * A violated first-order condition.
     *
     * @param kind        "negative-entry" (x_i &lt; 0), "support-gradient" (x_i &gt; 0, g_i ≠ c), "active-gradient"
     *                    (x_i = 0 or tiny, g_i − c &lt; 0), "sum-constraint" (Σx ≠ C), "multiplier-pair" (two
     *                    coordinates that no single c can satisfy: first has large x_i, second has g below it by
     *                    more than twice the tolerance; S-NMF float mode)
     * @param coordinates the coordinates involved (one, or two for a pair; none for the sum)
     * @param value       the violation in the certificate's units (relative residual in float mode, exact g_i − c
     *                    or x_i in exact mode), as a double
     * @param valueExact  the same as an exact rational string (exact mode), else null
     */
    @JsonPropertyOrder({"kind", "coordinates", "value", "valueExact", "explanation"})
    public record FirstOrderWitness(String kind, List<Coordinate> coordinates, double value, String valueExact,
                                    String explanation) {
    }

    /**
     * One coordinate of x = (W, H), 1-based.
     *
     * @param factor   "W" or "H"
     * @param row      1-based row in that factor
     * @param col      1-based column in that factor
     * @param x        the entry as an exact decimal string
     * @param gradient ∂F/∂x at the point (double; exact string in gradientExact in exact mode)
     */
    @JsonPropertyOrder({"factor", "row", "col", "x", "gradient", "gradientExact"})
    public record Coordinate(String factor, int row, int col, String x, double gradient, String gradientExact) {
    }

    /**
     * A second-order claim: PSD on L (sospPaper) or copositive on K (sospCone).
     *
     * @param lambdaMin the smallest eigenvalue of ∇²F restricted to L (double; for sospCone the one on L ∩ {d_D = 0});
     *                  null when not computed; an upper estimate (Ritz value) when method is "lanczos"
     * @param method    "exact-ldl", "exact-copositive", "dense-eigen", "lanczos", "first-order" (decided by the FOSP
     *                  verdict), "sandwich"
     * @param noise     bound on the rounding error of lambdaMin (float)
     */
    @JsonPropertyOrder({"verdict", "lambdaMin", "method", "noise", "reason", "witness"})
    public record SecondOrder(Verdict verdict, Double lambdaMin, String method, Double noise, String reason,
                              Object witness) {
    }

    /**
     * The strictness claim: ∇²F positive definite on L ∩ T⊥, T = the orbit tangents (WX, −XH) of GL(r) that are flat
     * on L (proofs-notes/symmetry-gl-r.md; it contains the scalings s_k of Lemma 3 at an NMF FOSP).
     *
     * @param mu the smallest eigenvalue there (double), null when not computed
     */
    @JsonPropertyOrder({"verdict", "mu", "method", "noise", "reason", "witness"})
    public record Strict(Verdict verdict, Double mu, String method, Double noise, String reason, DirectionWitness witness) {
    }

    /**
     * A direction d = (dW, dH) with its curvature dᵀ∇²F d; entries are exact decimal or fraction strings, so that
     * membership (d_A = 0, Σd = 0, d_D ≥ 0, d ⊥ s_k) can be checked exactly.
     *
     * @param set            "L", "K", "L0" (L ∩ {d_D = 0}) or "L-perp-T" (L with the symmetry directions projected out)
     * @param curvature      dᵀ∇²F d as a double
     * @param curvatureExact the same as an exact rational (exact mode), else null
     */
    @JsonPropertyOrder({"set", "curvature", "curvatureExact", "dW", "dH"})
    public record DirectionWitness(String set, double curvature, String curvatureExact, String[][] dW, String[][] dH) {
    }

    /** The tolerances as given (see {@link Tolerances}). */
    @JsonPropertyOrder({"firstOrder", "degenerate", "secondOrder", "sum", "maxDegenerate", "maxDenseDimension", "maxExactDimension"})
    public record TolerancesJson(double firstOrder, double degenerate, double secondOrder, double sum, int maxDegenerate,
                                 int maxDenseDimension, int maxExactDimension) {
        public static TolerancesJson of(Tolerances t) {
            return new TolerancesJson(t.firstOrder(), t.degenerate(), t.secondOrder(), t.sum(), t.maxDegenerate(),
                    t.maxDenseDimension(), t.maxExactDimension());
        }

        public Tolerances toTolerances() {
            return new Tolerances(firstOrder, degenerate, secondOrder, sum, maxDegenerate, maxDenseDimension, maxExactDimension);
        }
    }

    /** |S|, |A|, |D| of the classification at the (approximate) FOSP; null-free, zeros when FOSP fails. */
    @JsonPropertyOrder({"support", "stronglyActive", "degenerate"})
    public record Counts(int support, int stronglyActive, int degenerate) {
    }

    /** The scales γ (gradient), ξ (largest |x_i|) and η (Hessian norm bound) of {@link Tolerances}. */
    @JsonPropertyOrder({"gradient", "entry", "hessian"})
    public record Scales(double gradient, double entry, double hessian) {
    }
}
