package io.asyncflow.ingress.result;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer of the result endpoint: flat strings an Architect Data Action output contract maps
 * directly, and the result attributes once nested under {@code attributes} so their names never
 * collide with the fixed fields ({@code $.attributes.customerId} in a translation map). Absent
 * values are empty strings, never null.
 *
 * @param taskId the task
 * @param conversationId its conversation
 * @param taskType its type
 * @param status {@code ACCEPTED} (no status decided yet), {@code ONGOING}, {@code SUCCESS},
 *        {@code NOT_FOUND}, {@code TIMEOUT}, {@code ERROR} or {@code CANCELLED}
 * @param version the status's per-task version ("0" for ACCEPTED)
 * @param terminal "true" when the status is final, else "false" (JSON name {@code final})
 * @param backend the backend whose hit won, on SUCCESS, else ""
 * @param reason why, on TIMEOUT, ERROR and CANCELLED, else ""
 * @param attributes the result attributes (on SUCCESS), names as configured
 */
public record TaskResult(String taskId, String conversationId, String taskType, String status, String version,
                         @JsonProperty("final") String terminal, String backend, String reason,
                         Map<String, String> attributes) {

    /** The status of a task accepted on the tasks topic before any status was decided. */
    public static final String ACCEPTED = "ACCEPTED";

    public TaskResult {
        attributes = Map.copyOf(attributes);
    }

    /** A task known from its request only. */
    public static TaskResult accepted(String taskId, String conversationId, String taskType) {
        return new TaskResult(taskId, conversationId, taskType, ACCEPTED, "0", "false", "", "", Map.of());
    }

    /** The answer for one status update. */
    public static TaskResult of(StatusUpdate update) {
        boolean terminal = update.getStatus() != TaskStatus.ONGOING;
        return new TaskResult(update.getTaskId(), update.getConversationId(), update.getTaskType(),
                update.getStatus().name(), Integer.toString(update.getVersion()), Boolean.toString(terminal),
                text(update.getBackend()), text(update.getReason()), new TreeMap<>(update.getAttributes()));
    }

    /** True once the task has its final status. */
    @JsonIgnore
    public boolean isFinal() {
        return Boolean.parseBoolean(terminal);
    }

    int versionNumber() {
        return Integer.parseInt(version);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
