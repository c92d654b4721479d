package io.asyncflow.kafka;

import io.asyncflow.runtime.ClientMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * Reads whole topics without a consumer group, the way every instance of a view needs them (the
 * ingress's result view, the operator console): {@code assign()}s every partition of the topics,
 * seeks each topic back to a point in time, and hands every record to a function on a thread of its
 * own until closed ({@code wakeup()} then join). Reads {@code read_committed}: only what the
 * exactly-once topology committed, as the sink reads. Commits nothing.
 */
public final class TopicReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String threadName;
    private final Time time;
    private volatile boolean stopping;
    private volatile Thread thread;

    /**
     * @param consumerSettings Kafka consumer settings; group settings are removed, isolation is {@code read_committed}
     * @param clientId the consumer's client id unless the settings name one
     * @param threadName the reading thread's name
     */
    public TopicReader(Map<String, Object> consumerSettings, String clientId, String threadName, Time time) {
        Map<String, Object> props = new HashMap<>(consumerSettings);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.threadName = threadName;
        this.time = time;
    }

    /**
     * Assigns every partition of the topics and seeks each to its first record at or after the
     * topic's time (epoch ms), or to its end when there is none; returns the end offsets at that moment.
     *
     * @throws IllegalStateException when a topic has no partitions after a while (it does not exist)
     */
    public Map<TopicPartition, Long> assignFrom(Map<String, Long> sinceByTopic) {
        Map<TopicPartition, Long> since = new HashMap<>();
        sinceByTopic.forEach((topic, at) -> partitionsOf(topic).forEach(tp -> since.put(tp, at)));
        List<TopicPartition> partitions = new ArrayList<>(since.keySet());
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp offset = offsets.get(tp);
            consumer.seek(tp, offset == null ? ends.get(tp) : offset.offset());
        }
        return ends;
    }

    /** The topic's partitions; a topic created a moment ago may take a few metadata refreshes to show them. */
    private List<TopicPartition> partitionsOf(String topic) {
        long giveUp = time.nanoseconds() + METADATA_WAIT.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        while ((infos == null || infos.isEmpty()) && time.nanoseconds() < giveUp) {
            time.sleep(100);
            infos = consumer.partitionsFor(topic);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions after " + METADATA_WAIT + " (does it exist?)");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /**
     * Starts reading: each record goes to {@code apply}, and {@code afterPoll} runs after each poll
     * (on the reading thread, where {@link #reached} may be called). A record {@code apply} throws on
     * is the caller's to handle; an exception escaping stops the reader, logged.
     */
    public synchronized void start(Consumer<ConsumerRecord<byte[], byte[]>> apply, Runnable afterPoll) {
        Thread t = new Thread(() -> run(apply, afterPoll), threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run(Consumer<ConsumerRecord<byte[], byte[]>> apply, Runnable afterPoll) {
        try (consumer) {
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply.accept(record);
                }
                afterPoll.run();
            }
        } catch (WakeupException e) {
            LOG.debug("{} woken up to stop", threadName);
        } catch (RuntimeException e) {
            LOG.error("{} stopped by an unrecoverable error", threadName, e);
        }
    }

    /** True when the reader's position is at or past {@code ends} on every partition; call from {@code afterPoll}. */
    public boolean reached(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
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
