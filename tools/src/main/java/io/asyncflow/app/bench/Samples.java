package io.asyncflow.app.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Latency samples in nanoseconds, recorded in an HdrHistogram (3 significant digits, so any
 * percentile is within 0.1 % of the true value, in constant memory per order of magnitude).
 * The load is open-loop: each latency is measured from the moment a request was due, not sent, so
 * a stalled system is not under-sampled (coordinated omission is avoided at the source).
 * Thread-safe.
 */
final class Samples {
    private final Histogram histogram = new Histogram(3);

    synchronized void add(long nanos) {
        histogram.recordValue(Math.max(0, nanos));
    }

    /**
     * The values so far, sorted ascending, each at its HdrHistogram bucket's value (for the plot and
     * for callers that merge samples); as many values as were recorded.
     */
    synchronized long[] sorted() {
        long[] values = new long[(int) histogram.getTotalCount()];
        int i = 0;
        for (HistogramIterationValue v : histogram.recordedValues()) {
            long value = histogram.highestEquivalentValue(v.getValueIteratedTo());
            for (long n = 0; n < v.getCountAddedInThisIterationStep(); n++) {
                values[i++] = value;
            }
        }
        return values;
    }

    synchronized Summary summary() {
        return Summary.of(histogram);
    }

    /** Percentiles of a sample, in milliseconds; all zero when empty. */
    record Summary(int count, double p50, double p95, double p99, double max, double mean) {
        static Summary of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Summary(0, 0, 0, 0, 0, 0);
            }
            return new Summary((int) h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                    ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), ms(h.getMean()));
        }

        /** The value at {@code quantile} of a sorted sample (the plot's curves). */
        static long at(long[] sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        private static double ms(double nanos) {
            return nanos / 1_000_000.0;
        }
    }
}
