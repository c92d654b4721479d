package io.asyncflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns a consumed record into its {@link RecordLine}; never fails on a bad value, it shows it as bytes. */
final class LineWriter {
    private final WriterSchemas schemas;

    LineWriter(WriterSchemas schemas) {
        this.schemas = schemas;
    }

    ObjectNode toJson(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = RecordLine.MAPPER.createObjectNode();
        line.put(RecordLine.TOPIC, record.topic());
        line.put(RecordLine.PARTITION, record.partition());
        line.put(RecordLine.OFFSET, record.offset());
        if (record.timestamp() == ConsumerRecord.NO_TIMESTAMP) {
            line.putNull(RecordLine.TIMESTAMP);
        } else {
            line.put(RecordLine.TIMESTAMP, record.timestamp());
        }
        line.set(RecordLine.KEY, BytesJson.toJson(record.key()));
        line.set(RecordLine.HEADERS, HeadersJson.toJson(record.headers()));
        putValue(line, record.value());
        return line;
    }

    private void putValue(ObjectNode line, byte[] value) {
        if (value == null) {
            line.putNull(RecordLine.VALUE);
            return;
        }
        String avroError = null;
        OptionalLong fingerprint = AvroJson.fingerprint(value);
        if (fingerprint.isPresent()) {
            Optional<WriterSchemas.Writer> writer = schemas.byFingerprint(fingerprint.getAsLong());
            if (writer.isEmpty()) {
                avroError = "no known schema has fingerprint " + Long.toHexString(fingerprint.getAsLong());
            } else {
                try {
                    JsonNode json = AvroJson.toJson(writer.get().schema(), value, RecordLine.MAPPER);
                    line.put(RecordLine.TYPE, writer.get().type());
                    if (writer.get().version() != null) {
                        line.put(RecordLine.SCHEMA, writer.get().version());
                    }
                    line.set(RecordLine.VALUE, json);
                    return;
                } catch (IOException | RuntimeException e) {
                    avroError = "cannot decode as " + writer.get().type() + ": " + e.getMessage();
                }
            }
        }
        String text = BytesJson.utf8(value);
        line.put(RecordLine.TYPE, text != null ? RecordLine.TEXT : RecordLine.BYTES);
        line.set(RecordLine.VALUE, BytesJson.toJson(value));
        if (avroError != null) {
            line.put(RecordLine.ERROR, avroError);
        }
    }
}
