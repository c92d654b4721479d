package io.asyncflow.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns one input line into the record to produce: a {@link RecordLine} (key, headers and value
 * rebuilt byte for byte, times moved by {@link TimeRebase}), or a plain Genesys event (key = its
 * conversation id, value = the line as it is). Guards against the two mix-ups a replay can make:
 * Genesys events onto an Avro topic, Avro records onto the raw events topic. The partition is left
 * to the producer's partitioner (the key decides, as for the original producer).
 */
final class LineParser {
    private final String topic;
    private final String rawEventsTopic;
    private final Set<String> avroTopics;
    private final WriterSchemas schemas;
    private final TimeRebase rebase;

    LineParser(String topic, Topics topics, WriterSchemas schemas, TimeRebase rebase) {
        this.topic = topic;
        this.rawEventsTopic = topics.rawEvents().name();
        this.avroTopics = topics.all().stream().map(Topic::name).filter(n -> !n.equals(rawEventsTopic)).collect(Collectors.toSet());
        this.schemas = schemas;
        this.rebase = rebase;
    }

    ProducerRecord<byte[], byte[]> parse(long lineNumber, String line) {
        JsonNode json;
        try {
            json = RecordLine.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLineException(lineNumber, "not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new BadLineException(lineNumber, "expected one JSON object per line, got "
                    + (json == null ? "nothing" : json.getNodeType()));
        }
        try {
            return RecordLine.isRecordLine(json) ? recordLine(lineNumber, json) : genesysEvent(lineNumber, line, json);
        } catch (BadLineException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BadLineException(lineNumber, e.getMessage(), e);
        }
    }

    private ProducerRecord<byte[], byte[]> recordLine(long lineNumber, JsonNode json) {
        byte[] key = BytesJson.fromJson(json.get(RecordLine.KEY), "key");
        Headers headers = HeadersJson.fromJson(json.get(RecordLine.HEADERS));
        Long timestamp = timestamp(json.get(RecordLine.TIMESTAMP));
        String type = json.path(RecordLine.TYPE).isTextual() ? json.path(RecordLine.TYPE).textValue() : null;
        JsonNode value = json.get(RecordLine.VALUE);
        if (value.isNull()) {
            return record(rebase.apply(timestamp, null), key, null, headers);
        }
        if (type == null || type.equals(RecordLine.TEXT)) {
            if (!value.isTextual()) {
                throw new BadLineException(lineNumber, type == null
                        ? "\"type\" is missing: name the record type (e.g. io.asyncflow.avro.TaskEvent), text or bytes"
                        : "a text value must be a JSON string");
            }
            return record(rebase.apply(timestamp, null), key, value.textValue().getBytes(StandardCharsets.UTF_8), headers);
        }
        if (type.equals(RecordLine.BYTES)) {
            return record(rebase.apply(timestamp, null), key, BytesJson.fromJson(value, "value"), headers);
        }
        if (topic.equals(rawEventsTopic)) {
            throw new BadLineException(lineNumber, "an Avro " + type + " does not belong on the raw events topic " + topic);
        }
        String version = json.path(RecordLine.SCHEMA).isTextual() ? json.path(RecordLine.SCHEMA).textValue() : null;
        WriterSchemas.Writer writer = schemas.forLine(type, version);
        try {
            GenericRecord record = AvroJson.fromJson(writer.schema(), value, RecordLine.MAPPER);
            Long rebased = rebase.apply(timestamp, record);
            return record(rebased, key, AvroJson.encode(writer.schema(), record), headers);
        } catch (IOException | AvroRuntimeException e) {
            throw new BadLineException(lineNumber, "value is not a valid " + type + " in Avro JSON: " + e.getMessage(), e);
        }
    }

    private ProducerRecord<byte[], byte[]> genesysEvent(long lineNumber, String line, JsonNode json) {
        String conversationId = GenesysEventLine.conversationId(json).orElseThrow(() -> new BadLineException(lineNumber,
                "neither an AsyncFlow record line (with \"value\" and \"type\" or \"key\") nor a Genesys event with "
                        + "detail.eventBody.conversationId or eventBody.conversationId"));
        if (avroTopics.contains(topic)) {
            throw new BadLineException(lineNumber, "a Genesys event belongs on the raw events topic " + rawEventsTopic
                    + ", not on " + topic);
        }
        return record(null, conversationId.getBytes(StandardCharsets.UTF_8), line.getBytes(StandardCharsets.UTF_8),
                new RecordHeaders());
    }

    private ProducerRecord<byte[], byte[]> record(Long timestamp, byte[] key, byte[] value, Headers headers) {
        return new ProducerRecord<>(topic, null, timestamp, key, value, headers);
    }

    private static Long timestamp(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.longValue() < 0) {
            throw new IllegalArgumentException("timestamp must be epoch milliseconds or null, not " + node);
        }
        return node.longValue();
    }
}
