package io.asyncflow.processor.sink;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that forgets its least recently used entry beyond {@code capacity}. Not thread-safe. */
final class BoundedLru<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    BoundedLru(int capacity) {
        super(16, 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
