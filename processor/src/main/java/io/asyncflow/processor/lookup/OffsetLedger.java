package io.asyncflow.processor.lookup;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed offsets are safe to commit when records finish out of order. A record is
 * <em>open</em> from the moment it is polled until its work is done (its result acknowledged by the
 * broker, or it was skipped); per partition the committable offset is the lowest open offset, or
 * the offset after the highest one seen when none is open. Not thread-safe: the consumer thread
 * owns it.
 */
final class OffsetLedger {
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** A polled record, open until {@link #done}. */
    void received(TopicPartition tp, long offset) {
        partitions.computeIfAbsent(tp, p -> new Partition()).received(offset);
    }

    /** The record's work is done; unknown partitions (revoked meanwhile) are ignored. */
    void done(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null) {
            p.open.remove(offset);
        }
    }

    /** Open records of one partition. */
    int openCount(TopicPartition tp) {
        Partition p = partitions.get(tp);
        return p == null ? 0 : p.open.size();
    }

    /** Committable offsets of every tracked partition. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    /** Committable offsets of the given partitions that are tracked. */
    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        for (TopicPartition tp : tps) {
            Partition p = partitions.get(tp);
            if (p != null) {
                result.put(tp, new OffsetAndMetadata(p.open.isEmpty() ? p.next : p.open.first()));
            }
        }
        return result;
    }

    /** Stops tracking partitions this consumer no longer owns. */
    void forget(Collection<TopicPartition> tps) {
        tps.forEach(partitions::remove);
    }

    private static final class Partition {
        private final TreeSet<Long> open = new TreeSet<>();
        private long next;

        void received(long offset) {
            open.add(offset);
            next = Math.max(next, offset + 1);
        }
    }
}
