package io.asyncflow.console;

import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.serde.AvroSerde;
import io.asyncflow.serde.SchemaHistory;
import io.asyncflow.testing.DrivenTime;
import io.asyncflow.testing.SampleRecords;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Records of every kind as their bytes on a topic, and helpers to run the formatter and the reader. */
final class ConsoleFixtures {
    static final String CONVERSATION = "5f0c6a52-3b1e-4d7a-9c2e-0a1b2c3d4e5f";
    static final String EVENTBRIDGE_START = """
            {"version":"0","id":"1b6e0a3c-5d2f-4e8a-9b7c-6d5e4f3a2b1c","detail-type":"v2.detail.events.conversation.%1$s.customer.start",\
            "source":"aws.partner/genesys.com/cloud/org-1/asyncflow","time":"2026-01-01T10:00:00Z","region":"eu-west-1","resources":[],\
            "detail":{"topicName":"v2.detail.events.conversation.%1$s.customer.start","version":"2",\
            "eventBody":{"eventTime":1767261600000,"conversationId":"%1$s","participantId":"e7a41c90-6f2d-4b8e-a3c5-2e3f4a5b6c7d",\
            "sessionId":"s-1","mediaType":"VOICE","direction":"INBOUND","ani":"tel:+33611111103","dnis":"tel:+33198765432"},\
            "metadata":{"CorrelationId":"c-1"},"timestamp":"2026-01-01T10:00:00.000Z"}}""".formatted(CONVERSATION);
    static final String NOTIFICATION_END = """
            {"topicName":"v2.detail.events.conversation.%1$s.customer.end","version":"2",\
            "eventBody":{"eventTime":1767261660000,"conversationId":"%1$s","participantId":"e7a41c90-6f2d-4b8e-a3c5-2e3f4a5b6c7d"},\
            "metadata":{"CorrelationId":"c-2"}}""".formatted(CONVERSATION);

    /** A record as its producer wrote it: key, value and header bytes and its timestamp. */
    record Written(String name, byte[] key, byte[] value, Headers headers, long timestamp) {
        @Override
        public String toString() {
            return name;
        }
    }

    private ConsoleFixtures() {
    }

    /** One record of every kind an AsyncFlow topic can hold, with headers on some. */
    static List<Written> everyKind() {
        String cid = CONVERSATION;
        Map<String, String> manyInputs = new LinkedHashMap<>();
        for (String k : List.of("zeta", "ani", "alpha", "transcript", "m", "dnis")) {
            manyInputs.put(k, k.equals("ani") ? SampleRecords.ANI : k.equals("transcript") ? "J'ai perdu ma carte — 💳" : "v-" + k);
        }
        var request = SampleRecords.taskRequest(cid, "identify-caller", manyInputs, 1_767_261_608_000L);
        LookupRequest lookup = SampleRecords.lookupRequest(cid, "gamma");
        List<Written> all = new ArrayList<>();
        all.add(avro("task request", cid, SampleRecords.task(request), headers("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
        all.add(avro("conversation ended", cid, SampleRecords.conversationEvent(cid, ConversationEventType.ENDED), new RecordHeaders()));
        all.add(avro("lookup request", cid, lookup, new RecordHeaders()));
        all.add(avro("lookup result", cid, SampleRecords.lookupResult(lookup, LookupOutcome.HIT, Map.of("customerId", "C-42")), new RecordHeaders()));
        all.add(avro("status update", cid, SampleRecords.status(cid, lookup.getTaskId(), TaskStatus.SUCCESS, 2), new RecordHeaders()));
        all.add(avro("dead letter with bytes", cid, SampleRecords.deadLetter("cannot decode"), new RecordHeaders()));
        all.add(new Written("task request written with schema v1", utf8(cid), taskEventV1(cid), new RecordHeaders(), 1_767_261_600_123L));
        all.add(new Written("raw genesys event", utf8(cid), utf8(EVENTBRIDGE_START), new RecordHeaders(), 1_767_261_600_200L));
        all.add(new Written("garbage bytes", utf8(cid), new byte[]{(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 1, 2}, new RecordHeaders(), 1_767_261_600_300L));
        all.add(new Written("non UTF-8 key and tombstone", new byte[]{(byte) 0xFF, 0x00, 0x7F}, null, new RecordHeaders(), 1_767_261_600_400L));
        all.add(new Written("headers of every kind", utf8(cid), utf8("plain"), mixedHeaders(), 1_767_261_600_500L));
        return all;
    }

    static Written avro(String name, String key, SpecificRecord value, Headers headers) {
        return new Written(name, utf8(key), encode(value), headers, 1_767_261_600_000L + name.length());
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> byte[] encode(T value) {
        try (AvroSerde<T> serde = new AvroSerde<>((Class<T>) value.getClass())) {
            return serde.serialize("any", value);
        }
    }

    static TaskEvent decodeTaskEvent(byte[] bytes) {
        try (AvroSerde<TaskEvent> serde = new AvroSerde<>(TaskEvent.class)) {
            return serde.deserialize("any", bytes);
        }
    }

    /** A TaskEvent as a v1 producer (before TaskRequest.source existed) wrote it. */
    static byte[] taskEventV1(String cid) {
        Map<String, Schema> v1 = SchemaHistory.shipped().version("v1");
        GenericRecord request = new GenericData.Record(v1.get("TaskRequest"));
        request.put("taskId", "9d3e8b71-2c4f-4e0a-8b6d-1c2d3e4f5a6b");
        request.put("taskType", "identify-caller");
        request.put("conversationId", cid);
        request.put("participantId", null);
        request.put("inputs", Map.of("ani", "tel:+33611111101"));
        request.put("requestedAt", 1_767_261_600_123L);
        request.put("deadline", 1_767_261_608_123L);
        GenericRecord event = new GenericData.Record(v1.get("TaskEvent"));
        event.put("event", request);
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1.get("TaskEvent")).encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Headers headers(String... namesAndValues) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], utf8(namesAndValues[i + 1]));
        }
        return headers;
    }

    static Headers mixedHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("source", utf8("replay"));
        headers.add("binary", new byte[]{0, (byte) 0xFE, 0x10});
        headers.add("empty", null);
        headers.add("hop", utf8("ingress"));
        headers.add("hop", utf8("bridge"));
        return headers;
    }

    static ConsumerRecord<byte[], byte[]> consumed(String topic, int partition, long offset, Written w) {
        return new ConsumerRecord<>(topic, partition, offset, w.timestamp(), TimestampType.CREATE_TIME, 0, 0,
                w.key(), w.value(), w.headers(), Optional.empty());
    }

    /** What the formatter prints for these records, configured with {@code properties}. */
    static String format(Map<String, String> properties, List<ConsumerRecord<byte[], byte[]>> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AsyncFlowFormatter formatter = new AsyncFlowFormatter(); PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            formatter.configure(properties);
            records.forEach(r -> formatter.writeTo(r, print));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the reader produces from {@code lines}, configured with {@code properties}. */
    static List<ProducerRecord<byte[], byte[]>> read(Map<String, String> properties, String lines, long now) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (AsyncFlowRecordReader reader = new AsyncFlowRecordReader(DrivenTime.atMillis(now))) {
            reader.configure(properties);
            reader.readRecords(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8))).forEachRemaining(records::add);
        }
        return records;
    }

    /** Headers as comparable text: name=hex of the value bytes, in order. */
    static List<String> headerList(Headers headers) {
        List<String> list = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : headers) {
            list.add(h.key() + "=" + (h.value() == null ? "null" : java.util.HexFormat.of().formatHex(h.value())));
        }
        return list;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
