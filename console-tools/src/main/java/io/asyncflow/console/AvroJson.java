package io.asyncflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.OptionalLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Single-object encoded Avro values to and from Avro's JSON encoding (unions name their branch, e.g.
 * {@code {"io.asyncflow.avro.TaskRequest": {…}}}; bytes are ISO-8859-1 strings), always with the
 * value's own writer schema and as generic records, so re-encoding gives back the same bytes. Map
 * entries keep their order for the same reason.
 */
final class AvroJson {
    /** Length of the single-object header: marker C3 01, then the schema fingerprint (little-endian). */
    static final int HEADER_LENGTH = 10;

    private static final GenericData ORDERED = new GenericData() {
        @Override
        public Object newMap(Object old, int size) {
            if (old instanceof LinkedHashMap<?, ?> map) {
                map.clear();
                return map;
            }
            return new LinkedHashMap<>(Math.max(size, 16));
        }
    };

    private AvroJson() {
    }

    /** The schema fingerprint of a single-object encoded value, or empty when it has no such header. */
    static OptionalLong fingerprint(byte[] value) {
        if (value == null || value.length < HEADER_LENGTH || value[0] != (byte) 0xC3 || value[1] != (byte) 0x01) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    /** The value (header included) decoded with its writer schema, as Avro JSON. */
    static JsonNode toJson(Schema writer, byte[] value, ObjectMapper mapper) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, HEADER_LENGTH, value.length - HEADER_LENGTH, null);
        Object record = new GenericDatumReader<>(writer, writer, ORDERED).read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("bytes left after the " + writer.getName() + " record");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonEncoder encoder = EncoderFactory.get().jsonEncoder(writer, out);
        new GenericDatumWriter<>(writer, ORDERED).write(record, encoder);
        encoder.flush();
        return mapper.readTree(out.toByteArray());
    }

    /** A record of {@code writer} read from its Avro JSON. */
    static GenericRecord fromJson(Schema writer, JsonNode json, ObjectMapper mapper) throws IOException {
        var decoder = DecoderFactory.get().jsonDecoder(writer, mapper.writeValueAsString(json));
        return (GenericRecord) new GenericDatumReader<>(writer, writer, ORDERED).read(null, decoder);
    }

    /** The record's single-object encoding with {@code writer}. */
    static byte[] encode(Schema writer, GenericRecord record) throws IOException {
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(ORDERED, writer).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
