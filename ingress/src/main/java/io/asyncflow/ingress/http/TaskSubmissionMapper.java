package io.asyncflow.ingress.http;

import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import org.apache.kafka.common.utils.Time;

/**
 * The one mapping from the JSON request ({@link TaskSubmission}) to the Avro record on the tasks
 * topic: a {@link TaskRequest} inside a {@link TaskEvent}, {@code source = data-action}, the
 * relative {@code deadlineMs} turned into an absolute deadline.
 */
public final class TaskSubmissionMapper {
    /** The {@code source} of tasks accepted over HTTP. */
    public static final String SOURCE = "data-action";

    private final Time time;

    public TaskSubmissionMapper(Time time) {
        this.time = time;
    }

    /** The task event for a validated submission. */
    public TaskEvent toTaskEvent(TaskSubmission submission, String taskId) {
        long now = time.milliseconds();
        return TaskEvent.newBuilder().setEvent(TaskRequest.newBuilder()
                .setTaskId(taskId)
                .setTaskType(submission.taskType())
                .setConversationId(submission.conversationId())
                .setParticipantId(submission.participantId())
                .setInputs(submission.inputs())
                .setRequestedAt(now)
                .setDeadline(submission.deadlineMs() == null ? null : now + submission.deadlineMs())
                .setSource(SOURCE)
                .build()).build();
    }
}
