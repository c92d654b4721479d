package io.asyncflow.processor.sink;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Time;

/**
 * Keeps Genesys API requests under a per-minute rate with the generic cell-rate algorithm (a token
 * bucket): requests are spaced {@code 60 s / rate} apart on average, and after a quiet spell up to
 * {@code burst} more may go at once, so an idle sink writes a status without waiting while no
 * 60-second window ever holds more than rate + burst + 1. After a 429,
 * {@link #holdFor} stops every request, not just the rejected one, until Retry-After has passed.
 * Permits are granted at the moment a caller may send, so a hold set while callers wait applies
 * to them too. Thread-safe; callers block in {@link #acquire()}.
 *
 * <p>Kept rather than Bucket4j or Resilience4j (evaluated for issue #19): Resilience4j's RateLimiter
 * hands out a refresh period's permits at once at the period's start, which can put two periods'
 * worth of requests into one sliding minute (Genesys counts per minute); Bucket4j's bucket would
 * replace the few lines of GCRA arithmetic here but not the shared 429 hold, which must also delay
 * permits already waiting, so both would need one clock and one lock. Under 90 lines, tested with
 * an injected {@code Time}.
 */
final class RequestLimiter {
    private final long intervalNanos;
    private final long burstNanos;
    private final Time time;
    private boolean started;
    private long theoreticalArrival;
    private boolean holding;
    private long holdUntil;

    RequestLimiter(int requestsPerMinute) {
        this(requestsPerMinute, Time.SYSTEM);
    }

    RequestLimiter(int requestsPerMinute, Time time) {
        this(requestsPerMinute, 0, time);
    }

    RequestLimiter(int requestsPerMinute, int burst, Time time) {
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requests per minute must be positive, not " + requestsPerMinute);
        }
        if (burst < 0) {
            throw new IllegalArgumentException("burst must not be negative, not " + burst);
        }
        this.intervalNanos = TimeUnit.MINUTES.toNanos(1) / requestsPerMinute;
        this.burstNanos = burst * intervalNanos;
        this.time = time;
    }

    /** Blocks until a request may be sent now. */
    void acquire() throws InterruptedException {
        long wait;
        while ((wait = tryAcquire()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /**
     * Takes a permit if a request may be sent now and returns 0; otherwise takes nothing and
     * returns how many nanoseconds to wait before asking again.
     */
    synchronized long tryAcquire() {
        long now = time.nanoseconds();
        long wait = 0;
        if (started) {
            wait = Math.max(wait, theoreticalArrival - burstNanos - now);
        }
        if (holding) {
            wait = Math.max(wait, holdUntil - now);
        }
        if (wait > 0) {
            return wait;
        }
        long base = started && theoreticalArrival - now > 0 ? theoreticalArrival : now;
        started = true;
        theoreticalArrival = base + intervalNanos;
        return 0;
    }

    /** No request before {@code pause} from now (a hold that ends later stays). */
    synchronized void holdFor(Duration pause) {
        long until = time.nanoseconds() + pause.toNanos();
        if (!holding || until - holdUntil > 0) {
            holdUntil = until;
            holding = true;
        }
    }

    Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }
}
