package io.asyncflow.ingress.result;

import io.asyncflow.activity.ActivityLog;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.http.AsyncAnswer;
import io.asyncflow.ingress.http.RequestRejected;
import io.asyncflow.ingress.http.TaskSubmissionReader;
import io.javalin.http.Context;
import io.asyncflow.trace.Trace;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Locale;

/**
 * The HTTP side of the result endpoint: {@code GET /v1/tasks/{taskId}} and
 * {@code GET /v1/conversations/{conversationId}/tasks/{taskType}} (the task id derived as
 * {@link TaskIds} derives it, with the optional {@code ?idempotencyKey=}), both with the optional
 * long poll {@code ?wait=<duration>}. Ids are validated (400 {@code invalid-field}), the task type
 * must be configured (400 {@code unknown-task-type}); the answer is a {@link TaskResult}.
 */
public final class ResultEndpoint {
    public static final String BY_TASK = "/v1/tasks/{taskId}";
    public static final String BY_CONVERSATION = "/v1/conversations/{conversationId}/tasks/{taskType}";

    private final LongPoll poll;
    private final TaskSubmissionReader submissions;
    private final AsyncAnswer answer;
    private final ActivityLog activity;

    /** @param submissions the reader of {@code POST /v1/tasks}, whose task type and key checks apply here too */
    public ResultEndpoint(LongPoll poll, TaskSubmissionReader submissions, AsyncAnswer answer) {
        this(poll, submissions, answer, ActivityLog.NONE);
    }

    /** @param activity where each long poll's answer is recorded, for the operator console's timeline */
    public ResultEndpoint(LongPoll poll, TaskSubmissionReader submissions, AsyncAnswer answer, ActivityLog activity) {
        this.poll = poll;
        this.submissions = submissions;
        this.answer = answer;
        this.activity = activity;
    }

    /** {@code GET /v1/tasks/{taskId}}. */
    public void byTask(Context ctx) {
        String taskId = uuid("taskId", ctx.pathParam("taskId"));
        Duration wait = parseWait(ctx.queryParam("wait"));
        answer.json(ctx, 200, recorded(poll.answer(taskId, wait), wait));
    }

    /** {@code GET /v1/conversations/{conversationId}/tasks/{taskType}}. */
    public void byConversation(Context ctx) {
        String taskId = taskIdFor(ctx.pathParam("conversationId"), ctx.pathParam("taskType"), ctx.queryParam("idempotencyKey"));
        Duration wait = parseWait(ctx.queryParam("wait"));
        answer.json(ctx, 200, recorded(poll.answer(taskId, wait), wait));
    }

    /** {@code result}, recorded on the activity topic once answered when it was a long poll ({@code wait} > 0). */
    private CompletableFuture<TaskResult> recorded(CompletableFuture<TaskResult> result, Duration wait) {
        if (wait.isZero()) {
            return result;
        }
        long startedAt = System.nanoTime();
        return result.whenComplete((r, error) -> {
            if (r != null) {
                boolean decided = "true".equals(r.terminal());
                activity.record(ActivityLog.ofTask(ActivityKind.LONG_POLL, r.conversationId(), r.taskId(), r.taskType())
                        .setStatus(r.status()).setOutcome(decided ? "answered" : "wait-ended").setHttpStatus(200)
                        .setDurationMs((System.nanoTime() - startedAt) / 1_000_000).build(), Trace.empty());
            }
        });
    }

    /** The id of the task of this conversation and type (and key, "" or null for none), validated. */
    public String taskIdFor(String conversationId, String taskType, String idempotencyKey) {
        String conversation = uuid("conversationId", conversationId);
        String type = submissions.taskType(taskType).name();
        return TaskIds.of(conversation, type, TaskSubmissionReader.idempotencyKey(idempotencyKey));
    }

    /**
     * The {@code wait} parameter: absent or empty = no wait; a bare number is seconds; else a
     * duration such as {@code 8s} or {@code 1500ms}.
     */
    public static Duration parseWait(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ZERO;
        }
        String t = text.trim();
        try {
            if (t.chars().allMatch(Character::isDigit) && t.length() <= 6) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            if (t.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException(t);
            }
            return AsyncFlowConfig.parseDuration(t);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw RequestRejected.badRequest("invalid-field", "wait must be a duration such as 8s or 1500ms");
        }
    }

    private static String uuid(String field, String value) {
        if (!TaskIds.isUuid(value)) {
            throw RequestRejected.badRequest("invalid-field", field + " must be a UUID");
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
