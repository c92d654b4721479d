package io.asyncflow.app.demo;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the orphans topic from "now": results that arrived after their conversation ended,
 * by conversation id, with the wall-clock time they were seen.
 */
final class OrphanWatcher implements AutoCloseable {
    record Orphan(StatusUpdate update, long seenNanos) {
    }

    private final Map<String, Orphan> byConversation = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, StatusUpdate> topic;
    private final Thread thread;
    private volatile boolean running = true;

    OrphanWatcher(AsyncFlowConfig config) {
        topic = Topics.from(config).orphans();
        Map<String, Object> props = new KafkaSettings(config).forClient("consumer");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::poll, "demo-orphan-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(50)).forEach(r -> {
                    StatusUpdate update = topic.deserializeValue(r.value());
                    byConversation.putIfAbsent(update.getConversationId(), new Orphan(update, System.nanoTime()));
                });
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    Orphan orphanOf(String conversationId) {
        return byConversation.get(conversationId);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
