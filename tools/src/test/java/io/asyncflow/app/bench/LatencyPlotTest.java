package io.asyncflow.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class LatencyPlotTest {

    @Test
    void shouldEndTheAxisAtTheDecadeAboveTheSlowestCurve() {
        assertThat(LatencyPlot.decadeCeiling(12)).isEqualTo(100);
        assertThat(LatencyPlot.decadeCeiling(100)).isEqualTo(100);
        assertThat(LatencyPlot.decadeCeiling(101)).isEqualTo(1000);
        assertThat(LatencyPlot.decadeCeiling(6_200)).isEqualTo(10_000);
    }

    @Test
    void shouldDrawEachSeriesAsItsCumulativeDistributionOnALogarithmicAxis(@TempDir Path dir) throws Exception {
        // given latencies of exactly 10 ms, and a second series from 1 to 1,000 ms
        long[] tenMs = new long[500];
        Arrays.fill(tenMs, 10_000_000L);
        long[] spread = new long[1000];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = (i + 1) * 1_000_000L;
        }
        LatencyPlot plot = new LatencyPlot().add("ten", tenMs).add("spread", spread).add("empty", new long[0]);

        // when
        XYChart chart = plot.chart("test");
        Path file = dir.resolve("latency.png");
        plot.write(file, "test");

        // then the axis is logarithmic up to the decade above the slowest curve, each curve runs
        // through its quantiles, and a PNG of the chart's size is written
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(chart.getStyler().getXAxisMax()).isEqualTo(1000.0);
        assertThat(chart.getSeriesMap()).containsOnlyKeys("ten", "spread");
        XYSeries ten = chart.getSeriesMap().get("ten");
        assertThat(ten.getXData()).containsOnly(10.0);
        assertThat(ten.getYData()[ten.getYData().length - 1]).isEqualTo(1.0);
        XYSeries wide = chart.getSeriesMap().get("spread");
        int median = wide.getXData().length / 2 - 1;
        assertThat(wide.getYData()[median]).isEqualTo(0.5);
        assertThat(wide.getXData()[median]).isEqualTo(500.0);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(1100);
        assertThat(image.getHeight()).isEqualTo(650);
    }
}
