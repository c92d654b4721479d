package io.asyncflow.config;

import java.time.Duration;
import java.util.List;

/**
 * One configured task type: which backends it asks, how the answers combine, how long it may
 * take, and the participant-data keys its statuses are written under.
 *
 * @param name task type name, e.g. identify-caller
 * @param backends backend names, asked in parallel
 * @param policy how answers combine
 * @param deadline default time from request to TIMEOUT
 * @param requiredInputs inputs a request must carry, e.g. ani
 * @param autoStart start this task when a customer.start event arrives (inputs from the event)
 * @param writeOngoing write ONGOING to participant data too (the status topic always carries it)
 * @param statusKey participant-data key of the status
 * @param reasonKey participant-data key of the reason (errors, timeout)
 * @param backendKey participant-data key naming the backend whose hit won
 * @param taskIdKey participant-data key of the task id
 */
public record TaskTypeConfig(
        String name,
        List<String> backends,
        Policy policy,
        Duration deadline,
        List<String> requiredInputs,
        boolean autoStart,
        boolean writeOngoing,
        String statusKey,
        String reasonKey,
        String backendKey,
        String taskIdKey) {

    /** How backend answers combine into one status. */
    public enum Policy {
        /** The first hit wins; all misses give NOT_FOUND; misses and errors only give ERROR. */
        FIRST_MATCH
    }

    public static final String PREFIX = "task.";
    public static final ConfigKey BACKENDS = ConfigKey.list("task.*.backends", null, "Backends asked in parallel, comma separated.");
    public static final ConfigKey POLICY = ConfigKey.string("task.*.policy", "FIRST_MATCH", "How answers combine: FIRST_MATCH.");
    public static final ConfigKey DEADLINE = ConfigKey.duration("task.*.deadline", "8s", "Default time from request to TIMEOUT when the request names none.");
    public static final ConfigKey REQUIRED_INPUTS = ConfigKey.list("task.*.required-inputs", "", "Inputs a request must carry, comma separated.");
    public static final ConfigKey AUTO_START = ConfigKey.bool("task.*.auto-start", "false", "Start this task on a customer.start event, with ani and dnis from the event.");
    public static final ConfigKey WRITE_ONGOING = ConfigKey.bool("task.*.write-ongoing", "false",
            "Also write ONGOING to participant data (one more Genesys API call per task); "
                    + "the 202 and the status topic already tell that work runs.");
    public static final ConfigKey STATUS_KEY = ConfigKey.string("task.*.status-key", "asyncflow.<task>.status", "Participant-data key of the status.");
    public static final ConfigKey REASON_KEY = ConfigKey.string("task.*.reason-key", "asyncflow.<task>.reason", "Participant-data key of the reason.");
    public static final ConfigKey BACKEND_KEY = ConfigKey.string("task.*.backend-key", "asyncflow.<task>.backend", "Participant-data key naming the backend that matched.");
    public static final ConfigKey TASK_ID_KEY = ConfigKey.string("task.*.task-id-key", "asyncflow.<task>.taskId", "Participant-data key of the task id.");

    public static final List<ConfigKey> KEYS = List.of(BACKENDS, POLICY, DEADLINE, REQUIRED_INPUTS, AUTO_START, WRITE_ONGOING,
            STATUS_KEY, REASON_KEY, BACKEND_KEY, TASK_ID_KEY);

    public TaskTypeConfig {
        backends = List.copyOf(backends);
        requiredInputs = List.copyOf(requiredInputs);
    }

    /** Reads and validates task type {@code name}. */
    public static TaskTypeConfig from(AsyncFlowConfig config, String name) {
        List<String> backends = config.getList(BACKENDS.forName(name), null);
        if (backends.isEmpty()) {
            throw ConfigException.forKey(BACKENDS.forName(name), "must name at least one backend");
        }
        String policyKey = POLICY.forName(name);
        Policy policy;
        try {
            policy = Policy.valueOf(config.get(policyKey, POLICY.defaultValue()).trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.forKey(policyKey, "must be one of " + List.of(Policy.values()));
        }
        Duration deadline = config.getDuration(DEADLINE.forName(name), DEADLINE.defaultValue());
        if (deadline.isZero() || deadline.isNegative()) {
            throw ConfigException.forKey(DEADLINE.forName(name), "must be positive");
        }
        return new TaskTypeConfig(name, backends, policy, deadline,
                config.getList(REQUIRED_INPUTS.forName(name), ""),
                config.getBoolean(AUTO_START.forName(name), AUTO_START.defaultValue()),
                writeOngoing(config, name),
                key(config, STATUS_KEY, name), key(config, REASON_KEY, name),
                key(config, BACKEND_KEY, name), key(config, TASK_ID_KEY, name));
    }

    /** Whether task type {@code name} writes ONGOING, also for a type the catalog does not declare. */
    public static boolean writeOngoing(AsyncFlowConfig config, String name) {
        return config.getBoolean(WRITE_ONGOING.forName(name), WRITE_ONGOING.defaultValue());
    }

    private static String key(AsyncFlowConfig config, ConfigKey key, String name) {
        return config.get(key.forName(name), key.defaultValue().replace("<task>", name));
    }
}
