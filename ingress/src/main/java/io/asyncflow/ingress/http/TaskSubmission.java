package io.asyncflow.ingress.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The JSON body of {@code POST /v1/tasks}, as the caller (an Architect Data Action) sends it.
 * Separate from the Avro {@code TaskRequest}; {@link TaskSubmissionMapper} maps one to the other.
 *
 * @param conversationId Genesys conversation id (UUID), required
 * @param participantId customer participant id (UUID), optional
 * @param taskType a configured task type, required
 * @param inputs task inputs such as {@code ani} or {@code transcript} (string values)
 * @param deadlineMs time allowed from now, in milliseconds; null = the task type's default
 * @param idempotencyKey caller's key: a repeat returns the same task id and starts nothing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskSubmission(
        String conversationId,
        String participantId,
        String taskType,
        Map<String, String> inputs,
        Long deadlineMs,
        String idempotencyKey) {
}
