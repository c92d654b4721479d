package io.asyncflow.ingress.result;

import io.asyncflow.avro.StatusUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.utils.Time;

/**
 * What the result endpoint answers: the newest status of every task seen in the last
 * {@code retention}, fed by {@link StatusFeed} from the status and tasks topics, and the long polls
 * waiting for a task's final status.
 *
 * <p>A task enters when its request or its first status is seen, and its entry is only ever
 * replaced by a higher version, so a replayed or reordered older status never hides a newer one.
 * Entries are kept in the order they were last changed; the oldest go when they are older than
 * the retention (by the time of their record) or when there are more than {@code maxTasks}.
 * Every method is safe to call from any thread; waiters are completed outside the lock.
 */
public final class StatusView {
    private final Time time;
    private final long retentionMillis;
    private final int maxTasks;
    private final LinkedHashMap<String, Entry> tasks = new LinkedHashMap<>();
    private final Map<String, List<CompletableFuture<TaskResult>>> waiters = new HashMap<>();
    private volatile boolean caughtUp;

    private record Entry(TaskResult result, long at) {
    }

    public StatusView(Time time, Duration retention, int maxTasks) {
        this.time = time;
        this.retentionMillis = retention.toMillis();
        this.maxTasks = maxTasks;
    }

    /** A task request seen at {@code at} (epoch ms): the task is known, ACCEPTED unless a status came first. */
    public void accepted(String taskId, String conversationId, String taskType, long at) {
        synchronized (this) {
            if (!tasks.containsKey(taskId)) {
                put(taskId, new Entry(TaskResult.accepted(taskId, conversationId, taskType), at));
            }
        }
    }

    /** A task this instance accepted just now (its 202): known before its record comes back from Kafka. */
    public void acceptedNow(String taskId, String conversationId, String taskType) {
        accepted(taskId, conversationId, taskType, time.milliseconds());
    }

    /** A status seen at {@code at} (epoch ms); ignored unless its version is newer than the one held. */
    public void status(StatusUpdate update, long at) {
        TaskResult result = TaskResult.of(update);
        List<CompletableFuture<TaskResult>> done;
        synchronized (this) {
            Entry held = tasks.get(result.taskId());
            if (held != null && held.result().versionNumber() >= result.versionNumber()) {
                return;
            }
            put(result.taskId(), new Entry(result, Math.max(at, held == null ? at : held.at())));
            done = result.isFinal() ? waiters.remove(result.taskId()) : null;
        }
        if (done != null) {
            done.forEach(w -> w.complete(result));
        }
    }

    /** The task's newest known state, if it was seen within the retention. */
    public synchronized Optional<TaskResult> get(String taskId) {
        Entry entry = tasks.get(taskId);
        return entry == null ? Optional.empty() : Optional.of(entry.result());
    }

    /**
     * A future completed with the task's final state when it arrives; at once when it is already
     * final. The caller bounds the wait and calls {@link #stopWaiting} when it gives up.
     */
    public CompletableFuture<TaskResult> waitForFinal(String taskId) {
        CompletableFuture<TaskResult> waiter = new CompletableFuture<>();
        synchronized (this) {
            Entry entry = tasks.get(taskId);
            if (entry == null || !entry.result().isFinal()) {
                waiters.computeIfAbsent(taskId, id -> new ArrayList<>()).add(waiter);
                return waiter;
            }
            waiter.complete(entry.result());
        }
        return waiter;
    }

    /** Forgets a waiter that gave up (its wait ended). */
    public synchronized void stopWaiting(String taskId, CompletableFuture<TaskResult> waiter) {
        List<CompletableFuture<TaskResult>> list = waiters.get(taskId);
        if (list != null && list.remove(waiter) && list.isEmpty()) {
            waiters.remove(taskId);
        }
    }

    /** Drops the tasks whose last record is older than the retention; returns how many. */
    public synchronized int expire() {
        long oldest = time.milliseconds() - retentionMillis;
        int dropped = 0;
        Iterator<Entry> it = tasks.values().iterator();
        while (it.hasNext()) {
            if (it.next().at() >= oldest) {
                break;
            }
            it.remove();
            dropped++;
        }
        return dropped;
    }

    /** Tasks held. */
    public synchronized int size() {
        return tasks.size();
    }

    /** Waiters held, over all tasks. */
    public synchronized int waiting() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }

    /** Called once the feed has read up to the end offsets it found at start. */
    public void markCaughtUp() {
        caughtUp = true;
    }

    /** False until the feed has read what was on the topics when it started: until then, an unknown task may exist. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void put(String taskId, Entry entry) {
        tasks.remove(taskId);
        if (entry.at() < time.milliseconds() - retentionMillis) {
            return;
        }
        tasks.put(taskId, entry);
        if (tasks.size() > maxTasks) {
            Iterator<String> eldest = tasks.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }
}
