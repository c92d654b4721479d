package io.asyncflow.topic;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Kafka client settings: {@code kafka.*} applies to every client, {@code producer.*},
 * {@code consumer.*}, {@code streams.*} and {@code admin.*} to one kind (prefix removed, later wins).
 */
public final class KafkaSettings {
    public static final ConfigKey BOOTSTRAP = ConfigKey.string("kafka.bootstrap.servers", "localhost:9092",
            "Kafka bootstrap servers. Every kafka.* key is passed to all Kafka clients without the prefix.");
    public static final List<ConfigKey> KEYS = List.of(BOOTSTRAP,
            ConfigKey.string("producer.*", null, "Producer settings (prefix removed)."),
            ConfigKey.string("consumer.*", null, "Consumer settings (prefix removed)."),
            ConfigKey.string("streams.*", null, "Kafka Streams settings (prefix removed)."),
            ConfigKey.string("admin.*", null, "Admin client settings (prefix removed)."));

    private final AsyncFlowConfig config;

    public KafkaSettings(AsyncFlowConfig config) {
        this.config = config;
    }

    public String bootstrapServers() {
        return config.require(BOOTSTRAP);
    }

    /** Settings for one kind of client: "producer", "consumer", "streams" or "admin". */
    public Map<String, Object> forClient(String kind) {
        Map<String, Object> props = new HashMap<>(config.withPrefix("kafka."));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.putAll(config.withPrefix(kind + "."));
        return props;
    }
}
