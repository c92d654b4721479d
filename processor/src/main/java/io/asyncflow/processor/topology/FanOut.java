package io.asyncflow.processor.topology;

import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.config.TaskTypeConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides how a new task starts: one {@link LookupRequest} per backend of its task type and an
 * {@code ONGOING} task, or a task that ends at once with the reason it cannot run (unknown task
 * type, missing input, conversation already ended, deadline already passed). Each lookup carries
 * only the inputs its backend's templates use.
 */
final class FanOut {
    /**
     * @param task the new task, {@code ONGOING} or already final
     * @param reason why it could not run, or null
     * @param lookups the lookups to send (none when it could not run)
     */
    record Start(TaskState task, String reason, List<LookupRequest> lookups) {
    }

    private final TaskCatalog catalog;

    FanOut(TaskCatalog catalog) {
        this.catalog = catalog;
    }

    Start start(TaskRequest request, boolean conversationEnded, long now) {
        TaskTypeConfig type = catalog.taskType(request.getTaskType()).orElse(null);
        if (type == null) {
            return refused(request, now, TaskStatus.ERROR, "unknown task type '" + request.getTaskType() + "'");
        }
        List<String> missing = type.requiredInputs().stream()
                .filter(input -> request.getInputs().getOrDefault(input, "").isBlank()).toList();
        if (!missing.isEmpty()) {
            return refused(request, now, TaskStatus.ERROR, "missing required input(s) " + missing);
        }
        if (conversationEnded) {
            return refused(request, now, TaskStatus.CANCELLED, "conversation already ended");
        }
        long deadline = request.getDeadline() != null ? request.getDeadline() : request.getRequestedAt() + type.deadline().toMillis();
        if (deadline <= now) {
            return refused(request, now, TaskStatus.TIMEOUT, "deadline passed before the task started");
        }
        List<LookupRequest> lookups = type.backends().stream().map(backend -> lookup(request, backend, deadline, now)).toList();
        return new Start(TaskState.first(request, type.backends(), deadline, TaskStatus.ONGOING, now), null, lookups);
    }

    private static Start refused(TaskRequest request, long now, TaskStatus status, String reason) {
        return new Start(TaskState.first(request, List.of(), now, status, now), reason, List.of());
    }

    private LookupRequest lookup(TaskRequest request, String backend, long deadline, long now) {
        List<String> used = catalog.backend(backend).placeholders();
        Map<String, String> inputs = request.getInputs().entrySet().stream()
                .filter(e -> used.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return LookupRequest.newBuilder()
                .setLookupId(request.getTaskId() + ":" + backend)
                .setTaskId(request.getTaskId())
                .setTaskType(request.getTaskType())
                .setConversationId(request.getConversationId())
                .setBackend(backend)
                .setInputs(inputs)
                .setDeadline(deadline)
                .setRequestedAt(now)
                .build();
    }
}
