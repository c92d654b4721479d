package io.asyncflow.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void shouldAllowNRequestsPerMinuteAndTokenThenTellHowLongToWait() {
        // given
        RateLimit limit = new RateLimit(2, now::get);

        // when / then
        assertThat(limit.acquire("t")).isEmpty();
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(limit.acquire("t")).isEmpty();
        assertThat(limit.acquire("t")).hasValue(40);
        assertThat(limit.acquire("other")).isEmpty();
    }

    @Test
    void shouldAllowAgainOnceTheOldestRequestLeftTheWindow() {
        // given
        RateLimit limit = new RateLimit(1, now::get);
        limit.acquire("t");

        // when
        now.addAndGet(Duration.ofSeconds(60).toNanos());

        // then
        assertThat(limit.acquire("t")).isEmpty();
        assertThat(limit.acquire("t")).hasValue(60);
    }

    @Test
    void shouldNeverLimitWhenTheLimitIsZero() {
        RateLimit limit = new RateLimit(0, now::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.acquire("t")).isEmpty();
        }
    }
}
