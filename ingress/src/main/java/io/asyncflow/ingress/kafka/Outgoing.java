package io.asyncflow.ingress.kafka;

import io.asyncflow.topic.Topic;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One record to produce to a typed topic.
 *
 * @param topic where it goes (names the serdes)
 * @param key record key, the conversation id
 * @param value record value
 */
public record Outgoing<K, V>(Topic<K, V> topic, K key, V value) {

    ProducerRecord<byte[], byte[]> serialize() {
        return new ProducerRecord<>(topic.name(), key == null ? null : topic.serializeKey(key), topic.serializeValue(value));
    }
}
