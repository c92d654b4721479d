package io.asyncflow.processor.sink;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.config.TaskTypeConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a status update into the participant data written for it, under the keys its task type
 * configures (see docs/DESIGN.md "Participant data written by the sink"): the status, the task id,
 * the winning backend on SUCCESS, the reason on TIMEOUT and ERROR, and the result attributes as
 * they are. The sink's own keys win over a result attribute of the same name. ONGOING is written
 * only for task types that ask for it.
 *
 * <p>Public so that the test kit ({@code asyncflow-testkit}) shows users exactly what the sink writes
 * for their configuration; the sink itself is its only other user.
 */
public final class ParticipantDataMapper {
    private final Map<String, Keys> keysByTaskType = new ConcurrentHashMap<>();
    private final AsyncFlowConfig config;

    /** The participant-data keys of one task type, and whether its ONGOING status is written. */
    record Keys(String status, String reason, String backend, String taskId, boolean writeOngoing) {
    }

    /** The keys of every task type configured in {@code config}. */
    public ParticipantDataMapper(AsyncFlowConfig config) {
        this.config = config;
        TaskCatalog.from(config).taskTypes().forEach((name, type) -> keysByTaskType.put(name, keysOf(type)));
    }

    /** All participant data of one status, for one PATCH. */
    public Map<String, String> attributes(StatusUpdate update) {
        Keys keys = keys(update.getTaskType());
        Map<String, String> data = new LinkedHashMap<>();
        if (update.getAttributes() != null) {
            data.putAll(update.getAttributes());
        }
        data.put(keys.status(), update.getStatus().name());
        data.put(keys.taskId(), update.getTaskId());
        if (update.getStatus() == TaskStatus.SUCCESS && update.getBackend() != null) {
            data.put(keys.backend(), update.getBackend());
        }
        if ((update.getStatus() == TaskStatus.TIMEOUT || update.getStatus() == TaskStatus.ERROR) && update.getReason() != null) {
            data.put(keys.reason(), update.getReason());
        }
        return data;
    }

    /**
     * False for an ONGOING status of a task type that does not write ONGOING
     * ({@code task.<type>.write-ongoing}, off by default); true for every other status.
     */
    public boolean written(StatusUpdate update) {
        return update.getStatus() != TaskStatus.ONGOING || keys(update.getTaskType()).writeOngoing();
    }

    /** Keys of a task type; one the catalog does not know gets the default key names (and any set per-key overrides). */
    Keys keys(String taskType) {
        return keysByTaskType.computeIfAbsent(taskType, this::defaultKeys);
    }

    private static Keys keysOf(TaskTypeConfig type) {
        return new Keys(type.statusKey(), type.reasonKey(), type.backendKey(), type.taskIdKey(), type.writeOngoing());
    }

    private Keys defaultKeys(String taskType) {
        return new Keys(key(TaskTypeConfig.STATUS_KEY, taskType), key(TaskTypeConfig.REASON_KEY, taskType),
                key(TaskTypeConfig.BACKEND_KEY, taskType), key(TaskTypeConfig.TASK_ID_KEY, taskType),
                TaskTypeConfig.writeOngoing(config, taskType));
    }

    private String key(ConfigKey key, String taskType) {
        return config.get(key.forName(taskType), key.defaultValue().replace("<task>", taskType));
    }
}
