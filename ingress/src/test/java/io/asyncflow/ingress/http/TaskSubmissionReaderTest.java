package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.TestCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskSubmissionReaderTest {
    private final TaskSubmissionReader reader = new TaskSubmissionReader(
            IngressJson.mapper(),
            TaskCatalog.from(AsyncFlowConfig.of(TestCatalog.config())), Duration.ofMinutes(10));

    @Test
    void shouldReadTheFixtureRequest() {
        TaskSubmission s = reader.read(Fixtures.bytes("tasks/identify-caller.json"));
        assertThat(s.conversationId()).isEqualTo(Fixtures.TASK_CONVERSATION);
        assertThat(s.taskType()).isEqualTo("identify-caller");
        assertThat(s.inputs()).containsEntry("ani", "tel:+33678901234");
        assertThat(s.deadlineMs()).isEqualTo(8000L);
        assertThat(s.idempotencyKey()).isEqualTo("identify-caller-1");
    }

    @Test
    void shouldTreatArchitectEmptyValuesAsAbsentAndIgnoreUnknownFields() {
        // given what a Data Action sends for unset variables, plus a field the contract does not know
        TaskSubmission s = read("""
                {"conversationId":"5E6F7A8B-9C0D-4E1F-A2B3-C4D5E6F7A8B9","participantId":"","taskType":"identify-caller",
                 "inputs":{"ani":"tel:+33678901234"},"deadlineMs":0,"idempotencyKey":"","flowName":"Main IVR"}""");

        // then ids are lower case and empty values are absent
        assertThat(s.conversationId()).isEqualTo(Fixtures.TASK_CONVERSATION);
        assertThat(s.participantId()).isNull();
        assertThat(s.deadlineMs()).isNull();
        assertThat(s.idempotencyKey()).isNull();
    }

    @Test
    void shouldRefuseADeadlineBeyondTheMaximumAndAnOverlongKey() {
        assertThatThrownBy(() -> read(body(",\"deadlineMs\":600001"))).hasMessageContaining("deadlineMs");
        assertThatThrownBy(() -> read(body(",\"idempotencyKey\":\"" + "k".repeat(201) + "\"")))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.code()).isEqualTo("invalid-field"));
    }

    @Test
    void shouldNameTheConfiguredTypesWhenTheTaskTypeIsUnknown() {
        assertThatThrownBy(() -> read(body("").replace("identify-caller", "open-the-pod-bay-doors")))
                .isInstanceOfSatisfying(RequestRejected.class, r -> {
                    assertThat(r.code()).isEqualTo("unknown-task-type");
                    assertThat(r.getMessage()).contains("classify-intent", "identify-caller");
                });
    }

    @Test
    void shouldNameEveryMissingRequiredInput() {
        assertThatThrownBy(() -> read("{\"conversationId\":\"" + Fixtures.TASK_CONVERSATION + "\",\"taskType\":\"identify-caller\"}"))
                .isInstanceOfSatisfying(RequestRejected.class, r -> {
                    assertThat(r.code()).isEqualTo("missing-input");
                    assertThat(r.getMessage()).contains("ani");
                });
    }

    @Test
    void shouldNameTheFieldOfTheWrongType() {
        assertThatThrownBy(() -> read(body(",\"deadlineMs\":{\"seconds\":8}")))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.getMessage()).contains("deadlineMs"));
    }

    private TaskSubmission read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(String extra) {
        return "{\"conversationId\":\"" + Fixtures.TASK_CONVERSATION + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33678901234\"}"
                + extra + "}";
    }

    @Test
    void shouldRefuseAKeyThatAppearsTwice() {
        // a proxy reading the first conversationId would see another conversation than AsyncFlow
        assertThatThrownBy(() -> read("""
                {"conversationId":"5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9","taskType":"identify-caller",
                 "inputs":{"ani":"tel:+33678901234"},"conversationId":"0b0b0b0b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"}"""))
                .isInstanceOfSatisfying(RequestRejected.class, r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.getMessage()).contains("a key appears twice").doesNotContain("Duplicate field");
                });
    }

    @Test
    void shouldRefuseContentAfterTheObject() {
        assertThatThrownBy(() -> read("""
                {"conversationId":"5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9","taskType":"identify-caller","inputs":{"ani":"tel:+33678901234"}}
                {"conversationId":"0b0b0b0b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"}"""))
                .isInstanceOfSatisfying(RequestRejected.class, r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.getMessage()).contains("more than one JSON value");
                });
    }

    @Test
    void shouldRefuseANumberOrBooleanWhereTextIsExpected() {
        assertThatThrownBy(() -> read("""
                {"conversationId":"5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9","taskType":"identify-caller","inputs":{"ani":33678901234}}"""))
                .isInstanceOfSatisfying(RequestRejected.class, r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.getMessage()).contains("inputs.ani").contains("wrong type").doesNotContain("33678901234");
                });
        assertThatThrownBy(() -> read("""
                {"conversationId":"5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9","taskType":true,"inputs":{"ani":"tel:+33678901234"}}"""))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.getMessage()).contains("taskType"));
    }
}
