package io.asyncflow.app.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws latency distributions as cumulative curves (x: latency in ms on a logarithmic axis, y: share
 * of requests at or under it) into a PNG with Java2D, one coloured curve per series. The axis is
 * logarithmic so a 2 ms hop and a 5 s backlog stay readable on one plot.
 */
final class LatencyPlot {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 650;
    private static final int LEFT = 80;
    private static final int RIGHT = 360;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    /** The left end of the axis: latencies under 1 ms are drawn at 1 ms. */
    private static final double MIN_MS = 1;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private final Map<String, long[]> series = new LinkedHashMap<>();

    /** Adds a series of latencies in nanoseconds, sorted ascending. */
    LatencyPlot add(String label, long[] sortedNanos) {
        if (sortedNanos.length > 0) {
            series.put(label, sortedNanos);
        }
        return this;
    }

    void write(Path file, String title) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxMs = decadeCeiling(series.values().stream()
                .mapToDouble(v -> Samples.Summary.at(v, 0.999) / 1e6).max().orElse(100));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int decades = (int) Math.round(Math.log10(maxMs / MIN_MS));
        for (int d = 0; d <= decades; d++) {
            for (int m = 1; m < 10 && (d < decades || m == 1); m++) {
                int x = xOf(MIN_MS * Math.pow(10, d) * m, maxMs, plotW);
                g.setColor(m == 1 ? new Color(0xcccccc) : new Color(0xf0f0f0));
                g.drawLine(x, TOP, x, TOP + plotH);
                if (m == 1 || m == 2 || m == 5) {
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(label(MIN_MS * Math.pow(10, d) * m), x - 10, TOP + plotH + 18);
                }
            }
        }
        for (int i = 0; i <= 10; i++) {
            int y = TOP + plotH - plotH * i / 10;
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(i * 10 + "%", LEFT - 40, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("latency (ms, logarithmic), curves cut at p99.9", LEFT + plotW / 2 - 130, HEIGHT - 25);
        g.drawString("share of requests", 10, TOP - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int index = 0;
        for (Map.Entry<String, long[]> e : series.entrySet()) {
            Color color = COLORS[index % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            long[] v = e.getValue();
            int points = Math.min(v.length, 2000);
            int prevX = -1;
            int prevY = -1;
            for (int p = 0; p < points; p++) {
                double q = (p + 1) / (double) points;
                double ms = Samples.Summary.at(v, q) / 1e6;
                if (ms > maxMs) {
                    break;
                }
                int x = xOf(ms, maxMs, plotW);
                int y = TOP + plotH - (int) (plotH * q);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, x, y);
                }
                prevX = x;
                prevY = y;
            }
            int ly = TOP + 10 + index * 22;
            g.fillRect(WIDTH - RIGHT + 20, ly - 8, 18, 8);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), WIDTH - RIGHT + 44, ly);
            index++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** The x of {@code ms} on the logarithmic axis from {@link #MIN_MS} to {@code maxMs}; faster ones sit at the left edge. */
    private static int xOf(double ms, double maxMs, int plotW) {
        double share = Math.log10(Math.max(ms, MIN_MS) / MIN_MS) / Math.log10(maxMs / MIN_MS);
        return LEFT + (int) (plotW * share);
    }

    /** The power of ten at or above {@code ms}, at least 100 ms. */
    static double decadeCeiling(double ms) {
        double ceiling = 100;
        while (ceiling < ms) {
            ceiling *= 10;
        }
        return ceiling;
    }

    private static String label(double ms) {
        return ms >= 1000 ? String.format("%.0f s", ms / 1000) : String.format("%.0f", ms);
    }
}
