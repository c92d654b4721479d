package io.asyncflow.testkit;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.console.RecordLines;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.kafka.Outgoing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Tests an AsyncFlow configuration without a broker, databases or a Genesys org: AsyncFlow's
 * production topology, built from the properties file {@code asyncflow run --config} takes, runs in a
 * Kafka Streams {@code TopologyTestDriver} whose wall-clock time the test drives. Backends answer
 * with canned HTTP responses ({@link CannedResponse}) that the lookup worker's own code classifies,
 * so the file's {@code hit-pointer}, {@code attributes} and {@code failure-pointer} are what the test
 * exercises; what the participant-data sink would write is read back with the sink's own mapping.
 *
 * <pre>
 * try (AsyncFlowTestKit kit = AsyncFlowTestKit.start(Path.of("src/test/resources/asyncflow.properties"))) {
 *     kit.respond("alpha", CannedResponse.status(404));
 *     kit.respond("gamma", CannedResponse.json(200, "{\"customer\": {\"id\": \"G-3003\"}}"));
 *     kit.requestTask(CONVERSATION, "identify-caller", Map.of("ani", "tel:+33611111103"));
 *     kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.SUCCESS);
 *     assertThat(kit.participantData(CONVERSATION)).containsEntry("customerId", "G-3003");
 * }
 * </pre>
 *
 * Inputs: a task request ({@link #requestTask}), a Genesys event ({@link #genesysEvent}, {@link #hangUp})
 * or a conversation recorded with the console formatter ({@link #replay}). Every input is handled at
 * once, with every answer already due; {@link #advance} moves time on (delayed answers, deadlines).
 * A configuration {@code run} would refuse is refused here with the same
 * {@link io.asyncflow.config.ConfigException}, naming the key. Not thread-safe; one kit per test.
 */
public final class AsyncFlowTestKit implements AutoCloseable {
    /** The start time when the test names none: the time the conversations in {@code replay/} were recorded. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T10:00:00Z");
    private static final String DATA_ACTION = "data-action";

    private final DrivenTopology topology;
    private final CannedBackends backends;
    private final GenesysEvents events;
    private final Timeline timeline;
    private final TopologyOutputs outputs;

    private AsyncFlowTestKit(RunConfiguration configuration, Instant start) {
        this.topology = new DrivenTopology(configuration.config(), configuration.catalog(), start);
        this.backends = new CannedBackends(configuration.catalog());
        this.events = new GenesysEvents(configuration.catalog(), topology.topics(), new KitTime(topology::now));
        this.timeline = new Timeline(start.toEpochMilli());
        this.outputs = new TopologyOutputs(new SinkView(configuration.config()), timeline);
    }

    /** A kit for the configuration in {@code propertiesFile}, starting at {@link #DEFAULT_START}. */
    public static AsyncFlowTestKit start(Path propertiesFile) {
        return configuredBy(propertiesFile).start();
    }

    /** A builder, to set keys, environment variables or the start time before starting. */
    public static Builder configuredBy(Path propertiesFile) {
        return new Builder(propertiesFile);
    }

    /** Options of a kit; {@link #start()} loads and validates the configuration. */
    public static final class Builder {
        private final Path file;
        private final Map<String, String> environment = new HashMap<>();
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Instant start = DEFAULT_START;

        private Builder(Path file) {
            this.file = file;
        }

        /** Sets a key on top of the file, as {@code run -D key=value} does. */
        public Builder set(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /**
         * Environment variables as {@code run} would see them: {@code ASYNCFLOW_*} keys, and the values
         * of {@code ${env:NAME}} references (e.g. a backend's secret header). None by default; a
         * reference to a variable given neither here nor in the process environment is refused.
         */
        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** The kit's wall-clock time at start. */
        public Builder startingAt(Instant time) {
            start = time;
            return this;
        }

        /** @throws io.asyncflow.config.ConfigException naming the key, for a configuration {@code run} would refuse */
        public AsyncFlowTestKit start() {
            return new AsyncFlowTestKit(RunConfiguration.load(file, environment, overrides), start);
        }
    }

    /** The kit's current wall-clock time. */
    public Instant now() {
        return Instant.ofEpochMilli(topology.now());
    }

    /** Moves time forward: delayed answers arrive in their order, deadlines pass, statuses follow. */
    public void advance(Duration by) {
        long target = topology.now() + by.toMillis();
        for (OptionalLong next = backends.nextDue(); next.isPresent() && next.getAsLong() <= target; next = backends.nextDue()) {
            topology.advanceTo(next.getAsLong());
            settle();
        }
        topology.advanceTo(target);
        settle();
    }

    /**
     * How {@code backend} answers every lookup from now on.
     *
     * @throws IllegalArgumentException when no such backend is configured (the message lists those that are)
     */
    public void respond(String backend, CannedResponse response) {
        backends.respond(backend, response);
    }

    /** The calls made to {@code backend} so far, as the worker would make them (URL and body from its templates). */
    public List<BackendCall> callsTo(String backend) {
        return backends.callsTo(backend);
    }

    /**
     * Starts a task as a Data Action request without idempotency key does: task id derived from the
     * conversation and task type (as the ingress does), requested now, the type's default deadline.
     *
     * @return the task id
     */
    public String requestTask(String conversationId, String taskType, Map<String, String> inputs) {
        TaskRequest request = TaskRequest.newBuilder()
                .setTaskId(TaskIds.of(conversationId, taskType, null))
                .setTaskType(taskType)
                .setConversationId(conversationId)
                .setParticipantId(null)
                .setInputs(inputs)
                .setRequestedAt(topology.now())
                .setDeadline(null)
                .setSource(DATA_ACTION)
                .build();
        requestTask(request);
        return request.getTaskId();
    }

    /** Sends a task request as it is (participant id, deadline, times of the test's choosing). */
    public void requestTask(TaskRequest request) {
        send(request.getConversationId(), TaskEvent.newBuilder().setEvent(request).build());
    }

    /**
     * A Genesys event as EventBridge or the Notifications API delivers it (an envelope, an array of
     * envelopes, or a Notifications message), handled as the raw-event bridge handles it: a
     * {@code customer.start} auto-starts the task types configured so, a {@code customer.end} ends the
     * conversation, a malformed event becomes a dead letter.
     */
    public void genesysEvent(String json) {
        bridge(null, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The caller hangs up: a {@code customer.end} event for the conversation, now. */
    public void hangUp(String conversationId) {
        bridge(conversationId.getBytes(StandardCharsets.UTF_8), events.customerEnd(conversationId, topology.now()));
    }

    /**
     * Replays a conversation recorded with {@code AsyncFlowFormatter} (a file of {@code replay/}, or a
     * dump of the user's own topics), read as {@code kafka-console-producer} with
     * {@code AsyncFlowRecordReader} reads it: times rebased so the first record happens now, the
     * others keeping their distance (time advances to each record's time before it is sent). Task
     * events go to the topology, plain Genesys event lines through the bridge; recorded lookups,
     * results, statuses, orphans and dead letters are outputs of the recorded run and are skipped:
     * the kit makes its own, from the canned answers.
     *
     * @throws io.asyncflow.console.BadLineException naming the line that cannot be read
     */
    public void replay(Path recording) {
        List<String> lines;
        try {
            lines = Files.readAllLines(recording, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + recording, e);
        }
        RecordLines parser = new RecordLines(topology.topics(), new KitTime(topology::now));
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                replay(parser.parse(i + 1L, lines.get(i)));
            }
        }
    }

    private void replay(ProducerRecord<byte[], byte[]> record) {
        if (record.timestamp() != null && record.timestamp() > topology.now()) {
            advance(Duration.ofMillis(record.timestamp() - topology.now()));
        }
        if (record.topic().equals(topology.topics().rawEvents().name())) {
            bridge(record.key(), record.value());
        } else if (record.topic().equals(topology.topics().tasks().name())) {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            timeline.add(key, topology.now(), "recorded " + describe(record));
            topology.send(record);
            settle();
        }
    }

    /** Every status the topology emitted for the conversation, in order. */
    public List<StatusUpdate> statuses(String conversationId) {
        return outputs.statuses(conversationId);
    }

    /** The statuses of the conversation, in order, e.g. {@code [ONGOING, SUCCESS]}. */
    public List<TaskStatus> statusSequence(String conversationId) {
        return statuses(conversationId).stream().map(StatusUpdate::getStatus).toList();
    }

    /** The participant-data writes the sink would make for the conversation, in order ({@code CANCELLED} writes nothing). */
    public List<ParticipantDataWrite> participantDataWrites(String conversationId) {
        return outputs.writes(conversationId);
    }

    /** The conversation's participant data after those writes, as Genesys merges them (a later value of a key wins). */
    public Map<String, String> participantData(String conversationId) {
        Map<String, String> merged = new LinkedHashMap<>();
        participantDataWrites(conversationId).forEach(write -> merged.putAll(write.attributes()));
        return merged;
    }

    /** Results that arrived after their conversation ended, as written to the orphans topic. */
    public List<StatusUpdate> orphans() {
        return outputs.orphans();
    }

    /** Dead letters of the topology and of the bridge (malformed Genesys events), in order. */
    public List<DeadLetter> deadLetters() {
        return outputs.deadLetters();
    }

    /**
     * What happened to the conversation, line by line: requests, each backend call and how its canned
     * answer was classified (naming the {@code hit-pointer} or {@code attributes} key that decided a
     * miss or a missing value), statuses and participant-data writes. Use it as an assertion's
     * description: {@code assertThat(...).as(kit.timeline(id))}.
     */
    public String timeline(String conversationId) {
        return timeline.of(conversationId);
    }

    /** @throws AssertionError with the {@link #timeline} when the conversation's statuses differ from {@code expected} */
    public void assertStatuses(String conversationId, TaskStatus... expected) {
        List<TaskStatus> actual = statusSequence(conversationId);
        if (!actual.equals(Arrays.asList(expected))) {
            throw new AssertionError("expected statuses " + Arrays.asList(expected) + " but were " + actual + "\n"
                    + timeline(conversationId));
        }
    }

    @Override
    public void close() {
        topology.close();
    }

    private void send(String conversationId, TaskEvent event) {
        timeline.add(conversationId, topology.now(), describe(event));
        topology.send(conversationId, event);
        settle();
    }

    private void bridge(byte[] key, byte[] event) {
        for (Outgoing<?, ?> out : events.translate(key, event)) {
            if (out.value() instanceof TaskEvent task) {
                send((String) out.key(), task);
            } else if (out.value() instanceof DeadLetter letter) {
                outputs.deadLetter(letter, topology.now());
            }
        }
    }

    /** Hands every lookup to the canned backends and every due answer to the topology, until nothing moves. */
    private void settle() {
        boolean moved = true;
        while (moved) {
            outputs.collect(topology);
            long now = topology.now();
            List<LookupRequest> lookups = topology.takeLookups();
            lookups.forEach(lookup -> timeline.add(lookup.getConversationId(), now, backends.take(lookup, now)));
            List<CannedBackends.Due> due = backends.dueBy(now);
            for (CannedBackends.Due answer : due) {
                timeline.add(answer.result().getConversationId(), now, answer.note());
                topology.send(answer.result());
                outputs.collect(topology);
            }
            moved = !lookups.isEmpty() || !due.isEmpty();
        }
    }

    private String describe(ProducerRecord<byte[], byte[]> record) {
        try {
            return describe(topology.topics().tasks().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            return "record that cannot be decoded";
        }
    }

    private static String describe(TaskEvent event) {
        if (event.getEvent() instanceof TaskRequest request) {
            return "task " + request.getTaskType() + " requested (" + request.getSource() + ", inputs " + request.getInputs().keySet() + ")";
        }
        ConversationEvent lifecycle = (ConversationEvent) event.getEvent();
        return "conversation " + lifecycle.getType() + " (" + lifecycle.getSource() + ")";
    }
}
