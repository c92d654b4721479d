package io.asyncflow.processor.sink;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt {@code n} waits between half and all of
 * {@code initial * 2^(n-1)}, capped at {@code max}, so retries of many writes spread out.
 *
 * <p>Kept rather than Resilience4j's {@code IntervalFunction.ofExponentialRandomBackoff} (evaluated
 * for issue #19): the same formula, but the sink's retries are scheduled by its write pipeline (a
 * 429's Retry-After wins over the backoff), so only this function would be used, and resilience4j-core
 * with its dependencies for twenty lines is not worth it.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** Wait after failed attempt number {@code attempt} (1 = the first attempt failed). */
    Duration delay(int attempt) {
        long ceiling = initial.toMillis();
        for (int i = 1; i < attempt && ceiling < max.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, max.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(half + Math.round(random.getAsDouble() * (ceiling - half)));
    }
}
