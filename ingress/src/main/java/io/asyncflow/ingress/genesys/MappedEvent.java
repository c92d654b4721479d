package io.asyncflow.ingress.genesys;

import io.asyncflow.avro.TaskEvent;
import java.util.List;

/**
 * What one Genesys event becomes.
 *
 * @param kind the event's kind (metric tag)
 * @param conversationId the conversation, or null for unknown topics
 * @param records task events to produce to the tasks topic, keyed by {@code conversationId}, in order; empty when ignored
 * @param startedTaskIds ids of the tasks among {@code records}
 */
public record MappedEvent(EventTopic.Kind kind, String conversationId, List<TaskEvent> records, List<String> startedTaskIds) {

    public MappedEvent {
        records = List.copyOf(records);
        startedTaskIds = List.copyOf(startedTaskIds);
    }

    /** True when nothing is to be produced (attributes and unknown topics). */
    public boolean ignored() {
        return records.isEmpty();
    }
}
