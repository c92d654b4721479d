package io.asyncflow.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.testing.DrivenTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The token pool on a driven clock: each token keeps its own rate and 429 hold, the pool carries their sum. */
class TokenPoolTest {
    private static final int PER_MINUTE = 60;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final DrivenTime now = new DrivenTime(-7_000_000_000L);
    private final Map<String, RequestLimiter> limiters = new HashMap<>();

    @Test
    void shouldHandOutTheTokensInTurnWhileEachHasBudget() {
        // given three tokens of 60 requests per minute, no burst
        TokenPool<String> pool = pool("a", "b", "c");

        // when
        List<String> granted = List.of(pool.tryAcquire().member(), pool.tryAcquire().member(), pool.tryAcquire().member());
        TokenPool.Grant<String> fourth = pool.tryAcquire();

        // then
        assertThat(granted).containsExactly("a", "b", "c");
        assertThat(fourth.member()).isNull();
        assertThat(fourth.waitNanos()).isEqualTo(SECOND);
    }

    @Test
    void shouldCarryTheSumOfItsTokensRatesAndKeepEachTokenWithinItsOwn() throws Exception {
        // given
        TokenPool<String> pool = pool("a", "b", "c");
        long start = now.nanoseconds();
        Map<String, List<Long>> sent = new HashMap<>();

        // when callers send as fast as the pool allows for one minute
        while (now.nanoseconds() - start < TimeUnit.MINUTES.toNanos(1)) {
            sent.computeIfAbsent(pool.acquire(), t -> new ArrayList<>()).add(now.nanoseconds() - start);
        }

        // then within that minute three times one token's rate, each token at its own rate
        long minute = TimeUnit.MINUTES.toNanos(1);
        assertThat(sent.values().stream().flatMap(List::stream).filter(at -> at < minute)).hasSize(3 * PER_MINUTE);
        assertThat(sent).allSatisfy((token, times) -> assertThat(times.stream().filter(at -> at < minute)).hasSize(PER_MINUTE));
    }

    @Test
    void shouldSendWithTheOtherTokensWhileOneIsHeldAfterA429() throws Exception {
        // given token a answered 429 with Retry-After: 10
        TokenPool<String> pool = pool("a", "b");
        limiters.get("a").holdFor(Duration.ofSeconds(10));
        long start = now.nanoseconds();

        // when writes go on for 12 seconds
        Map<String, List<Long>> sent = new HashMap<>();
        while (now.nanoseconds() - start < 12 * SECOND) {
            sent.computeIfAbsent(pool.acquire(), t -> new ArrayList<>()).add(now.nanoseconds() - start);
        }

        // then b carried them at its own rate, and a was used again only once its hold was over
        assertThat(sent.get("b")).hasSize(12);
        assertThat(sent.get("a")).isNotEmpty().allSatisfy(at -> assertThat(at).isGreaterThanOrEqualTo(10 * SECOND));
    }

    @Test
    void shouldWaitForTheTokenWhoseBudgetComesFirst() {
        // given a is held for 5 s, b has just been used (its next permit in 1 s)
        TokenPool<String> pool = pool("a", "b");
        limiters.get("a").holdFor(Duration.ofSeconds(5));
        assertThat(pool.tryAcquire().member()).isEqualTo("b");

        // when
        TokenPool.Grant<String> none = pool.tryAcquire();
        now.advanceNanos(none.waitNanos());

        // then
        assertThat(none.waitNanos()).isEqualTo(SECOND);
        assertThat(pool.tryAcquire().member()).isEqualTo("b");
    }

    @Test
    void shouldRefuseAnEmptyPool() {
        assertThatThrownBy(() -> new TokenPool<String>(List.of(), limiters::get)).isInstanceOf(IllegalArgumentException.class);
    }

    private TokenPool<String> pool(String... tokens) {
        for (String token : tokens) {
            limiters.put(token, new RequestLimiter(PER_MINUTE, 0, now));
        }
        return new TokenPool<>(List.of(tokens), limiters::get, now::advanceNanos);
    }
}
