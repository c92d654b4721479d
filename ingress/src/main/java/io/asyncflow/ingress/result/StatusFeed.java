package io.asyncflow.ingress.result;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.kafka.TopicReader;
import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.topic.Topics;
import io.asyncflow.trace.HopMeter;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
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

    private final Topics topics;
    private final StatusView view;
    private final Duration retention;
    private final Time time;
    private final HopMeter hops;
    private final TopicReader reader;

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
        this.reader = new TopicReader(consumerSettings, "asyncflow-ingress-status-view", "ingress-status-view", time);
    }

    /** Assigns every partition, seeks back by the retention and starts reading on its own thread. */
    public synchronized void start() {
        long since = time.milliseconds() - retention.toMillis();
        Map<TopicPartition, Long> ends = reader.assignFrom(Map.of(topics.status().name(), since, topics.tasks().name(), since));
        reader.start(this::apply, () -> {
            if (!view.caughtUp() && reader.reached(ends)) {
                view.markCaughtUp();
                LOG.info("status view caught up: {} tasks", view.size());
            }
            view.expire();
        });
        LOG.info("status view reading {} partitions of {} and {} from {} ago", ends.size(), topics.status(),
                topics.tasks(), retention);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the status view", e);
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
        return reader.isRunning();
    }

    /** Publishes this reader's Kafka consumer metrics through {@code meters}. */
    public void bindMetrics(ClientMeters meters) {
        reader.bindMetrics(meters);
    }

    @Override
    public void close() {
        reader.close();
    }
}
