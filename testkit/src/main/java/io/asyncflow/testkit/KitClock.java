package io.asyncflow.testkit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/** The kit's driven time as a {@link Clock}, for code that takes one (the Genesys event mapper). */
final class KitClock extends Clock {
    private final LongSupplier millis;

    KitClock(LongSupplier millis) {
        this.millis = millis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the kit's clock is UTC only");
    }

    @Override
    public long millis() {
        return millis.getAsLong();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
