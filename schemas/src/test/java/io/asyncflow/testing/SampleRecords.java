package io.asyncflow.testing;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;

/** Example records with realistic (made-up) values, for tests. */
public final class SampleRecords {
    public static final String ANI = "tel:+33612345678";

    private SampleRecords() {
    }

    public static String conversationId() {
        return UUID.randomUUID().toString();
    }

    public static TaskRequest taskRequest(String conversationId, String taskType, Map<String, String> inputs, long deadline) {
        return TaskRequest.newBuilder()
                .setTaskId(UUID.randomUUID().toString())
                .setTaskType(taskType)
                .setConversationId(conversationId)
                .setParticipantId(UUID.randomUUID().toString())
                .setInputs(inputs)
                .setRequestedAt(System.currentTimeMillis())
                .setDeadline(deadline)
                .setSource("data-action")
                .build();
    }

    public static TaskEvent task(TaskRequest request) {
        return TaskEvent.newBuilder().setEvent(request).build();
    }

    public static TaskEvent conversationEvent(String conversationId, ConversationEventType type) {
        return TaskEvent.newBuilder().setEvent(ConversationEvent.newBuilder()
                .setConversationId(conversationId)
                .setType(type)
                .setParticipantId(UUID.randomUUID().toString())
                .setAni(ANI)
                .setDnis("tel:+33198765432")
                .setEventTime(System.currentTimeMillis())
                .setSource("eventbridge")
                .build()).build();
    }

    public static LookupRequest lookupRequest(String conversationId, String backend) {
        String taskId = UUID.randomUUID().toString();
        return LookupRequest.newBuilder()
                .setLookupId(taskId + ":" + backend)
                .setTaskId(taskId)
                .setTaskType("identify-caller")
                .setConversationId(conversationId)
                .setBackend(backend)
                .setInputs(Map.of("ani", ANI))
                .setDeadline(System.currentTimeMillis() + 8000)
                .setRequestedAt(System.currentTimeMillis())
                .build();
    }

    public static LookupResult lookupResult(LookupRequest request, LookupOutcome outcome, Map<String, String> attributes) {
        return LookupResult.newBuilder()
                .setLookupId(request.getLookupId())
                .setTaskId(request.getTaskId())
                .setTaskType(request.getTaskType())
                .setConversationId(request.getConversationId())
                .setBackend(request.getBackend())
                .setOutcome(outcome)
                .setAttributes(attributes)
                .setLatencyMs(42)
                .setAttempts(1)
                .setError(outcome == LookupOutcome.ERROR ? "HTTP 503" : null)
                .setCompletedAt(System.currentTimeMillis())
                .build();
    }

    public static StatusUpdate status(String conversationId, String taskId, TaskStatus status, int version) {
        return StatusUpdate.newBuilder()
                .setTaskId(taskId)
                .setTaskType("identify-caller")
                .setConversationId(conversationId)
                .setParticipantId(null)
                .setStatus(status)
                .setVersion(version)
                .setAttributes(status == TaskStatus.SUCCESS ? Map.of("customerId", "C-1001") : Map.of())
                .setBackend(status == TaskStatus.SUCCESS ? "gamma" : null)
                .setReason(null)
                .setRequestedAt(System.currentTimeMillis() - 100)
                .setEmittedAt(System.currentTimeMillis())
                .build();
    }

    public static DeadLetter deadLetter(String reason) {
        return DeadLetter.newBuilder()
                .setStage("processor")
                .setReason(reason)
                .setTopic("asyncflow.tasks")
                .setPartition(0)
                .setOffset(7L)
                .setKey(null)
                .setValue(ByteBuffer.wrap(new byte[]{1, 2, 3}))
                .setConversationId(null)
                .setCorrelationId(null)
                .setFailedAt(System.currentTimeMillis())
                .build();
    }
}
