package io.asyncflow.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Bytes written by an older released schema are read by today's classes. */
class SchemaEvolutionTest {

    @Test
    void shouldReadATaskEventWrittenWithSchemaV1() throws Exception {
        Map<String, Schema> v1 = SchemaHistory.shipped().version("v1");
        Schema requestV1 = v1.get("TaskRequest");
        assertThat(requestV1.getField("source")).as("v1 predates the source field").isNull();
        GenericRecord request = new GenericData.Record(requestV1);
        request.put("taskId", "3f1c2a4e-0000-4000-8000-000000000001");
        request.put("taskType", "identify-caller");
        request.put("conversationId", "c-v1");
        request.put("participantId", null);
        request.put("inputs", Map.of("ani", "tel:+33612345678"));
        request.put("requestedAt", 1_700_000_000_000L);
        request.put("deadline", null);
        GenericRecord event = new GenericData.Record(v1.get("TaskEvent"));
        event.put("event", request);
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1.get("TaskEvent")).encode(event);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        TaskEvent read = new AvroSerde<>(TaskEvent.class).deserialize("asyncflow.tasks", bytes);

        TaskRequest current = (TaskRequest) read.getEvent();
        assertThat(current.getConversationId()).isEqualTo("c-v1");
        assertThat(current.getInputs()).containsEntry("ani", "tel:+33612345678");
        assertThat(current.getSource()).as("filled from the v2 default").isEqualTo("unknown");
    }
}
