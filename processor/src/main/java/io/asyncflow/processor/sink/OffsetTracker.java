package io.asyncflow.processor.sink;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed. Writes finish out of order across conversations, so each
 * partition's commit position is its lowest offset still open (not yet written, dropped or
 * dead-lettered), or one past the highest offset read when none is open. Used by one thread only.
 */
final class OffsetTracker {
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    private static final class Partition {
        private final TreeSet<Long> open = new TreeSet<>();
        private long next = -1;
        private long requested = -1;

        long position() {
            return open.isEmpty() ? next : open.first();
        }
    }

    /** A record was read: its offset is open until {@link #done}. */
    void received(TopicPartition partition, long offset) {
        Partition p = partitions.computeIfAbsent(partition, tp -> new Partition());
        p.open.add(offset);
        p.next = Math.max(p.next, offset + 1);
    }

    /** The record at {@code offset} needs nothing more (written, dropped or dead-lettered). */
    void done(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.open.remove(offset);
        }
    }

    /** Commit positions that advanced since the last call (and are now taken as requested). */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        partitions.forEach((tp, p) -> {
            if (p.position() > p.requested) {
                p.requested = p.position();
                commits.put(tp, new OffsetAndMetadata(p.requested));
            }
        });
        return commits;
    }

    /** Current commit positions of {@code which} partitions (those read from), advanced or not. */
    Map<TopicPartition, OffsetAndMetadata> positions(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition tp : which) {
            Partition p = partitions.get(tp);
            if (p != null && p.position() >= 0) {
                p.requested = Math.max(p.requested, p.position());
                commits.put(tp, new OffsetAndMetadata(p.position()));
            }
        }
        return commits;
    }

    /** A commit failed: its positions are offered again by the next {@link #toCommit()}. */
    void commitFailed(Map<TopicPartition, OffsetAndMetadata> commits) {
        commits.forEach((tp, offset) -> {
            Partition p = partitions.get(tp);
            if (p != null && p.requested == offset.offset()) {
                p.requested = -1;
            }
        });
    }

    /** The position that would be committed for {@code partition} now, or -1 when nothing was read. */
    long position(TopicPartition partition) {
        Partition p = partitions.get(partition);
        return p == null ? -1 : p.position();
    }

    /** True while {@code partition} is tracked (read from and not forgotten). */
    boolean tracks(TopicPartition partition) {
        return partitions.containsKey(partition);
    }

    /** Offsets still open across all partitions. */
    int open() {
        return partitions.values().stream().mapToInt(p -> p.open.size()).sum();
    }

    /** Stops tracking partitions this consumer no longer owns. */
    void forget(Collection<TopicPartition> gone) {
        partitions.keySet().removeAll(gone);
    }
}
