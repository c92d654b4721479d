package io.asyncflow.processor.topology;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.topic.Topic;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The {@link StreamsConfig} of the topology, tuned for latency: a status should reach its readers
 * within tens of milliseconds of the lookup result that decided it.
 * <ul>
 *   <li>{@code commit.interval.ms} from {@code processor.commit-interval} (20 ms): under
 *       exactly-once, output is visible to {@code read_committed} readers only at commit.</li>
 *   <li>{@code poll.ms} no longer than the commit interval (100 ms by default): the stream thread
 *       commits between polls, so a poll that waits 100 ms for records that do not come would hold a
 *       processed status back for up to that long when traffic is light.</li>
 *   <li>producer {@code linger.ms=0}: Streams would otherwise batch output for 100 ms.</li>
 *   <li>{@code statestore.cache.max.bytes=0}: no record cache; the stores are uncached anyway.</li>
 *   <li>{@code max.task.idle.ms=-1}: never wait for the other input topic to synchronise timestamps
 *       (a result always follows its request, so cross-topic time order buys nothing).</li>
 *   <li>{@code ensure.explicit.internal.resource.naming=true} and the three exception handlers
 *       set to {@link DeadLetterHandler}.</li>
 * </ul>
 * Every {@code streams.*} (and {@code kafka.*}) setting is applied last and wins.
 */
public final class StreamsProperties {
    private StreamsProperties() {
    }

    /**
     * @param settings the topology settings
     * @param clientSettings {@code KafkaSettings.forClient("streams")}: bootstrap servers and pass-through keys
     * @param deadLetters where the exception handlers send {@link DeadLetter}s
     */
    public static Properties of(TopologySettings settings, Map<String, Object> clientSettings, Topic<String, DeadLetter> deadLetters) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.processingGuarantee());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, Math.min(100, settings.commitInterval().toMillis())));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        if (settings.stateDir() != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir());
        }
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, deadLetters);
        props.putAll(clientSettings);
        return props;
    }
}
