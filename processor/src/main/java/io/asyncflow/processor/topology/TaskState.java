package io.asyncflow.processor.topology;

import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the topology remembers of one task: the backends it asked, their answers so far, its
 * current status and the version of the last status emitted. Inputs are not kept (personal data
 * stays out of the store). Immutable; stored inside {@link ConversationState} ({@link StateSerde}).
 *
 * @param taskId the task's idempotency key
 * @param taskType configured task type
 * @param participantId customer participant, or null
 * @param requestedAt epoch ms when the ingress accepted the task
 * @param deadline epoch ms when an open task times out
 * @param backends the backends asked, in configured order
 * @param answers backend → its first answer
 * @param status the last status emitted
 * @param version the version of the last status emitted (1 = the first)
 * @param finishedAt epoch ms when the task left ONGOING, 0 while open
 * @param orphaned true once a hit that arrived after cancellation went to the orphans topic
 */
record TaskState(
        String taskId,
        String taskType,
        String participantId,
        long requestedAt,
        long deadline,
        List<String> backends,
        Map<String, Answer> answers,
        TaskStatus status,
        int version,
        long finishedAt,
        boolean orphaned) {

    /** One backend's answer, without attributes (a hit decides the task at once); error only on ERROR. */
    record Answer(LookupOutcome outcome, String error) {
    }

    TaskState {
        backends = List.copyOf(backends);
        answers = Map.copyOf(answers);
    }

    /** A task that starts with its first status ({@code ONGOING} for a run, or a terminal one). */
    static TaskState first(TaskRequest request, List<String> backends, long deadline, TaskStatus status, long now) {
        return new TaskState(request.getTaskId(), request.getTaskType(), request.getParticipantId(), request.getRequestedAt(),
                deadline, backends, Map.of(), status, 1, status == TaskStatus.ONGOING ? 0 : now, false);
    }

    boolean open() {
        return status == TaskStatus.ONGOING;
    }

    /** True when this open task still waits for {@code backend}'s first answer. */
    boolean awaits(String backend) {
        return open() && backends.contains(backend) && !answers.containsKey(backend);
    }

    TaskState withAnswer(String backend, LookupOutcome outcome, String error) {
        Map<String, Answer> more = new LinkedHashMap<>(answers);
        String reason = outcome != LookupOutcome.ERROR ? null : error == null || error.isBlank() ? "no reason given" : error;
        more.put(backend, new Answer(outcome, reason));
        return new TaskState(taskId, taskType, participantId, requestedAt, deadline, backends, more, status, version, finishedAt, orphaned);
    }

    /** The next status, one version up; leaving ONGOING stamps {@code finishedAt}. */
    TaskState moveTo(TaskStatus next, long now) {
        return new TaskState(taskId, taskType, participantId, requestedAt, deadline, backends, answers, next, version + 1,
                next == TaskStatus.ONGOING ? 0 : now, orphaned);
    }

    /** This task with {@code participant} as its customer participant when it has none yet. */
    TaskState withParticipant(String participant) {
        if (participantId != null || participant == null) {
            return this;
        }
        return new TaskState(taskId, taskType, participant, requestedAt, deadline, backends, answers, status, version, finishedAt, orphaned);
    }

    /** One version up for the orphan record, status unchanged. */
    TaskState orphan() {
        return new TaskState(taskId, taskType, participantId, requestedAt, deadline, backends, answers, status, version + 1,
                finishedAt, true);
    }

    boolean allAnswered() {
        return answers.keySet().containsAll(backends);
    }

    boolean anyError() {
        return answers.values().stream().anyMatch(a -> a.outcome() == LookupOutcome.ERROR);
    }

    /** Backend errors in configured order, e.g. {@code "beta: HTTP 503; gamma: timeout"}. */
    String errorReasons() {
        return backends.stream().filter(b -> answers.containsKey(b) && answers.get(b).outcome() == LookupOutcome.ERROR)
                .map(b -> b + ": " + answers.get(b).error()).collect(Collectors.joining("; "));
    }

    /** Backends that have not answered yet, in configured order. */
    List<String> unanswered() {
        return backends.stream().filter(b -> !answers.containsKey(b)).toList();
    }

    /** Why this task timed out: the backends still silent, and any errors. */
    String timeoutReason() {
        String reason = "deadline passed; no answer from " + String.join(", ", unanswered());
        return anyError() ? reason + "; errors: " + errorReasons() : reason;
    }

    /** When this task next needs attention: its deadline while open, else when it may be forgotten. */
    long dueAt(Duration retention) {
        return open() ? deadline : finishedAt + retention.toMillis();
    }

    /** The current status as a record for the status (or orphans) topic. */
    StatusUpdate statusUpdate(String conversationId, TaskStatus shown, Map<String, String> attributes, String backend, String reason, long now) {
        return StatusUpdate.newBuilder()
                .setTaskId(taskId)
                .setTaskType(taskType)
                .setConversationId(conversationId)
                .setParticipantId(participantId)
                .setStatus(shown)
                .setVersion(version)
                .setAttributes(attributes)
                .setBackend(backend)
                .setReason(reason)
                .setRequestedAt(requestedAt)
                .setEmittedAt(now)
                .build();
    }
}
