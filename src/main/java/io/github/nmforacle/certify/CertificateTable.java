package io.github.nmforacle.certify;

import java.util.Locale;

/** A certificate as a short human-readable table (the default output of {@code certify}). */
public final class CertificateTable {
    private CertificateTable() {
    }

    public static String render(Certificate c) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "certificate: %s%s, %s mode, V %dx%d, r = %d, objective %.6e%n", c.problem(),
                c.C() == null ? "" : String.format(Locale.ROOT, " (C = %.6g)", c.C()), c.mode(), c.n(), c.m(), c.r(),
                c.objective()));
        String fmt = "  %-30s %-10s %-22s %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "claim", "verdict", "value", "why"));
        Certificate.FirstOrder f = c.fosp();
        String fv = f.residual() == null ? "" : String.format(Locale.ROOT, "residual %.2e", f.residual());
        if (f.multiplier() != null) {
            fv += String.format(Locale.ROOT, ", c %.4g", f.multiplier());
        }
        sb.append(String.format(Locale.ROOT, fmt, "first order (KKT)", f.verdict(), fv, f.reason()));
        sb.append(String.format(Locale.ROOT, fmt, "second order on L (paper)", c.sospPaper().verdict(),
                value("λ_min", c.sospPaper().lambdaMin()), c.sospPaper().reason()));
        sb.append(String.format(Locale.ROOT, fmt, "second order on K (cone)", c.sospCone().verdict(),
                value("λ_min", c.sospCone().lambdaMin()), c.sospCone().reason()));
        sb.append(String.format(Locale.ROOT, fmt, "strict modulo symmetry", c.strictModuloSymmetry().verdict(),
                value("μ", c.strictModuloSymmetry().mu()), c.strictModuloSymmetry().reason()));
        sb.append(String.format(Locale.ROOT, "  counts: |S| = %d, |A| = %d, |D| = %d%n", c.counts().support(),
                c.counts().stronglyActive(), c.counts().degenerate()));
        Certificate.TolerancesJson t = c.tolerances();
        sb.append(String.format(Locale.ROOT, "  tolerances: first-order %.1e, degenerate %.1e, second-order %.1e, sum %.1e;"
                        + " scales γ %.3e, ξ %.3e, η %.3e%n", t.firstOrder(), t.degenerate(), t.secondOrder(), t.sum(),
                c.scales().gradient(), c.scales().entry(), c.scales().hessian()));
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
            sb.append(String.format(Locale.ROOT, " %s(%d,%d) = %.6e with ∂F = %.6e;", c.factor(), c.row(), c.col(),
                    Certifier.parseFraction(c.x()).doubleValue(), c.gradient()));
        }
        sb.append(' ').append(w.explanation());
        return sb.toString();
    }

    private static String value(String name, Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%s %.3e", name, v);
    }
}
