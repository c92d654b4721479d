package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.testing.SampleRecords;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FanOutTest {
    private static final long NOW = 1_772_442_000_000L;

    private final FanOut fanOut = new FanOut(TaskCatalog.from(TopologyFixture.config(Map.of())));
    private final String conversation = SampleRecords.conversationId();

    @Test
    void shouldStartAnOngoingTaskWithOneLookupPerBackendCarryingOnlyTheInputsItUses() {
        // given
        TaskRequest request = request("identify-caller", Map.of("ani", SampleRecords.ANI, "transcript", "private words"), null);

        // when
        FanOut.Start start = fanOut.start(request, false, NOW);

        // then
        assertThat(start.reason()).isNull();
        assertThat(start.task().status()).isEqualTo(TaskStatus.ONGOING);
        assertThat(start.task().version()).isEqualTo(1);
        assertThat(start.task().deadline()).isEqualTo(NOW + TopologyFixture.DEFAULT_DEADLINE.toMillis());
        assertThat(start.lookups()).extracting(LookupRequest::getLookupId)
                .containsExactly(request.getTaskId() + ":alpha", request.getTaskId() + ":beta", request.getTaskId() + ":gamma");
        assertThat(start.lookups()).allSatisfy(lookup -> {
            assertThat(lookup.getInputs()).isEqualTo(Map.of("ani", SampleRecords.ANI));
            assertThat(lookup.getRequestedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void shouldRefuseWithAReasonAndNoLookups() {
        assertRefused(fanOut.start(request("predict-weather", Map.of(), null), false, NOW),
                TaskStatus.ERROR, "unknown task type 'predict-weather'");
        assertRefused(fanOut.start(request("classify-intent", Map.of("ani", SampleRecords.ANI), null), false, NOW),
                TaskStatus.ERROR, "missing required input(s) [transcript]");
        assertRefused(fanOut.start(request("identify-caller", Map.of("ani", SampleRecords.ANI), null), true, NOW),
                TaskStatus.CANCELLED, "conversation already ended");
        assertRefused(fanOut.start(request("identify-caller", Map.of("ani", SampleRecords.ANI), NOW), false, NOW),
                TaskStatus.TIMEOUT, "deadline passed before the task started");
    }

    private static void assertRefused(FanOut.Start start, TaskStatus status, String reason) {
        assertThat(start.lookups()).isEmpty();
        assertThat(start.task().status()).isEqualTo(status);
        assertThat(start.task().version()).isEqualTo(1);
        assertThat(start.task().finishedAt()).isEqualTo(NOW);
        assertThat(start.reason()).isEqualTo(reason);
    }

    private TaskRequest request(String type, Map<String, String> inputs, Long deadline) {
        TaskRequest request = SampleRecords.taskRequest(conversation, type, inputs, 0);
        request.setRequestedAt(NOW);
        request.setDeadline(deadline);
        return request;
    }
}
