package io.asyncflow.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** The one clock (Kafka's {@link Time}) as tests drive it: it moves only when told. Thread-safe. */
public final class DrivenTime implements Time {
    private final AtomicLong nanos;

    /** A clock at {@code startNanos} (its milliseconds are the same instant). */
    public DrivenTime(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    public DrivenTime() {
        this(0);
    }

    /** A clock whose {@link #milliseconds()} start at {@code epochMillis}. */
    public static DrivenTime atMillis(long epochMillis) {
        return new DrivenTime(epochMillis * 1_000_000);
    }

    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    public void advanceNanos(long by) {
        nanos.addAndGet(by);
    }

    @Override
    public long milliseconds() {
        return Math.floorDiv(nanos.get(), 1_000_000);
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }

    @Override
    public void sleep(long ms) {
        advance(Duration.ofMillis(ms));
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        if (!condition.get()) {
            throw new UnsupportedOperationException("a driven clock does not wait");
        }
    }
}
