package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testing.SampleRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class ConversationStateTest {
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final long T0 = 1_000_000L;
    private static final String PARTICIPANT = "5f0e2c4a-8d1b-4e7a-9c3d-2b6f1a0e9d84";

    @Test
    void shouldBeDueAtTheEarliestDeadlineOrEndOfRetention() {
        // given
        TaskState open = task(T0 + 8_000);
        TaskState finished = task(T0 + 5_000).moveTo(TaskStatus.NOT_FOUND, T0 + 1_000);

        // when
        ConversationState conversation = ConversationState.empty().with(open).with(finished);

        // then
        assertThat(conversation.nextDue(RETENTION)).isEqualTo(T0 + 8_000);
        assertThat(ConversationState.empty().with(finished).nextDue(RETENTION)).isEqualTo(T0 + 1_000 + RETENTION.toMillis());
        assertThat(ConversationState.empty().nextDue(RETENTION)).isEqualTo(ConversationState.NOTHING_DUE);
    }

    @Test
    void shouldForgetFinishedTasksAndTheEndMarkerOnceTheirRetentionPassed() {
        // given
        TaskState cancelled = task(T0 + 8_000).moveTo(TaskStatus.CANCELLED, T0);
        ConversationState ended = ConversationState.empty().with(cancelled).markEnded(T0);

        // when
        ConversationState justBefore = ended.forgetFinished(T0 + RETENTION.toMillis() - 1, RETENTION);
        ConversationState after = ended.forgetFinished(T0 + RETENTION.toMillis(), RETENTION);

        // then
        assertThat(justBefore).isEqualTo(ended);
        assertThat(after.tasks()).isEmpty();
        assertThat(after.ended()).isFalse();
        assertThat(after.nextDue(RETENTION)).isEqualTo(ConversationState.NOTHING_DUE);
    }

    @Test
    void shouldKeepAnOpenTaskWhateverTheTime() {
        ConversationState conversation = ConversationState.empty().with(task(T0));

        assertThat(conversation.forgetFinished(T0 + RETENTION.toMillis() * 10, RETENTION).openTasks()).hasSize(1);
    }

    @Test
    void shouldListErrorsAndSilentBackendsInConfiguredOrder() {
        // given
        TaskState task = task(T0).withAnswer("gamma", LookupOutcome.ERROR, "HTTP 502").withAnswer("alpha", LookupOutcome.ERROR, "timeout");

        // then
        assertThat(task.errorReasons()).isEqualTo("alpha: timeout; gamma: HTTP 502");
        assertThat(task.timeoutReason()).isEqualTo("deadline passed; no answer from beta; errors: alpha: timeout; gamma: HTTP 502");
        assertThat(task.awaits("beta")).isTrue();
        assertThat(task.awaits("alpha")).isFalse();
        assertThat(task.awaits("delta")).isFalse();
    }

    @Test
    void shouldSurviveAStoreRoundTrip() {
        // given
        Serde<ConversationState> serde = new StateSerde();
        ConversationState state = ConversationState.empty()
                .with(task(T0).withAnswer("alpha", LookupOutcome.MISS, null))
                .with(task(T0).moveTo(TaskStatus.CANCELLED, T0).orphan())
                .markEnded(T0).withTimerAt(T0 + 5)
                .withParticipant(PARTICIPANT, T0);

        // when
        ConversationState read = serde.deserializer().deserialize("", serde.serializer().serialize("", state));

        // then
        assertThat(read).isEqualTo(state);
    }

    @Test
    void shouldReadStateWrittenBeforeTheParticipantWasRemembered() {
        // given the JSON of a conversation as the previous release wrote it (no participant fields)
        String stored = "{\"tasks\":{\"9b2f6c1e-3d4a-4f5b-8c7d-6e5f4a3b2c1d\":{\"taskId\":\"9b2f6c1e-3d4a-4f5b-8c7d-6e5f4a3b2c1d\","
                + "\"taskType\":\"identify-caller\",\"requestedAt\":1000000,\"deadline\":1008000,"
                + "\"backends\":[\"alpha\",\"beta\",\"gamma\"],\"answers\":{\"alpha\":{\"outcome\":\"MISS\"}},"
                + "\"status\":\"ONGOING\",\"version\":1,\"finishedAt\":0,\"orphaned\":false}},\"endedAt\":0,\"timerAt\":1008000}";

        // when
        ConversationState read = new StateSerde().deserialize("", stored.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(read.participantId()).isNull();
        assertThat(read.participantSince()).isZero();
        assertThat(read.timerAt()).isEqualTo(T0 + 8_000);
        TaskState task = read.openTasks().get(0);
        assertThat(task.participantId()).isNull();
        assertThat(task.answers()).containsKey("alpha");
        assertThat(read.withParticipant(PARTICIPANT, T0).nextDue(RETENTION)).isEqualTo(T0 + 8_000);
    }

    @Test
    void shouldKeepAParticipantAloneForTheRetentionAndWithItsTasksAfterIt() {
        // given
        ConversationState alone = ConversationState.empty().withParticipant(PARTICIPANT, T0);
        ConversationState withTask = alone.with(task(T0 + 2 * RETENTION.toMillis()));

        // then
        assertThat(alone.nextDue(RETENTION)).isEqualTo(T0 + RETENTION.toMillis());
        assertThat(alone.forgetFinished(T0 + RETENTION.toMillis() - 1, RETENTION).participantId()).isEqualTo(PARTICIPANT);
        assertThat(alone.forgetFinished(T0 + RETENTION.toMillis(), RETENTION)).isEqualTo(ConversationState.empty());
        assertThat(withTask.nextDue(RETENTION)).isEqualTo(T0 + 2 * RETENTION.toMillis());
        assertThat(withTask.forgetFinished(T0 + RETENTION.toMillis(), RETENTION).participantId()).isEqualTo(PARTICIPANT);
        assertThat(alone.withParticipant("another", T0 + 1)).isEqualTo(alone);
    }

    private static TaskState task(long deadline) {
        TaskRequest request = SampleRecords.taskRequest(SampleRecords.conversationId(), "identify-caller", Map.of(), deadline);
        return TaskState.first(request, List.of("alpha", "beta", "gamma"), deadline, TaskStatus.ONGOING, T0);
    }
}
