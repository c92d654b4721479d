package io.asyncflow.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Latency distributions as cumulative curves (x: latency in ms on a logarithmic axis, y: share of
 * requests at or under it), one curve per series, drawn with XChart into a PNG. The axis is
 * logarithmic so a 2 ms hop and a 5 s backlog stay readable on one plot.
 */
final class LatencyPlot {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 650;
    /** Points per curve: quantiles 0.5 %, 1 %, ... 100 %. */
    private static final int POINTS = 200;
    /** The left end of the axis: latencies under 1 ms are drawn at 1 ms. */
    private static final double MIN_MS = 1;

    private final Map<String, long[]> series = new LinkedHashMap<>();

    /** Adds a series of latencies in nanoseconds, sorted ascending. */
    LatencyPlot add(String label, long[] sortedNanos) {
        if (sortedNanos.length > 0) {
            series.put(label, sortedNanos);
        }
        return this;
    }

    void write(Path file, String title) throws IOException {
        BitmapEncoder.saveBitmap(chart(title), file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The chart: one line per series through its quantiles, on a log latency axis up to the decade above the slowest p99.9. */
    XYChart chart(String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("latency (ms, logarithmic)").yAxisTitle("share of requests at or under it").build();
        XYStyler styler = chart.getStyler();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(MIN_MS);
        chart.getStyler().setXAxisMax(decadeCeiling(series.values().stream()
                .mapToDouble(v -> Samples.Summary.at(v, 0.999) / 1e6).max().orElse(100)));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setYAxisTickMarkSpacingHint(60);
        styler.setYAxisDecimalPattern("0.0");
        styler.setXAxisDecimalPattern("#,##0");
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        series.forEach((label, sorted) -> {
            List<Double> xs = new ArrayList<>(POINTS);
            List<Double> ys = new ArrayList<>(POINTS);
            for (int p = 0; p < POINTS; p++) {
                double q = (p + 1) / (double) POINTS;
                xs.add(Math.max(MIN_MS, Samples.Summary.at(sorted, q) / 1e6));
                ys.add(q);
            }
            XYSeries line = chart.addSeries(label, xs, ys);
            line.setMarker(SeriesMarkers.NONE);
        });
        return chart;
    }

    /** The smallest power of ten at or above {@code ms} (at least 10). */
    static double decadeCeiling(double ms) {
        double decade = 10;
        while (decade < ms) {
            decade *= 10;
        }
        return decade;
    }
}
