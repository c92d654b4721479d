package io.asyncflow.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The bench's latency summary comes from HdrHistogram: known inputs, known percentiles within 0.1 %. */
class SamplesTest {

    @Test
    void shouldGiveThePercentilesOfOneToTenThousandMilliseconds() {
        Samples samples = new Samples();
        for (long ms = 10_000; ms >= 1; ms--) {
            samples.add(ms * 1_000_000L);
        }

        Samples.Summary summary = samples.summary();

        assertThat(summary.count()).isEqualTo(10_000);
        assertThat(summary.p50()).isCloseTo(5_000, within(5.0));
        assertThat(summary.p95()).isCloseTo(9_500, within(9.5));
        assertThat(summary.p99()).isCloseTo(9_900, within(9.9));
        assertThat(summary.max()).isCloseTo(10_000, within(10.0));
        assertThat(summary.mean()).isCloseTo(5_000.5, within(5.0));
    }

    @Test
    void shouldGiveEveryValueBackSortedAtHistogramPrecision() {
        Samples samples = new Samples();
        samples.add(3_000_000);
        samples.add(1_000_000);
        samples.add(2_000_000);
        samples.add(1_000_000);

        long[] sorted = samples.sorted();

        assertThat(sorted).hasSize(4).isSorted();
        assertThat(sorted[0] / 1e6).isCloseTo(1.0, within(0.001));
        assertThat(sorted[3] / 1e6).isCloseTo(3.0, within(0.003));
        assertThat(new Samples().summary()).isEqualTo(new Samples.Summary(0, 0, 0, 0, 0, 0));
    }
}
