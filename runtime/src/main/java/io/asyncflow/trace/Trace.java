package io.asyncflow.trace;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The stamps one record carries along a caller's path ({@link Stage} to epoch microseconds), read
 * from and written to Kafka record headers ({@link Stage#header()}, 8 bytes big-endian). Each stage
 * copies the stamps of the record it read into the records it produces and adds its own, so the
 * status that reaches the sink carries the whole path of the lookup that decided it. Immutable; a
 * header that is not 8 bytes long is ignored (traces never fail a record).
 */
public final class Trace {
    private static final Trace EMPTY = new Trace(new EnumMap<>(Stage.class));
    private static final Map<String, Stage> BY_HEADER = java.util.Arrays.stream(Stage.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Stage::header, stage -> stage));

    private final EnumMap<Stage, Long> stamps;

    private Trace(EnumMap<Stage, Long> stamps) {
        this.stamps = stamps;
    }

    public static Trace empty() {
        return EMPTY;
    }

    /** The wall clock in microseconds since the epoch. */
    public static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /** The stamps in {@code headers}; empty when there are none. */
    public static Trace from(Headers headers) {
        if (headers == null) {
            return EMPTY;
        }
        EnumMap<Stage, Long> stamps = null;
        // one pass over the record's headers (this runs for every record of every component); a later header wins
        for (Header header : headers) {
            Stage stage = BY_HEADER.get(header.key());
            if (stage != null && header.value() != null && header.value().length == Long.BYTES) {
                if (stamps == null) {
                    stamps = new EnumMap<>(Stage.class);
                }
                stamps.put(stage, ByteBuffer.wrap(header.value()).getLong());
            }
        }
        return stamps == null ? EMPTY : new Trace(stamps);
    }


    /** This trace with {@code stage} stamped at {@code micros} (replacing an earlier stamp of it). */
    public Trace with(Stage stage, long micros) {
        EnumMap<Stage, Long> copy = stamps.isEmpty() ? new EnumMap<>(Stage.class) : new EnumMap<>(stamps);
        copy.put(stage, micros);
        return new Trace(copy);
    }

    /** This trace with {@code stage} stamped now. */
    public Trace stamp(Stage stage) {
        return with(stage, nowMicros());
    }

    /** Writes every stamp into {@code headers}, replacing headers of the same stages; returns them. */
    public Headers writeTo(Headers headers) {
        stamps.forEach((stage, micros) -> {
            headers.remove(stage.header());
            headers.add(stage.header(), ByteBuffer.allocate(Long.BYTES).putLong(micros).array());
        });
        return headers;
    }

    public OptionalLong at(Stage stage) {
        Long micros = stamps.get(stage);
        return micros == null ? OptionalLong.empty() : OptionalLong.of(micros);
    }

    /**
     * How long {@code hop} took in microseconds, or empty when either end is missing. The
     * {@link Hop#DECISION} of a status decided without a result starts at {@link Stage#TASK_READ}.
     * A negative span (clocks of two hosts apart) counts as 0.
     */
    public OptionalLong micros(Hop hop) {
        Long end = stamps.get(hop.to());
        Long start = stamps.get(hop.from());
        if (start == null && hop == Hop.DECISION) {
            start = stamps.get(Stage.TASK_READ);
        }
        return start == null || end == null ? OptionalLong.empty() : OptionalLong.of(Math.max(0, end - start));
    }

    /**
     * The sum of AsyncFlow's own hops of the path ({@link Hop#PATH} with {@link Hop#ours()}) in
     * microseconds: what AsyncFlow itself added to this conversation.
     */
    public long ownMicros() {
        long sum = 0;
        for (Hop hop : Hop.PATH) {
            if (hop.ours()) {
                sum += micros(hop).orElse(0);
            }
        }
        return sum;
    }

    public boolean isEmpty() {
        return stamps.isEmpty();
    }

    /** The stamps, in path order. */
    public Map<Stage, Long> stamps() {
        return java.util.Collections.unmodifiableMap(stamps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trace other && stamps.equals(other.stamps);
    }

    @Override
    public int hashCode() {
        return stamps.hashCode();
    }

    @Override
    public String toString() {
        return "Trace" + stamps;
    }
}
