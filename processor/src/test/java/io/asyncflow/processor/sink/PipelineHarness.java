package io.asyncflow.processor.sink;

import io.asyncflow.activity.ActivityLog;
import io.asyncflow.avro.Activity;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskTypeConfig;
import io.asyncflow.kafka.LoopQueue;
import io.asyncflow.kafka.OffsetTracker;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;

/**
 * Drives a {@link WritePipeline} without a broker: hands it status records as a consumer would
 * (three partitions, conversations spread by key), steps it until it is idle, records dead
 * letters (acknowledged at once) and meters.
 */
final class PipelineHarness implements AutoCloseable {
    static final int PARTITIONS = 3;
    private static final String IDENTIFY = "identify-caller";

    final Topics topics = Topics.defaults();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<DeadLetter> deadLetters = Collections.synchronizedList(new ArrayList<>());
    /** Dead letters to reject (as a broker timeout) before accepting again. */
    final AtomicInteger rejectDeadLetters = new AtomicInteger();
    private final ActivityLog activityLog;
    final org.apache.kafka.clients.producer.MockProducer<byte[], byte[]> activityProducer =
            new org.apache.kafka.clients.producer.MockProducer<>(true, null,
                    new org.apache.kafka.common.serialization.ByteArraySerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    final AtomicInteger deadLetterAttempts = new AtomicInteger();
    final WritePipeline pipeline;
    final OffsetTracker offsets = new OffsetTracker();
    private final ExecutorService workers;
    private final Map<Integer, Long> nextOffsets = new HashMap<>();

    /**
     * An identify-caller task type that writes ONGOING ({@code on}) or not (the default), for tests
     * of the coalescing and order of ONGOING writes.
     */
    static Map<String, String> writingOngoing(boolean on) {
        return Map.of("backend.gamma.url", "http://gamma.test/customers?phone={{ani}}",
                TaskTypeConfig.BACKENDS.forName(IDENTIFY), "gamma",
                TaskTypeConfig.WRITE_ONGOING.forName(IDENTIFY), String.valueOf(on));
    }

    PipelineHarness(GenesysApi api, Map<String, String> config) {
        AsyncFlowConfig asyncFlowConfig = AsyncFlowConfig.of(config);
        SinkSettings settings = SinkSettings.from(asyncFlowConfig);
        SinkMetrics metrics = new SinkMetrics(registry);
        StatusWriter writer = new StatusWriter(api, new ParticipantDataMapper(asyncFlowConfig), settings.participantCacheSize(),
                new Backoff(settings.backoffInitial(), settings.backoffMax()), settings.maxAttempts(), metrics);
        workers = Executors.newFixedThreadPool(settings.maxInFlight());
        activityLog = new ActivityLog(activityProducer, topics.activity());
        pipeline = new WritePipeline(topics.status(), writer, (letter, onDone) -> {
            deadLetterAttempts.incrementAndGet();
            if (rejectDeadLetters.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                onDone.accept(new org.apache.kafka.common.errors.TimeoutException("broker unavailable"));
                return;
            }
            deadLetters.add(letter);
            onDone.accept(null);
        }, metrics, workers, settings, offsets, new LoopQueue(), Time.SYSTEM, activityLog);
    }

    /** Hands one status to the pipeline as the next record of its conversation's partition; returns that record. */
    ConsumerRecord<byte[], byte[]> accept(StatusUpdate status) {
        return acceptRaw(status.getConversationId(), topics.status().serializeValue(status));
    }

    ConsumerRecord<byte[], byte[]> acceptRaw(String conversationId, byte[] value) {
        int partition = partitionOf(conversationId);
        long offset = nextOffsets.merge(partition, 1L, Long::sum) - 1;
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(topics.status().name(), partition, offset,
                conversationId.getBytes(StandardCharsets.UTF_8), value);
        offsets.received(new TopicPartition(record.topic(), record.partition()), record.offset());
        pipeline.accept(record);
        return record;
    }

    /** Steps the pipeline (ONGOING always allowed) until nothing is left to do. */
    void runUntilIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            pipeline.step(write -> true);
            if (pipeline.idle()) {
                return;
            }
            pipeline.awaitCompletion(Duration.ofMillis(20));
        }
        throw new AssertionError("the pipeline still had " + pipeline.backlog() + " updates after " + timeout);
    }

    /** Forgets revoked partitions as the consumer engine does. */
    void forget(List<TopicPartition> partitions) {
        pipeline.forget(partitions);
        offsets.forget(partitions);
    }

    /** The offset the sink would commit for this conversation's partition. */
    long committable(String conversationId) {
        return offsets.position(new TopicPartition(topics.status().name(), partitionOf(conversationId)));
    }

    /** Records handed to the partition of this conversation so far (its end offset). */
    long endOffset(String conversationId) {
        return nextOffsets.getOrDefault(partitionOf(conversationId), 0L);
    }

    double count(String meter, String... tags) {
        var counter = registry.find(meter).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    static int partitionOf(String conversationId) {
        return Math.floorMod(conversationId.hashCode(), PARTITIONS);
    }

    @Override
    public void close() throws InterruptedException {
        pipeline.shutdown(Duration.ofSeconds(5));
    }

    /** The activity records the pipeline published, in order (after those queued are sent). */
    List<Activity> activities() {
        activityLog.close(java.time.Duration.ofSeconds(5));
        return activityProducer.history().stream().map(r -> topics.activity().deserializeValue(r.value())).toList();
    }
}
