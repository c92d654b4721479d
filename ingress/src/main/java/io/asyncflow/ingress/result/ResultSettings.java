package io.asyncflow.ingress.result;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the result endpoint and its status view, read once and validated.
 *
 * @param retention how long a task stays answerable after its last record (and how far back a
 *        starting ingress reads the status and tasks topics)
 * @param maxTasks most tasks the view holds; the oldest are dropped beyond
 * @param maxWait longest {@code ?wait=} honoured; longer waits are shortened to it
 * @param maxWaiting most long polls waiting at once on one ingress; more get 503 {@code overloaded}
 */
public record ResultSettings(Duration retention, int maxTasks, Duration maxWait, int maxWaiting) {

    /** Longest wait the ingress accepts as {@code ingress.max-wait}: below Jetty's 30 s idle timeout. */
    public static final Duration WAIT_LIMIT = Duration.ofSeconds(25);

    public static final ConfigKey RETENTION = ConfigKey.duration("ingress.result-retention", "15m",
            "How long a task's status stays answerable by GET /v1/tasks/{taskId}; a starting ingress reads the status and tasks topics back this far.");
    public static final ConfigKey MAX_TASKS = ConfigKey.integer("ingress.result-max-tasks", "100000",
            "Most tasks the ingress's status view holds (under 1 KB each: 100 new calls/s for 15 min is 90,000); the least recently changed are forgotten beyond.");
    public static final ConfigKey MAX_WAIT = ConfigKey.duration("ingress.max-wait", "10s",
            "Longest long poll (?wait=); longer waits are shortened to it. Keep it below the Data Action's timeout (at most 25s).");
    public static final ConfigKey MAX_WAITING = ConfigKey.integer("ingress.max-waiting", "5000",
            "Most long polls waiting at once on one ingress; more get 503 (overloaded).");

    public static final List<ConfigKey> KEYS = List.of(RETENTION, MAX_TASKS, MAX_WAIT, MAX_WAITING);

    /** Every key read and validated; a problem is a {@link ConfigException} naming the key. */
    public static ResultSettings from(AsyncFlowConfig config) {
        Duration maxWait = config.getDuration(MAX_WAIT);
        if (maxWait.isNegative() || maxWait.compareTo(WAIT_LIMIT) > 0) {
            throw ConfigException.forKey(MAX_WAIT.name(), "must be between 0s and " + WAIT_LIMIT.toSeconds() + "s");
        }
        return new ResultSettings(config.getPositiveDuration(RETENTION), config.getInt(MAX_TASKS, 1), maxWait,
                config.getInt(MAX_WAITING, 1));
    }
}
