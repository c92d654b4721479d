package io.asyncflow.processor.topology;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.deadletter.DeadLetters;
import io.asyncflow.topic.Topic;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First node after a byte-array source: decodes the record with its topic's serdes and forwards it
 * to {@code next}; a record without a key, without a value, that cannot be decoded, or whose key is
 * not the conversation id it carries, goes to {@code deadLetters} as a {@link DeadLetter} instead.
 *
 * @param <V> the topic's record type
 */
final class RecordDecoder<V extends SpecificRecord> implements Processor<byte[], byte[], String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(RecordDecoder.class);

    private final Topic<String, V> topic;
    private final Function<V, String> conversationId;
    private final String next;
    private final String deadLetters;
    private ProcessorContext<String, SpecificRecord> context;

    RecordDecoder(Topic<String, V> topic, Function<V, String> conversationId, String next, String deadLetters) {
        this.topic = topic;
        this.conversationId = conversationId;
        this.next = next;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key;
        V value;
        try {
            key = record.key() == null ? null : topic.deserializeKey(record.key());
            value = record.value() == null ? null : topic.deserializeValue(record.value());
        } catch (RuntimeException e) {
            reject(record, DeadLetterHandler.describe(e));
            return;
        }
        if (key == null) {
            reject(record, "record has no key; the key must be the conversation id");
        } else if (value == null) {
            reject(record, "record has no value");
        } else if (!Objects.equals(key, conversationId.apply(value))) {
            reject(record, "key '" + key + "' is not the record's conversationId '" + conversationId.apply(value) + "'");
        } else {
            context.forward(new Record<String, SpecificRecord>(key, value, record.timestamp(), record.headers()), next);
        }
    }

    private void reject(Record<byte[], byte[]> record, String reason) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        String sourceTopic = meta.map(RecordMetadata::topic).orElse(topic.name());
        Integer partition = meta.map(RecordMetadata::partition).orElse(null);
        Long offset = meta.map(RecordMetadata::offset).orElse(null);
        LOG.warn("dead letter from {}-{} offset {}: {}", sourceTopic, partition, offset, reason);
        DeadLetter letter = DeadLetters.forRecord(DeadLetterHandler.STAGE, reason, sourceTopic, partition, offset,
                record.key(), record.value());
        context.forward(new Record<String, SpecificRecord>(letter.getConversationId(), letter, record.timestamp()), deadLetters);
    }
}
