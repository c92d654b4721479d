package io.asyncflow.testkit;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** The kit's driven time as the project's clock ({@link Time}), for code that takes one (the Genesys event mapper). */
final class KitTime implements Time {
    private final LongSupplier millis;

    KitTime(LongSupplier millis) {
        this.millis = millis;
    }

    @Override
    public long milliseconds() {
        return millis.getAsLong();
    }

    @Override
    public long nanoseconds() {
        return TimeUnit.MILLISECONDS.toNanos(millis.getAsLong());
    }

    @Override
    public void sleep(long ms) {
        throw new UnsupportedOperationException("the kit's time moves only when the kit advances it");
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        throw new UnsupportedOperationException("the kit's time moves only when the kit advances it");
    }
}
