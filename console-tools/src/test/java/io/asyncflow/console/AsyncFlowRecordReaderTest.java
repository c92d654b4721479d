package io.asyncflow.console;

import static io.asyncflow.console.ConsoleFixtures.CONVERSATION;
import static io.asyncflow.console.ConsoleFixtures.consumed;
import static io.asyncflow.console.ConsoleFixtures.format;
import static io.asyncflow.console.ConsoleFixtures.headerList;
import static io.asyncflow.console.ConsoleFixtures.read;
import static io.asyncflow.console.ConsoleFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.testing.SampleRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AsyncFlowRecordReaderTest {
    private static final String TASKS = "asyncflow.tasks";
    private static final String RAW = "genesys.events";
    private static final long NOW = 1_800_000_000_000L;
    private static final Map<String, String> EXACT = Map.of("topic", "replayed", "rebase.time", "false");

    static Stream<ConsoleFixtures.Written> everyKind() {
        return ConsoleFixtures.everyKind().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKind")
    void shouldRebuildTheRecordByteForByteFromTheFormattersLine(ConsoleFixtures.Written written) {
        // given
        String line = format(Map.of(), List.of(consumed("original", 2, 40, written)));

        // when
        List<ProducerRecord<byte[], byte[]>> records = read(EXACT, line, NOW);

        // then
        assertThat(records).hasSize(1);
        ProducerRecord<byte[], byte[]> record = records.get(0);
        assertThat(record.topic()).isEqualTo("replayed");
        assertThat(record.partition()).isNull();
        assertThat(record.key()).isEqualTo(written.key());
        assertThat(record.value()).isEqualTo(written.value());
        assertThat(headerList(record.headers())).isEqualTo(headerList(written.headers()));
        assertThat(record.timestamp()).isEqualTo(written.timestamp());
    }

    @Test
    void shouldRebuildEveryRecordOfAMixedDumpInOrder() {
        // given
        List<ConsoleFixtures.Written> all = ConsoleFixtures.everyKind();
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> consumed = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            consumed.add(consumed("original", 0, i, all.get(i)));
        }

        // when
        List<ProducerRecord<byte[], byte[]>> records = read(EXACT, format(Map.of(), consumed), NOW);

        // then
        assertThat(records).extracting(ProducerRecord::value).containsExactlyElementsOf(all.stream().map(ConsoleFixtures.Written::value).toList());
        assertThat(records).extracting(ProducerRecord::key).containsExactlyElementsOf(all.stream().map(ConsoleFixtures.Written::key).toList());
    }

    @Test
    void shouldProduceAnEventBridgeEnvelopeAsItIsKeyedByItsConversation() {
        // when
        List<ProducerRecord<byte[], byte[]>> records = read(Map.of("topic", RAW), ConsoleFixtures.EVENTBRIDGE_START + "\n", NOW);

        // then
        assertThat(records).hasSize(1);
        assertThat(records.get(0).topic()).isEqualTo(RAW);
        assertThat(records.get(0).key()).isEqualTo(utf8(CONVERSATION));
        assertThat(records.get(0).value()).isEqualTo(utf8(ConsoleFixtures.EVENTBRIDGE_START));
        assertThat(records.get(0).headers().toArray()).isEmpty();
    }

    @Test
    void shouldProduceANotificationsMessageAsItIsKeyedByItsConversation() {
        // when
        List<ProducerRecord<byte[], byte[]>> records = read(Map.of("topic", RAW),
                ConsoleFixtures.EVENTBRIDGE_START + "\n\n" + ConsoleFixtures.NOTIFICATION_END + "\n", NOW);

        // then
        assertThat(records).extracting(r -> new String(r.key())).containsExactly(CONVERSATION, CONVERSATION);
        assertThat(records.get(1).value()).isEqualTo(utf8(ConsoleFixtures.NOTIFICATION_END));
    }

    @Test
    void shouldRejectAGenesysEventOnTheTasksTopicNamingTheLine() {
        assertThatThrownBy(() -> read(Map.of("topic", TASKS), ConsoleFixtures.EVENTBRIDGE_START, NOW))
                .isInstanceOf(BadLineException.class)
                .hasMessage("line 1: a Genesys event belongs on the raw events topic genesys.events, not on asyncflow.tasks");
    }

    @Test
    void shouldKnowTheTopicNamesFromTheReaderProperties() {
        // given tasks renamed: a Genesys event for "my.tasks" is a mistake, for the renamed raw topic it is right
        Map<String, String> renamed = Map.of("topic", "my.tasks", "topic.tasks", "my.tasks", "topic.raw-events", "my.raw");

        // then
        assertThatThrownBy(() -> read(renamed, ConsoleFixtures.EVENTBRIDGE_START, NOW))
                .hasMessageContaining("raw events topic my.raw, not on my.tasks");
        assertThat(read(Map.of("topic", "my.raw", "topic.raw-events", "my.raw"), ConsoleFixtures.EVENTBRIDGE_START, NOW)).hasSize(1);
    }

    @Test
    void shouldRejectAnAvroRecordOnTheRawEventsTopic() {
        // given
        String line = format(Map.of(), List.of(consumed(TASKS, 0, 0, ConsoleFixtures.everyKind().get(0))));

        // then
        assertThatThrownBy(() -> read(Map.of("topic", RAW), line, NOW))
                .isInstanceOf(BadLineException.class)
                .hasMessageStartingWith("line 1: an Avro io.asyncflow.avro.TaskEvent does not belong on the raw events topic");
    }

    @Test
    void shouldNameTheLineNumberOfEachKindOfBadLine() {
        String good = format(Map.of(), List.of(consumed(TASKS, 0, 0, ConsoleFixtures.everyKind().get(1))));
        assertBadLine(good + "\n{\"key\": \"k\", \"value\": ", 3, "not valid JSON");
        assertBadLine(good + "[1, 2]\n", 2, "expected one JSON object per line, got ARRAY");
        assertBadLine(good + "{\"hello\": \"world\"}\n", 2, "neither an AsyncFlow record line");
        assertBadLine("{\"key\":\"k\",\"type\":\"io.asyncflow.avro.Nope\",\"value\":{}}", 1, "unknown record type 'io.asyncflow.avro.Nope'");
        assertBadLine("{\"key\":\"k\",\"type\":\"io.asyncflow.avro.TaskEvent\",\"schema\":\"v9\",\"value\":{}}", 1, "unknown schema version 'v9'");
        assertBadLine("{\"key\":\"k\",\"type\":\"io.asyncflow.avro.TaskEvent\",\"value\":{\"event\":{\"io.asyncflow.avro.TaskRequest\":{\"taskId\":\"t\"}}}}",
                1, "value is not a valid io.asyncflow.avro.TaskEvent in Avro JSON");
        assertBadLine("{\"key\":\"k\",\"value\":{\"a\":1}}", 1, "\"type\" is missing");
        assertBadLine("{\"key\":{\"base64\":\"***\"},\"type\":\"text\",\"value\":\"x\"}", 1, "key is not valid base64");
        assertBadLine("{\"key\":\"k\",\"timestamp\":\"yesterday\",\"type\":\"text\",\"value\":\"x\"}", 1, "timestamp must be epoch milliseconds");
        assertBadLine("{\"key\":\"k\",\"headers\":[\"h\"],\"type\":\"text\",\"value\":\"x\"}", 1, "headers must be a JSON object");
    }

    @Test
    void shouldSkipBadLinesWhenAskedTo() {
        // given
        String good = format(Map.of(), List.of(consumed(TASKS, 0, 0, ConsoleFixtures.everyKind().get(1))));

        // when
        List<ProducerRecord<byte[], byte[]>> records = read(Map.of("topic", TASKS, "ignore.error", "true"),
                "not json\n" + good + "{\"hello\": 1}\n" + good, NOW);

        // then
        assertThat(records).hasSize(2);
    }

    @Test
    void shouldMoveEveryTimeByOneOffsetByDefaultSoTheFirstRecordHappensNow() {
        // given a request with a 1.5 s deadline, the caller hanging up 50 ms later
        long t0 = 1_767_261_600_000L;
        TaskRequest request = TaskRequest.newBuilder(SampleRecords.taskRequest(CONVERSATION, "classify-intent",
                Map.of("transcript", "I lost my credit card"), t0 + 1500)).setRequestedAt(t0).build();
        ConversationEvent ended = ConversationEvent.newBuilder((ConversationEvent) SampleRecords
                .conversationEvent(CONVERSATION, ConversationEventType.ENDED).getEvent()).setEventTime(t0 + 50).build();
        String lines = format(Map.of(), List.of(
                consumed(TASKS, 0, 0, new ConsoleFixtures.Written("r", utf8(CONVERSATION), ConsoleFixtures.encode(SampleRecords.task(request)), new RecordHeaders(), t0)),
                consumed(TASKS, 0, 1, new ConsoleFixtures.Written("e", utf8(CONVERSATION), ConsoleFixtures.encode(new TaskEvent(ended)), new RecordHeaders(), t0 + 50))));

        // when
        List<ProducerRecord<byte[], byte[]>> records = read(Map.of("topic", TASKS), lines, NOW);

        // then
        assertThat(records).extracting(ProducerRecord::timestamp).containsExactly(NOW, NOW + 50);
        TaskRequest replayed = (TaskRequest) ConsoleFixtures.decodeTaskEvent(records.get(0).value()).getEvent();
        assertThat(replayed.getRequestedAt()).isEqualTo(NOW);
        assertThat(replayed.getDeadline()).isEqualTo(NOW + 1500);
        assertThat(replayed).isEqualTo(TaskRequest.newBuilder(request).setRequestedAt(NOW).setDeadline(NOW + 1500).build());
        ConversationEvent replayedEnd = (ConversationEvent) ConsoleFixtures.decodeTaskEvent(records.get(1).value()).getEvent();
        assertThat(replayedEnd).isEqualTo(ConversationEvent.newBuilder(ended).setEventTime(NOW + 50).build());
    }

    @Test
    void shouldAnchorOnTheFirstTimeFieldWhenTheLineHasNoTimestamp() {
        // given
        long t0 = 1_767_261_600_000L;
        TaskRequest request = TaskRequest.newBuilder(SampleRecords.taskRequest(CONVERSATION, "identify-caller",
                Map.of("ani", "tel:+33611111103"), t0 + 8000)).setRequestedAt(t0).build();
        String line = format(Map.of(), List.of(consumed(TASKS, 0, 0, ConsoleFixtures.avro("r", CONVERSATION, SampleRecords.task(request), new RecordHeaders()))))
                .replaceFirst("\"timestamp\":\\d+", "\"timestamp\":null");

        // when
        List<ProducerRecord<byte[], byte[]>> records = read(Map.of("topic", TASKS), line, NOW);

        // then
        assertThat(records.get(0).timestamp()).isNull();
        TaskRequest replayed = (TaskRequest) ConsoleFixtures.decodeTaskEvent(records.get(0).value()).getEvent();
        assertThat(replayed.getRequestedAt()).isEqualTo(NOW);
        assertThat(replayed.getDeadline()).isEqualTo(NOW + 8000);
    }

    @Test
    void shouldRefuseToReadWithoutKnowingTheTopic() {
        try (AsyncFlowRecordReader reader = new AsyncFlowRecordReader()) {
            assertThatThrownBy(() -> reader.configure(Map.of("rebase.time", "false")))
                    .hasMessageContaining("needs the topic it writes to");
        }
    }

    private static void assertBadLine(String input, long lineNumber, String reason) {
        assertThatThrownBy(() -> read(Map.of("topic", TASKS), input, NOW))
                .isInstanceOfSatisfying(BadLineException.class, e -> assertThat(e.lineNumber()).isEqualTo(lineNumber))
                .hasMessageStartingWith("line " + lineNumber + ": ")
                .hasMessageContaining(reason);
    }
}
