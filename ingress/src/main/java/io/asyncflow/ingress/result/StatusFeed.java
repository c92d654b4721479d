package io.asyncflow.ingress.result;

import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.trace.HopMeter;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link StatusView} from Kafka: one consumer that {@code assign()}s every partition of the
 * status topic and of the tasks topic, without a consumer group, so every ingress instance sees
 * every status and every accepted task (no sticky routing needed behind a load balancer). At start
 * it seeks to the offsets of {@code now - retention} and notes the end offsets; once it has read up
 * to them it marks the view caught up. Statuses are read {@code read_committed}: only what the
 * exactly-once topology committed, the same as the participant-data sink. Records it cannot decode
 * are logged and skipped (the topology dead-letters them).
 */
public final class StatusFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private final Topics topics;
    private final StatusView view;
    private final Duration retention;
    private final Time time;
    private final HopMeter hops;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopping;
    private volatile Thread thread;

    /**
     * @param consumerSettings Kafka consumer settings; group settings are removed, isolation is {@code read_committed}
     */
    public StatusFeed(Map<String, Object> consumerSettings, Topics topics, StatusView view, Duration retention, Time time,
                      HopMeter hops) {
        this.topics = topics;
        this.hops = hops;
        this.view = view;
        this.retention = retention;
        this.time = time;
        Map<String, Object> props = new HashMap<>(consumerSettings);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "asyncflow-ingress-status-view");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Assigns every partition, seeks back by the retention and starts reading on its own thread. */
    public synchronized void start() {
        List<TopicPartition> partitions = new ArrayList<>();
        partitions.addAll(partitionsOf(topics.status().name()));
        partitions.addAll(partitionsOf(topics.tasks().name()));
        consumer.assign(partitions);
        long since = time.milliseconds() - retention.toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp offset = offsets.get(tp);
            consumer.seek(tp, offset == null ? ends.get(tp) : offset.offset());
        }
        Thread t = new Thread(() -> run(ends), "ingress-status-view");
        t.setDaemon(true);
        thread = t;
        t.start();
        LOG.info("status view reading {} partitions of {} and {} from {} ago", partitions.size(), topics.status(),
                topics.tasks(), retention);
    }

    /** The topic's partitions; a topic created a moment ago may take a few metadata refreshes to show them. */
    private List<TopicPartition> partitionsOf(String topic) {
        long giveUp = time.nanoseconds() + METADATA_WAIT.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        while ((infos == null || infos.isEmpty()) && time.nanoseconds() < giveUp) {
            sleep(Duration.ofMillis(100));
            infos = consumer.partitionsFor(topic);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions after " + METADATA_WAIT + " (does it exist?)");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic metadata", e);
        }
    }

    /**
     * Waits until the view has read what was on the topics at start, at most {@code timeout};
     * returns whether it has (if not, it keeps reading and the endpoint answers 503 {@code starting}).
     */
    public boolean awaitCaughtUp(Duration timeout) {
        long giveUp = time.nanoseconds() + timeout.toNanos();
        while (!view.caughtUp() && isRunning() && time.nanoseconds() < giveUp) {
            sleep(Duration.ofMillis(20));
        }
        return view.caughtUp();
    }

    private void run(Map<TopicPartition, Long> ends) {
        try (consumer) {
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                if (!view.caughtUp() && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    view.markCaughtUp();
                    LOG.info("status view caught up: {} tasks", view.size());
                }
                view.expire();
            }
        } catch (WakeupException e) {
            LOG.debug("status view woken up to stop");
        } catch (RuntimeException e) {
            LOG.error("status view stopped by an unrecoverable error", e);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.topic().equals(topics.status().name())) {
                StatusUpdate status = topics.status().deserializeValue(record.value());
                view.status(status, record.timestamp());
                if (view.caughtUp()) {
                    hops.record(Stage.STATUS_VIEWED, status.getConversationId(), Trace.from(record.headers()).stamp(Stage.STATUS_VIEWED));
                }
            } else if (topics.tasks().deserializeValue(record.value()).getEvent() instanceof TaskRequest task) {
                view.accepted(task.getTaskId(), task.getConversationId(), task.getTaskType(), record.timestamp());
            }
        } catch (RuntimeException e) {
            LOG.warn("status view skips an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    /** True while the reading thread runs. */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Publishes this reader's Kafka consumer metrics through {@code meters}. */
    public void bindMetrics(ClientMeters meters) {
        meters.consumer(consumer);
    }

    @Override
    public synchronized void close() {
        stopping = true;
        Thread t = thread;
        if (t == null) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
