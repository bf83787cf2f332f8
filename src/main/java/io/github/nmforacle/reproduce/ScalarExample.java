package io.github.nmforacle.reproduce;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.linalg.DenseMatrix;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hipparchus.fraction.BigFraction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The illustrative example of the paper's Section 2.1: V = [1], r = 1, F(x, y) = (1 − xy)², as NMF, as S-NMF with
 * C = 1 and as S-NMF with C = 4. For representative points it puts side by side: whether the paper's printed lists
 * contain the point, what proofs-notes/scalar-example.md derives by hand (first order, second order on L and on the
 * cone K, strictness modulo the scaling symmetry, the multiplier c, λ_min(L) and μ), and the certifier's verdicts
 * (exact mode on points that are doubles exactly; float mode on the irrational points 2 ± √3, rounded to doubles).
 */
public final class ScalarExample {
    public static final String CSV_HEADER = "problem,point,x,y,mode,paper_fosp,paper_sosp,derived_fosp,derived_sosp,"
            + "derived_strict,derived_c,derived_lambda_min,derived_mu,certifier_fosp,certifier_c,certifier_sosp_paper,"
            + "certifier_sosp_cone,certifier_strict,certifier_lambda_min,certifier_mu,agrees,note";

    private static final double SQRT3 = Math.sqrt(3);

    private ScalarExample() {
    }

    /** The three problems of Section 2.1. */
    public enum Problem {
        NMF("NMF", null), SNMF_1("S-NMF C=1", BigFraction.ONE), SNMF_4("S-NMF C=4", new BigFraction(4));

        public final String label;
        public final BigFraction c;

        Problem(String label, BigFraction c) {
            this.label = label;
            this.c = c;
        }
    }

    /**
     * A representative point with the paper's claims and our hand derivation (scalar-example.md).
     *
     * @param exact         whether (x, y) are the point itself (false: doubles nearest to an irrational point, float mode)
     * @param derivedC      the multiplier c of (3) for S-NMF FOSPs ("-" otherwise)
     * @param lambdaMin     λ_min(L) per unit length at a FOSP (null at a non-FOSP)
     * @param mu            μ, the least eigenvalue on L ∩ T^⊥ (null at a non-FOSP)
     * @param note          why, with the section of scalar-example.md / the erratum
     */
    public record Point(Problem problem, String label, double x, double y, boolean exact, boolean paperFosp,
                        boolean paperSosp, boolean fosp, boolean sosp, boolean strict, String derivedC, Double lambdaMin,
                        Double mu, String note) {
        public Mode mode() {
            return exact ? Mode.EXACT : Mode.FLOAT;
        }
    }

    /** A point with the certificate computed for it. */
    public record Row(Point point, Certificate certificate) {
        public Verdict fosp() {
            return certificate.fosp().verdict();
        }

        public Verdict sospPaper() {
            return certificate.sospPaper().verdict();
        }

        public Verdict sospCone() {
            return certificate.sospCone().verdict();
        }

        public Verdict strict() {
            return certificate.strictModuloSymmetry().verdict();
        }

        /**
         * The certifier agrees with the derivation: every claim that holds is HOLDS; a claim that does not hold is
         * FAILS, except that float mode may answer UNDECIDED on the cone and strict claims when sospPaper already FAILS
         * (float mode gives no witness there; never HOLDS); and where the derivation gives λ_min(L) or μ, the
         * certifier's value is the same to 1e-9 (relative).
         */
        public boolean agrees() {
            Point p = point;
            boolean firstOrder = fosp() == expected(p.fosp());
            boolean paper = sospPaper() == expected(p.sosp());
            boolean cone = sospCone() == expected(p.sosp()) || (!p.exact() && !p.sosp() && sospCone() == Verdict.UNDECIDED);
            boolean strict = strict() == expected(p.strict()) || (!p.exact() && !p.strict() && strict() == Verdict.UNDECIDED);
            return firstOrder && paper && cone && strict && close(p.lambdaMin(), certificate.sospPaper().lambdaMin())
                    && close(p.mu(), certificate.strictModuloSymmetry().mu());
        }

        /** Derived and certified numbers agree to 1e-9 (relative) where the derivation gives one. */
        private static boolean close(Double derived, Double certified) {
            if (derived == null) {
                return true;
            }
            return certified != null && Math.abs(derived - certified) <= 1e-9 * Math.max(1, Math.abs(derived));
        }

        private static Verdict expected(boolean holds) {
            return holds ? Verdict.HOLDS : Verdict.FAILS;
        }
    }

    /** The representative points, in table order. */
    public static List<Point> points() {
        List<Point> p = new ArrayList<>();
        Problem nmf = Problem.NMF;
        p.add(new Point(nmf, "(0, 0)", 0, 0, true, true, false, true, false, false, "-", -2.0, -2.0,
                "origin: g = 0, a FOSP (both coordinates degenerate); q(1,1) = -4 < 0 with (1,1) in K: not an SOSP (§2.1)"));
        p.add(new Point(nmf, "(1, 0)", 1, 0, true, true, false, false, false, false, "-", null, null,
                "open x-axis: dF/dy = -2x < 0 at y = 0, F decreases into y > 0: printed as FOSP, is not (E4, §1)"));
        p.add(new Point(nmf, "(0, 2)", 0, 2, true, true, false, false, false, false, "-", null, null,
                "open y-axis: dF/dx = -2y < 0 at x = 0: printed as FOSP, is not (E4, §1)"));
        p.add(new Point(nmf, "(1, 1)", 1, 1, true, true, true, true, true, true, "-", 0.0, 4.0,
                "hyperbola xy = 1: global minimum; kernel = scaling direction (x, -y); mu = 2(x^2 + y^2) = 4 (§2.2)"));
        p.add(new Point(nmf, "(2, 1/2)", 2, 0.5, true, true, true, true, true, true, "-", 0.0, 8.5,
                "hyperbola xy = 1: mu = 2(4 + 1/4) = 17/2 (§2.2, fixture scalar-nmf-hyperbola)"));
        p.add(new Point(nmf, "(2+√3, 2−√3)", 2 + SQRT3, 2 - SQRT3, false, true, true, true, true, true, "-", 0.0, 28.0,
                "hyperbola xy = 1 (irrational; the doubles, float mode): mu = 2(x^2 + y^2) = 28 (§2.2)"));
        p.add(new Point(nmf, "(1/2, 1/2)", 0.5, 0.5, true, false, false, false, false, false, "-", null, null,
                "control: interior, g = (-3/4, -3/4) != 0"));
        Problem c1 = Problem.SNMF_1;
        p.add(new Point(c1, "(0, 1)", 0, 1, true, true, false, false, false, false, "-", null, null,
                "vertex: support fixes c = g_y = 0, but g_x - c = -2 < 0: printed as FOSP, is not (E5, §3.1)"));
        p.add(new Point(c1, "(1, 0)", 1, 0, true, true, false, false, false, false, "-", null, null,
                "vertex: c = g_x = 0, g_y - c = -2 < 0: printed as FOSP, is not (E5, §3.1)"));
        p.add(new Point(c1, "(1/2, 1/2)", 0.5, 0.5, true, true, true, true, true, true, "-3/4", 1.5, 1.5,
                "the only FOSP, c = -3/4 != 0 (C = 1 < C* = 2, Lemma 2 does not apply); q(1,-1) = 3, strict min (§3.2-3.3)"));
        p.add(new Point(c1, "(1/4, 3/4)", 0.25, 0.75, true, false, false, false, false, false, "-", null, null,
                "control: g_x != g_y on the support"));
        Problem c4 = Problem.SNMF_4;
        p.add(new Point(c4, "(0, 1)", 0, 1, true, true, false, false, false, false, "-", null, null,
                "not feasible: x + y = 1 != 4 (copied from the C = 1 list; E6, §4.1)"));
        p.add(new Point(c4, "(1, 0)", 1, 0, true, true, false, false, false, false, "-", null, null,
                "not feasible: x + y = 1 != 4 (E6, §4.1)"));
        p.add(new Point(c4, "(0, 4)", 0, 4, true, false, false, false, false, false, "-", null, null,
                "vertex of this simplex: g = (-8, 0), c = 0, -8 < 0: not a FOSP (E6, §4.1)"));
        p.add(new Point(c4, "(4, 0)", 4, 0, true, false, false, false, false, false, "-", null, null,
                "vertex: g = (0, -8): not a FOSP (E6, §4.1)"));
        p.add(new Point(c4, "(2, 2)", 2, 2, true, true, false, true, false, false, "12", -6.0, -6.0,
                "FOSP with c = 12; q(1,-1) = -12: a saddle (local max along the segment), not an SOSP (§4.2)"));
        p.add(new Point(c4, "(2+√3, 2−√3)", 2 + SQRT3, 2 - SQRT3, false, true, true, true, true, true, "0", 12.0, 12.0,
                "xy = 1, c = 0 (Lemma 2); q(1,-1) = 24, lambda = mu = 12; an NMF SOSP too (Theorem 2) (§4.2)"));
        p.add(new Point(c4, "(2−√3, 2+√3)", 2 - SQRT3, 2 + SQRT3, false, true, true, true, true, true, "0", 12.0, 12.0,
                "the mirror image (§4.2)"));
        p.add(new Point(c4, "(1, 3)", 1, 3, true, false, false, false, false, false, "-", null, null,
                "control: g = (-12, -4), not equal on the support"));
        return p;
    }

    /** Certifies every representative point (V = [1]; NMF or S-NMF(C); exact or float mode as the point says). */
    public static List<Row> run() {
        DenseMatrix v = new DenseMatrix(1, 1, new double[] {1});
        List<Row> rows = new ArrayList<>();
        for (Point p : points()) {
            CertifyOptions o = p.problem().c == null ? CertifyOptions.nmf(p.mode()) : CertifyOptions.simplex(p.problem().c, p.mode());
            Certificate cert = Certifier.certify(v, new DenseMatrix(1, 1, new double[] {p.x()}),
                    new DenseMatrix(1, 1, new double[] {p.y()}), o);
            rows.add(new Row(p, cert));
        }
        return rows;
    }

    // ---------------------------------------------------------------- the sets

    /** Printed and derived sets, per problem: {problem, printed FOSPs, derived FOSPs, printed SOSPs, derived SOSPs}. */
    public static final String[][] SETS = {
            {"NMF: min (1 − xy)², x, y ≥ 0",
                    "{(x, 0)} ∪ {(0, y)} ∪ {xy = 1}",
                    "{(0, 0)} ∪ {(x, 1/x) : x > 0}",
                    "{xy = 1}",
                    "{xy = 1} (on L and on the cone K) ✓"},
            {"S-NMF, x + y = 1 (C = 1 < C* = 2)",
                    "{(0, 1), (1, 0), (1/2, 1/2)}",
                    "{(1/2, 1/2)} (c = −3/4)",
                    "{(1/2, 1/2)}",
                    "{(1/2, 1/2)} ✓"},
            {"S-NMF, x + y = 4 (C = 4 = Algorithm 1's C > C*)",
                    "{(0, 1), (1, 0), (2, 2), (2 − √3, 2 + √3), (2 + √3, 2 − √3)}",
                    "{(2, 2)} (c = 12) ∪ {(2 ± √3, 2 ∓ √3)} (c = 0)",
                    "{(2 − √3, 2 + √3), (2 + √3, 2 − √3)}",
                    "{(2 ± √3, 2 ∓ √3)} ✓"}};

    // ---------------------------------------------------------------- outputs

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String num(Double d) {
        if (d == null) {
            return "";
        }
        double r = Math.rint(d * 1e9) / 1e9;  // the certifier's doubles carry rounding (3.9999999999999996)
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", r)).stripTrailingZeros().toPlainString();
    }

    private static String certC(Certificate c) {
        if (c.fosp().multiplierExact() == null) {
            return c.fosp().multiplier() == null ? "" : num(c.fosp().multiplier());
        }
        String s = c.fosp().multiplierExact();
        if (s.length() > 12) {  // a float-mode estimate printed as a long exact decimal
            return String.format(Locale.ROOT, "%.3g", c.fosp().multiplier());
        }
        return s;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    public static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            Point p = r.point();
            Certificate c = r.certificate();
            List<String> f = List.of(p.problem().label, p.label(), Double.toString(p.x()), Double.toString(p.y()),
                    p.mode().json(), yesNo(p.paperFosp()), yesNo(p.paperSosp()), yesNo(p.fosp()), yesNo(p.sosp()),
                    yesNo(p.strict()), p.derivedC(), num(p.lambdaMin()), num(p.mu()), r.fosp().name(), certC(c),
                    r.sospPaper().name(), r.sospCone().name(), r.strict().name(), num(c.sospPaper().lambdaMin()),
                    num(c.strictModuloSymmetry().mu()), yesNo(r.agrees()), p.note());
            b.append(String.join(",", f.stream().map(ScalarExample::csvField).toList())).append('\n');
        }
        return b.toString();
    }

    private static String md(String s) {
        return s.replace("|", "\\|");
    }

    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("# Section 2.1 of the paper: V = [1], r = 1, F(x, y) = (1 − xy)²\n\n");
        b.append("Written by `nmf-oracle reproduce example-2-1`. Thresholds: C* = 2r(nm)^{1/4}√‖V‖_F = 2; Algorithm 1 uses "
                + "C = 4r(nm)^{1/4}√‖V‖_F = 4. Derivations: proofs-notes/scalar-example.md; errata E4–E6.\n\n");
        b.append("## The sets: printed (paper) and derived (scalar-example.md)\n\n");
        b.append("| problem | printed FOSPs | derived FOSPs | printed SOSPs | derived SOSPs |\n");
        b.append("| --- | --- | --- | --- | --- |\n");
        for (String[] s : SETS) {
            b.append("| ").append(String.join(" | ", List.of(s).stream().map(ScalarExample::md).toList())).append(" |\n");
        }
        b.append("\nEvery printed SOSP set is right; every printed FOSP set contains points that are not first-order stationary "
                + "(they are the fixed points of the multiplicative updates: x_i·(g_i − c) = 0 without the sign condition on "
                + "zero coordinates).\n\n");
        b.append("## Representative points: paper, derivation, certifier\n\n");
        b.append("Certifier: `Certifier.certify(V, W, H, CertifyOptions.nmf(mode))` or `CertifyOptions.simplex(C, mode)`; exact "
                + "mode where the point is a double exactly, float mode for 2 ± √3 (the nearest doubles). Claims: fosp, sospPaper "
                + "(PSD on L), sospCone (copositive on K), strict (modulo the scaling symmetry). λ = λ_min(L) per unit length.\n\n");
        b.append("| problem | point | in printed FOSPs | in printed SOSPs | derived: FOSP / SOSP / strict (c, λ, μ) | mode "
                + "| certifier: fosp / sospPaper / sospCone / strict | certifier c, λ, μ | agrees | why |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            Point p = r.point();
            Certificate c = r.certificate();
            String cText = p.problem() == Problem.NMF ? "" : "c = " + p.derivedC() + ", ";
            String derived = yesNo(p.fosp()) + " / " + yesNo(p.sosp()) + " / " + yesNo(p.strict())
                    + (p.fosp() ? " (" + cText + "λ = " + num(p.lambdaMin()) + ", μ = " + num(p.mu()) + ")" : "");
            String cert = r.fosp() + " / " + r.sospPaper() + " / " + r.sospCone() + " / " + r.strict();
            String cnum = r.fosp() == Verdict.HOLDS ? (p.problem() == Problem.NMF ? "" : "c = " + certC(c) + ", ") + "λ = "
                    + num(c.sospPaper().lambdaMin()) + ", μ = " + num(c.strictModuloSymmetry().mu())
                    : md(String.valueOf(c.fosp().reason()));
            b.append("| ").append(String.join(" | ", List.of(p.problem().label, p.label(), yesNo(p.paperFosp()),
                    yesNo(p.paperSosp()), derived, p.mode().json(), cert, md(cnum), r.agrees() ? "yes" : "**NO**", md(p.note()))))
                    .append(" |\n");
        }
        long disagree = rows.stream().filter(r -> !r.agrees()).count();
        b.append('\n').append(disagree == 0 ? "The certifier agrees with the derivation on all " + rows.size() + " points."
                : "**The certifier disagrees with the derivation on " + disagree + " of " + rows.size() + " points.**").append('\n');
        b.append("\nNote: the doubles nearest to 2 ± √3 are not exactly on xy = 1, so exact mode (rightly) reports them as not "
                + "first-order stationary; float mode decides within its tolerance (first-order 1e-6, relative) and rounding bands.\n");
        return b.toString();
    }

    // ---------------------------------------------------------------- chart

    private static final Color SOSP = new Color(0x2ca02c);
    private static final Color SADDLE = new Color(0xff7f0e);
    private static final Color NOT_FOSP = new Color(0xd62728);

    /** Certifier's classification of a row: 0 = SOSP (sospPaper HOLDS), 1 = FOSP only, 2 = not a FOSP. */
    private static int kind(Row r) {
        if (r.fosp() != Verdict.HOLDS) {
            return 2;
        }
        return r.sospPaper() == Verdict.HOLDS ? 0 : 1;
    }

    private static void markPoints(XYChart ch, List<Row> rows, boolean onSegment, double cSum) {
        String[] names = {"certified SOSP", "certified FOSP, not SOSP", "not a FOSP (certifier FAILS)"};
        Color[] colors = {SOSP, SADDLE, NOT_FOSP};
        for (int k = 0; k < 3; k++) {
            List<double[]> xy = new ArrayList<>();
            for (Row r : rows) {
                if (kind(r) != k) {
                    continue;
                }
                double x = r.point().x();
                double y = r.point().y();
                if (onSegment) {
                    if (Math.abs(x + y - cSum) > 1e-9) {
                        continue;  // not on this simplex (the printed (0,1), (1,0) for C = 4)
                    }
                    xy.add(new double[] {x, f(x, y)});
                } else {
                    xy.add(new double[] {x, y});
                }
            }
            if (xy.isEmpty()) {
                continue;
            }
            double[] xs = xy.stream().mapToDouble(a -> a[0]).toArray();
            double[] ys = xy.stream().mapToDouble(a -> a[1]).toArray();
            Charts.points(ch, names[k], xs, ys, colors[k], k == 2 ? SeriesMarkers.CROSS : k == 1 ? SeriesMarkers.DIAMOND
                    : SeriesMarkers.CIRCLE).setMarkerColor(colors[k]);
        }
    }

    static double f(double x, double y) {
        double r = 1 - x * y;
        return r * r;
    }

    /** Three panels: the NMF plane (level set F = 0, the simplices), F along x + y = 1, F along x + y = 4. */
    public static List<XYChart> charts(List<Row> rows) {
        List<XYChart> out = new ArrayList<>();
        // (a) the NMF plane
        XYChart a = Charts.xy("NMF: x, y >= 0 (F = 0 on xy = 1)", "x (W)", "y (H)", 560, 520);
        int k = 200;
        double[] hx = new double[k];
        double[] hy = new double[k];
        for (int i = 0; i < k; i++) {
            hx[i] = 0.24 + (4.2 - 0.24) * i / (k - 1);
            hy[i] = 1 / hx[i];
        }
        Charts.line(a, "xy = 1: FOSPs and SOSPs (true and printed)", hx, hy, SOSP, false);
        Charts.line(a, "axes: printed as FOSPs, are not (E4)", new double[] {0, 0, 4.2}, new double[] {4.2, 0, 0}, NOT_FOSP, true);
        Charts.line(a, "x + y = 1 (S-NMF, C = 1)", new double[] {0, 1}, new double[] {1, 0}, Color.GRAY, true);
        Charts.line(a, "x + y = 4 (S-NMF, C = 4)", new double[] {0, 4}, new double[] {4, 0}, Color.LIGHT_GRAY, true);
        markPoints(a, rows.stream().filter(r -> r.point().problem() == Problem.NMF).toList(), false, 0);
        a.getStyler().setXAxisMin(-0.1);
        a.getStyler().setXAxisMax(4.2);
        a.getStyler().setYAxisMin(-0.1);
        a.getStyler().setYAxisMax(4.2);
        a.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        out.add(a);
        // (b), (c) F along the segments
        for (Problem p : new Problem[] {Problem.SNMF_1, Problem.SNMF_4}) {
            double cs = p.c.doubleValue();
            XYChart ch = Charts.xy(String.format(Locale.ROOT, "S-NMF, C = %s: F(x, %s - x)%s", p.c, p.c,
                    p == Problem.SNMF_4 ? "  (printed (0,1), (1,0) are not on it)" : ""), "x (y = C - x)", "F = (1 - xy)^2", 560, 520);
            double[] x = new double[k];
            double[] y = new double[k];
            for (int i = 0; i < k; i++) {
                x[i] = cs * i / (k - 1);
                y[i] = f(x[i], cs - x[i]);
            }
            Charts.line(ch, "F along x + y = " + p.c, x, y, Color.DARK_GRAY, false);
            markPoints(ch, rows.stream().filter(r -> r.point().problem() == p).toList(), true, cs);
            // legend where the curve is not: top centre for C = 1 (F ≈ 0.56 there), top right for C = 4 (F ≤ 1 near x = 4)
            ch.getStyler().setLegendPosition(p == Problem.SNMF_4 ? org.knowm.xchart.style.Styler.LegendPosition.InsideNE
                    : org.knowm.xchart.style.Styler.LegendPosition.InsideN);
            ch.getStyler().setYAxisMin(0.0);
            ch.getStyler().setYAxisMax(p == Problem.SNMF_4 ? 14.0 : 1.15);
            out.add(ch);
        }
        return out;
    }

    /** Writes example-2-1.csv, example-2-1.md and example-2-1.png into the folder. */
    public static List<Path> write(List<Row> rows, OutputFolder out) {
        return List.of(out.writeText("example-2-1.csv", csv(rows)), out.writeText("example-2-1.md", markdown(rows)),
                out.writePng("example-2-1.png", charts(rows), 1, 3));
    }
}
