package io.asyncflow.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyPlotTest {
    private static final int SERIES_COLOR = 0x1f77b4;

    @Test
    void shouldEndTheAxisAtTheDecadeAboveTheSlowestCurve() {
        assertThat(LatencyPlot.decadeCeiling(12)).isEqualTo(100);
        assertThat(LatencyPlot.decadeCeiling(100)).isEqualTo(100);
        assertThat(LatencyPlot.decadeCeiling(101)).isEqualTo(1000);
        assertThat(LatencyPlot.decadeCeiling(6_200)).isEqualTo(10_000);
    }

    @Test
    void shouldDrawTenMillisecondsHalfWayAlongALogarithmicAxisToOneHundred(@TempDir Path dir) throws Exception {
        // given latencies of exactly 10 ms, so the axis runs from 1 ms to 100 ms
        long[] tenMs = new long[500];
        Arrays.fill(tenMs, 10_000_000L);
        Path file = dir.resolve("latency.png");

        // when
        new LatencyPlot().add("ten", tenMs).write(file, "test");

        // then the curve stands half way across the plot (log 10 / log 100), not at a tenth (linear)
        BufferedImage image = ImageIO.read(file.toFile());
        int plotLeft = 80;
        int plotWidth = image.getWidth() - 80 - 360;
        int midHeight = image.getHeight() / 2;
        int half = plotLeft + plotWidth / 2;
        assertThat(columnsWithColor(image, midHeight)).isNotEmpty().allSatisfy(x -> assertThat(x).isBetween(half - 2, half + 2));
    }

    private static java.util.Set<Integer> columnsWithColor(BufferedImage image, int y) {
        java.util.Set<Integer> columns = new java.util.TreeSet<>();
        for (int x = 0; x < image.getWidth() - 360; x++) {
            if ((image.getRGB(x, y) & 0xffffff) == SERIES_COLOR) {
                columns.add(x);
            }
        }
        return columns;
    }
}
