package io.asyncflow.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Publishes the Kafka clients' own metrics (consumer lag and fetch rates, producer send rates and
 * errors, request latency...) in a component's Micrometer registry through Micrometer's
 * {@link KafkaClientMetrics} binder, so {@code /metrics} shows them beside AsyncFlow's own, tagged
 * with each client's {@code client.id}. Closing it unbinds them; the clients stay open.
 */
public final class ClientMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<KafkaClientMetrics> binders = new ArrayList<>();

    public ClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds {@code producer}'s metrics and returns it. */
    public synchronized <T extends Producer<?, ?>> T producer(T producer) {
        bind(new KafkaClientMetrics(producer));
        return producer;
    }

    /** Binds {@code consumer}'s metrics and returns it. */
    public synchronized <T extends Consumer<?, ?>> T consumer(T consumer) {
        bind(new KafkaClientMetrics(consumer));
        return consumer;
    }

    private void bind(KafkaClientMetrics binder) {
        binder.bindTo(registry);
        binders.add(binder);
    }

    @Override
    public synchronized void close() {
        binders.forEach(KafkaClientMetrics::close);
        binders.clear();
    }
}
