package io.github.nmforacle.certify;

import java.util.Locale;

/** A certificate as a short human-readable table (the default output of {@code certify}). */
public final class CertificateTable {
    private CertificateTable() {
    }

    /** The claims, their proven curvature enclosures, counts, tolerances (float) or budgets (exact), witnesses and notes. */
    public static String render(Certificate c) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "certificate: %s%s, %s mode, V %dx%d, r = %d, objective %.6e (indices 0-based)%n", c.problem(),
                c.C() == null ? "" : String.format(Locale.ROOT, " (C = %.6g)", c.C()), c.mode(), c.n(), c.m(), c.r(),
                c.objective()));
        String fmt = "  %-30s %-10s %-30s %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "claim", "verdict", "value", "why"));
        Certificate.FirstOrder f = c.fosp();
        String fv = f.residual() == null ? "" : String.format(Locale.ROOT, "residual %.2e", f.residual());
        if (f.multiplier() != null) {
            fv += String.format(Locale.ROOT, ", c %.4g", f.multiplier());
        }
        sb.append(String.format(Locale.ROOT, fmt, "first order (KKT)", f.verdict(), fv, f.reason()));
        Certificate.Bounds b = c.bounds() == null ? Certificate.Bounds.NONE : c.bounds();
        sb.append(String.format(Locale.ROOT, fmt, "second order on L (paper)", c.sospPaper().verdict(),
                interval("λ_min", b.paper()), c.sospPaper().reason()));
        sb.append(String.format(Locale.ROOT, fmt, "second order on K (cone)", c.sospCone().verdict(),
                interval("λ_min", b.cone()), c.sospCone().reason()));
        sb.append(String.format(Locale.ROOT, fmt, "strict modulo symmetry", c.strictModuloSymmetry().verdict(),
                interval("μ", b.strict()), c.strictModuloSymmetry().reason()));
        if (f.verdict() == Verdict.HOLDS && c.counts() != null) {
            sb.append(String.format(Locale.ROOT, "  counts: |S| = %d, |A| = %d, |D| = %d%n", c.counts().support(),
                    c.counts().stronglyActive(), c.counts().degenerate()));
        } else {
            sb.append("  counts: not computed (the classification S, A, D exists only at a first-order point)\n");
        }
        sb.append("  curvature bounds are proven enclosures [lower, upper] in the input's units (lower: Gauss–Newton −2‖R‖_F,"
                + " verified Cholesky (for μ bordered by the symmetry directions, Finsler) or exact elimination; upper:"
                + " Rayleigh quotient of the witness); '?' = no bound\n");
        Certificate.TolerancesJson t = c.tolerances();
        if (c.mode().equals("exact")) {
            sb.append(String.format(Locale.ROOT, "  exact mode: certifies the exact rational point given (no tolerances; an"
                    + " iterative solver's output is almost never an exact FOSP); budgets |D| ≤ %d, reduced dimension ≤ %d%n",
                    t.maxDegenerate(), t.maxExactDimension()));
        } else {
            sb.append(String.format(Locale.ROOT, "  tolerances: first-order %.1e, degenerate %.1e, second-order %.1e%s;"
                            + " scales γ %.3e, ξ %.3e, η %.3e%n", t.firstOrder(), t.degenerate(), t.secondOrder(),
                    c.problem().equals("S-NMF") ? String.format(Locale.ROOT, ", sum %.1e", t.sum()) : "",
                    c.scales().gradient(), c.scales().entry(), c.scales().hessian()));
        }
        if (f.witness() != null) {
            sb.append("  first-order witness: ").append(describe(f.witness())).append('\n');
        }
        appendDirection(sb, "L", c.sospPaper().witness());
        appendDirection(sb, "K", c.sospCone().witness());
        appendDirection(sb, "L ⊥ T", c.strictModuloSymmetry().witness());
        for (String note : c.notes()) {
            sb.append("  note: ").append(note).append('\n');
        }
        return sb.toString();
    }

    private static void appendDirection(StringBuilder sb, String set, Object w) {
        if (w instanceof Certificate.DirectionWitness d) {
            sb.append(String.format(Locale.ROOT, "  witness in %s (%s): curvature dᵀ∇²F d = %.6e%s (full direction in --json)%n",
                    set, d.set(), d.curvature(), d.curvatureExact() == null ? "" : " = " + d.curvatureExact()));
        }
    }

    private static String describe(Certificate.FirstOrderWitness w) {
        StringBuilder sb = new StringBuilder(w.kind());
        for (Certificate.Coordinate c : w.coordinates()) {
            sb.append(String.format(Locale.ROOT, " %s[%d,%d] = %.6e with ∂F = %.6e;", c.factor(), c.row(), c.col(),
                    Certifier.toDouble(c.x()), c.gradient()));
        }
        sb.append(' ').append(w.explanation());
        return sb.toString();
    }

    private static String interval(String name, Certificate.Interval iv) {
        if (iv.lower() == null && iv.upper() == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%s ∈ [%s, %s]", name, iv.lower() == null ? "?" : String.format(Locale.ROOT, "%.2e", iv.lower()),
                iv.upper() == null ? "?" : String.format(Locale.ROOT, "%.2e", iv.upper()));
    }
}
