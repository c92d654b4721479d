package io.asyncflow.testkit;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.processor.sink.ParticipantDataMapper;
import java.util.Optional;

/**
 * The one place the kit decides what the participant-data sink writes for a status, with the sink's
 * own {@link ParticipantDataMapper} (keys, values, order). Which statuses are written follows the
 * sink: {@code CANCELLED} (the conversation ended) is never written, nor is {@code ONGOING} unless the
 * task type sets {@code task.<type>.write-ongoing=true}. Every other status is one write, as the sink
 * makes it when it keeps up; under a backlog the sink may skip an {@code ONGOING} that a newer status
 * supersedes, which a test does not depend on.
 */
final class SinkView {
    private final ParticipantDataMapper mapper;

    SinkView(AsyncFlowConfig config) {
        this.mapper = new ParticipantDataMapper(config);
    }

    /** The write the sink makes for {@code status}, if it writes one. */
    Optional<ParticipantDataWrite> writeFor(StatusUpdate status) {
        if (status.getStatus() == TaskStatus.CANCELLED || !mapper.written(status)) {
            return Optional.empty();
        }
        return Optional.of(new ParticipantDataWrite(status.getConversationId(), status.getParticipantId(), status.getTaskType(),
                status.getStatus(), mapper.attributes(status)));
    }
}
