package io.asyncflow.processor.lookup;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.asyncflow.avro.LookupResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The lookup worker's meters: {@code asyncflow.lookup.in-flight} (gauge),
 * {@code asyncflow.lookup.results} (by backend and outcome), {@code asyncflow.lookup.latency} (a
 * timer with a percentile histogram, by backend and outcome: the backend call with its retries),
 * {@code asyncflow.lookup.skipped} (by backend and reason) and {@code asyncflow.lookup.dead-letters}.
 */
final class LookupMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final Gauge inFlight;
    private final Counter deadLetters;

    LookupMetrics(MeterRegistry registry, InFlightLimits limits, String worker) {
        this.registry = registry;
        this.inFlight = Gauge.builder("asyncflow.lookup.in-flight", limits, InFlightLimits::inFlight)
                .description("Lookups in flight in this worker")
                .tag("worker", worker)
                .strongReference(true)
                .register(registry);
        this.deadLetters = Counter.builder("asyncflow.lookup.dead-letters")
                .description("Undecodable lookup records sent to the dead-letter topic")
                .register(registry);
    }

    void result(LookupResult result) {
        registry.counter("asyncflow.lookup.results", "backend", result.getBackend(), "outcome", result.getOutcome().name())
                .increment();
        Timer.builder("asyncflow.lookup.latency").description("Backend call time of a lookup, retries included")
                .tags("backend", result.getBackend(), "outcome", result.getOutcome().name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(result.getLatencyMs(), TimeUnit.MILLISECONDS);
    }

    void skipped(String backend, LookupDispatcher.SkipReason reason) {
        registry.counter("asyncflow.lookup.skipped", "backend", backend, "reason", reason.name()).increment();
    }

    void deadLettered() {
        deadLetters.increment();
    }

    @Override
    public void close() {
        registry.remove(inFlight);
    }
}
