package io.asyncflow.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.TaskStatus;
import io.asyncflow.processor.sink.PendingWrites.Drop;
import io.asyncflow.processor.sink.PendingWrites.Dropped;
import io.asyncflow.testing.SampleRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingWritesTest {
    private static final TopicPartition PARTITION = new TopicPartition("asyncflow.status", 0);
    private static final long NOW = 1_000L;
    private final AtomicLong offsets = new AtomicLong();
    private final PendingWrites pending = new PendingWrites(1000, 1000);

    @Test
    void shouldKeepOnlyTheNewestStatusOfATask() {
        // given
        PendingWrite ongoing = write("c1", "t1", TaskStatus.ONGOING, 1);
        PendingWrite success = write("c1", "t1", TaskStatus.SUCCESS, 2);
        pending.offer(ongoing);

        // when
        List<Dropped> dropped = pending.offer(success);

        // then
        assertThat(dropped).containsExactly(new Dropped(ongoing, Drop.SUPERSEDED));
        assertThat(drain()).containsExactly(success);
    }

    @Test
    void shouldDropAnOlderVersionArrivingAfterANewerPendingOne() {
        // given
        PendingWrite success = write("c1", "t1", TaskStatus.SUCCESS, 2);
        pending.offer(success);

        // when
        PendingWrite late = write("c1", "t1", TaskStatus.ONGOING, 1);

        // then
        assertThat(pending.offer(late)).containsExactly(new Dropped(late, Drop.STALE));
        assertThat(drain()).containsExactly(success);
    }

    @Test
    void shouldHandOutTerminalStatusesBeforeOngoingOldestFirst() {
        // given
        PendingWrite ongoingA = write("c1", "t1", TaskStatus.ONGOING, 1);
        PendingWrite notFound = write("c2", "t2", TaskStatus.NOT_FOUND, 2);
        PendingWrite ongoingB = write("c3", "t3", TaskStatus.ONGOING, 1);
        PendingWrite timeout = write("c4", "t4", TaskStatus.TIMEOUT, 3);
        List.of(ongoingA, notFound, ongoingB, timeout).forEach(pending::offer);

        // when / then
        assertThat(drain()).containsExactly(notFound, timeout, ongoingA, ongoingB);
    }

    @Test
    void shouldNeverWriteAVersionAtOrBelowTheLastWrittenOne() {
        // given version 2 was written
        PendingWrite success = write("c1", "t1", TaskStatus.SUCCESS, 2);
        pending.offer(success);
        pending.finished(pending.next(NOW, w -> true));

        // when the same and an older version arrive again (a replay)
        PendingWrite replayed = write("c1", "t1", TaskStatus.SUCCESS, 2);
        PendingWrite older = write("c1", "t1", TaskStatus.ONGOING, 1);

        // then
        assertThat(pending.offer(replayed)).containsExactly(new Dropped(replayed, Drop.STALE));
        assertThat(pending.offer(older)).containsExactly(new Dropped(older, Drop.STALE));
        assertThat(pending.pending()).isZero();
    }

    @Test
    void shouldWriteAReplayedDeadLetterOfTheSameVersion() {
        // given version 2 was dead-lettered
        pending.offer(write("c1", "t1", TaskStatus.SUCCESS, 2));
        pending.abandoned(pending.next(NOW, w -> true));

        // when an operator replays it
        PendingWrite replayed = write("c1", "t1", TaskStatus.SUCCESS, 2);

        // then it is written, but an older version read again is not
        assertThat(pending.offer(replayed)).isEmpty();
        assertThat(drain()).containsExactly(replayed);
        PendingWrite older = write("c1", "t1", TaskStatus.ONGOING, 1);
        assertThat(pending.offer(older)).containsExactly(new Dropped(older, Drop.STALE));
    }

    @Test
    void shouldKeepOneWriteInFlightPerConversation() {
        // given two tasks of one conversation and one of another
        PendingWrite first = write("c1", "t1", TaskStatus.SUCCESS, 2);
        PendingWrite second = write("c1", "t2", TaskStatus.SUCCESS, 2);
        PendingWrite other = write("c2", "t3", TaskStatus.SUCCESS, 2);
        List.of(first, second, other).forEach(pending::offer);

        // when
        PendingWrite a = pending.next(NOW, w -> true);
        PendingWrite b = pending.next(NOW, w -> true);
        PendingWrite blocked = pending.next(NOW, w -> true);
        pending.finished(a);

        // then
        assertThat(List.of(a, b)).containsExactly(first, other);
        assertThat(blocked).isNull();
        assertThat(pending.next(NOW, w -> true)).isEqualTo(second);
    }

    @Test
    void shouldWriteTheNewerStatusOnlyAfterTheOlderOneInFlightFinished() {
        // given ONGOING is being written when SUCCESS arrives
        PendingWrite ongoing = write("c1", "t1", TaskStatus.ONGOING, 1);
        pending.offer(ongoing);
        PendingWrite inFlight = pending.next(NOW, w -> true);
        PendingWrite success = write("c1", "t1", TaskStatus.SUCCESS, 2);

        // when
        List<Dropped> dropped = pending.offer(success);

        // then
        assertThat(dropped).isEmpty();
        assertThat(pending.next(NOW, w -> true)).isNull();
        pending.finished(inFlight);
        assertThat(pending.next(NOW, w -> true)).isEqualTo(success);
    }

    @Test
    void shouldDropARetryWhenANewerStatusArrivedMeanwhile() {
        // given ONGOING failed while SUCCESS arrived
        PendingWrite ongoing = write("c1", "t1", TaskStatus.ONGOING, 1);
        pending.offer(ongoing);
        PendingWrite inFlight = pending.next(NOW, w -> true);
        PendingWrite success = write("c1", "t1", TaskStatus.SUCCESS, 2);
        pending.offer(success);

        // when
        List<Dropped> dropped = pending.retry(inFlight.failedOnce(NOW));

        // then
        assertThat(dropped).extracting(Dropped::reason).containsExactly(Drop.SUPERSEDED);
        assertThat(drain()).containsExactly(success);
    }

    @Test
    void shouldHoldARetryUntilItsBackoffPassed() {
        // given
        PendingWrite write = write("c1", "t1", TaskStatus.SUCCESS, 2);
        pending.offer(write);
        PendingWrite failed = pending.next(NOW, w -> true).failedOnce(NOW + 500);

        // when
        pending.retry(failed);

        // then
        assertThat(pending.next(NOW + 499, w -> true)).isNull();
        assertThat(pending.next(NOW + 500, w -> true)).isEqualTo(failed);
    }

    @Test
    void shouldDropPendingAndLaterUpdatesOfAnEndedConversation() {
        // given
        PendingWrite ongoing = write("c1", "t1", TaskStatus.ONGOING, 1);
        PendingWrite otherTask = write("c1", "t2", TaskStatus.ERROR, 2);
        PendingWrite otherConversation = write("c2", "t3", TaskStatus.ONGOING, 1);
        List.of(ongoing, otherTask, otherConversation).forEach(pending::offer);
        PendingWrite cancelled = write("c1", "t1", TaskStatus.CANCELLED, 2);

        // when
        List<Dropped> dropped = pending.offer(cancelled);
        List<Dropped> late = pending.offer(write("c1", "t1", TaskStatus.SUCCESS, 3));

        // then
        assertThat(dropped).extracting(Dropped::write, Dropped::reason).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(ongoing, Drop.ENDED),
                org.assertj.core.groups.Tuple.tuple(otherTask, Drop.ENDED),
                org.assertj.core.groups.Tuple.tuple(cancelled, Drop.CANCELLED));
        assertThat(late).extracting(Dropped::reason).containsExactly(Drop.ENDED);
        assertThat(drain()).containsExactly(otherConversation);
    }

    @Test
    void shouldHoldOngoingWhileTheGateIsClosedButNotTerminal() {
        // given
        PendingWrite ongoing = write("c1", "t1", TaskStatus.ONGOING, 1);
        PendingWrite success = write("c2", "t2", TaskStatus.SUCCESS, 2);
        List.of(ongoing, success).forEach(pending::offer);

        // when / then
        assertThat(pending.next(NOW, w -> false)).isEqualTo(success);
        assertThat(pending.next(NOW, w -> false)).isNull();
        assertThat(pending.next(NOW, w -> true)).isEqualTo(ongoing);
    }

    @Test
    void shouldForgetPendingWritesOfRevokedPartitions() {
        // given
        pending.offer(write("c1", "t1", TaskStatus.SUCCESS, 2));

        // when
        pending.forget(List.of(PARTITION));

        // then
        assertThat(pending.pending()).isZero();
    }

    private List<PendingWrite> drain() {
        List<PendingWrite> out = new ArrayList<>();
        PendingWrite next;
        while ((next = pending.next(NOW, w -> true)) != null) {
            out.add(next);
            pending.finished(next);
        }
        return out;
    }

    private PendingWrite write(String conversationId, String taskId, TaskStatus status, int version) {
        return new PendingWrite(SampleRecords.status(conversationId, taskId, status, version), PARTITION,
                offsets.getAndIncrement(), null, null, 0, 0, NOW, io.asyncflow.trace.Trace.empty());
    }
}
