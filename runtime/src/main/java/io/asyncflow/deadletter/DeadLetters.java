package io.asyncflow.deadletter;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.util.Mask;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Builds {@link DeadLetter} records so every stage reports failures the same way. The reason is
 * readable text for operators and is masked ({@link Mask#message}); the original record travels
 * whole in {@code key}/{@code value}, on purpose, for replay (docs/data-flow.md).
 */
public final class DeadLetters {
    private DeadLetters() {
    }

    /** A dead letter for a consumed record that could not be read or processed. */
    public static DeadLetter forRecord(String stage, String reason, ConsumerRecord<byte[], byte[]> record) {
        return forRecord(stage, reason, record.topic(), record.partition(), record.offset(), record.key(), record.value());
    }

    public static DeadLetter forRecord(String stage, String reason, String topic, Integer partition, Long offset,
                                       byte[] key, byte[] value) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(Mask.message(reason))
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setConversationId(key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8))
                .setCorrelationId(null)
                .setFailedAt(System.currentTimeMillis())
                .build();
    }

    /** A dead letter for an update that could not be delivered (e.g. a Genesys write). */
    public static DeadLetter forUpdate(String stage, String reason, String conversationId, String correlationId,
                                       String topic, byte[] value) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(Mask.message(reason))
                .setTopic(topic)
                .setPartition(null)
                .setOffset(null)
                .setKey(conversationId == null ? null : ByteBuffer.wrap(conversationId.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setConversationId(conversationId)
                .setCorrelationId(correlationId)
                .setFailedAt(System.currentTimeMillis())
                .build();
    }
}
