package io.asyncflow.processor.topology;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import io.asyncflow.trace.HopMeter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;

/**
 * Builds the processor topology: a pure function of its settings, topics and task catalog, with no
 * I/O, so tests drive exactly what production runs.
 * <pre>
 * tasks-source ---------&gt; decode-task-events ----+--&gt; first-match-aggregator --&gt; lookups-sink, status-sink, orphans-sink
 * lookup-results-source -&gt; decode-lookup-results -+
 *                          (both decoders) -----------&gt; dead-letters-sink
 * </pre>
 * Sources read bytes, so a record that cannot be decoded becomes a dead letter in a named node
 * rather than an exception inside the consumer.
 */
public final class TopologyFactory {
    public static final String TASKS_SOURCE = "tasks-source";
    public static final String LOOKUP_RESULTS_SOURCE = "lookup-results-source";
    public static final String DECODE_TASK_EVENTS = "decode-task-events";
    public static final String DECODE_LOOKUP_RESULTS = "decode-lookup-results";
    public static final String AGGREGATOR = "first-match-aggregator";
    public static final String LOOKUPS_SINK = "lookups-sink";
    public static final String STATUS_SINK = "status-sink";
    public static final String ORPHANS_SINK = "orphans-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    private TopologyFactory() {
    }

    public static Topology build(TopologySettings settings, Topics topics, TaskCatalog catalog) {
        return build(settings, topics, catalog, HopMeter.none());
    }

    /** The topology, recording the hops that end in it in {@code hops}. */
    public static Topology build(TopologySettings settings, Topics topics, TaskCatalog catalog, HopMeter hops) {
        Topology topology = new Topology();
        topology.addSource(TASKS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.tasks().name());
        topology.addSource(LOOKUP_RESULTS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.lookupResults().name());
        topology.addProcessor(DECODE_TASK_EVENTS,
                () -> new RecordDecoder<>(topics.tasks(), TopologyFactory::conversationId, AGGREGATOR, DEAD_LETTERS_SINK), TASKS_SOURCE);
        topology.addProcessor(DECODE_LOOKUP_RESULTS,
                () -> new RecordDecoder<>(topics.lookupResults(), LookupResult::getConversationId, AGGREGATOR, DEAD_LETTERS_SINK),
                LOOKUP_RESULTS_SOURCE);
        topology.addProcessor(AGGREGATOR, new FirstMatchAggregator.Supplier(catalog, settings, hops), DECODE_TASK_EVENTS, DECODE_LOOKUP_RESULTS);
        addSink(topology, LOOKUPS_SINK, topics.lookups(), AGGREGATOR);
        addSink(topology, STATUS_SINK, topics.status(), AGGREGATOR);
        addSink(topology, ORPHANS_SINK, topics.orphans(), AGGREGATOR);
        addSink(topology, DEAD_LETTERS_SINK, topics.deadLetters(), DECODE_TASK_EVENTS, DECODE_LOOKUP_RESULTS);
        return topology;
    }

    private static <V> void addSink(Topology topology, String name, Topic<String, V> topic, String... parents) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parents);
    }

    private static String conversationId(TaskEvent event) {
        if (event.getEvent() instanceof TaskRequest request) {
            return request.getConversationId();
        }
        return event.getEvent() instanceof ConversationEvent lifecycle ? lifecycle.getConversationId() : null;
    }
}
