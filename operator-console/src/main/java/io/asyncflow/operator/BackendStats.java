package io.asyncflow.operator;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.util.Mask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-backend and Genesys-write figures over a sliding window, from lookup results and write
 * activities: counts by outcome, latency percentiles, the last errors; writes, 429s and dead
 * letters. At most {@link #MAX_SAMPLES} samples per series, so memory stays bounded at any rate.
 */
public final class BackendStats {
    static final int MAX_SAMPLES = 50_000;
    static final int LAST_ERRORS = 5;
    /** Most backends listed: records written by hand to the results topic cannot grow the map without end. */
    static final int MAX_BACKENDS = 100;

    private final long windowMs;
    private final Map<String, Series> backends = new TreeMap<>();
    private final Deque<long[]> writes = new ArrayDeque<>();

    private record Sample(long at, LookupOutcome outcome, boolean timeout, long latencyMs) {
    }

    /** An error of a backend as the page shows it. */
    public record LastError(long at, String reason, String conversationId) {
    }

    private static final class Series {
        final Deque<Sample> samples = new ArrayDeque<>();
        final Deque<LastError> errors = new ArrayDeque<>();
    }

    public BackendStats(long windowMs) {
        this.windowMs = windowMs;
    }

    public synchronized void lookupResult(LookupResult result) {
        if (backends.size() >= MAX_BACKENDS && !backends.containsKey(result.getBackend())) {
            return;
        }
        Series series = backends.computeIfAbsent(result.getBackend(), b -> new Series());
        // the worker's words for a call cut by the backend's timeout or by the task's deadline
        boolean timeout = result.getError() != null && (result.getError().contains("timed out") || result.getError().contains("deadline"));
        series.samples.addLast(new Sample(result.getCompletedAt(), result.getOutcome(), timeout, result.getLatencyMs()));
        if (series.samples.size() > MAX_SAMPLES) {
            series.samples.removeFirst();
        }
        if (result.getOutcome() == LookupOutcome.ERROR) {
            series.errors.addLast(new LastError(result.getCompletedAt(), Mask.message(result.getError()), result.getConversationId()));
            if (series.errors.size() > LAST_ERRORS) {
                series.errors.removeFirst();
            }
        }
    }

    /** Counts a participant-data write's end: {@code [at, written?1:0, throttled, dead-lettered?1:0]}. */
    public synchronized void activity(Activity activity) {
        if (activity.getKind() != ActivityKind.WRITE) {
            return;
        }
        boolean written = "written".equals(activity.getOutcome());
        writes.addLast(new long[] {activity.getAt(), written ? 1 : 0, activity.getThrottled(), written ? 0 : 1});
        if (writes.size() > MAX_SAMPLES) {
            writes.removeFirst();
        }
    }

    /** One backend's figures. */
    public record BackendFigures(String name, int calls, int hit, int miss, int error, int timeout, double hitRate,
                                 double errorRate, Long p50Ms, Long p95Ms, Long p99Ms, List<LastError> lastErrors) {
    }

    /**
     * Genesys writes: in the last minute and in the window; {@code budgetPerMinute} null when unknown
     * here; {@code backlog} the statuses the sink has not yet taken (its group's lag), null when unknown.
     */
    public record GenesysFigures(int writesLastMinute, Integer budgetPerMinute, long throttledLastMinute,
                                 int deadLetteredLastMinute, int writesInWindow, long throttledInWindow, Long backlog) {
    }

    public synchronized List<BackendFigures> backends(long nowMs) {
        List<BackendFigures> out = new ArrayList<>();
        backends.forEach((name, series) -> {
            trim(series.samples, nowMs);
            int hit = 0;
            int miss = 0;
            int error = 0;
            int timeout = 0;
            long[] latencies = new long[series.samples.size()];
            int i = 0;
            for (Sample s : series.samples) {
                latencies[i++] = s.latencyMs();
                switch (s.outcome()) {
                    case HIT -> hit++;
                    case MISS -> miss++;
                    default -> error++;
                }
                if (s.timeout()) {
                    timeout++;
                }
            }
            Arrays.sort(latencies);
            int calls = latencies.length;
            out.add(new BackendFigures(name, calls, hit, miss, error, timeout, calls == 0 ? 0 : (double) hit / calls,
                    calls == 0 ? 0 : (double) error / calls, percentile(latencies, 50), percentile(latencies, 95),
                    percentile(latencies, 99), List.copyOf(series.errors)));
        });
        return out;
    }

    public synchronized GenesysFigures genesys(long nowMs, Integer budgetPerMinute, Long backlog) {
        while (!writes.isEmpty() && nowMs - writes.peekFirst()[0] > windowMs) {
            writes.removeFirst();
        }
        int lastMinute = 0;
        long throttledLastMinute = 0;
        int deadLastMinute = 0;
        int inWindow = 0;
        long throttledInWindow = 0;
        for (long[] w : writes) {
            boolean recent = nowMs - w[0] <= 60_000;
            inWindow += (int) w[1];
            throttledInWindow += w[2];
            if (recent) {
                lastMinute += (int) w[1];
                throttledLastMinute += w[2];
                deadLastMinute += (int) w[3];
            }
        }
        return new GenesysFigures(lastMinute, budgetPerMinute, throttledLastMinute, deadLastMinute, inWindow, throttledInWindow,
                backlog);
    }

    private void trim(Deque<Sample> samples, long nowMs) {
        while (!samples.isEmpty() && nowMs - samples.peekFirst().at() > windowMs) {
            samples.removeFirst();
        }
    }

    /** The nearest-rank percentile of sorted values, null when there are none. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
