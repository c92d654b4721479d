package io.asyncflow.app.bench;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When the topology decided each conversation: reads the status topic (every partition, from its end
 * at start) and keeps the {@code emittedAt} of each conversation's first final status. A result
 * endpoint that answers at once answers within an exactly-once commit of that moment.
 */
final class DecisionClock implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, StatusUpdate> status;
    private final Map<String, Long> decidedAtMs = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    DecisionClock(AsyncFlowConfig config) {
        this.status = Topics.from(config).status();
        Map<String, Object> props = new KafkaSettings(config).forClient("consumer");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(status.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "bench-decision-clock");
        thread.setDaemon(true);
        thread.start();
    }

    /** Epoch ms of the conversation's first final status, or 0 when none was read yet. */
    long decidedAtMs(String conversationId) {
        return decidedAtMs.getOrDefault(conversationId, 0L);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    StatusUpdate update = status.deserializeValue(record.value());
                    if (update != null && update.getStatus() != TaskStatus.ONGOING) {
                        decidedAtMs.putIfAbsent(update.getConversationId(), update.getEmittedAt());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
