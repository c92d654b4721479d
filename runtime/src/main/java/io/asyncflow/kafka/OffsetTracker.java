package io.asyncflow.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed offsets may be committed when records finish out of order (the sink's writes across
 * conversations, the lookup worker's HTTP calls). A record is open from the moment it is read until
 * its work is done; each partition's commit position is its lowest offset still open, or one past
 * the highest offset read when none is open. Not thread-safe: the consumer thread owns it.
 */
public final class OffsetTracker {
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
    public void received(TopicPartition partition, long offset) {
        Partition p = partitions.computeIfAbsent(partition, tp -> new Partition());
        p.open.add(offset);
        p.next = Math.max(p.next, offset + 1);
    }

    /** The record at {@code offset} needs nothing more (written, dropped or dead-lettered). */
    public void done(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.open.remove(offset);
        }
    }

    /** Commit positions that advanced since the last call (and are now taken as requested). */
    public Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        partitions.forEach((tp, p) -> {
            if (p.position() > p.requested) {
                p.requested = p.position();
                commits.put(tp, new OffsetAndMetadata(p.requested));
            }
        });
        return commits;
    }

    /** Current commit positions of every tracked partition, advanced or not. */
    public Map<TopicPartition, OffsetAndMetadata> positions() {
        return positions(List.copyOf(partitions.keySet()));
    }

    /** Current commit positions of {@code which} partitions (those read from), advanced or not. */
    public Map<TopicPartition, OffsetAndMetadata> positions(Collection<TopicPartition> which) {
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
    public void commitFailed(Map<TopicPartition, OffsetAndMetadata> commits) {
        commits.forEach((tp, offset) -> {
            Partition p = partitions.get(tp);
            if (p != null && p.requested == offset.offset()) {
                p.requested = -1;
            }
        });
    }

    /** The position that would be committed for {@code partition} now, or -1 when nothing was read. */
    public long position(TopicPartition partition) {
        Partition p = partitions.get(partition);
        return p == null ? -1 : p.position();
    }

    /** True while {@code partition} is tracked (read from and not forgotten). */
    public boolean tracks(TopicPartition partition) {
        return partitions.containsKey(partition);
    }

    /** Offsets still open in one partition. */
    public int open(TopicPartition partition) {
        Partition p = partitions.get(partition);
        return p == null ? 0 : p.open.size();
    }

    /** Offsets still open across all partitions. */
    public int open() {
        return partitions.values().stream().mapToInt(p -> p.open.size()).sum();
    }

    /** Stops tracking partitions this consumer no longer owns. */
    public void forget(Collection<TopicPartition> gone) {
        partitions.keySet().removeAll(gone);
    }
}
