package io.asyncflow.topic;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.serde.ValueSerdes;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every AsyncFlow topic, named by configuration. Keys are conversation ids (strings), so all
 * records of one conversation share a partition and keep their order.
 *
 * @param tasks task requests and conversation lifecycle events (Avro {@link TaskEvent})
 * @param rawEvents Genesys events as JSON text, for the ingress bridge
 * @param lookups backend calls to make
 * @param lookupResults backend answers
 * @param status versioned statuses for participant data
 * @param orphans results that arrived after their conversation ended, for follow-up
 * @param deadLetters records and updates that could not be processed or delivered
 * @param activity participant-data writes, long-poll answers and the console's replay audit (Avro {@link Activity})
 */
public record Topics(
        Topic<String, TaskEvent> tasks,
        Topic<String, String> rawEvents,
        Topic<String, LookupRequest> lookups,
        Topic<String, LookupResult> lookupResults,
        Topic<String, StatusUpdate> status,
        Topic<String, StatusUpdate> orphans,
        Topic<String, DeadLetter> deadLetters,
        Topic<String, Activity> activity) {

    public static final ConfigKey TASKS = ConfigKey.string("topic.tasks", "asyncflow.tasks", "Task requests and conversation events (Avro).");
    public static final ConfigKey RAW_EVENTS = ConfigKey.string("topic.raw-events", "genesys.events", "Raw Genesys events as JSON, read by the ingress bridge.");
    public static final ConfigKey LOOKUPS = ConfigKey.string("topic.lookups", "asyncflow.lookups", "Lookup requests (Avro).");
    public static final ConfigKey LOOKUP_RESULTS = ConfigKey.string("topic.lookup-results", "asyncflow.lookup-results", "Lookup results (Avro).");
    public static final ConfigKey STATUS = ConfigKey.string("topic.status", "asyncflow.status", "Status updates for participant data (Avro).");
    public static final ConfigKey ORPHANS = ConfigKey.string("topic.orphans", "asyncflow.orphans", "Results of ended conversations, for follow-up (Avro).");
    public static final ConfigKey DEAD_LETTERS = ConfigKey.string("topic.dlq", "asyncflow.dlq", "Dead letters with their reasons (Avro).");
    public static final ConfigKey ACTIVITY = ConfigKey.string("topic.activity", "asyncflow.activity",
            "Participant-data writes, long-poll answers and the console's replay audit, for the operator console (Avro).");
    public static final ConfigKey PARTITIONS = ConfigKey.integer("topic.partitions", "6", "Partitions of topics AsyncFlow creates.").atLeast(1);
    public static final ConfigKey REPLICATION = ConfigKey.integer("topic.replication-factor", "1", "Replication factor of topics AsyncFlow creates (3 in production).").atLeast(1);
    public static final ConfigKey CREATE = ConfigKey.bool("topic.create", "true", "Create missing topics at start.");


    // Retention, chosen for what each topic holds (docs/data-flow.md): caller numbers and customer
    // data stay hours, not the broker's 7-day default; orphans and dead letters, which an operator
    // must act on and may replay, stay two weeks. Applied when AsyncFlow creates the topic.
    public static final ConfigKey TASKS_RETENTION = ConfigKey.duration("topic.retention.tasks", "24h",
            "How long the tasks topic keeps records (caller numbers, task inputs); set when AsyncFlow creates the topic.").atLeast(60_000);
    public static final ConfigKey RAW_EVENTS_RETENTION = ConfigKey.duration("topic.retention.raw-events", "24h",
            "How long the raw Genesys events topic keeps records (caller numbers); set when AsyncFlow creates the topic.").atLeast(60_000);
    public static final ConfigKey LOOKUPS_RETENTION = ConfigKey.duration("topic.retention.lookups", "6h",
            "How long the lookups topic keeps records (caller numbers sent to backends); set when AsyncFlow creates the topic.").atLeast(60_000);
    public static final ConfigKey LOOKUP_RESULTS_RETENTION = ConfigKey.duration("topic.retention.lookup-results", "6h",
            "How long the lookup results topic keeps records (customer data from backends); set when AsyncFlow creates the topic.").atLeast(60_000);
    public static final ConfigKey STATUS_RETENTION = ConfigKey.duration("topic.retention.status", "24h",
            "How long the status topic keeps records (results with customer attributes); at least ingress.result-retention. Set when AsyncFlow creates the topic.").atLeast(60_000);
    public static final ConfigKey ORPHANS_RETENTION = ConfigKey.duration("topic.retention.orphans", "14d",
            "How long the orphans topic keeps results of ended conversations, for follow-up; set when AsyncFlow creates the topic.").atLeast(60_000);
    public static final ConfigKey DEAD_LETTERS_RETENTION = ConfigKey.duration("topic.retention.dlq", "14d",
            "How long the dead-letter topic keeps whole failed records, for an operator to act on and replay; set when AsyncFlow creates the topic.").atLeast(60_000);

    public static final ConfigKey ACTIVITY_RETENTION = ConfigKey.duration("topic.retention.activity", "14d",
            "How long the activity topic keeps write outcomes and the console's replay audit (ids and masked text only); set when AsyncFlow creates the topic.").atLeast(60_000);

    public static final List<ConfigKey> KEYS = List.of(TASKS, RAW_EVENTS, LOOKUPS, LOOKUP_RESULTS, STATUS, ORPHANS,
            DEAD_LETTERS, ACTIVITY, PARTITIONS, REPLICATION, CREATE, TASKS_RETENTION, RAW_EVENTS_RETENTION, LOOKUPS_RETENTION,
            LOOKUP_RESULTS_RETENTION, STATUS_RETENTION, ORPHANS_RETENTION, DEAD_LETTERS_RETENTION, ACTIVITY_RETENTION);

    /** Topics with the default names and the default serde. */
    public static Topics defaults() {
        return from(AsyncFlowConfig.of(java.util.Map.of()));
    }

    public static Topics from(AsyncFlowConfig config) {
        ValueSerdes serdes = ValueSerdes.from(config);
        Serde<String> keys = Serdes.String();
        return new Topics(
                new Topic<>(config.require(TASKS), keys, serdes.forType(TaskEvent.class)),
                new Topic<>(config.require(RAW_EVENTS), keys, Serdes.String()),
                new Topic<>(config.require(LOOKUPS), keys, serdes.forType(LookupRequest.class)),
                new Topic<>(config.require(LOOKUP_RESULTS), keys, serdes.forType(LookupResult.class)),
                new Topic<>(config.require(STATUS), keys, serdes.forType(StatusUpdate.class)),
                new Topic<>(config.require(ORPHANS), keys, serdes.forType(StatusUpdate.class)),
                new Topic<>(config.require(DEAD_LETTERS), keys, serdes.forType(DeadLetter.class)),
                new Topic<>(config.require(ACTIVITY), keys, serdes.forType(Activity.class)));
    }

    public List<Topic<?, ?>> all() {
        return List.of(tasks, rawEvents, lookups, lookupResults, status, orphans, deadLetters, activity);
    }

    /** Each topic's name with its configured retention, in the order of {@link #all()}. */
    public static java.util.Map<String, java.time.Duration> retention(AsyncFlowConfig config) {
        Topics topics = from(config);
        java.util.Map<String, java.time.Duration> byName = new java.util.LinkedHashMap<>();
        byName.put(topics.tasks().name(), config.getPositiveDuration(TASKS_RETENTION));
        byName.put(topics.rawEvents().name(), config.getPositiveDuration(RAW_EVENTS_RETENTION));
        byName.put(topics.lookups().name(), config.getPositiveDuration(LOOKUPS_RETENTION));
        byName.put(topics.lookupResults().name(), config.getPositiveDuration(LOOKUP_RESULTS_RETENTION));
        byName.put(topics.status().name(), config.getPositiveDuration(STATUS_RETENTION));
        byName.put(topics.orphans().name(), config.getPositiveDuration(ORPHANS_RETENTION));
        byName.put(topics.deadLetters().name(), config.getPositiveDuration(DEAD_LETTERS_RETENTION));
        byName.put(topics.activity().name(), config.getPositiveDuration(ACTIVITY_RETENTION));
        return byName;
    }

    /** The topic with this name, if it is one of ours. */
    public java.util.Optional<Topic<?, ?>> byName(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
