package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerIndexTest {

    @Test
    void shouldPadDueTimesToNineteenDigitsWhoseTextOrderIsTimeOrder() {
        // given due times from zero to the largest long, out of order
        List<Long> dues = new ArrayList<>(List.of(1_764_600_000_000L, 0L, 9L, 10L, Long.MAX_VALUE, 1_764_599_999_999L, 123_456L));

        // when
        List<String> padded = dues.stream().map(TimerIndex::pad).sorted().toList();

        // then each is 19 digits, zero-padded, and sorting the text sorts the times
        assertThat(padded).allSatisfy(p -> assertThat(p).hasSize(19).containsOnlyDigits());
        assertThat(padded.stream().map(Long::parseLong).toList()).isSorted().containsExactlyInAnyOrderElementsOf(dues);
        assertThat(TimerIndex.pad(42)).isEqualTo("0000000000000000042");
    }
}
