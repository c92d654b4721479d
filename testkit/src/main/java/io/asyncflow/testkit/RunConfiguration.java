package io.asyncflow.testkit;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.ConfigLoader;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.IngressKeys;
import io.asyncflow.processor.lookup.BackendRequests;
import io.asyncflow.processor.ProcessorKeys;
import io.asyncflow.processor.lookup.LookupSettings;
import io.asyncflow.processor.sink.SinkSettings;
import io.asyncflow.processor.topology.TopologySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The user's configuration, loaded and refused exactly as {@code asyncflow run} does: the same
 * {@link ConfigLoader} (layers, environment, unknown keys, Kafka, topics, serde, task types and
 * backends), then the settings of the parts the kit stands in for (topology, lookup worker with each
 * backend's request templates, sink), read by their own {@code from} methods. The HTTP ingress's
 * settings (token, port) are not read: no HTTP server runs in a test.
 *
 * @param config the loaded configuration
 * @param catalog its task types and backends
 */
record RunConfiguration(AsyncFlowConfig config, TaskCatalog catalog) {

    /**
     * Every key {@code run} accepts: the shared keys and those of each component
     * ({@code Components.declaredKeys()} of the application; a test compares the two through
     * docs/configuration.md, which is generated from that list).
     */
    static List<ConfigKey> declaredKeys() {
        List<ConfigKey> keys = new ArrayList<>(ConfigLoader.sharedKeys());
        keys.addAll(IngressKeys.all());
        keys.addAll(ProcessorKeys.all());
        keys.addAll(io.asyncflow.operator.ConsoleSettings.KEYS);
        return List.copyOf(keys);
    }

    /**
     * @param file the properties file {@code run --config} takes
     * @param environment {@code ASYNCFLOW_*} variables and the targets of {@code ${env:NAME}} references
     * @param overrides values on top, as {@code run -D key=value}
     * @throws io.asyncflow.config.ConfigException naming the first bad key
     */
    static RunConfiguration load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        List<ConfigKey> declared = declaredKeys();
        AsyncFlowConfig config = ConfigLoader.load(file, environment, overrides, declared);
        TaskCatalog catalog = ConfigLoader.validate(config, declared);
        TopologySettings.from(config);
        LookupSettings.from(config);
        SinkSettings.from(config);
        catalog.backends().values().forEach(BackendRequests::new);
        return new RunConfiguration(config, catalog);
    }
}
