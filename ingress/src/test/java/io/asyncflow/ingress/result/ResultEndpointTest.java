package io.asyncflow.ingress.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.ingress.http.RequestRejected;
import io.asyncflow.ingress.http.TaskSubmissionReader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The endpoint's request reading: wait durations, derived task ids, validation. */
class ResultEndpointTest {
    private static final String CONVERSATION = "3F8A2C1E-6B7D-4E9F-A0B1-C2D3E4F5A6B7";

    private final ResultEndpoint endpoint = new ResultEndpoint(null,
            new TaskSubmissionReader(IngressJson.mapper(), TaskCatalog.from(AsyncFlowConfig.of(TestCatalog.config())), Duration.ofMinutes(10)), null);

    @Test
    void shouldReadWaitAsADurationOrAsSeconds() {
        assertThat(ResultEndpoint.parseWait(null)).isZero();
        assertThat(ResultEndpoint.parseWait("")).isZero();
        assertThat(ResultEndpoint.parseWait("8")).isEqualTo(Duration.ofSeconds(8));
        assertThat(ResultEndpoint.parseWait("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ResultEndpoint.parseWait("8s")).isEqualTo(Duration.ofSeconds(8));
        assertThat(ResultEndpoint.parseWait("1500ms")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void shouldRefuseAWaitThatIsNotADuration() {
        for (String bad : new String[] {"-1s", "soon", "8 seconds", "1e3", "99999999999999999999", "9999999999999999h"}) {
            assertThatThrownBy(() -> ResultEndpoint.parseWait(bad)).as(bad)
                    .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.code()).isEqualTo("invalid-field"));
        }
    }

    @Test
    void shouldDeriveTheTaskIdTheIngressGaveTheTask() {
        // given / when / then: the same id POST /v1/tasks answered, with or without a key
        assertThat(endpoint.taskIdFor(CONVERSATION, "identify-caller", null))
                .isEqualTo(TaskIds.of(CONVERSATION.toLowerCase(), "identify-caller", null));
        assertThat(endpoint.taskIdFor(CONVERSATION, "identify-caller", ""))
                .isEqualTo(TaskIds.of(CONVERSATION, "identify-caller", null));
        assertThat(endpoint.taskIdFor(CONVERSATION, "classify-intent", "second-transcript"))
                .isEqualTo(TaskIds.of(CONVERSATION, "classify-intent", "second-transcript"));
    }

    @Test
    void shouldRefuseABadConversationIdAnUnknownTaskTypeAndALongKey() {
        assertThatThrownBy(() -> endpoint.taskIdFor("not-a-uuid", "identify-caller", null))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.getMessage()).contains("conversationId"));
        assertThatThrownBy(() -> endpoint.taskIdFor(CONVERSATION, "launch-rockets", null))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.code()).isEqualTo("unknown-task-type"));
        assertThatThrownBy(() -> endpoint.taskIdFor(CONVERSATION, "identify-caller", "k".repeat(201)))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.code()).isEqualTo("invalid-field"));
    }
}
