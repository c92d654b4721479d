package io.asyncflow.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testing.SampleRecords;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    @Test
    void shouldRoundTripATaskEventWithItsUnionPayload() {
        AvroSerde<TaskEvent> serde = new AvroSerde<>(TaskEvent.class);
        TaskEvent event = SampleRecords.task(SampleRecords.taskRequest("c-1", "identify-caller", Map.of("ani", SampleRecords.ANI), 99L));

        byte[] bytes = serde.serialize("t", event);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(serde.deserialize("t", bytes)).isEqualTo(event);
    }

    @Test
    void shouldRoundTripEveryOtherRecordType() {
        LookupRequest request = SampleRecords.lookupRequest("c-2", "alpha");
        LookupResult result = SampleRecords.lookupResult(request, LookupOutcome.HIT, Map.of("customerId", "C-7"));
        StatusUpdate status = SampleRecords.status("c-2", request.getTaskId(), TaskStatus.SUCCESS, 2);

        assertThat(roundTrip(LookupRequest.class, request)).isEqualTo(request);
        assertThat(roundTrip(LookupResult.class, result)).isEqualTo(result);
        assertThat(roundTrip(StatusUpdate.class, status)).isEqualTo(status);
    }

    @Test
    void shouldRejectGarbageWithAClearMessage() {
        AvroSerde<StatusUpdate> serde = new AvroSerde<>(StatusUpdate.class);

        assertThatThrownBy(() -> serde.deserialize("asyncflow.status", "not avro at all".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode StatusUpdate from topic asyncflow.status");
    }

    @Test
    void shouldRejectARecordOfAnotherTypeWithAnUnknownFingerprint() {
        byte[] lookupBytes = new AvroSerde<>(LookupRequest.class).serialize("t", SampleRecords.lookupRequest("c", "beta"));

        assertThatThrownBy(() -> new AvroSerde<>(StatusUpdate.class).deserialize("t", lookupBytes))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldPassNullThroughAsTombstone() {
        AvroSerde<StatusUpdate> serde = new AvroSerde<>(StatusUpdate.class);

        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(Class<T> type, T value) {
        AvroSerde<T> serde = new AvroSerde<>(type);
        return serde.deserialize("t", serde.serialize("t", value));
    }
}
