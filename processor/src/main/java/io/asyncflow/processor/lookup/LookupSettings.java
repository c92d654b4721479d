package io.asyncflow.processor.lookup;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Settings of the {@link LookupWorker}. Kafka client settings come from {@code kafka.*},
 * {@code consumer.*} and {@code producer.*}; backends from {@code backend.*}.
 *
 * @param groupId consumer group of the workers sharing the lookups topic
 * @param maxInFlight most lookups in flight per worker instance, all backends together
 * @param pollTimeout longest wait in one poll, and for a free slot when at the bound
 * @param commitInterval how often acknowledged offsets are committed
 * @param finishedTaskMemory most finished task ids remembered
 * @param finishedTaskTtl how long a finished task id is remembered
 * @param statusCatchUpTimeout longest wait at start for the status reader to reach the end of the status topic
 * @param revokeTimeout longest wait for in-flight lookups of revoked partitions before they are abandoned
 * @param closeTimeout longest wait for in-flight lookups when closing
 * @param maxResponseBytes largest backend response body read; a larger one is an error
 * @param connectTimeout TCP/TLS connect timeout of the HTTP client
 * @param httpVersion HTTP version the client prefers
 * @param isolationLevel {@code read_uncommitted} (take lookups as soon as the topology sends them)
 *     or {@code read_committed} (only once its transaction commits)
 */
public record LookupSettings(
        String groupId,
        int maxInFlight,
        Duration pollTimeout,
        Duration commitInterval,
        int finishedTaskMemory,
        Duration finishedTaskTtl,
        Duration statusCatchUpTimeout,
        Duration revokeTimeout,
        Duration closeTimeout,
        int maxResponseBytes,
        Duration connectTimeout,
        HttpClient.Version httpVersion,
        String isolationLevel) {

    public static final ConfigKey GROUP_ID = ConfigKey.string("lookup.group-id", "asyncflow-lookup",
            "Consumer group of the lookup workers (they share the lookups topic's partitions).");
    public static final ConfigKey MAX_IN_FLIGHT = ConfigKey.integer("lookup.max-in-flight", "256",
            "Most lookups in flight per worker instance, all backends together (backend.*.max-in-flight bounds each backend).");
    public static final ConfigKey POLL_TIMEOUT = ConfigKey.duration("lookup.poll-timeout", "100ms",
            "Longest wait in one consumer poll, and for a free slot when the worker is at its bound.");
    public static final ConfigKey COMMIT_INTERVAL = ConfigKey.duration("lookup.commit-interval", "1s",
            "How often offsets whose results the broker acknowledged are committed.");
    public static final ConfigKey FINISHED_TASK_MEMORY = ConfigKey.integer("lookup.finished-task-memory", "50000",
            "Most finished task ids remembered (their pending lookups are skipped).");
    public static final ConfigKey FINISHED_TASK_TTL = ConfigKey.duration("lookup.finished-task-ttl", "10m",
            "How long a finished task id is remembered; also how far back the status topic is read at start.");
    public static final ConfigKey STATUS_CATCH_UP_TIMEOUT = ConfigKey.duration("lookup.status-catch-up-timeout", "30s",
            "Longest wait at start for the status reader to reach the end of the status topic before lookups are taken.");
    public static final ConfigKey REVOKE_TIMEOUT = ConfigKey.duration("lookup.revoke-timeout", "5s",
            "Longest wait for in-flight lookups of revoked partitions; after it they are abandoned (the new owner redoes them).");
    public static final ConfigKey CLOSE_TIMEOUT = ConfigKey.duration("lookup.close-timeout", "10s",
            "Longest wait for in-flight lookups when the worker closes.");
    public static final ConfigKey MAX_RESPONSE_BYTES = ConfigKey.integer("lookup.max-response-bytes", "1048576",
            "Largest backend response body read; a larger one is an error.");
    public static final ConfigKey CONNECT_TIMEOUT = ConfigKey.duration("lookup.connect-timeout", "2s",
            "Connect timeout of the HTTP client (each attempt is also bounded by backend.*.timeout and the deadline).");
    public static final ConfigKey HTTP_VERSION = ConfigKey.string("lookup.http-version", "HTTP_1_1",
            "HTTP version the client prefers: HTTP_1_1 or HTTP_2.");

    private static final List<String> ISOLATION_LEVELS = List.of("read_uncommitted", "read_committed");

    public static final ConfigKey ISOLATION_LEVEL = ConfigKey.choice("lookup.isolation-level", "read_uncommitted",
            "read_uncommitted: take each lookup as soon as the topology sends it, one exactly-once commit earlier "
                    + "(after a topology crash a lookup may be called twice; the topology ignores the repeated result). "
                    + "read_committed: only once the topology's transaction commits. Wins over consumer.isolation.level for this consumer.",
            ISOLATION_LEVELS);

    public static final List<ConfigKey> KEYS = List.of(GROUP_ID, MAX_IN_FLIGHT, POLL_TIMEOUT, COMMIT_INTERVAL,
            FINISHED_TASK_MEMORY, FINISHED_TASK_TTL, STATUS_CATCH_UP_TIMEOUT, REVOKE_TIMEOUT, CLOSE_TIMEOUT,
            MAX_RESPONSE_BYTES, CONNECT_TIMEOUT, HTTP_VERSION, ISOLATION_LEVEL);

    /** Reads and validates the settings. */
    public static LookupSettings from(AsyncFlowConfig config) {
        return new LookupSettings(
                config.require(GROUP_ID),
                config.getInt(MAX_IN_FLIGHT, 1),
                config.getPositiveDuration(POLL_TIMEOUT),
                config.getPositiveDuration(COMMIT_INTERVAL),
                config.getInt(FINISHED_TASK_MEMORY, 1),
                config.getPositiveDuration(FINISHED_TASK_TTL),
                config.getDuration(STATUS_CATCH_UP_TIMEOUT),
                config.getDuration(REVOKE_TIMEOUT),
                config.getDuration(CLOSE_TIMEOUT),
                config.getInt(MAX_RESPONSE_BYTES, 1),
                config.getPositiveDuration(CONNECT_TIMEOUT),
                httpVersion(config),
                config.getChoice(ISOLATION_LEVEL, ISOLATION_LEVELS));
    }

    private static HttpClient.Version httpVersion(AsyncFlowConfig config) {
        String value = config.require(HTTP_VERSION).trim().toUpperCase(Locale.ROOT);
        try {
            return HttpClient.Version.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ConfigException.forKey(HTTP_VERSION.name(), "must be HTTP_1_1 or HTTP_2, got '" + value + "'");
        }
    }
}
