package io.asyncflow.app.reliability;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the status topic {@code read_committed} from the beginning, as the sink does, and keeps
 * every status the topology decided (with its {@code emittedAt}, the wall-clock time of the
 * decision), so a test can tell when decisions stopped and resumed around a crash.
 */
final class StatusWatch implements AutoCloseable {
    private static final Set<TaskStatus> TERMINAL = Set.of(TaskStatus.SUCCESS, TaskStatus.NOT_FOUND, TaskStatus.TIMEOUT, TaskStatus.ERROR);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, StatusUpdate> topic;
    private final List<StatusUpdate> updates = new CopyOnWriteArrayList<>();
    private final Map<String, StatusUpdate> terminal = new ConcurrentHashMap<>();
    private final Map<String, Long> terminalSeenAt = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger repeatedTerminal = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private StatusWatch(String bootstrapServers, Topic<String, StatusUpdate> topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "status-watch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "status-watch");
    }

    /** Starts reading {@code topic} on {@code bootstrapServers}. */
    static StatusWatch start(String bootstrapServers, Topic<String, StatusUpdate> topic) {
        StatusWatch watch = new StatusWatch(bootstrapServers, topic);
        watch.consumer.subscribe(List.of(topic.name()));
        watch.thread.setDaemon(true);
        watch.thread.start();
        return watch;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    StatusUpdate update = topic.deserializeValue(record.value());
                    updates.add(update);
                    if (TERMINAL.contains(update.getStatus())) {
                        if (terminal.putIfAbsent(update.getTaskId(), update) == null) {
                            terminalSeenAt.put(update.getTaskId(), System.currentTimeMillis());
                        } else {
                            repeatedTerminal.incrementAndGet();
                        }
                    }
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Statuses read so far, every version. */
    int count() {
        return updates.size();
    }

    /** Tasks with a terminal status so far. */
    int terminalCount() {
        return terminal.size();
    }

    /** Terminal statuses decided more than once for one task (exactly-once says none). */
    int repeatedTerminalStatuses() {
        return repeatedTerminal.get();
    }

    /** How many tasks ended with each terminal status. */
    Map<TaskStatus, Long> terminalStatuses() {
        return terminal.values().stream().collect(java.util.stream.Collectors.groupingBy(StatusUpdate::getStatus,
                java.util.stream.Collectors.counting()));
    }

    /** The first terminal status decided for {@code taskId}, or null. */
    StatusUpdate terminal(String taskId) {
        return terminal.get(taskId);
    }

    /**
     * When this reader first saw a status of {@code taskId} that was terminal (epoch ms), which is
     * when the sink could see it too: after the commit that made it visible to {@code read_committed}.
     */
    long terminalSeenAt(String taskId) {
        return terminalSeenAt.getOrDefault(taskId, -1L);
    }

    /** Task ids that have a terminal status now. */
    Set<String> decidedTasks() {
        return Set.copyOf(terminal.keySet());
    }

    /** The earliest decision time (epoch ms) of a terminal status decided at or after {@code epochMillis}. */
    OptionalLong firstTerminalDecidedSince(long epochMillis) {
        return terminal.values().stream().mapToLong(StatusUpdate::getEmittedAt).filter(t -> t >= epochMillis).min();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
