package io.asyncflow.processor.topology;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.topic.InstanceId;
import io.asyncflow.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Typed settings of the fan-out/first-match topology and the Kafka Streams instance running it.
 * Every {@code streams.*} key additionally passes to {@link StreamsConfig} unchanged and wins over
 * what these settings derive (see {@link StreamsProperties}).
 *
 * @param applicationId Streams application id (consumer group, prefix of internal topics)
 * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param commitInterval how often Streams commits; under exactly-once, when output becomes visible
 * @param punctuateInterval how often deadlines and retention are checked (wall-clock time)
 * @param finishedRetention how long a finished task is remembered, so duplicates are recognised
 * @param stateDir directory of the local state stores: {@code processor.state-dir}, else the instance's own
 *        ({@link InstanceId#defaultStateDir}), else null for Kafka Streams' default (no instance id: library use)
 * @param threads stream threads of this instance
 * @param replicationFactor replication factor of the changelog topics
 * @param commitOnDecision request a commit as soon as a final status is decided in a quiet moment,
 *        instead of waiting for the commit interval
 */
public record TopologySettings(
        String applicationId,
        String processingGuarantee,
        Duration commitInterval,
        Duration punctuateInterval,
        Duration finishedRetention,
        String stateDir,
        int threads,
        int replicationFactor,
        boolean commitOnDecision) {

    public static final ConfigKey APPLICATION_ID = ConfigKey.string("processor.application-id", "asyncflow-processor",
            "Kafka Streams application id of the topology (consumer group and internal topic prefix).");
    private static final List<String> GUARANTEES = List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE);
    public static final ConfigKey PROCESSING_GUARANTEE = ConfigKey.choice("processor.processing-guarantee", StreamsConfig.EXACTLY_ONCE_V2,
            "exactly_once_v2 (default) or at_least_once.", GUARANTEES);
    public static final ConfigKey COMMIT_INTERVAL = ConfigKey.duration("processor.commit-interval", "20ms",
            "Commit interval; under exactly_once_v2 statuses become visible to readers at each commit.");
    public static final ConfigKey PUNCTUATE_INTERVAL = ConfigKey.duration("processor.punctuate-interval", "100ms",
            "How often task deadlines and finished-state retention are checked (wall-clock time).");
    public static final ConfigKey FINISHED_RETENTION = ConfigKey.duration("processor.finished-retention", "15m",
            "How long finished tasks, ended conversations and the customer participant of a customer.start without a task yet "
                    + "are remembered (duplicates and late results are recognised, a later Data Action gets the participant).");
    public static final ConfigKey STATE_DIR = ConfigKey.string("processor.state-dir", null,
            "Directory of the topology's local state; keep it across restarts: it holds the Streams process id, so a restart fences "
                    + "its own open transaction at once, and state left by a clean stop is reused. Unset = "
                    + "<asyncflow.data-dir>/state/<asyncflow.instance-id>. Never shared by two live processes.");
    public static final ConfigKey THREADS = ConfigKey.integer("processor.threads", "1",
            "Stream threads per instance; more instances (same application id) share the partitions.");

    public static final ConfigKey COMMIT_ON_DECISION = ConfigKey.bool("processor.commit-on-decision", "true",
            "Commit at once when a record decided a final status and no other was decided within five commit intervals before "
                    + "it (under exactly_once_v2 a status decided in a quiet moment is visible to the sink and the long poll one commit "
                    + "later, not up to a commit interval later; under load the interval's commits carry the statuses); "
                    + "false = commit only at the commit interval.");

    public static final List<ConfigKey> KEYS = List.of(APPLICATION_ID, PROCESSING_GUARANTEE, COMMIT_INTERVAL, COMMIT_ON_DECISION,
            PUNCTUATE_INTERVAL, FINISHED_RETENTION, STATE_DIR, THREADS);


    /** Reads and validates the settings; a bad value is a {@link ConfigException} naming the key. */
    public static TopologySettings from(AsyncFlowConfig config) {
        String guarantee = config.getChoice(PROCESSING_GUARANTEE, GUARANTEES);
        Duration commit = config.getDuration(COMMIT_INTERVAL);
        Duration punctuate = config.getPositiveDuration(PUNCTUATE_INTERVAL);
        Duration retention = config.getPositiveDuration(FINISHED_RETENTION);
        int threads = config.getInt(THREADS);
        if (threads < 1) {
            throw ConfigException.forKey(THREADS.name(), "must be at least 1");
        }
        String stateDir = config.get(STATE_DIR);
        Path defaultStateDir = InstanceId.defaultStateDir(config);
        return new TopologySettings(config.require(APPLICATION_ID), guarantee, commit, punctuate, retention,
                stateDir != null && !stateDir.isBlank() ? stateDir : defaultStateDir == null ? null : defaultStateDir.toString(),
                threads, config.getInt(Topics.REPLICATION), config.getBoolean(COMMIT_ON_DECISION));
    }

}
