package io.asyncflow.processor.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The JSON of the topology's state as releases before the Avro state format wrote it; today only
 * {@link StateSerde} uses it, to read such state. Unknown fields are ignored, missing ones take Java
 * defaults (which is why the format moved to Avro: a renamed field read as 0 without a word).
 *
 * <p>Field-name canonicalisation is off: the task map is keyed by task ids (UUIDs), names that never
 * repeat, and canonicalising them filled Jackson's symbol table and copied it on every read (a
 * quarter of the stream thread's time at 200 conversations/s).
 */
final class JsonSerde {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private JsonSerde() {
    }

    /** A thread-safe serde of {@code type} (a Java record) as JSON. */
    static <T> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom(
                (topic, data) -> {
                    try {
                        return data == null ? null : MAPPER.writeValueAsBytes(data);
                    } catch (IOException e) {
                        throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON: " + e.getMessage(), e);
                    }
                },
                (topic, data) -> {
                    try {
                        return data == null ? null : MAPPER.readValue(data, type);
                    } catch (IOException e) {
                        throw new SerializationException("cannot read " + type.getSimpleName() + " from JSON: " + e.getMessage(), e);
                    }
                });
    }
}
