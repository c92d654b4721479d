package io.asyncflow.processor.sink;

import io.asyncflow.avro.TaskStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides what the sink writes and in which order, so participant-data writes stay economical:
 * <ul>
 *   <li>per task only the newest pending status is kept (a backlog of ONGOING then SUCCESS writes
 *       SUCCESS only);</li>
 *   <li>terminal statuses are handed out before ONGOING, oldest first within each class;</li>
 *   <li>a version at or below the last written (or in-flight) version of its task is never written;</li>
 *   <li>at most one write per conversation is in flight, so writes of one participant never race;</li>
 *   <li>{@code CANCELLED} (the conversation ended) drops the conversation's pending writes, and
 *       later updates of that conversation are dropped too.</li>
 * </ul>
 * Everything that is not written is returned as {@link Dropped} so the caller can commit its offset
 * and count it. Bounded: remembered versions and ended conversations are LRU caches. Used by one
 * thread only.
 */
final class PendingWrites {

    /** Why an update is not written. */
    enum Drop {
        /** A newer status of the same task replaced it before it was written. */
        SUPERSEDED,
        /** Its version is not newer than one already written or being written. */
        STALE,
        /** Its conversation ended. */
        ENDED,
        /** The CANCELLED status itself: recorded, never written. */
        CANCELLED,
        /** An ONGOING status of a task type that does not write ONGOING ({@code task.<type>.write-ongoing}). */
        ONGOING_OFF
    }

    /** An update that will not be written, and why. */
    record Dropped(PendingWrite write, Drop reason) {
    }

    private final Map<String, PendingWrite> terminal = new LinkedHashMap<>();
    private final Map<String, PendingWrite> ongoing = new LinkedHashMap<>();
    private final Map<String, PendingWrite> inFlightByConversation = new HashMap<>();
    private final Map<String, Integer> inFlightVersionByTask = new HashMap<>();
    private final BoundedLru<String, Integer> writtenVersionByTask;
    private final BoundedLru<String, Boolean> endedConversations;

    PendingWrites(int versionCacheSize, int endedCacheSize) {
        this.writtenVersionByTask = new BoundedLru<>(versionCacheSize);
        this.endedConversations = new BoundedLru<>(endedCacheSize);
    }

    /** Adds a new update; returns the updates (it, or one it replaced) that will not be written. */
    List<Dropped> offer(PendingWrite write) {
        String conversation = write.conversationId();
        if (write.status().getStatus() == TaskStatus.CANCELLED) {
            endedConversations.put(conversation, Boolean.TRUE);
            List<Dropped> dropped = new ArrayList<>();
            removeConversation(terminal, conversation, dropped);
            removeConversation(ongoing, conversation, dropped);
            dropped.add(new Dropped(write, Drop.CANCELLED));
            return dropped;
        }
        if (endedConversations.containsKey(conversation)) {
            return List.of(new Dropped(write, Drop.ENDED));
        }
        if (write.version() <= floor(write.taskId())) {
            return List.of(new Dropped(write, Drop.STALE));
        }
        PendingWrite existing = pending(write.taskId());
        if (existing == null) {
            queue(write);
            return List.of();
        }
        if (write.version() <= existing.version()) {
            return List.of(new Dropped(write, Drop.STALE));
        }
        unqueue(existing);
        queue(write);
        return List.of(new Dropped(existing, Drop.SUPERSEDED));
    }

    /**
     * Hands out the next write to start: terminal before ONGOING, only for conversations with no
     * write in flight, only when its backoff has passed, and ONGOING only when
     * {@code ongoingAllowed} agrees. Returns null when nothing may start now.
     */
    PendingWrite next(long nowNanos, Predicate<PendingWrite> ongoingAllowed) {
        PendingWrite next = first(terminal, nowNanos, w -> true);
        if (next == null) {
            next = first(ongoing, nowNanos, ongoingAllowed);
        }
        if (next != null) {
            unqueue(next);
            inFlightByConversation.put(next.conversationId(), next);
            inFlightVersionByTask.put(next.taskId(), next.version());
        }
        return next;
    }

    /** A write handed out by {@link #next} was written: its version and older ones are done. */
    void finished(PendingWrite write) {
        release(write);
        writtenVersionByTask.merge(write.taskId(), write.version(), Math::max);
    }

    /**
     * A write handed out by {@link #next} was dead-lettered: released, and the versions before it
     * are done, but not its own, so a replay of the dead letter (the same record again) is written
     * while an older version read again (after a rebalance) still is not.
     */
    void abandoned(PendingWrite write) {
        release(write);
        writtenVersionByTask.merge(write.taskId(), write.version() - 1, Math::max);
    }

    /**
     * A write handed out by {@link #next} failed and is to be tried again (its attempt count and
     * backoff already updated), unless its conversation ended or a newer status arrived meanwhile.
     */
    List<Dropped> retry(PendingWrite write) {
        release(write);
        if (endedConversations.containsKey(write.conversationId())) {
            return List.of(new Dropped(write, Drop.ENDED));
        }
        PendingWrite newer = pending(write.taskId());
        if (newer != null && newer.version() > write.version()) {
            return List.of(new Dropped(write, Drop.SUPERSEDED));
        }
        if (write.version() <= floor(write.taskId())) {
            return List.of(new Dropped(write, Drop.STALE));
        }
        queue(write);
        return List.of();
    }

    /** Forgets pending writes of partitions this consumer no longer owns (their new owner re-reads them). */
    void forget(Collection<TopicPartition> partitions) {
        terminal.values().removeIf(w -> partitions.contains(w.partition()));
        ongoing.values().removeIf(w -> partitions.contains(w.partition()));
    }

    /** Writes waiting to start. */
    int pending() {
        return terminal.size() + ongoing.size();
    }

    /** Writes handed out and not yet finished or retried. */
    int inFlight() {
        return inFlightByConversation.size();
    }

    private int floor(String taskId) {
        return Math.max(writtenVersionByTask.getOrDefault(taskId, 0), inFlightVersionByTask.getOrDefault(taskId, 0));
    }

    private PendingWrite pending(String taskId) {
        PendingWrite write = terminal.get(taskId);
        return write != null ? write : ongoing.get(taskId);
    }

    private void queue(PendingWrite write) {
        (write.terminal() ? terminal : ongoing).put(write.taskId(), write);
    }

    private void unqueue(PendingWrite write) {
        terminal.remove(write.taskId(), write);
        ongoing.remove(write.taskId(), write);
    }

    private void release(PendingWrite write) {
        inFlightByConversation.computeIfPresent(write.conversationId(), (conversation, inFlight) -> sameRecord(inFlight, write) ? null : inFlight);
        inFlightVersionByTask.remove(write.taskId(), write.version());
    }

    private static boolean sameRecord(PendingWrite a, PendingWrite b) {
        return a.offset() == b.offset() && a.partition().equals(b.partition());
    }

    private PendingWrite first(Map<String, PendingWrite> queue, long nowNanos, Predicate<PendingWrite> allowed) {
        for (PendingWrite write : queue.values()) {
            if (!inFlightByConversation.containsKey(write.conversationId())
                    && nowNanos - write.notBeforeNanos() >= 0
                    && allowed.test(write)) {
                return write;
            }
        }
        return null;
    }

    private static void removeConversation(Map<String, PendingWrite> queue, String conversation, List<Dropped> dropped) {
        for (Iterator<PendingWrite> it = queue.values().iterator(); it.hasNext(); ) {
            PendingWrite write = it.next();
            if (write.conversationId().equals(conversation)) {
                it.remove();
                dropped.add(new Dropped(write, Drop.ENDED));
            }
        }
    }
}
