package io.asyncflow.processor.lookup;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Time;

/**
 * The ids of tasks known to be finished, so their pending lookups are skipped. Bounded and
 * forgetful on purpose: it holds at most {@code maxEntries} ids (the oldest go first) and each for
 * {@code ttl}. Forgetting only costs a useless backend call whose result the topology ignores.
 * Thread-safe.
 */
public final class FinishedTasks {
    private final int maxEntries;
    private final long ttlMs;
    private final Time time;
    private final LinkedHashMap<String, Long> recordedAt;

    public FinishedTasks(int maxEntries, Duration ttl, Time time) {
        this.maxEntries = maxEntries;
        this.ttlMs = ttl.toMillis();
        this.time = time;
        this.recordedAt = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > FinishedTasks.this.maxEntries;
            }
        };
    }

    /** Remembers that {@code taskId} finished. */
    public synchronized void add(String taskId) {
        long now = time.milliseconds();
        expire(now);
        recordedAt.remove(taskId);
        recordedAt.put(taskId, now);
    }

    /** True when {@code taskId} finished within the last {@code ttl}, as far as remembered. */
    public synchronized boolean contains(String taskId) {
        expire(time.milliseconds());
        return recordedAt.containsKey(taskId);
    }

    /** Number of ids held now. */
    public synchronized int size() {
        expire(time.milliseconds());
        return recordedAt.size();
    }

    private void expire(long now) {
        Iterator<Long> it = recordedAt.values().iterator();
        while (it.hasNext() && it.next() + ttlMs <= now) {
            it.remove();
        }
    }
}
