package io.asyncflow.testkit;

import io.asyncflow.avro.TaskStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One participant-data write the sink would make for a status: one
 * {@code PATCH /api/v2/conversations/{conversationId}/participants/{participantId}/attributes}
 * with these attributes, keys and values as the sink builds them, in its order.
 *
 * @param conversationId the conversation
 * @param participantId the customer participant, or null when the status does not carry it (the
 *                      sink then looks it up once per conversation)
 * @param taskType the task type whose keys are written
 * @param status the status written
 * @param attributes participant-data key to value, in the order the sink puts them
 */
public record ParticipantDataWrite(String conversationId, String participantId, String taskType, TaskStatus status,
                                   Map<String, String> attributes) {

    public ParticipantDataWrite {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
