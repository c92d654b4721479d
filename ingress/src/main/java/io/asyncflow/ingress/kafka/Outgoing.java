package io.asyncflow.ingress.kafka;

import io.asyncflow.topic.Topic;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One record to produce to a typed topic. It is stamped {@link Stage#ACCEPTED} when it is
 * serialised, as the ingress hands it to its producer.
 *
 * @param topic where it goes (names the serdes)
 * @param key record key, the conversation id
 * @param value record value
 */
public record Outgoing<K, V>(Topic<K, V> topic, K key, V value) {

    ProducerRecord<byte[], byte[]> serialize() {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(),
                key == null ? null : topic.serializeKey(key), topic.serializeValue(value));
        Trace.empty().stamp(Stage.ACCEPTED).writeTo(record.headers());
        return record;
    }
}
