package io.asyncflow.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleFromTheInitialDelayUpToTheMaximum() {
        // given the largest jitter
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3), () -> 1.0);

        // when / then
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(2000));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(3000));
        assertThat(backoff.delay(40)).isEqualTo(Duration.ofMillis(3000));
    }

    @Test
    void shouldWaitAtLeastHalfTheCeilingWithTheSmallestJitter() {
        // given
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3), () -> 0.0);

        // when / then
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void shouldSpreadDelaysWithRandomJitter() {
        // given
        Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30));

        // when
        var delays = java.util.stream.IntStream.range(0, 50).mapToObj(i -> backoff.delay(2)).distinct().toList();

        // then
        assertThat(delays).hasSizeGreaterThan(1)
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000)));
    }
}
