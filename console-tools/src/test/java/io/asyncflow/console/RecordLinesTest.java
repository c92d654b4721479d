package io.asyncflow.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.testing.DrivenTime;
import io.asyncflow.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class RecordLinesTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final long RECORDED = 1_767_261_600_000L;
    private static final String CONVERSATION = "5c3a0d1e-0001-4b7f-9a2e-6d8c1f0b3a5e";
    private static final String NOTIFICATION = "{\"topicName\":\"v2.detail.events.conversation." + CONVERSATION
            + ".customer.end\",\"version\":\"2\",\"eventBody\":{\"conversationId\":\"" + CONVERSATION + "\"}}";
    private static final String ORPHAN = "{\"topic\":\"asyncflow.orphans\",\"timestamp\":" + RECORDED + ",\"key\":\"" + CONVERSATION
            + "\",\"type\":\"io.asyncflow.avro.StatusUpdate\",\"value\":{\"taskId\":\"t-1\",\"taskType\":\"identify-caller\","
            + "\"conversationId\":\"" + CONVERSATION + "\",\"participantId\":null,\"status\":\"SUCCESS\",\"version\":3,"
            + "\"attributes\":{},\"backend\":{\"string\":\"gamma\"},\"reason\":null,\"requestedAt\":" + RECORDED
            + ",\"emittedAt\":" + RECORDED + "}}";

    private final Topics topics = Topics.defaults();
    private final RecordLines lines = new RecordLines(topics, DrivenTime.atMillis(NOW));

    @Test
    void shouldSendATaskEventLineToTheTasksTopicWithItsTimesMovedToNow() throws IOException {
        String line = Files.readAllLines(Path.of("../replay/match-in-gamma.jsonl")).get(0);

        ProducerRecord<byte[], byte[]> record = lines.parse(1, line);

        assertThat(record.topic()).isEqualTo(topics.tasks().name());
        assertThat(record.timestamp()).isEqualTo(NOW);
        TaskEvent event = topics.tasks().deserializeValue(record.value());
        assertThat(((TaskRequest) event.getEvent()).getRequestedAt()).isEqualTo(NOW);
    }

    @Test
    void shouldSendAPlainGenesysEventToTheRawEventsTopicAsItIs() {
        ProducerRecord<byte[], byte[]> record = lines.parse(1, NOTIFICATION);

        assertThat(record.topic()).isEqualTo(topics.rawEvents().name());
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(NOTIFICATION);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(CONVERSATION);
    }

    @Test
    void shouldSendAStatusRecordedOnTheOrphansTopicBackToTheOrphansTopic() {
        ProducerRecord<byte[], byte[]> record = lines.parse(1, ORPHAN);

        assertThat(record.topic()).isEqualTo(topics.orphans().name());
        assertThat(topics.orphans().deserializeValue(record.value()).getEmittedAt()).isEqualTo(NOW);
    }

    @Test
    void shouldNameTheLineThatIsNotJson() {
        assertThatThrownBy(() -> lines.parse(7, "{not json")).isInstanceOf(BadLineException.class).hasMessageStartingWith("line 7:");
    }
}
