package io.asyncflow.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.testing.DrivenTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {
    private final DrivenTime now = new DrivenTime(-5_000_000_000L);

    @Test
    void shouldSpaceRequestsEvenlyAtTheConfiguredRate() {
        // given 300 per minute: one every 200 ms
        RequestLimiter limiter = new RequestLimiter(300, now);

        // when / then
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        advance(150);
        assertThat(limiter.tryAcquire()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        advance(50);
        assertThat(limiter.tryAcquire()).isZero();
    }

    @Test
    void shouldNeverGrantMoreThanTheRatePlusOneInAnyMinute() {
        // given
        RequestLimiter limiter = new RequestLimiter(280, now);
        long start = now.nanoseconds();

        // when callers ask as fast as they are allowed for one minute
        int granted = 0;
        while (now.nanoseconds() - start <= TimeUnit.MINUTES.toNanos(1)) {
            long wait = limiter.tryAcquire();
            if (wait == 0) {
                granted++;
            } else {
                now.advanceNanos(wait);
            }
        }

        // then
        assertThat(granted).isBetween(280, 281);
    }

    @Test
    void shouldLetABurstGoAtOnceAfterAQuietSpell() {
        // given 280 per minute with a burst of 10, idle for a while
        RequestLimiter limiter = new RequestLimiter(280, 10, now);

        // when eleven writes arrive together
        int immediate = 0;
        while (limiter.tryAcquire() == 0) {
            immediate++;
        }

        // then the burst and the steady permit go without waiting, the next one waits one interval
        assertThat(immediate).isEqualTo(11);
        assertThat(limiter.tryAcquire()).isEqualTo(TimeUnit.MINUTES.toNanos(1) / 280);
    }

    @Test
    void shouldKeepAnyMinuteWithinRatePlusBurstEvenWithBursts() {
        // given
        RequestLimiter limiter = new RequestLimiter(280, 10, now);
        long start = now.nanoseconds();

        // when callers ask as fast as they are allowed for one minute
        int granted = 0;
        while (now.nanoseconds() - start <= TimeUnit.MINUTES.toNanos(1)) {
            long wait = limiter.tryAcquire();
            if (wait == 0) {
                granted++;
            } else {
                now.advanceNanos(wait);
            }
        }

        // then Genesys's 300 per minute is never reached
        assertThat(granted).isBetween(290, 291);
    }

    @Test
    void shouldHoldEveryCallerUntilTheRetryAfterPauseEnds() {
        // given a limiter that would allow a request every 10 ms
        RequestLimiter limiter = new RequestLimiter(6000, now);
        assertThat(limiter.tryAcquire()).isZero();

        // when a 429 asks for 2 s
        limiter.holdFor(Duration.ofSeconds(2));

        // then nobody may send for 2 s, and then requests flow again
        advance(10);
        assertThat(limiter.tryAcquire()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1990));
        advance(1989);
        assertThat(limiter.tryAcquire()).isPositive();
        advance(1);
        assertThat(limiter.tryAcquire()).isZero();
    }

    @Test
    void shouldKeepTheLongerHoldWhenAShorterOneFollows() {
        // given
        RequestLimiter limiter = new RequestLimiter(6000, now);
        limiter.holdFor(Duration.ofSeconds(5));

        // when
        limiter.holdFor(Duration.ofSeconds(1));

        // then
        assertThat(limiter.tryAcquire()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void shouldRejectANonPositiveRate() {
        assertThatThrownBy(() -> new RequestLimiter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private void advance(long millis) {
        now.advanceNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
