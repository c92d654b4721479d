package io.asyncflow.processor.topology;

import io.asyncflow.avro.StoredAnswer;
import io.asyncflow.avro.StoredConversation;
import io.asyncflow.avro.StoredTask;
import io.asyncflow.serde.AvroSerde;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of the {@link FirstMatchAggregator#TASKS_STORE} store: {@link ConversationState} as an
 * Avro {@code StoredConversation} (single-object encoding, so every released state schema still
 * decodes and {@code SchemaCompatibilityTest} checks it like the topics). It also reads the JSON
 * that releases before the Avro format wrote ({@link JsonSerde}), so an upgrade keeps its state;
 * the next write of a conversation stores it as Avro. Thread-safe.
 */
final class StateSerde implements Serde<ConversationState> {
    private static final byte AVRO_MARKER_0 = (byte) 0xC3;
    private static final byte AVRO_MARKER_1 = (byte) 0x01;

    private final AvroSerde<StoredConversation> avro = new AvroSerde<>(StoredConversation.class);
    private final Deserializer<ConversationState> legacyJson = JsonSerde.of(ConversationState.class).deserializer();

    byte[] serialize(String topic, ConversationState state) {
        return state == null ? null : avro.serialize(topic, stored(state));
    }

    ConversationState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length >= 2 && data[0] == AVRO_MARKER_0 && data[1] == AVRO_MARKER_1) {
            return state(avro.deserialize(topic, data));
        }
        if (data.length > 0 && data[0] == '{') {
            return legacyJson.deserialize(topic, data);
        }
        throw new SerializationException("conversation state is neither Avro single-object encoding nor the JSON of earlier releases");
    }

    @Override
    public Serializer<ConversationState> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<ConversationState> deserializer() {
        return this::deserialize;
    }

    private static StoredConversation stored(ConversationState state) {
        return StoredConversation.newBuilder()
                .setTasks(state.tasks().values().stream().map(StateSerde::stored).toList())
                .setEndedAt(state.endedAt())
                .setTimerAt(state.timerAt())
                .setParticipantId(state.participantId())
                .setParticipantSince(state.participantSince())
                .build();
    }

    private static StoredTask stored(TaskState task) {
        Map<String, StoredAnswer> answers = new LinkedHashMap<>();
        task.answers().forEach((backend, answer) -> answers.put(backend, new StoredAnswer(answer.outcome(), answer.error())));
        return StoredTask.newBuilder()
                .setTaskId(task.taskId())
                .setTaskType(task.taskType())
                .setParticipantId(task.participantId())
                .setRequestedAt(task.requestedAt())
                .setDeadline(task.deadline())
                .setBackends(task.backends())
                .setAnswers(answers)
                .setStatus(task.status())
                .setVersion(task.version())
                .setFinishedAt(task.finishedAt())
                .setOrphaned(task.orphaned())
                .build();
    }

    private static ConversationState state(StoredConversation stored) {
        Map<String, TaskState> tasks = new LinkedHashMap<>();
        stored.getTasks().forEach(task -> tasks.put(task.getTaskId(), state(task)));
        return new ConversationState(tasks, stored.getEndedAt(), stored.getTimerAt(), stored.getParticipantId(),
                stored.getParticipantSince());
    }

    private static TaskState state(StoredTask task) {
        Map<String, TaskState.Answer> answers = new LinkedHashMap<>();
        task.getAnswers().forEach((backend, answer) -> answers.put(backend, new TaskState.Answer(answer.getOutcome(), answer.getError())));
        return new TaskState(task.getTaskId(), task.getTaskType(), task.getParticipantId(), task.getRequestedAt(), task.getDeadline(),
                task.getBackends(), answers, task.getStatus(), task.getVersion(), task.getFinishedAt(), task.getOrphaned());
    }
}
