package io.asyncflow.app.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A sliding one-minute request limit per access token, as Genesys Cloud applies it (300 per minute
 * per client-credentials token); 0 means no limit.
 */
final class RateLimit {
    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

    private final int perMinute;
    private final LongSupplier nanoClock;
    private final Map<String, Deque<Long>> byToken = new ConcurrentHashMap<>();

    RateLimit(int perMinute, LongSupplier nanoClock) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("rate limit must be 0 (none) or more, not " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanoClock = nanoClock;
    }

    /**
     * Counts one request of {@code token}; empty when it is allowed, else the seconds to wait
     * before the oldest request of the window leaves it (at least 1).
     */
    OptionalLong acquire(String token) {
        if (perMinute == 0) {
            return OptionalLong.empty();
        }
        Deque<Long> window = byToken.computeIfAbsent(token, t -> new ArrayDeque<>());
        synchronized (window) {
            long now = nanoClock.getAsLong();
            while (!window.isEmpty() && now - window.peekFirst() >= WINDOW_NANOS) {
                window.pollFirst();
            }
            if (window.size() >= perMinute) {
                long waitNanos = WINDOW_NANOS - (now - window.peekFirst());
                return OptionalLong.of(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
            }
            window.addLast(now);
            return OptionalLong.empty();
        }
    }
}
