package io.asyncflow.testkit;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.processor.topology.StreamsProperties;
import io.asyncflow.processor.topology.TopologyFactory;
import io.asyncflow.processor.topology.TopologySettings;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production topology ({@link TopologyFactory#build}) with the production Streams properties
 * ({@link StreamsProperties#of}) in a {@link TopologyTestDriver} whose wall-clock time the kit
 * drives; its state lives in a temporary directory removed on {@link #close()}.
 */
final class DrivenTopology implements AutoCloseable {
    private final Topics topics;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, TaskEvent> tasks;
    private final TestInputTopic<byte[], byte[]> rawTasks;
    private final TestInputTopic<String, LookupResult> results;
    private final TestOutputTopic<String, LookupRequest> lookups;
    private final TestOutputTopic<String, StatusUpdate> statuses;
    private final TestOutputTopic<String, StatusUpdate> orphans;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private final Path stateDir;
    private long now;

    DrivenTopology(AsyncFlowConfig configured, TaskCatalog catalog, Instant start) {
        try {
            stateDir = Files.createTempDirectory("asyncflow-testkit");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the topology's state directory", e);
        }
        AsyncFlowConfig config = configured.with(Map.of(TopologySettings.STATE_DIR.name(), stateDir.toString()));
        TopologySettings settings = TopologySettings.from(config);
        topics = Topics.from(config);
        driver = new TopologyTestDriver(TopologyFactory.build(settings, topics, catalog),
                StreamsProperties.of(settings, new KafkaSettings(config).forClient("streams"), topics.deadLetters()), start);
        now = start.toEpochMilli();
        tasks = input(topics.tasks());
        rawTasks = driver.createInputTopic(topics.tasks().name(), new ByteArraySerializer(), new ByteArraySerializer());
        results = input(topics.lookupResults());
        lookups = output(topics.lookups());
        statuses = output(topics.status());
        orphans = output(topics.orphans());
        deadLetters = output(topics.deadLetters());
    }

    Topics topics() {
        return topics;
    }

    long now() {
        return now;
    }

    /** Moves wall-clock time forward to {@code time} (punctuations fire); an earlier time changes nothing. */
    void advanceTo(long time) {
        if (time > now) {
            driver.advanceWallClockTime(java.time.Duration.ofMillis(time - now));
            now = time;
        }
    }

    void send(String conversationId, TaskEvent event) {
        tasks.pipeInput(conversationId, event, now);
    }

    /** A recorded tasks-topic record, its bytes as they are, at the current time. */
    void send(ProducerRecord<byte[], byte[]> record) {
        rawTasks.pipeInput(new TestRecord<>(record.key(), record.value(), record.headers(), now));
    }

    void send(LookupResult result) {
        results.pipeInput(result.getConversationId(), result, now);
    }

    List<LookupRequest> takeLookups() {
        return lookups.readValuesToList();
    }

    List<StatusUpdate> takeStatuses() {
        return statuses.readValuesToList();
    }

    List<StatusUpdate> takeOrphans() {
        return orphans.readValuesToList();
    }

    List<DeadLetter> takeDeadLetters() {
        return deadLetters.readValuesToList();
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
