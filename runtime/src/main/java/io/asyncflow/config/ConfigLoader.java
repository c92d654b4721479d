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
 * <p>On top of {@link AsyncFlowConfig#load}, an environment variable is matched against the
 * declared keys first, so {@code ASYNCFLOW_GENESYS_CLIENT_ID} sets {@code genesys.client-id} even
 * when the file does not name it (for wildcard keys such as {@code backend.*.hit-pointer} the
 * names configured in the file are tried). The launcher's own variables are not configuration.
 *
 * <p>It lives in the schemas module, beside {@link AsyncFlowConfig}, so that {@code asyncflow run}
 * and the test kit ({@code asyncflow-testkit}) load and refuse a configuration with the same code.
 */
public final class ConfigLoader {
    /** Environment variables with the {@code ASYNCFLOW_} prefix that are not configuration keys. */
    public static final Set<String> RESERVED_ENV = Set.of("ASYNCFLOW_OPTS", "ASYNCFLOW_LOG_LEVEL", "ASYNCFLOW_SKIP_BUILD",
            "ASYNCFLOW_CONFIG");

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
        Map<String, String> fileValues = file == null ? Map.of() : AsyncFlowConfig.readProperties(file);
        Map<String, String> envForLoad = new HashMap<>(environment);
        RESERVED_ENV.stream().filter(n -> !n.equals("ASYNCFLOW_CONFIG")).forEach(envForLoad::remove);
        Map<String, String> fromEnv = new HashMap<>();
        for (String key : candidateKeys(declared, AsyncFlowConfig.of(fileValues))) {
            String envName = AsyncFlowConfig.envName(key);
            if (environment.containsKey(envName) && !RESERVED_ENV.contains(envName)) {
                fromEnv.put(key, environment.get(envName));
                envForLoad.remove(envName);
            }
        }
        Map<String, String> cliOverrides = new HashMap<>(fromEnv);
        cliOverrides.putAll(overrides);
        return AsyncFlowConfig.load(file, envForLoad, cliOverrides);
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
        new KafkaSettings(config).bootstrapServers();
        GroupMembership.from(config);
        Topics.from(config);
        if (config.getInt(Topics.PARTITIONS) < 1) {
            throw ConfigException.forKey(Topics.PARTITIONS.name(), "must be at least 1");
        }
        if (config.getInt(Topics.REPLICATION) < 1) {
            throw ConfigException.forKey(Topics.REPLICATION.name(), "must be at least 1");
        }
        config.getBoolean(Topics.CREATE);
        return TaskCatalog.from(config);
    }

    private static List<String> candidateKeys(Collection<ConfigKey> declared, AsyncFlowConfig fileConfig) {
        return declared.stream().map(ConfigKey::name).flatMap(name -> {
            int star = name.indexOf('*');
            if (star < 0) {
                return Stream.of(name);
            }
            if (name.indexOf('*', star + 1) >= 0 || star == name.length() - 1) {
                return Stream.empty();
            }
            String prefix = name.substring(0, star);
            return fileConfig.namesUnder(prefix).stream().map(n -> name.replace("*", n));
        }).distinct().toList();
    }
}
