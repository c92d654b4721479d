package io.asyncflow.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic as a typed value: its name and the serdes of its keys and values. Code never spells a
 * topic name; it takes a {@code Topic} from {@link Topics}.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public byte[] serializeKey(K key) {
        return keySerde.serializer().serialize(name, key);
    }

    public byte[] serializeValue(V value) {
        return valueSerde.serializer().serialize(name, value);
    }

    public K deserializeKey(byte[] bytes) {
        return keySerde.deserializer().deserialize(name, bytes);
    }

    public V deserializeValue(byte[] bytes) {
        return valueSerde.deserializer().deserialize(name, bytes);
    }

    @Override
    public String toString() {
        return name;
    }
}
