package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.TaskRequest;
import io.asyncflow.testing.DrivenTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSubmissionMapperTest {
    private static final long NOW = 1_741_944_413_512L;
    private final TaskSubmissionMapper mapper = new TaskSubmissionMapper(DrivenTime.atMillis(NOW));

    @Test
    void shouldMapEveryFieldAndMakeTheDeadlineAbsolute() {
        // given a validated submission
        TaskSubmission s = new TaskSubmission("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0",
                "identify-caller", Map.of("ani", "tel:+33678901234"), 8000L, "k1");

        // when it is mapped
        TaskRequest r = (TaskRequest) mapper.toTaskEvent(s, "task-1").getEvent();

        // then the Avro record carries it, with an absolute deadline
        assertThat(r.getTaskId()).isEqualTo("task-1");
        assertThat(r.getTaskType()).isEqualTo("identify-caller");
        assertThat(r.getConversationId()).isEqualTo(s.conversationId());
        assertThat(r.getParticipantId()).isEqualTo(s.participantId());
        assertThat(r.getInputs()).isEqualTo(Map.of("ani", "tel:+33678901234"));
        assertThat(r.getRequestedAt()).isEqualTo(NOW);
        assertThat(r.getDeadline()).isEqualTo(NOW + 8000);
        assertThat(r.getSource()).isEqualTo("data-action");
    }

    @Test
    void shouldLeaveTheDeadlineToTheTaskTypeWhenNoneIsGiven() {
        TaskSubmission s = new TaskSubmission("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", null, "classify-intent",
                Map.of("transcript", "bonjour"), null, null);
        TaskRequest r = (TaskRequest) mapper.toTaskEvent(s, "task-2").getEvent();
        assertThat(r.getDeadline()).isNull();
        assertThat(r.getParticipantId()).isNull();
    }
}
