package io.asyncflow.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ingress's and bridge's counters. In Prometheus text they read
 * {@code asyncflow_ingress_requests_total{route,status}},
 * {@code asyncflow_ingress_records_produced_total{topic}},
 * {@code asyncflow_ingress_events_total{kind}} (kind {@code unknown} counts unknown event topics),
 * {@code asyncflow_ingress_rejected_total{reason}} and {@code asyncflow_bridge_records_total{outcome}}.
 */
public final class IngressMetrics {
    private final MeterRegistry registry;

    public IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** One HTTP request answered. */
    public void request(String route, int status) {
        Counter.builder("asyncflow.ingress.requests").description("HTTP requests by route and status")
                .tag("route", route).tag("status", Integer.toString(status)).register(registry).increment();
    }

    /** Records the broker acknowledged. */
    public void produced(String topic, int count) {
        Counter.builder("asyncflow.ingress.records.produced").description("Records acknowledged by the broker")
                .tag("topic", topic).register(registry).increment(count);
    }

    /** One Genesys event read, by kind ({@code customer.start}, …, {@code unknown}). */
    public void event(String kind) {
        Counter.builder("asyncflow.ingress.events").description("Genesys events by kind; unknown = unknown topics")
                .tag("kind", kind).register(registry).increment();
    }

    /** One request refused, by reason (the error code of the answer). */
    public void rejected(String reason) {
        Counter.builder("asyncflow.ingress.rejected").description("Requests refused, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** One raw-topic record handled by the bridge: mapped, ignored or dead-letter. */
    public void bridged(String outcome) {
        Counter.builder("asyncflow.bridge.records").description("Raw-event records by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }
}
