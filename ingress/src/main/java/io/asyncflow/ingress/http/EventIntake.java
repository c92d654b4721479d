package io.asyncflow.ingress.http;

import io.asyncflow.avro.TaskEvent;
import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.ingress.genesys.GenesysEventMapper;
import io.asyncflow.ingress.genesys.GenesysEventReader;
import io.asyncflow.ingress.genesys.MalformedEventException;
import io.asyncflow.ingress.genesys.MappedEvent;
import io.asyncflow.ingress.genesys.ReceivedEvent;
import io.asyncflow.ingress.kafka.AckingProducer;
import io.asyncflow.ingress.kafka.Outgoing;
import io.asyncflow.topic.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts Genesys events posted to the ingress (one, a batch, or a Notifications message). The
 * whole body is read and mapped first: if any event is malformed the answer is 400
 * ({@code malformed-event}) and nothing is produced. Otherwise every resulting record is produced
 * in order and the answer waits for the broker's acknowledgement of all of them.
 */
public final class EventIntake {
    private final GenesysEventReader reader;
    private final GenesysEventMapper mapper;
    private final Topic<String, TaskEvent> tasks;
    private final AcceptedTasks accepted;
    private final AckingProducer producer;
    private final IngressMetrics metrics;

    public EventIntake(GenesysEventReader reader, GenesysEventMapper mapper, Topic<String, TaskEvent> tasks,
                       AcceptedTasks accepted, AckingProducer producer, IngressMetrics metrics) {
        this.reader = reader;
        this.mapper = mapper;
        this.tasks = tasks;
        this.accepted = accepted;
        this.producer = producer;
        this.metrics = metrics;
    }

    /** Completes with how many events were accepted and ignored, after the broker's acknowledgement. */
    public CompletableFuture<EventsAccepted> submit(byte[] body) {
        List<MappedEvent> mapped = new ArrayList<>();
        try {
            for (ReceivedEvent event : reader.read(body)) {
                mapped.add(mapper.map(event, event.origin().label()));
            }
        } catch (MalformedEventException e) {
            throw RequestRejected.badRequest("malformed-event", e.getMessage());
        }
        List<Outgoing<?, ?>> records = new ArrayList<>();
        mapped.forEach(m -> m.records().forEach(r -> records.add(new Outgoing<>(tasks, m.conversationId(), r))));
        return producer.sendAll(records).thenApply(ok -> {
            mapped.forEach(m -> {
                metrics.event(m.kind().label());
                m.startedTaskIds().forEach(accepted::remember);
            });
            long ignored = mapped.stream().filter(MappedEvent::ignored).count();
            return new EventsAccepted(mapped.size() - (int) ignored, (int) ignored);
        });
    }

    /**
     * The flat JSON answer of {@code POST /v1/events}.
     *
     * @param accepted events that produced records (customer.start, customer.end)
     * @param ignored events read and acknowledged but with nothing to do (attributes, unknown topics)
     */
    public record EventsAccepted(int accepted, int ignored) {
    }
}
