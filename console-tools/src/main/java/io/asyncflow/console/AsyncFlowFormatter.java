package io.asyncflow.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.asyncflow.config.AsyncFlowConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MessageFormatter;

/**
 * A {@code kafka-console-consumer --formatter} that prints each record of any AsyncFlow topic as one
 * JSON line: {@code {"topic","partition","offset","timestamp","key","headers":{…},"type","value":{…}}}.
 * The Avro record type is found from the schema fingerprint in the value's single-object header
 * (so any topic name works, and records written with an older released schema print as written);
 * values without it (raw Genesys events, garbage) print as {@code text} or {@code bytes}. Property
 * {@code conversation.id} keeps only that conversation's records. {@link AsyncFlowRecordReader}
 * reads the lines back into the same bytes.
 *
 * <pre>
 * bin/kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic asyncflow.tasks --from-beginning \
 *   --formatter io.asyncflow.console.AsyncFlowFormatter --formatter-property conversation.id=…
 * </pre>
 */
public final class AsyncFlowFormatter implements MessageFormatter {
    private final LineWriter writer = new LineWriter(WriterSchemas.shipped());
    private byte[] conversationId;

    @Override
    public void configure(Map<String, ?> configs) {
        AsyncFlowConfig config = ConsoleSettings.from(configs, ConsoleSettings.FORMATTER_KEYS);
        String id = config.get(ConsoleSettings.CONVERSATION_ID);
        conversationId = id == null || id.isBlank() ? null : id.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream output) {
        if (conversationId != null && !Arrays.equals(conversationId, record.key())) {
            return;
        }
        byte[] line;
        try {
            line = RecordLine.MAPPER.writeValueAsBytes(writer.toJson(record));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot print " + record.topic() + "-" + record.partition() + "@" + record.offset(), e);
        }
        output.write(line, 0, line.length);
        output.write('\n');
    }
}
