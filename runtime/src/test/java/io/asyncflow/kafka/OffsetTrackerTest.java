package io.asyncflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("asyncflow.status", 0);
    private static final TopicPartition P1 = new TopicPartition("asyncflow.status", 1);

    @Test
    void shouldCommitOnlyUpToTheFirstOffsetStillOpen() {
        // given
        OffsetTracker tracker = new OffsetTracker();
        for (long offset = 10; offset < 15; offset++) {
            tracker.received(P0, offset);
        }

        // when later writes finish before an earlier one
        tracker.done(P0, 10);
        tracker.done(P0, 12);
        tracker.done(P0, 13);

        // then
        assertThat(tracker.toCommit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(11)));
        tracker.done(P0, 11);
        assertThat(tracker.toCommit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(14)));
        tracker.done(P0, 14);
        assertThat(tracker.toCommit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(15)));
    }

    @Test
    void shouldOfferOnlyPositionsThatAdvancedUnlessACommitFailed() {
        // given
        OffsetTracker tracker = new OffsetTracker();
        tracker.received(P0, 0);
        tracker.received(P1, 0);
        tracker.done(P0, 0);
        Map<TopicPartition, OffsetAndMetadata> first = tracker.toCommit();

        // when / then
        assertThat(first).containsOnlyKeys(P0, P1);
        assertThat(tracker.toCommit()).isEmpty();
        tracker.commitFailed(first);
        assertThat(tracker.toCommit()).isEqualTo(first);
    }

    @Test
    void shouldKeepPartitionsApartAndForgetRevokedOnes() {
        // given
        OffsetTracker tracker = new OffsetTracker();
        tracker.received(P0, 5);
        tracker.received(P1, 7);
        tracker.done(P1, 7);

        // when
        tracker.forget(List.of(P1));

        // then
        assertThat(tracker.position(P0)).isEqualTo(5);
        assertThat(tracker.position(P1)).isEqualTo(-1);
        assertThat(tracker.positions(List.of(P0, P1))).isEqualTo(Map.of(P0, new OffsetAndMetadata(5)));
        assertThat(tracker.open()).isEqualTo(1);
    }
}
