package io.asyncflow.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.serde.AvroTrust;
import io.asyncflow.testing.SampleRecords;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParticipantDataMapperTest {
    private static final AsyncFlowConfig CONFIG = AsyncFlowConfig.of(Map.of(
            "backend.gamma.url", "http://gamma/customers?phone={{ani}}",
            "task.identify-caller.backends", "gamma",
            "task.classify-intent.backends", "gamma",
            "task.classify-intent.status-key", "intentStatus",
            "task.classify-intent.task-id-key", "intentTask"));
    private final ParticipantDataMapper mapper = new ParticipantDataMapper(CONFIG);

    @BeforeAll
    static void trustGeneratedRecords() {
        AvroTrust.install();
    }

    @Test
    void shouldWriteStatusTaskIdBackendAndResultAttributesOnSuccess() {
        // given
        StatusUpdate success = SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2);

        // when
        Map<String, String> data = mapper.attributes(success);

        // then
        assertThat(data).containsExactlyInAnyOrderEntriesOf(Map.of(
                "asyncflow.identify-caller.status", "SUCCESS",
                "asyncflow.identify-caller.taskId", "t1",
                "asyncflow.identify-caller.backend", "gamma",
                "customerId", "C-1001"));
    }

    @Test
    void shouldWriteTheReasonOnTimeoutAndErrorOnly() {
        // given
        StatusUpdate timeout = StatusUpdate.newBuilder(SampleRecords.status("c1", "t1", TaskStatus.TIMEOUT, 3)).setReason("deadline 8s").build();
        StatusUpdate notFound = StatusUpdate.newBuilder(SampleRecords.status("c1", "t1", TaskStatus.NOT_FOUND, 3)).setReason("all missed").build();

        // when / then
        assertThat(mapper.attributes(timeout)).containsEntry("asyncflow.identify-caller.reason", "deadline 8s")
                .containsEntry("asyncflow.identify-caller.status", "TIMEOUT");
        assertThat(mapper.attributes(notFound)).doesNotContainKey("asyncflow.identify-caller.reason")
                .containsEntry("asyncflow.identify-caller.status", "NOT_FOUND");
    }

    @Test
    void shouldUseTheKeysConfiguredForTheTaskType() {
        // given
        StatusUpdate ongoing = StatusUpdate.newBuilder(SampleRecords.status("c1", "t9", TaskStatus.ONGOING, 1)).setTaskType("classify-intent").build();

        // when
        Map<String, String> data = mapper.attributes(ongoing);

        // then
        assertThat(data).isEqualTo(Map.of("intentStatus", "ONGOING", "intentTask", "t9"));
    }

    @Test
    void shouldLetTheSinkKeysWinOverAResultAttributeOfTheSameName() {
        // given
        StatusUpdate success = StatusUpdate.newBuilder(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2))
                .setAttributes(Map.of("asyncflow.identify-caller.status", "forged")).build();

        // when / then
        assertThat(mapper.attributes(success)).containsEntry("asyncflow.identify-caller.status", "SUCCESS");
    }

    @Test
    void shouldFallBackToDefaultKeysForATaskTypeOutsideTheCatalog() {
        // given
        StatusUpdate unknown = StatusUpdate.newBuilder(SampleRecords.status("c1", "t1", TaskStatus.ONGOING, 1)).setTaskType("verify-id").build();

        // when / then
        assertThat(mapper.attributes(unknown)).containsEntry("asyncflow.verify-id.status", "ONGOING")
                .containsEntry("asyncflow.verify-id.taskId", "t1");
    }
}
