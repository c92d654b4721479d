package io.asyncflow.processor.topology;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The production topology ({@link TopologyFactory#build}) and Streams properties in a
 * {@link TopologyTestDriver} with driven wall-clock time, plus typed topics and record helpers.
 */
final class TopologyFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final String IDENTIFY = "identify-caller";
    static final String CLASSIFY = "classify-intent";
    static final Duration RETENTION = Duration.ofMinutes(1);
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(8);

    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, TaskEvent> tasks;
    final TestInputTopic<String, LookupResult> results;
    final TestInputTopic<String, byte[]> rawTasks;
    final TestInputTopic<String, byte[]> rawResults;
    final TestOutputTopic<String, LookupRequest> lookups;
    final TestOutputTopic<String, StatusUpdate> status;
    final TestOutputTopic<String, StatusUpdate> orphans;
    final TestOutputTopic<String, DeadLetter> deadLetters;
    private final Path stateDir;
    private Instant now = START;

    TopologyFixture() {
        this(Map.of());
    }

    TopologyFixture(Map<String, String> overrides) {
        this(config(overrides), TaskCatalog.from(config(overrides)));
    }

    /** The topology with {@code catalog} instead of the one configured. */
    TopologyFixture(AsyncFlowConfig configured, TaskCatalog catalog) {
        try {
            stateDir = Files.createTempDirectory("topology-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AsyncFlowConfig config = configured.with(Map.of(TopologySettings.STATE_DIR.name(), stateDir.toString()));
        TopologySettings settings = TopologySettings.from(config);
        topics = Topics.from(config);
        driver = new TopologyTestDriver(TopologyFactory.build(settings, topics, catalog),
                StreamsProperties.of(settings, new KafkaSettings(config).forClient("streams"), topics.deadLetters()), START);
        tasks = input(topics.tasks());
        results = input(topics.lookupResults());
        rawTasks = driver.createInputTopic(topics.tasks().name(), topics.tasks().keySerde().serializer(), new ByteArraySerializer());
        rawResults = driver.createInputTopic(topics.lookupResults().name(), topics.lookupResults().keySerde().serializer(),
                new ByteArraySerializer());
        lookups = output(topics.lookups());
        status = output(topics.status());
        orphans = output(topics.orphans());
        deadLetters = output(topics.deadLetters());
    }

    /** The catalog of the issue: identify-caller over alpha, beta, gamma; classify-intent over intent-ai. */
    static AsyncFlowConfig config(Map<String, String> overrides) {
        Map<String, String> values = catalogValues();
        values.put(TopologySettings.FINISHED_RETENTION.name(), RETENTION.toMillis() + "ms");
        values.put(TopologySettings.PUNCTUATE_INTERVAL.name(), "100ms");
        values.putAll(overrides);
        return AsyncFlowConfig.of(values);
    }

    /** Task types and backends of the catalog, as configuration entries. */
    static Map<String, String> catalogValues() {
        Map<String, String> values = new HashMap<>();
        values.put("task.identify-caller.backends", "alpha,beta,gamma");
        values.put("task.identify-caller.policy", "FIRST_MATCH");
        values.put("task.identify-caller.required-inputs", "ani");
        values.put("task.identify-caller.deadline", DEFAULT_DEADLINE.toMillis() + "ms");
        values.put("task.classify-intent.backends", "intent-ai");
        values.put("task.classify-intent.required-inputs", "transcript");
        for (String db : new String[]{"alpha", "beta", "gamma"}) {
            values.put("backend." + db + ".url", "http://backends.test/" + db + "/customers?phone={{ani}}");
        }
        values.put("backend.intent-ai.url", "http://backends.test/intent/classify");
        values.put("backend.intent-ai.method", "POST");
        values.put("backend.intent-ai.body", "{\"text\": \"{{transcript}}\"}");
        return values;
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    long now() {
        return now.toEpochMilli();
    }

    void advance(Duration by) {
        now = now.plus(by);
        driver.advanceWallClockTime(by);
    }

    /** An identify-caller request accepted now, with the type's default deadline. */
    TaskRequest identify(String conversationId) {
        return request(conversationId, IDENTIFY, Map.of("ani", SampleRecords.ANI));
    }

    TaskRequest classify(String conversationId) {
        return request(conversationId, CLASSIFY, Map.of("transcript", "I want to change my flight"));
    }

    TaskRequest request(String conversationId, String taskType, Map<String, String> inputs) {
        TaskRequest request = SampleRecords.taskRequest(conversationId, taskType, inputs, 0);
        request.setRequestedAt(now());
        request.setDeadline(null);
        return request;
    }

    void send(TaskRequest request) {
        tasks.pipeInput(request.getConversationId(), SampleRecords.task(request), now);
    }

    void end(String conversationId) {
        tasks.pipeInput(conversationId, SampleRecords.conversationEvent(conversationId, ConversationEventType.ENDED), now);
    }

    void start(String conversationId) {
        tasks.pipeInput(conversationId, SampleRecords.conversationEvent(conversationId, ConversationEventType.STARTED), now);
    }

    /** A {@code customer.start} of {@code conversationId} naming {@code participantId} as the customer. */
    void start(String conversationId, String participantId) {
        TaskEvent started = SampleRecords.conversationEvent(conversationId, ConversationEventType.STARTED);
        ((ConversationEvent) started.getEvent()).setParticipantId(participantId);
        tasks.pipeInput(conversationId, started, now);
    }

    /** {@code request} as a Data Action following the documented flow sends it: without a participant id. */
    static TaskRequest withoutParticipant(TaskRequest request) {
        request.setParticipantId(null);
        return request;
    }

    /** The backend of {@code lookup} answers. */
    void answer(LookupRequest lookup, LookupOutcome outcome, Map<String, String> attributes) {
        results.pipeInput(lookup.getConversationId(), SampleRecords.lookupResult(lookup, outcome, attributes), now);
    }

    void answer(LookupRequest lookup, LookupOutcome outcome) {
        answer(lookup, outcome, Map.of());
    }

    KeyValueStore<String, ConversationState> conversations() {
        return driver.getKeyValueStore(FirstMatchAggregator.TASKS_STORE);
    }

    KeyValueStore<String, String> timers() {
        return driver.getKeyValueStore(FirstMatchAggregator.TIMERS_STORE);
    }

    /** Exact number of entries (RocksDB's approximateNumEntries counts deleted keys too). */
    static long count(KeyValueStore<String, ?> store) {
        long n = 0;
        try (KeyValueIterator<String, ?> it = store.all()) {
            for (; it.hasNext(); it.next()) {
                n++;
            }
        }
        return n;
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
