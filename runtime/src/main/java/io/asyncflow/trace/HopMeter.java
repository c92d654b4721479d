package io.asyncflow.trace;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Records the hops of {@link Trace}s in a process's Micrometer registry, as the timer
 * {@code asyncflow.hop.latency} tagged {@code hop} (a percentile histogram, so Prometheus can sum
 * and quantile it over instances). Each component records only the hops that end at the stages it
 * stamps, so a hop is counted once however many processes share the path. In-process listeners
 * (the bench, {@code demo -v}) see every trace as it is recorded. One instance per registry
 * ({@link #of}); thread-safe.
 */
public final class HopMeter {
    /** The timer's name. */
    public static final String TIMER = "asyncflow.hop.latency";

    private static final Map<MeterRegistry, HopMeter> BY_REGISTRY = new WeakHashMap<>();
    private static final HopMeter NONE = new HopMeter(null);

    /** Called for each trace recorded, with the stage just stamped. */
    @FunctionalInterface
    public interface Listener {
        void traced(Stage stage, String conversationId, Trace trace);
    }

    /** Ends a {@link #listen} subscription. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<Hop, Timer> timers = new EnumMap<>(Hop.class);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private HopMeter(MeterRegistry registry) {
        if (registry != null) {
            for (Hop hop : Hop.values()) {
                timers.put(hop, Timer.builder(TIMER)
                        .description("Time of one hop of a caller's path, from the stamps in its records' headers")
                        .tag("hop", hop.id())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry));
            }
        }
    }

    /** The hop meter of {@code registry} (the components of one process share it). */
    public static HopMeter of(MeterRegistry registry) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(registry, HopMeter::new);
        }
    }

    /** A meter that records nothing and has no listeners (a topology under a test driver). */
    public static HopMeter none() {
        return NONE;
    }

    /**
     * Records the hops of {@code trace} that end at {@code stage} (which {@code trace} must already
     * carry) and tells the listeners.
     */
    public void record(Stage stage, String conversationId, Trace trace) {
        if (this == NONE) {
            return;
        }
        for (Hop hop : Hop.endingAt(stage)) {
            OptionalLong micros = trace.micros(hop);
            if (micros.isPresent()) {
                timers.get(hop).record(micros.getAsLong(), TimeUnit.MICROSECONDS);
            }
        }
        for (Listener listener : listeners) {
            listener.traced(stage, conversationId, trace);
        }
    }

    /** Adds {@code listener} until the returned handle is closed. */
    public Subscription listen(Listener listener) {
        if (this == NONE) {
            throw new IllegalStateException("the no-op hop meter has no listeners");
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
