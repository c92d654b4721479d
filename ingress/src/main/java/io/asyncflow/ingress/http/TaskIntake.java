package io.asyncflow.ingress.http;

import io.asyncflow.util.TaskLogContext;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.kafka.AckingProducer;
import io.asyncflow.ingress.kafka.Outgoing;
import io.asyncflow.topic.Topic;
import io.asyncflow.util.Mask;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a validated task submission: derives its task id ({@link TaskIds}), produces it to the
 * tasks topic unless it was accepted already, and answers once the broker acknowledged. Every
 * task it produced is also told to {@code onAccepted} (the result endpoint's view, so a poll right
 * after the 202 knows the task before its record comes back from Kafka); a duplicate is not, so a
 * view that already forgot the task is not handed an ACCEPTED no status will follow.
 */
public final class TaskIntake {
    private static final Logger LOG = LoggerFactory.getLogger(TaskIntake.class);

    private final Topic<String, TaskEvent> tasks;
    private final TaskSubmissionMapper mapper;
    private final AcceptedTasks accepted;
    private final AckingProducer producer;
    private final Consumer<TaskAcceptance> onAccepted;

    public TaskIntake(Topic<String, TaskEvent> tasks, TaskSubmissionMapper mapper, AcceptedTasks accepted, AckingProducer producer,
                      Consumer<TaskAcceptance> onAccepted) {
        this.tasks = tasks;
        this.mapper = mapper;
        this.accepted = accepted;
        this.producer = producer;
        this.onAccepted = onAccepted;
    }

    /** Completes with the answer after the broker's acknowledgement (or at once for a known duplicate). */
    public CompletableFuture<TaskAcceptance> submit(TaskSubmission submission) {
        String taskId = TaskIds.of(submission.conversationId(), submission.taskType(), submission.idempotencyKey());
        return accepted.produceOnce(taskId, () -> producer.sendAll(List.of(
                        new Outgoing<>(tasks, submission.conversationId(), mapper.toTaskEvent(submission, taskId)))))
                .thenApply(produced -> {
                    try (TaskLogContext ignored = TaskLogContext.open(submission.conversationId(), taskId)) {
                        LOG.debug("task {} ({}) for conversation {} {}, inputs {}", taskId, submission.taskType(),
                                submission.conversationId(), produced ? "accepted" : "duplicate", Mask.inputs(submission.inputs()));
                    }
                    TaskAcceptance answer = new TaskAcceptance(taskId, submission.conversationId(), submission.taskType(),
                            produced ? TaskAcceptance.ACCEPTED : TaskAcceptance.DUPLICATE);
                    if (produced) {
                        onAccepted.accept(answer);
                    }
                    return answer;
                });
    }
}
