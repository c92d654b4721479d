package io.asyncflow.config;

import io.asyncflow.serde.ValueSerdes;
import io.asyncflow.topic.GroupMembership;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads the configuration of {@code asyncflow run} in the documented order — key defaults →
 * properties file → {@code ASYNCFLOW_*} environment → {@code -D} overrides — and validates it
 * once, so a bad value stops the process at start with a message naming the key.
 *
 * <p>The environment is read once, by {@link AsyncFlowConfig#load(Path, Map, Map, Collection, Set)}
 * against the declared keys; the launcher's own variables ({@link #RESERVED_ENV}) are not
 * configuration. Every set value is checked against its key's type and validator.
 *
 * <p>It lives in the runtime module, beside {@link AsyncFlowConfig}, so that {@code asyncflow run}
 * and the test kit ({@code asyncflow-testkit}) load and refuse a configuration with the same code.
 */
public final class ConfigLoader {
    /** Environment variables with the {@code ASYNCFLOW_} prefix that are not configuration keys. */
    public static final Set<String> RESERVED_ENV = Set.of("ASYNCFLOW_OPTS", "ASYNCFLOW_LOG_LEVEL", "ASYNCFLOW_LOG_FORMAT", "ASYNCFLOW_SKIP_BUILD",
            "ASYNCFLOW_CONFIG", "ASYNCFLOW_BENCH_JVM_OPTS");

    private ConfigLoader() {
    }

    /**
     * @param file properties file, or null
     * @param environment the process environment
     * @param overrides {@code -D key=value} overrides
     * @param declared every key the application accepts
     */
    public static AsyncFlowConfig load(Path file, Map<String, String> environment, Map<String, String> overrides,
                                       Collection<ConfigKey> declared) {
        return AsyncFlowConfig.load(file, environment, overrides, declared, RESERVED_ENV);
    }

    /**
     * The keys every process accepts whichever components it runs, those {@link #validate} checks:
     * Kafka, topics, the serde, task types and backends. The components' own keys come on top.
     */
    public static List<ConfigKey> sharedKeys() {
        List<ConfigKey> keys = new ArrayList<>(KafkaSettings.KEYS);
        keys.addAll(GroupMembership.KEYS);
        keys.addAll(Topics.KEYS);
        keys.addAll(ValueSerdes.KEYS);
        keys.addAll(TaskCatalog.keys());
        return List.copyOf(keys);
    }

    /**
     * Validates what every process needs, whichever components it runs: no unknown key, Kafka
     * bootstrap servers, topic names and settings, the serde, and the task types and backends.
     *
     * @throws io.asyncflow.config.ConfigException naming the first bad key
     */
    public static TaskCatalog validate(AsyncFlowConfig config, Collection<ConfigKey> declared) {
        config.rejectUnknownKeys(declared);
        config.validate(declared);
        new KafkaSettings(config).bootstrapServers();
        GroupMembership.from(config);
        Topics.from(config);
        return TaskCatalog.from(config);
    }
}
