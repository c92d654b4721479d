package io.asyncflow.testkit;

import static io.asyncflow.testkit.Fixtures.GAMMA_HIT;
import static io.asyncflow.testkit.Fixtures.REPLAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.console.AsyncFlowFormatter;
import io.asyncflow.console.BadLineException;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
    private static final String MATCH_IN_GAMMA = "5c3a0d1e-0001-4b7f-9a2e-6d8c1f0b3a5e";
    private static final String HANGS_UP = "5c3a0d1e-0004-4b7f-9a2e-6d8c1f0b3a5e";
    private static final String SLOW_AI = "5c3a0d1e-0005-4b7f-9a2e-6d8c1f0b3a5e";
    private static final String REPEAT = "5c3a0d1e-0006-4b7f-9a2e-6d8c1f0b3a5e";
    private static final String STARTED = "5c3a0d1e-0007-4b7f-9a2e-6d8c1f0b3a5e";
    private static final String CUSTOMER_START = "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"v2.detail.events.conversation."
            + STARTED + ".customer.start\",\"source\":\"aws.partner/genesys.com/cloud/org/suffix\",\"time\":\"2026-01-01T10:00:00Z\","
            + "\"region\":\"eu-west-1\",\"resources\":[],\"detail\":{\"topicName\":\"v2.detail.events.conversation." + STARTED
            + ".customer.start\",\"version\":\"2\",\"eventBody\":{\"eventTime\":1767261600000,\"conversationId\":\"" + STARTED
            + "\",\"participantId\":\"e2b9c4a7-0007-4d3f-8e1a-9c6b0d2f4e6a\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\","
            + "\"ani\":\"tel:+33611111103\",\"dnis\":\"tel:+33100000000\"},\"metadata\":{\"CorrelationId\":\"c-1\"}}}";

    @TempDir
    Path dir;

    private final AsyncFlowTestKit kit = Fixtures.kit();

    @AfterEach
    void close() {
        kit.close();
    }

    private void databases(CannedResponse gamma) {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.status(404), gamma);
    }

    @Test
    void shouldEndARecordedConversationAsTheCannedAnswersDecide() {
        databases(CannedResponse.json(200, GAMMA_HIT));

        kit.replay(REPLAY.resolve("match-in-gamma.jsonl"));

        kit.assertStatuses(MATCH_IN_GAMMA, TaskStatus.ONGOING, TaskStatus.SUCCESS);
        assertThat(kit.statuses(MATCH_IN_GAMMA).get(0).getParticipantId()).isEqualTo("e2b9c4a7-0001-4d3f-8e1a-9c6b0d2f4e6a");
    }

    @Test
    void shouldRebaseRecordedTimesToTheKitsClock() {
        databases(CannedResponse.json(200, GAMMA_HIT));

        kit.replay(REPLAY.resolve("match-in-gamma.jsonl"));

        assertThat(kit.statuses(MATCH_IN_GAMMA).get(0).getRequestedAt()).isEqualTo(AsyncFlowTestKit.DEFAULT_START.toEpochMilli());
    }

    @Test
    void shouldKeepTheRecordedDistanceBetweenRequestAndHangUp() {
        databases(CannedResponse.json(200, GAMMA_HIT).after(Duration.ofMillis(120)));

        kit.replay(REPLAY.resolve("caller-hangs-up.jsonl"));
        kit.advance(Duration.ofMillis(200));

        kit.assertStatuses(HANGS_UP, TaskStatus.ONGOING, TaskStatus.CANCELLED);
        assertThat(kit.now()).isEqualTo(AsyncFlowTestKit.DEFAULT_START.plusMillis(250));
        assertThat(kit.orphans()).singleElement().satisfies(o -> assertThat(o.getConversationId()).isEqualTo(HANGS_UP));
    }

    @Test
    void shouldTimeOutAtTheRecordedDeadlineWhenTheAiDoesNotAnswer() {
        kit.respond("intent-ai", CannedResponse.noAnswer());

        kit.replay(REPLAY.resolve("slow-ai.jsonl"));
        kit.advance(Duration.ofMillis(1_400));
        assertThat(kit.statusSequence(SLOW_AI)).containsExactly(TaskStatus.ONGOING);
        kit.advance(Duration.ofMillis(200));

        kit.assertStatuses(SLOW_AI, TaskStatus.ONGOING, TaskStatus.TIMEOUT);
    }

    @Test
    void shouldStartOneTaskWhenTheRecordingRepeatsTheRequest() {
        databases(CannedResponse.json(200, GAMMA_HIT));

        kit.replay(REPLAY.resolve("repeat-request.jsonl"));

        kit.assertStatuses(REPEAT, TaskStatus.ONGOING, TaskStatus.SUCCESS);
        assertThat(kit.callsTo("gamma")).hasSize(1);
    }

    @Test
    void shouldSkipTheRecordedStatusesAndDecideFromTheCannedAnswers() throws IOException {
        databases(CannedResponse.status(404));
        StatusUpdate recordedSuccess = StatusUpdate.newBuilder().setTaskId("7d4e2f10-0001-4a8b-b3c6-2e9f5a1d7c4b")
                .setTaskType(Fixtures.IDENTIFY).setConversationId(MATCH_IN_GAMMA).setParticipantId(null).setStatus(TaskStatus.SUCCESS)
                .setVersion(2).setAttributes(Map.of("customerId", "G-3003")).setBackend("gamma").setReason(null)
                .setRequestedAt(1767261600000L).setEmittedAt(1767261600120L).build();
        Path dump = Files.writeString(dir.resolve("dump.jsonl"), Files.readString(REPLAY.resolve("match-in-gamma.jsonl"))
                + formatted(Topics.defaults().status(), recordedSuccess));

        kit.replay(dump);

        kit.assertStatuses(MATCH_IN_GAMMA, TaskStatus.ONGOING, TaskStatus.NOT_FOUND);
    }

    private static <V> String formatted(Topic<String, V> topic, V value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AsyncFlowFormatter formatter = new AsyncFlowFormatter(); PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            formatter.configure(Map.of());
            formatter.writeTo(new ConsumerRecord<>(topic.name(), 0, 0L, topic.serializeKey(MATCH_IN_GAMMA), topic.serializeValue(value)), print);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldAutoStartTheConfiguredTaskFromARecordedEventBridgeCustomerStart() throws IOException {
        try (AsyncFlowTestKit autoStart = AsyncFlowTestKit.configuredBy(Fixtures.PROPERTIES)
                .set("task.identify-caller.auto-start", "true").start()) {
            Fixtures.databases(autoStart, CannedResponse.status(404), CannedResponse.status(404), CannedResponse.json(200, GAMMA_HIT));

            autoStart.replay(Files.writeString(dir.resolve("events.jsonl"), CUSTOMER_START + "\n"));

            autoStart.assertStatuses(STARTED, TaskStatus.ONGOING, TaskStatus.SUCCESS);
            assertThat(autoStart.participantDataWrites(STARTED).get(0).participantId()).isEqualTo("e2b9c4a7-0007-4d3f-8e1a-9c6b0d2f4e6a");
        }
    }

    @Test
    void shouldDeadLetterAMalformedGenesysEventAsTheBridgeDoes() {
        kit.genesysEvent("{\"topicName\": \"v2.detail.events.conversation." + STARTED + ".customer.start\", \"eventBody\": 42}");

        assertThat(kit.deadLetters()).singleElement().satisfies(letter -> assertThat(letter.getReason()).contains("no eventBody object"));
    }

    @Test
    void shouldDeadLetterARecordedTaskThatCannotBeDecodedAsTheTopologyDoes() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.jsonl"), "{\"topic\":\"asyncflow.tasks\",\"key\":\"" + MATCH_IN_GAMMA
                + "\",\"type\":\"bytes\",\"value\":{\"base64\":\"AAECAwQ=\"}}\n");

        kit.replay(garbage);

        assertThat(kit.deadLetters()).singleElement().satisfies(letter -> assertThat(letter.getTopic()).isEqualTo("asyncflow.tasks"));
        assertThat(kit.timeline(MATCH_IN_GAMMA)).contains("record that cannot be decoded");
    }

    @Test
    void shouldNameTheLineThatCannotBeRead() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.jsonl"), "\n{not json\n");

        assertThatThrownBy(() -> kit.replay(broken)).isInstanceOf(BadLineException.class).hasMessageContaining("line 2");
    }
}
