package io.asyncflow.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured task types and backends, validated together: every backend a task type names
 * exists. Adding a database is configuration: a {@code backend.delta.*} block and its name in
 * {@code task.identify-caller.backends}.
 */
public record TaskCatalog(Map<String, TaskTypeConfig> taskTypes, Map<String, BackendConfig> backends) {

    public TaskCatalog {
        taskTypes = Map.copyOf(taskTypes);
        backends = Map.copyOf(backends);
    }

    /** All declared keys of task types and backends. */
    public static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(TaskTypeConfig.KEYS);
        keys.addAll(BackendConfig.KEYS);
        return keys;
    }

    public static TaskCatalog from(AsyncFlowConfig config) {
        Map<String, BackendConfig> backends = new LinkedHashMap<>();
        for (String name : config.namesUnder(BackendConfig.PREFIX)) {
            backends.put(name, BackendConfig.from(config, name));
        }
        Map<String, TaskTypeConfig> types = new LinkedHashMap<>();
        for (String name : config.namesUnder(TaskTypeConfig.PREFIX)) {
            TaskTypeConfig type = TaskTypeConfig.from(config, name);
            for (String backend : type.backends()) {
                if (!backends.containsKey(backend)) {
                    throw ConfigException.forKey(TaskTypeConfig.BACKENDS.forName(name),
                            "names backend '" + backend + "', but no backend." + backend + ".url is configured");
                }
            }
            types.put(name, type);
        }
        return new TaskCatalog(types, backends);
    }

    public Optional<TaskTypeConfig> taskType(String name) {
        return Optional.ofNullable(taskTypes.get(name));
    }

    public BackendConfig backend(String name) {
        BackendConfig backend = backends.get(name);
        if (backend == null) {
            throw new IllegalArgumentException("unknown backend " + name);
        }
        return backend;
    }

    /** Task types started automatically by a customer.start event. */
    public List<TaskTypeConfig> autoStartTypes() {
        return taskTypes.values().stream().filter(TaskTypeConfig::autoStart).toList();
    }
}
