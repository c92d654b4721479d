package io.asyncflow.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stands in for a registry serde (Confluent's SpecificAvroSerde, Apicurio's): Confluent's wire
 * format (magic byte 0, 4-byte schema id, Avro binary) against an in-memory "registry", no-arg
 * constructor, configured through {@code configure()} with {@code schema.registry.url}.
 */
public class FakeRegistrySerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    static final Map<Integer, Schema> REGISTRY = new ConcurrentHashMap<>();
    static volatile String lastConfiguredUrl;

    private String url;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object u = configs.get("schema.registry.url");
        if (u == null) {
            throw new IllegalStateException("schema.registry.url is required");
        }
        url = u.toString();
        lastConfiguredUrl = url;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (url == null) {
            throw new IllegalStateException("not configured");
        }
        Schema schema = data.getSchema();
        int id = schema.getFullName().hashCode();
        REGISTRY.put(id, schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<T>(schema).write(data, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        if (buffer.get() != 0) {
            throw new IllegalArgumentException("unknown magic byte");
        }
        Schema schema = REGISTRY.get(buffer.getInt());
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null);
        try {
            return (T) new SpecificDatumReader<>(schema).read(null, decoder);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void close() {
        // nothing held
    }
}
