package io.github.nmforacle.reproduce;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.TraceRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Figure 2 of the paper (Example 1): V = I₂, W⁰ = H⁰ = J (the 2×2 all-ones matrix); the error ‖V − WH‖_F per
 * iteration of the concurrent Lee–Seung update ({@code mu-concurrent}: both factors from (W_t, H_t)) against the
 * original alternating one ({@code mu}). Hand derivation (fixtures/example-1/README.md, errata E1): the concurrent
 * iterates alternate (J, J) ↔ (J/4, J/4), so F alternates 10 ↔ 100/64 and the error √10 ↔ 5/4 for ever; the
 * alternating run reaches (J/4, J) after one update, F = 1, and stays there. Every number is dyadic, so the
 * double arithmetic is exact.
 */
public final class Fig2 {
    public static final int DEFAULT_ITERATIONS = 50;
    public static final String CSV_HEADER = "iteration,mu_concurrent_error,mu_error,mu_concurrent_objective,mu_objective";

    private Fig2() {
    }

    /**
     * The two traces, row t = iterate t (t = 0 … iterations).
     *
     * @param concurrent {@code mu-concurrent}
     * @param alternating {@code mu}
     */
    public record Result(int iterations, List<TraceRow> concurrent, List<TraceRow> alternating) {
        /** ‖V − W_tH_t‖_F = √F_t of a trace row. */
        public static double error(TraceRow row) {
            return Math.sqrt(row.objective());
        }
    }

    static DenseMatrix identity() {
        return new DenseMatrix(2, 2, new double[] {1, 0, 0, 1});
    }

    static DenseMatrix ones() {
        return new DenseMatrix(2, 2, new double[] {1, 1, 1, 1});
    }

    /** Runs both algorithms from (J, J) for {@code iterations} updates (objective tolerance 0, one thread). */
    public static Result run(int iterations) {
        if (iterations < 1 || iterations > 1_000_000) {
            throw new IllegalArgumentException("fig2: the number of iterations must be in [1, 1000000], got " + iterations);
        }
        return new Result(iterations, trace("mu-concurrent", iterations), trace("mu", iterations));
    }

    private static List<TraceRow> trace(String algorithm, int iterations) {
        SolverOptions o = SolverOptions.rank(2).withMaxIterations(iterations).withObjectiveTolerance(0).withThreads(1)
                .withInitial(new FactorPair(ones(), ones()));
        SolveResult res = Solvers.byName(algorithm).solve(identity(), o);
        return res.trace();
    }

    public static String csv(Result res) {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (int t = 0; t <= res.iterations(); t++) {
            TraceRow c = res.concurrent().get(t);
            TraceRow a = res.alternating().get(t);
            b.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s%n", t, num(Result.error(c)), num(Result.error(a)),
                    num(c.objective()), num(a.objective())));
        }
        return b.toString();
    }

    /** Shortest decimal that reads back to the same double (Java's Double.toString digits). */
    private static String num(double v) {
        return Double.toString(v);
    }

    public static String report(Result res) {
        StringBuilder b = new StringBuilder();
        b.append("Figure 2 (Example 1): V = I2, W0 = H0 = J (2x2 all-ones); error ||V - W_t H_t||_F per iteration\n");
        b.append("mu-concurrent: W and H both updated from (W_t, H_t) (shapes as corrected in errata E1); mu: alternating"
                + " Lee-Seung\n\n");
        b.append(String.format(Locale.ROOT, "%9s  %-22s  %-22s%n", "iteration", "mu-concurrent error (F)", "mu error (F)"));
        int shown = Math.min(res.iterations(), 6);
        for (int t = 0; t <= res.iterations(); t++) {
            if (t <= shown || t >= res.iterations() - 1) {
                TraceRow c = res.concurrent().get(t);
                TraceRow a = res.alternating().get(t);
                b.append(String.format(Locale.ROOT, "%9d  %-22s  %-22s%n", t,
                        String.format(Locale.ROOT, "%.6f (%s)", Result.error(c), num(c.objective())),
                        String.format(Locale.ROOT, "%.6f (%s)", Result.error(a), num(a.objective()))));
            } else if (t == shown + 1) {
                b.append(String.format(Locale.ROOT, "%9s%n", "..."));
            }
        }
        b.append('\n').append(verdict(res)).append('\n');
        return b.toString();
    }

    /** One line: whether the traces show the period-2 oscillation and the fixed point, read from the numbers. */
    static String verdict(Result res) {
        List<TraceRow> c = res.concurrent();
        List<TraceRow> a = res.alternating();
        boolean period2 = true;
        boolean notPeriod1 = true;
        for (int t = 0; t + 2 < c.size(); t++) {
            period2 &= c.get(t + 2).objective() == c.get(t).objective();
        }
        for (int t = 0; t + 1 < c.size(); t++) {
            notPeriod1 &= c.get(t + 1).objective() != c.get(t).objective();
        }
        boolean fixed = true;
        for (int t = 2; t < a.size(); t++) {
            fixed &= a.get(t).objective() == a.get(1).objective();
        }
        return String.format(Locale.ROOT, "mu-concurrent: %s; mu: %s",
                period2 && notPeriod1 ? String.format(Locale.ROOT, "period-2 oscillation, F = %s <-> %s (never converges)",
                        num(c.get(0).objective()), num(c.get(Math.min(1, c.size() - 1)).objective()))
                        : "NO period-2 oscillation (unexpected)",
                fixed ? String.format(Locale.ROOT, "constant F = %s from iteration 1 on (a fixed point)", num(a.get(Math.min(1, a.size() - 1)).objective()))
                        : "not constant after iteration 1 (unexpected)");
    }

    public static XYChart chart(Result res) {
        XYChart ch = Charts.xy("Fig. 2 (Example 1): concurrent vs alternating Lee-Seung, V = I2, W0 = H0 = all-ones",
                "iteration", "error ||V - WH||_F", 820, 480);
        int k = res.iterations() + 1;
        double[] x = new double[k];
        double[] yc = new double[k];
        double[] ya = new double[k];
        for (int t = 0; t < k; t++) {
            x[t] = t;
            yc[t] = Result.error(res.concurrent().get(t));
            ya[t] = Result.error(res.alternating().get(t));
        }
        XYSeries c = ch.addSeries("mu-concurrent (both factors from step t): oscillates", x, yc);
        c.setMarker(SeriesMarkers.CIRCLE);
        c.setLineColor(Charts.COLORS[1]);
        c.setMarkerColor(Charts.COLORS[1]);
        XYSeries a = ch.addSeries("mu (alternating Lee-Seung): converges (a fixed point, F = 1, after one update)", x, ya);
        a.setMarker(SeriesMarkers.SQUARE);
        a.setLineColor(Charts.COLORS[0]);
        a.setMarkerColor(Charts.COLORS[0]);
        ch.getStyler().setYAxisMin(0.0);
        ch.getStyler().setYAxisMax(Math.ceil(max(yc, ya) + 0.5));
        ch.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        return ch;
    }

    private static double max(double[] a, double[] b) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, v);
        }
        for (double v : b) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Writes fig2.csv, fig2.png and fig2.txt into the folder. */
    public static List<Path> write(Result res, OutputFolder out) {
        return List.of(out.writeText("fig2.csv", csv(res)), out.writePng("fig2.png", List.of(chart(res)), 1, 1),
                out.writeText("fig2.txt", report(res)));
    }
}
