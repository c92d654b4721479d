package io.asyncflow.ingress.http;

/**
 * The flat JSON answer of {@code POST /v1/tasks} (easy to map in a Genesys Data Action).
 *
 * @param taskId the task's id (the same for a repeated request)
 * @param conversationId the conversation
 * @param taskType the task type
 * @param status {@code ACCEPTED} (produced now) or {@code DUPLICATE} (already accepted, nothing produced)
 */
public record TaskAcceptance(String taskId, String conversationId, String taskType, String status) {
    public static final String ACCEPTED = "ACCEPTED";
    public static final String DUPLICATE = "DUPLICATE";
}
