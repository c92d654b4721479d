package io.asyncflow.app.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarised by exact percentiles of the sorted values. Thread-safe. */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** The values so far, sorted ascending. */
    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    Summary summary() {
        return Summary.of(sorted());
    }

    /** Percentiles of a sample, in milliseconds; all zero when empty. */
    record Summary(int count, double p50, double p95, double p99, double max, double mean) {
        static Summary of(long[] sorted) {
            int n = sorted.length;
            if (n == 0) {
                return new Summary(0, 0, 0, 0, 0, 0);
            }
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return new Summary(n, ms(at(sorted, 0.50)), ms(at(sorted, 0.95)), ms(at(sorted, 0.99)), ms(sorted[n - 1]), ms(sum / n));
        }

        static long at(long[] sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        private static double ms(double nanos) {
            return nanos / 1_000_000.0;
        }
    }
}
