package io.asyncflow.console;

import static io.asyncflow.console.ConsoleFixtures.CONVERSATION;
import static io.asyncflow.console.ConsoleFixtures.consumed;
import static io.asyncflow.console.ConsoleFixtures.format;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.config.ConfigException;
import io.asyncflow.testing.SampleRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class AsyncFlowFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldPrintATaskEventAsOneJsonLineNamingTheUnionBranch() throws Exception {
        // given
        var request = SampleRecords.taskRequest(CONVERSATION, "identify-caller", Map.of("ani", "tel:+33611111103"), 1_767_261_608_000L);
        var written = ConsoleFixtures.avro("request", CONVERSATION, SampleRecords.task(request),
                ConsoleFixtures.headers("traceparent", "00-abc-01"));

        // when
        String out = format(Map.of(), List.of(consumed("asyncflow.tasks", 4, 17, written)));

        // then
        assertThat(out).endsWith("\n").doesNotContain("\n{");
        JsonNode line = JSON.readTree(out);
        var release = releaseHoldingTheCurrentTaskEventSchema();
        if (release.isPresent()) {
            assertThat(fieldNames(line)).containsExactly("topic", "partition", "offset", "timestamp", "key", "headers", "type", "schema", "value");
            assertThat(line.path("schema").asText()).isEqualTo(release.get());
        } else {
            assertThat(fieldNames(line)).containsExactly("topic", "partition", "offset", "timestamp", "key", "headers", "type", "value");
        }
        assertThat(line.path("topic").asText()).isEqualTo("asyncflow.tasks");
        assertThat(line.path("partition").asInt()).isEqualTo(4);
        assertThat(line.path("offset").asLong()).isEqualTo(17);
        assertThat(line.path("timestamp").asLong()).isEqualTo(written.timestamp());
        assertThat(line.path("key").asText()).isEqualTo(CONVERSATION);
        assertThat(line.path("headers").path("traceparent").asText()).isEqualTo("00-abc-01");
        assertThat(line.path("type").asText()).isEqualTo("io.asyncflow.avro.TaskEvent");
        JsonNode branch = line.path("value").path("event").path("io.asyncflow.avro.TaskRequest");
        assertThat(branch.path("taskId").asText()).isEqualTo(request.getTaskId());
        assertThat(branch.path("inputs").path("ani").asText()).isEqualTo("tel:+33611111103");
        assertThat(branch.path("deadline").path("long").asLong()).isEqualTo(1_767_261_608_000L);
    }

    @Test
    void shouldPrintOnlyTheRecordsOfTheConfiguredConversation() throws Exception {
        // given
        String other = "0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b";
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(consumed("asyncflow.tasks", 0, 0, ConsoleFixtures.avro("a", CONVERSATION,
                SampleRecords.conversationEvent(CONVERSATION, ConversationEventType.STARTED), new RecordHeaders())));
        records.add(consumed("asyncflow.tasks", 0, 1, ConsoleFixtures.avro("b", other,
                SampleRecords.conversationEvent(other, ConversationEventType.STARTED), new RecordHeaders())));
        records.add(consumed("asyncflow.tasks", 0, 2, ConsoleFixtures.avro("c", CONVERSATION,
                SampleRecords.conversationEvent(CONVERSATION, ConversationEventType.ENDED), new RecordHeaders())));

        // when
        String out = format(Map.of("conversation.id", CONVERSATION), records);

        // then
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(l -> l.path("offset").asLong()).containsExactly(0L, 2L);
        assertThat(lines).extracting(l -> l.path("value").path("event").path("io.asyncflow.avro.ConversationEvent").path("type").asText())
                .containsExactly("STARTED", "ENDED");
    }

    @Test
    void shouldPrintRawGenesysEventsAsText() throws Exception {
        // given
        var written = new ConsoleFixtures.Written("raw", ConsoleFixtures.utf8(CONVERSATION),
                ConsoleFixtures.utf8(ConsoleFixtures.EVENTBRIDGE_START), new RecordHeaders(), 5L);

        // when
        JsonNode line = JSON.readTree(format(Map.of(), List.of(consumed("genesys.events", 0, 0, written))));

        // then
        assertThat(line.path("type").asText()).isEqualTo("text");
        assertThat(line.path("value").asText()).isEqualTo(ConsoleFixtures.EVENTBRIDGE_START);
    }

    @Test
    void shouldShowUndecodableValuesAsBytesWithTheReasonInsteadOfFailing() throws Exception {
        // given a value with an unknown fingerprint and a truncated TaskEvent
        byte[] valid = ConsoleFixtures.encode(SampleRecords.conversationEvent(CONVERSATION, ConversationEventType.ENDED));
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
        byte[] unknown = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 42};
        var records = List.of(
                consumed("asyncflow.tasks", 0, 0, new ConsoleFixtures.Written("t", null, truncated, new RecordHeaders(), 1L)),
                consumed("asyncflow.tasks", 0, 1, new ConsoleFixtures.Written("u", null, unknown, new RecordHeaders(), 1L)));

        // when
        String[] lines = format(Map.of(), records).split("\n");

        // then
        JsonNode first = JSON.readTree(lines[0]);
        assertThat(first.path("type").asText()).isEqualTo("bytes");
        assertThat(first.path("error").asText()).startsWith("cannot decode as io.asyncflow.avro.TaskEvent");
        assertThat(java.util.Base64.getDecoder().decode(first.path("value").path("base64").asText())).isEqualTo(truncated);
        JsonNode second = JSON.readTree(lines[1]);
        assertThat(second.path("type").asText()).isEqualTo("bytes");
        assertThat(second.path("error").asText()).startsWith("no known schema has fingerprint");
        assertThat(second.path("key").isNull()).isTrue();
    }

    @Test
    void shouldNameTheReleasedSchemaOfARecordWrittenWithAnOlderVersion() throws Exception {
        // given
        var written = new ConsoleFixtures.Written("v1", ConsoleFixtures.utf8(CONVERSATION), ConsoleFixtures.taskEventV1(CONVERSATION),
                new RecordHeaders(), 1L);

        // when
        JsonNode line = JSON.readTree(format(Map.of(), List.of(consumed("asyncflow.tasks", 0, 0, written))));

        // then the record prints as written: v1 had no "source" field
        assertThat(line.path("type").asText()).isEqualTo("io.asyncflow.avro.TaskEvent");
        assertThat(line.path("schema").asText()).isEqualTo("v1");
        JsonNode branch = line.path("value").path("event").path("io.asyncflow.avro.TaskRequest");
        assertThat(branch.path("inputs").path("ani").asText()).isEqualTo("tel:+33611111101");
        assertThat(branch.has("source")).isFalse();
    }

    @Test
    void shouldRejectAMisspelledProperty() {
        try (AsyncFlowFormatter formatter = new AsyncFlowFormatter()) {
            assertThatThrownBy(() -> formatter.configure(Map.of("conversation-id", CONVERSATION)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("conversation-id");
        }
    }

    /** The newest released version whose TaskEvent schema is the current one; empty while changes are unreleased. */
    private static java.util.Optional<String> releaseHoldingTheCurrentTaskEventSchema() {
        var history = io.asyncflow.serde.SchemaHistory.shipped();
        long current = org.apache.avro.SchemaNormalization.parsingFingerprint64(io.asyncflow.avro.TaskEvent.getClassSchema());
        return history.versions().stream()
                .filter(v -> history.version(v).containsKey("TaskEvent"))
                .filter(v -> org.apache.avro.SchemaNormalization.parsingFingerprint64(history.version(v).get("TaskEvent")) == current)
                .reduce((a, b) -> b);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
