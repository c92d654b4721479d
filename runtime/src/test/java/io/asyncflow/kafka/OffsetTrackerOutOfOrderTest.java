package io.asyncflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The tracker as the lookup worker uses it: positions of every tracked partition, open counts. */
class OffsetTrackerOutOfOrderTest {
    private static final TopicPartition P0 = new TopicPartition("lookups", 0);
    private static final TopicPartition P1 = new TopicPartition("lookups", 1);

    private final OffsetTracker ledger = new OffsetTracker();

    @Test
    void shouldCommitOnlyUpToTheLowestOffsetStillOpen() {
        // given offsets 10..14 polled
        for (long o = 10; o <= 14; o++) {
            ledger.received(P0, o);
        }

        // when 11, 13 and 14 finish before 10 and 12
        ledger.done(P0, 11);
        ledger.done(P0, 13);
        ledger.done(P0, 14);

        // then
        assertThat(ledger.positions()).isEqualTo(Map.of(P0, new OffsetAndMetadata(10)));
        ledger.done(P0, 10);
        assertThat(ledger.positions()).isEqualTo(Map.of(P0, new OffsetAndMetadata(12)));
        ledger.done(P0, 12);
        assertThat(ledger.positions()).isEqualTo(Map.of(P0, new OffsetAndMetadata(15)));
        assertThat(ledger.open(P0)).isZero();
    }

    @Test
    void shouldKeepPartitionsApart() {
        ledger.received(P0, 5);
        ledger.received(P1, 7);
        ledger.received(P1, 8);

        ledger.done(P1, 7);
        ledger.done(P1, 8);

        assertThat(ledger.positions()).isEqualTo(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(9)));
        assertThat(ledger.positions(List.of(P1))).isEqualTo(Map.of(P1, new OffsetAndMetadata(9)));
        assertThat(ledger.open(P0)).isEqualTo(1);
    }

    @Test
    void shouldForgetRevokedPartitionsAndIgnoreTheirLateCompletions() {
        ledger.received(P0, 3);
        ledger.received(P1, 4);

        ledger.forget(List.of(P0));
        ledger.done(P0, 3);

        assertThat(ledger.positions()).isEqualTo(Map.of(P1, new OffsetAndMetadata(4)));
        assertThat(ledger.open(P0)).isZero();
    }

    @Test
    void shouldCommitPastGapsInOffsets() {
        ledger.received(P0, 100);
        ledger.received(P0, 103);

        ledger.done(P0, 100);
        ledger.done(P0, 103);

        assertThat(ledger.positions()).isEqualTo(Map.of(P0, new OffsetAndMetadata(104)));
    }
}
