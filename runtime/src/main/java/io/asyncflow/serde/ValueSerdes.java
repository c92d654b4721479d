package io.asyncflow.serde;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the value serde of each Avro topic. The default is {@link AvroSerde} (single-object
 * encoding, no registry). A registry-backed serde plugs in by class name:
 * {@code serde.value.class=io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde} with
 * {@code serde.config.schema.registry.url=…}; every {@code serde.config.*} entry is passed, without
 * the prefix, to the serde's {@code configure()}. The class needs a public constructor taking the
 * record class, or a public no-argument one.
 */
public final class ValueSerdes {
    public static final ConfigKey VALUE_SERDE = ConfigKey.string("serde.value.class", AvroSerde.class.getName(),
            "Value serde class of the Avro topics (a registry serde such as Confluent's SpecificAvroSerde plugs in here).");
    public static final ConfigKey SERDE_CONFIG = ConfigKey.string("serde.config.*", null,
            "Passed to the serde's configure() without the prefix, e.g. serde.config.schema.registry.url.");
    public static final List<ConfigKey> KEYS = List.of(VALUE_SERDE, SERDE_CONFIG);

    private final String className;
    private final Map<String, Object> serdeConfig;

    private ValueSerdes(String className, Map<String, Object> serdeConfig) {
        this.className = className;
        this.serdeConfig = serdeConfig;
    }

    public static ValueSerdes from(AsyncFlowConfig config) {
        return new ValueSerdes(config.require(VALUE_SERDE), new HashMap<>(config.withPrefix("serde.config.")));
    }

    /** A configured value serde for records of {@code type}. */
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> Serde<T> forType(Class<T> type) {
        if (className.equals(AvroSerde.class.getName())) {
            return new AvroSerde<>(type);
        }
        Serde<T> serde;
        try {
            Class<?> serdeClass = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            if (!Serde.class.isAssignableFrom(serdeClass)) {
                throw ConfigException.forKey(VALUE_SERDE.name(), className + " is not an org.apache.kafka.common.serialization.Serde");
            }
            serde = (Serde<T>) instantiate(serdeClass, type);
        } catch (ClassNotFoundException e) {
            throw ConfigException.forKey(VALUE_SERDE.name(), "class " + className + " is not on the class path");
        } catch (ReflectiveOperationException e) {
            throw ConfigException.forKey(VALUE_SERDE.name(), "cannot create " + className + ": " + e);
        }
        serde.configure(serdeConfig, false);
        return serde;
    }

    private static Object instantiate(Class<?> serdeClass, Class<?> recordType) throws ReflectiveOperationException {
        try {
            Constructor<?> typed = serdeClass.getConstructor(Class.class);
            return typed.newInstance(recordType);
        } catch (NoSuchMethodException e) {
            return serdeClass.getConstructor().newInstance();
        }
    }
}
