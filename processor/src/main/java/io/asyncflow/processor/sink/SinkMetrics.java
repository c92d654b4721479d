package io.asyncflow.processor.sink;

import io.asyncflow.trace.HopMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sink's meters: {@code asyncflow.sink.writes} (outcome written / dead-lettered),
 * {@code asyncflow.sink.dropped} (reason superseded / stale / ended / cancelled / ongoing_off),
 * {@code asyncflow.sink.retries} (kind rate_limited / transient),
 * {@code asyncflow.sink.participant.lookups} (GETs of a conversation),
 * {@code asyncflow.sink.undecodable} and the gauge {@code asyncflow.sink.backlog}; the hops that end
 * at the sink through {@link HopMeter}.
 */
final class SinkMetrics {
    private final Counter written;
    private final Counter deadLettered;
    private final Counter lookups;
    private final Counter undecodable;
    private final Map<PendingWrites.Drop, Counter> dropped = new EnumMap<>(PendingWrites.Drop.class);
    private final Map<GenesysCallException.Kind, Counter> retries = new EnumMap<>(GenesysCallException.Kind.class);
    private final AtomicInteger backlog = new AtomicInteger();
    private final HopMeter hops;

    SinkMetrics(MeterRegistry registry) {
        hops = HopMeter.of(registry);
        written = Counter.builder("asyncflow.sink.writes").tag("outcome", "written")
                .description("Participant-data writes by outcome").register(registry);
        deadLettered = Counter.builder("asyncflow.sink.writes").tag("outcome", "dead-lettered")
                .description("Participant-data writes by outcome").register(registry);
        lookups = Counter.builder("asyncflow.sink.participant.lookups")
                .description("GET conversation calls to find the customer participant").register(registry);
        undecodable = Counter.builder("asyncflow.sink.undecodable")
                .description("Status records that could not be decoded (dead-lettered)").register(registry);
        for (PendingWrites.Drop reason : PendingWrites.Drop.values()) {
            dropped.put(reason, Counter.builder("asyncflow.sink.dropped").tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("Status updates not written, by reason").register(registry));
        }
        for (GenesysCallException.Kind kind : GenesysCallException.Kind.values()) {
            retries.put(kind, Counter.builder("asyncflow.sink.retries").tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .description("Write attempts that failed and are tried again").register(registry));
        }
        Gauge.builder("asyncflow.sink.backlog", backlog, AtomicInteger::get)
                .description("Status updates pending or being written").register(registry);
    }

    HopMeter hops() {
        return hops;
    }

    void written() {
        written.increment();
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void participantLookup() {
        lookups.increment();
    }

    void undecodable() {
        undecodable.increment();
    }

    void dropped(PendingWrites.Drop reason) {
        dropped.get(reason).increment();
    }

    void retried(GenesysCallException.Kind kind) {
        retries.get(kind).increment();
    }

    void backlog(int size) {
        backlog.set(size);
    }
}
