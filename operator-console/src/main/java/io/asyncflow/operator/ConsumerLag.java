package io.asyncflow.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lag of AsyncFlow's consumer groups (topology, lookup worker, sink, raw-event bridge): end
 * offsets minus committed offsets, summed per group, read with the admin client on a thread of its
 * own, at most once per {@link #REFRESH} however often pages ask: a page gets the last figures at
 * once, and a slow broker never holds up the console's HTTP threads.
 */
public final class ConsumerLag implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final long TIMEOUT_MS = 5_000;

    private final Admin admin;
    private final List<String> groups;
    private volatile Snapshot last = new Snapshot(List.of(), 0);
    private final java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "asyncflow-console-lag");
        t.setDaemon(true);
        return t;
    });
    private boolean reading;
    private long lastAsked;

    /** One group's lag (null when it could not be read); {@code partitions} the partitions it has committed offsets for. */
    public record GroupLag(String group, Long lag, int partitions) {
    }

    /** The lag of every group, as read at {@code readAt} (epoch ms; 0 before the first read). */
    public record Snapshot(List<GroupLag> groups, long readAt) {
    }

    public ConsumerLag(Admin admin, List<String> groups) {
        this.admin = admin;
        this.groups = List.copyOf(groups);
    }

    /** The last figures (empty, read at 0, before the first read); a read starts when they are older than {@link #REFRESH}. */
    public synchronized Snapshot get(long nowMs) {
        if (!reading && nowMs - lastAsked >= REFRESH.toMillis()) {
            reading = true;
            lastAsked = nowMs;
            reader.execute(() -> {
                Snapshot read = read(System.currentTimeMillis());
                synchronized (this) {
                    last = read;
                    reading = false;
                }
            });
        }
        return last;
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }

    private Snapshot read(long nowMs) {
        List<GroupLag> out = new ArrayList<>();
        for (String group : groups) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                committed.values().removeIf(o -> o == null);
                if (committed.isEmpty()) {
                    out.add(new GroupLag(group, 0L, 0));
                    continue;
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(committed.keySet().stream()
                        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                long lag = committed.entrySet().stream()
                        .mapToLong(e -> Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset())).sum();
                out.add(new GroupLag(group, lag, committed.size()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                LOG.debug("cannot read the lag of group {}: {}", group, e.toString());
                out.add(new GroupLag(group, null, 0));
            }
        }
        return new Snapshot(out, nowMs);
    }
}
