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
                          List<String> notes, Bounds bounds, Provenance provenance) {

    public static final String TOOL = "nmf-oracle certificate v2";

    /** The same certificate with its curvature enclosures and provenance (added last, by {@link Certifier#certify}). */
    public Certificate with(Bounds b, Provenance p) {
        return new Certificate(tool, problem, C, CExact, mode, n, m, r, objective, fosp, sospPaper, sospCone,
                strictModuloSymmetry, tolerances, counts, scales, notes, b, p);
    }

    /**
     * A proven enclosure lower ≤ value ≤ upper of a curvature, in the input's units, with the method behind each end
     * (issue 12, item 3): nothing an estimate sits here. Methods: lower "gauss-newton" (λ ≥ −2‖R‖_F for every
     * direction, since dᵀ∇²F d = 2‖dW·H + W·dH‖² − 4⟨R, dW·dH⟩ ≥ −2‖R‖₂‖d‖², with a rigorous bound on ‖R‖_F) or
     * "exact-elimination" (0: PSD, copositive or definite, decided over the rationals); upper "witness" (the Rayleigh
     * quotient dᵀ∇²F d/‖d‖² of the claim's verified witness, rounded up). An end that is not known is null with
     * method "none".
     */
    public record Interval(Double lower, String lowerMethod, Double upper, String upperMethod) {
        public static final Interval NONE = new Interval(null, "none", null, "none");
    }

    /**
     * The enclosures of λ_min(∇²F on L) (sospPaper), of min over K of the Rayleigh quotient (sospCone) and of μ on L ⊥ T
     * (strictModuloSymmetry); all NONE when the point is not a verified FOSP (then L is not defined).
     */
    public record Bounds(Interval paper, Interval cone, Interval strict) {
        public static final Bounds NONE = new Bounds(Interval.NONE, Interval.NONE, Interval.NONE);
    }

    /**
     * Where the certificate comes from: the tool version, the options that shape it, and SHA-256 digests of V, W and H
     * (of rows, cols as 8-byte big-endian integers, then the entries as IEEE-754 binary64 big-endian, row-major: the
     * same for a matrix read from .csv, .npy, .mtx or .npz), which the checker recomputes. A sparse V of more than
     * {@link io.github.nmforacle.linalg.DataMatrix#DENSE_MAX_ENTRIES} entries, whose dense stream would take longer to
     * hash than to certify, has the digest of its non-zeros instead ({@link #sha256Sparse}).
     */
    public record Provenance(String version, java.util.Map<String, Object> options, String sha256V, String sha256W,
                             String sha256H) {
        static Provenance of(io.github.nmforacle.linalg.DataMatrix v, io.github.nmforacle.linalg.DenseMatrix w,
                             io.github.nmforacle.linalg.DenseMatrix h, CertifyOptions o) {
            return of(sha256(v), w, h, o);
        }

        /** As above with V's hash given (a distributed V hashes itself, block by block). */
        static Provenance of(String sha256V, io.github.nmforacle.linalg.DenseMatrix w,
                             io.github.nmforacle.linalg.DenseMatrix h, CertifyOptions o) {
            java.util.Map<String, Object> opts = new java.util.LinkedHashMap<>();
            opts.put("mode", o.mode().json());
            opts.put("simplexSum", o.isSimplex() ? Certifier.fraction(o.simplexSum()) : null);
            Tolerances t = o.tolerances();
            if (o.mode() == Mode.FLOAT) {
                opts.put("tolFirstOrder", t.firstOrder());
                opts.put("tolDegenerate", t.degenerate());
                opts.put("tolSecondOrder", t.secondOrder());
                opts.put("tolSum", t.sum());
                opts.put("maxDenseDimension", t.maxDenseDimension());
                opts.put("seed", o.seed());
            } else {
                opts.put("maxDegenerate", t.maxDegenerate());
                opts.put("maxExactDimension", t.maxExactDimension());
            }
            return new Provenance("nmf-oracle " + io.github.nmforacle.Version.project(), java.util.Collections.unmodifiableMap(opts),
                    sha256V, sha256(w), sha256(h));
        }

        /** SHA-256 of rows, cols (8-byte big-endian) and the entries as binary64 big-endian, row-major; hex. */
        public static String sha256(io.github.nmforacle.linalg.DenseMatrix a) {
            return sha256((io.github.nmforacle.linalg.DataMatrix) a);
        }

        /**
         * As above for a dense or sparse matrix (a sparse one streamed with its zeros: the same digest as dense); above
         * {@link io.github.nmforacle.linalg.DataMatrix#DENSE_MAX_ENTRIES} entries a sparse one gets {@link #sha256Sparse}.
         */
        public static String sha256(io.github.nmforacle.linalg.DataMatrix a) {
            io.github.nmforacle.linalg.CsrMatrix c = a instanceof io.github.nmforacle.linalg.CsrMatrix s ? s : null;
            if (c != null && (long) a.rows() * a.cols() > io.github.nmforacle.linalg.DataMatrix.DENSE_MAX_ENTRIES) {
                return sha256Sparse(c);
            }
            java.security.MessageDigest md = sha();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
            b.putLong(a.rows()).putLong(a.cols());
            int[] ip = c == null ? null : c.indptr(), idx = c == null ? null : c.indices();
            double[] d = c == null ? ((io.github.nmforacle.linalg.DenseMatrix) a).data() : c.values();
            for (int i = 0; i < a.rows(); i++) {
                int p = c == null ? i * a.cols() : ip[i];
                for (int j = 0; j < a.cols(); j++) {
                    double x = c == null ? d[p++] : p < ip[i + 1] && idx[p] == j ? d[p++] : 0.0;
                    if (b.remaining() < 8) {
                        md.update(b.array(), 0, b.position());
                        b.clear();
                    }
                    b.putDouble(x);
                }
            }
            md.update(b.array(), 0, b.position());
            return java.util.HexFormat.of().formatHex(md.digest());
        }

        /**
         * The digest of a large sparse matrix: SHA-256 of rows, cols (8-byte big-endian), then for every non-zero entry
         * in row-major order its position i·cols + j (8-byte big-endian) and value (binary64 big-endian); hex.
         */
        public static String sha256Sparse(io.github.nmforacle.linalg.CsrMatrix c) {
            java.security.MessageDigest md = sha();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16);
            b.putLong(c.rows()).putLong(c.cols());
            c.forEach((i, j, x) -> {
                if (x == 0) {
                    return;
                }
                if (b.remaining() < 16) {
                    md.update(b.array(), 0, b.position());
                    b.clear();
                }
                b.putLong((long) i * c.cols() + j).putDouble(x);
            });
            md.update(b.array(), 0, b.position());
            return java.util.HexFormat.of().formatHex(md.digest());
        }

        private static java.security.MessageDigest sha() {
            try {
                return java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every Java platform", e);
            }
        }
    }

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
     * One coordinate of x = (W, H), 0-based (numpy's convention).
     *
     * @param factor   "W" or "H"
     * @param row      0-based row in that factor
     * @param col      0-based column in that factor
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
     * @param method    "exact-ldl", "exact-copositive", "dense-eigen", "lanczos", "verified-cholesky", "first-order"
     *                  (decided by the FOSP verdict), "sandwich", "cone-from-L", "enumeration" (float copositivity on K,
     *                  {@link FloatCone}); informational (certificate "info.methods")
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
     * @param mu       the smallest eigenvalue there (double), null when not computed
     * @param symmetry float NMF: the r×r matrices X (row-major, r² entries each) whose directions P_L t_X = P_L(W̃X, −XH̃)
     *                 span the T behind the verified bound on μ (a hint the checker re-verifies: flat within
     *                 tolerance, and μ on L ⊥ T by its own bordered Cholesky); null when none
     */
    @JsonPropertyOrder({"verdict", "mu", "method", "noise", "reason", "witness", "symmetry"})
    public record Strict(Verdict verdict, Double mu, String method, Double noise, String reason, DirectionWitness witness,
                         double[][] symmetry) {
        public Strict(Verdict verdict, Double mu, String method, Double noise, String reason, DirectionWitness witness) {
            this(verdict, mu, method, noise, reason, witness, null);
        }
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

    /** |S|, |A|, |D| of the classification at the (approximate) FOSP; the certificate's counts are null when FOSP is not HOLDS. */
    @JsonPropertyOrder({"support", "stronglyActive", "degenerate"})
    public record Counts(int support, int stronglyActive, int degenerate) {
    }

    /** The scales γ (gradient), ξ (largest |x_i|) and η (Hessian norm bound) of {@link Tolerances}. */
    @JsonPropertyOrder({"gradient", "entry", "hessian"})
    public record Scales(double gradient, double entry, double hessian) {
    }
}
