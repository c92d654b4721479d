package io.asyncflow.console;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

/**
 * The demo scenarios recorded in the repository's {@code replay/} directory, as the records the
 * ingress would have written to {@code asyncflow.tasks} (6 partitions). Regenerate the files after
 * a schema release with {@code main(<repo>/replay)}; {@link ReplayFilesTest} checks the files.
 */
final class ReplayScenarios {
    /** 2026-01-01T10:00:00Z: the recorded requests' time; the reader moves it to "now" when replaying. */
    static final long T0 = 1_767_261_600_000L;
    static final String TOPIC = "asyncflow.tasks";
    static final int PARTITIONS = 6;
    static final String DNIS = "tel:+33198765432";

    record Entry(String key, TaskEvent value, long timestamp) {
    }

    record Scenario(String name, List<Entry> entries) {
        String fileName() {
            return name + ".jsonl";
        }
    }

    private ReplayScenarios() {
    }

    static List<Scenario> all() {
        TaskRequest repeated = identifyCaller(6, "tel:+33611111103");
        TaskRequest hangsUp = identifyCaller(4, "tel:+33611111103");
        return List.of(
                new Scenario("match-in-gamma", List.of(entry(identifyCaller(1, "tel:+33611111103"), 0))),
                new Scenario("no-match", List.of(entry(identifyCaller(2, "tel:+33611111199"), 0))),
                new Scenario("database-down", List.of(entry(identifyCaller(3, "tel:+33611111103"), 0))),
                new Scenario("caller-hangs-up", List.of(entry(hangsUp, 0), entry(ended(hangsUp, 50), 50))),
                new Scenario("slow-ai", List.of(entry(classifyIntent(5, "I lost my credit card", 1500), 0))),
                new Scenario("repeat-request", List.of(entry(repeated, 0), entry(repeated, 200))));
    }

    /** The scenario's lines, exactly as {@link AsyncFlowFormatter} prints them. */
    static String render(Scenario scenario) {
        Map<Integer, Long> nextOffset = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Entry entry : scenario.entries()) {
            byte[] key = entry.key().getBytes(StandardCharsets.UTF_8);
            int partition = Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
            long offset = nextOffset.merge(partition, 1L, Long::sum) - 1;
            records.add(ConsoleFixtures.consumed(TOPIC, partition, offset, new ConsoleFixtures.Written(scenario.name(), key,
                    ConsoleFixtures.encode(entry.value()), new RecordHeaders(), entry.timestamp())));
        }
        return ConsoleFixtures.format(Map.of(), records);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "replay");
        Files.createDirectories(dir);
        for (Scenario scenario : all()) {
            Files.writeString(dir.resolve(scenario.fileName()), render(scenario), StandardCharsets.UTF_8);
        }
    }

    static String conversationId(int scenario) {
        return "5c3a0d1e-%04d-4b7f-9a2e-6d8c1f0b3a5e".formatted(scenario);
    }

    static String taskId(int scenario) {
        return "7d4e2f10-%04d-4a8b-b3c6-2e9f5a1d7c4b".formatted(scenario);
    }

    static String participantId(int scenario) {
        return "e2b9c4a7-%04d-4d3f-8e1a-9c6b0d2f4e6a".formatted(scenario);
    }

    private static Entry entry(TaskRequest request, long after) {
        return new Entry(request.getConversationId(), new TaskEvent(request), T0 + after);
    }

    private static Entry entry(ConversationEvent event, long after) {
        return new Entry(event.getConversationId(), new TaskEvent(event), T0 + after);
    }

    private static TaskRequest identifyCaller(int scenario, String ani) {
        return request(scenario, "identify-caller", Map.of("ani", ani), null);
    }

    private static TaskRequest classifyIntent(int scenario, String transcript, long deadlineMs) {
        return request(scenario, "classify-intent", Map.of("transcript", transcript), T0 + deadlineMs);
    }

    private static TaskRequest request(int scenario, String taskType, Map<String, String> inputs, Long deadline) {
        return TaskRequest.newBuilder()
                .setTaskId(taskId(scenario))
                .setTaskType(taskType)
                .setConversationId(conversationId(scenario))
                .setParticipantId(participantId(scenario))
                .setInputs(inputs)
                .setRequestedAt(T0)
                .setDeadline(deadline)
                .setSource("data-action")
                .build();
    }

    private static ConversationEvent ended(TaskRequest request, long after) {
        return ConversationEvent.newBuilder()
                .setConversationId(request.getConversationId())
                .setType(ConversationEventType.ENDED)
                .setParticipantId(request.getParticipantId())
                .setAni(request.getInputs().get("ani"))
                .setDnis(DNIS)
                .setEventTime(T0 + after)
                .setSource("eventbridge")
                .build();
    }
}
