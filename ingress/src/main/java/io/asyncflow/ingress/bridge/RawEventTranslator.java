package io.asyncflow.ingress.bridge;

import io.asyncflow.avro.TaskEvent;
import io.asyncflow.deadletter.DeadLetters;
import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.ingress.genesys.GenesysEventMapper;
import io.asyncflow.ingress.genesys.GenesysEventReader;
import io.asyncflow.ingress.genesys.MalformedEventException;
import io.asyncflow.ingress.genesys.MappedEvent;
import io.asyncflow.ingress.genesys.ReceivedEvent;
import io.asyncflow.ingress.kafka.Outgoing;
import io.asyncflow.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one raw-topic record (Genesys event JSON) into what the bridge produces: the task events
 * of {@link GenesysEventMapper}, nothing for ignored topics, or a {@code DeadLetter} (stage
 * {@value RawEventBridge#STAGE}) with the reason when the record cannot be read. Never throws for
 * bad input.
 */
public final class RawEventTranslator {
    private static final Logger LOG = LoggerFactory.getLogger(RawEventTranslator.class);

    private final GenesysEventReader reader;
    private final GenesysEventMapper mapper;
    private final Topics topics;
    private final IngressMetrics metrics;

    public RawEventTranslator(GenesysEventReader reader, GenesysEventMapper mapper, Topics topics, IngressMetrics metrics) {
        this.reader = reader;
        this.mapper = mapper;
        this.topics = topics;
        this.metrics = metrics;
    }

    /** The records to produce for {@code record}, in order. */
    public List<Outgoing<?, ?>> translate(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null || record.value().length == 0) {
            return deadLetter(record, "empty record: expected a Genesys event as JSON");
        }
        List<MappedEvent> mapped = new ArrayList<>();
        try {
            for (ReceivedEvent event : reader.read(record.value())) {
                mapped.add(mapper.map(event, RawEventBridge.SOURCE));
            }
        } catch (MalformedEventException e) {
            return deadLetter(record, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("unexpected failure mapping {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return deadLetter(record, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        List<Outgoing<?, ?>> out = new ArrayList<>();
        for (MappedEvent m : mapped) {
            metrics.event(m.kind().label());
            for (TaskEvent event : m.records()) {
                out.add(new Outgoing<>(topics.tasks(), m.conversationId(), event));
            }
        }
        metrics.bridged(out.isEmpty() ? "ignored" : "mapped");
        return out;
    }

    private List<Outgoing<?, ?>> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        LOG.warn("raw event {}-{}@{} goes to the dead-letter topic: {}", record.topic(), record.partition(), record.offset(), reason);
        metrics.bridged("dead-letter");
        String key = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        return List.of(new Outgoing<>(topics.deadLetters(), key, DeadLetters.forRecord(RawEventBridge.STAGE, reason, record)));
    }
}
