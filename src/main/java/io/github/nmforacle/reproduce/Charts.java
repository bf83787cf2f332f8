package io.github.nmforacle.reproduce;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** XChart helpers: PNG bytes without a display (headless AWT), a common style, fixed colours per series. */
final class Charts {
    static {
        // Must happen before the first AWT class is initialised; a caller's explicit choice is kept.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The 8 bytes every PNG file starts with. */
    static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static final Color[] COLORS = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    static final Marker[] MARKERS = {
            SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP,
            SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.OVAL};

    private Charts() {
    }

    /** An XY chart with the project's style (white background, legend inside, no chart border). */
    static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setPlotGridLinesColor(new Color(0xe6e6e6));
        s.setSeriesColors(COLORS);
        s.setSeriesMarkers(MARKERS);
        s.setAntiAlias(true);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(14f));
        return c;
    }

    /** A line without markers. */
    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, boolean dashed) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        if (dashed) {
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        } else {
            s.setLineStyle(new BasicStroke(2f));
        }
        return s;
    }

    /** Points without a connecting line. */
    static XYSeries points(XYChart c, String name, double[] x, double[] y, Color color, Marker marker) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(color);
        return s;
    }

    /** The charts as one PNG on a rows × cols grid. */
    static byte[] png(List<? extends Chart<?, ?>> charts, int rows, int cols) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            if (charts.size() == 1) {
                BitmapEncoder.saveBitmap(charts.get(0), b, BitmapEncoder.BitmapFormat.PNG);
            } else {
                BitmapEncoder.saveBitmap(charts, rows, cols, b, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the PNG: " + e.getMessage(), e);
        }
        return b.toByteArray();
    }
}
