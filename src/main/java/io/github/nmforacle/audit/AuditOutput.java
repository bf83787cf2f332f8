package io.github.nmforacle.audit;

import io.github.nmforacle.io.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The audit as CSV (every run; the summary), a readable table, and a stacked bar chart (PNG). */
public final class AuditOutput {
    private AuditOutput() {
    }

    public static String table(List<Audit.Summary> s) {
        StringBuilder sb = new StringBuilder();
        boolean anyFailed = s.stream().anyMatch(x -> x.counts().get(Audit.Outcome.FAILED) > 0);
        String fmt = "%-20s %-44s %6s %8s %8s %9s %12s %12s %8s %8s";
        sb.append(String.format(Locale.ROOT, fmt, "solver", "instance", "SOSP", "notSOSP", "notFOSP", "undecided",
                "median F", "best F", "iters", "seconds")).append(anyFailed ? String.format(Locale.ROOT, " %6s", "failed") : "")
                .append('\n');
        for (Audit.Summary x : s) {
            sb.append(String.format(Locale.ROOT, "%-20s %-44s %6d %8d %8d %9d %12.4e %12.4e %8.0f %8.2f", x.solver(), x.instance(),
                    x.counts().get(Audit.Outcome.SOSP), x.counts().get(Audit.Outcome.SADDLE), x.counts().get(Audit.Outcome.NOT_FOSP),
                    x.counts().get(Audit.Outcome.UNDECIDED), x.medianObjective(), x.bestObjective(), x.medianIterations(),
                    x.medianSeconds())).append(anyFailed ? String.format(Locale.ROOT, " %6d", x.counts().get(Audit.Outcome.FAILED)) : "")
                    .append('\n');
        }
        return sb.toString();
    }

    public static void writeRuns(List<Audit.Run> runs, Path p) {
        StringBuilder sb = new StringBuilder("solver,instance,start,outcome,objective,relative_error,iterations,seconds,stop,"
                + "fosp,fosp_residual,sosp_paper,reason,escapes,escape_status\n");
        for (Audit.Run r : runs) {
            sb.append(String.join(",", csv(r.solver()), csv(r.instance()), Integer.toString(r.start()), csv(r.outcome().label),
                    Double.toString(r.objective()), Double.toString(r.relativeError()), Integer.toString(r.iterations()),
                    Double.toString(r.seconds()), r.stopReason(), r.fosp(), r.fospResidual() == null ? "" : r.fospResidual().toString(),
                    r.sospPaper(), csv(r.reason()), Integer.toString(r.escapes()),
                    r.escapeStatus() == null ? "" : r.escapeStatus())).append('\n');
        }
        write(p, sb.toString());
    }

    public static void writeSummary(List<Audit.Summary> s, Path p) {
        StringBuilder sb = new StringBuilder("solver,instance,sosp,saddle,not_fosp,undecided,median_objective,best_objective,"
                + "median_iterations,median_seconds,failed\n");
        for (Audit.Summary x : s) {
            sb.append(String.join(",", csv(x.solver()), csv(x.instance()), "" + x.counts().get(Audit.Outcome.SOSP),
                    "" + x.counts().get(Audit.Outcome.SADDLE), "" + x.counts().get(Audit.Outcome.NOT_FOSP),
                    "" + x.counts().get(Audit.Outcome.UNDECIDED), "" + x.medianObjective(), "" + x.bestObjective(),
                    "" + x.medianIterations(), "" + x.medianSeconds(), "" + x.counts().get(Audit.Outcome.FAILED))).append('\n');
        }
        write(p, sb.toString());
    }

    /** A stacked bar per (solver, instance): how many starts ended in each outcome. */
    public static void writeChart(List<Audit.Summary> s, Path p) {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(800, 90 * s.size())).height(720)
                .title("Where each solver ends (certified)").xAxisTitle("solver / instance").yAxisTitle("starts").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setXAxisLabelRotation(45);
        List<String> cats = new ArrayList<>();
        for (Audit.Summary x : s) {
            cats.add(x.solver() + " / " + x.instance());
        }
        for (Audit.Outcome oc : Audit.Outcome.values()) {
            List<Integer> ys = new ArrayList<>();
            for (Audit.Summary x : s) {
                ys.add(x.counts().get(oc));
            }
            chart.addSeries(oc.label, cats, ys);
        }
        try {
            String base = p.toString().endsWith(".png") ? p.toString().substring(0, p.toString().length() - 4) : p.toString();
            BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new InputException(p + ": cannot write the chart: " + e.getMessage());
        }
    }

    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"" : s;
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(p + ": cannot write: " + e.getMessage());
        }
    }
}
