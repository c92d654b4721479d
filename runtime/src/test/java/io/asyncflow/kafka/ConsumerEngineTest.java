package io.asyncflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.testing.DrivenTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class ConsumerEngineTest {
    private static final String TOPIC = "work";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final DrivenTime time = new DrivenTime();
    private final TestConsumer consumer = new TestConsumer(false);

    @Test
    void shouldCommitFinishedRecordsOnlyWhenTheCommitIntervalHasPassed() {
        // given an engine committing every second
        ConsumerEngine engine = engine(Duration.ofSeconds(1), Duration.ZERO);
        Work work = new Work(engine, 10);
        List<Long> committedSeen = new ArrayList<>();
        script(assignAndAdd(3),
                () -> work.finish(0, 1, 2),
                () -> committedSeen.add(committed()),
                () -> time.advance(Duration.ofSeconds(1)),
                () -> committedSeen.add(committed()),
                engine::stop);

        // when
        engine.run(List.of(TOPIC), work);

        // then nothing was committed before the interval, everything after it
        assertThat(committedSeen).containsExactly(-1L, 3L);
    }

    @Test
    void shouldCommitOnlyUpToTheFirstRecordStillInFlightWhenWorkFinishesOutOfOrder() {
        // given
        ConsumerEngine engine = engine(Duration.ZERO, Duration.ZERO);
        Work work = new Work(engine, 10);
        List<Long> committedSeen = new ArrayList<>();
        script(assignAndAdd(4),
                () -> work.finish(3, 1),
                () -> committedSeen.add(committed()),
                () -> work.finish(0),
                () -> committedSeen.add(committed()),
                () -> work.finish(2),
                () -> committedSeen.add(committed()),
                engine::stop);

        // when
        engine.run(List.of(TOPIC), work);

        // then
        assertThat(committedSeen).containsExactly(0L, 2L, 4L);
    }

    @Test
    void shouldPauseWhileTheHandlerIsAtCapacityAndResumeWhenASlotFrees() {
        // given a handler that takes two records at a time
        ConsumerEngine engine = engine(Duration.ZERO, Duration.ZERO);
        Work work = new Work(engine, 2);
        List<Set<TopicPartition>> pausedSeen = new ArrayList<>();
        script(assignAndAdd(2),
                () -> pausedSeen.add(Set.copyOf(consumer.paused())),
                () -> work.finish(0),
                () -> pausedSeen.add(Set.copyOf(consumer.paused())),
                engine::stop);

        // when
        engine.run(List.of(TOPIC), work);

        // then
        assertThat(pausedSeen).containsExactly(Set.of(P0), Set.of());
    }

    @Test
    void shouldWaitForInFlightWorkOfRevokedPartitionsThenCommitWhatIsDoneAndForgetTheRest() {
        // given three records in flight, two of which finish on another thread during the revocation
        ConsumerEngine engine = new ConsumerEngine(consumer, new ConsumerEngine.Settings(Duration.ofMillis(10), Duration.ofHours(1),
                Duration.ofMillis(300), Duration.ZERO, CloseOptions.timeout(Duration.ZERO)), Time.SYSTEM);
        Work work = new Work(engine, 10);
        List<Long> committedSeen = new ArrayList<>();
        script(assignAndAdd(3),
                () -> {
                    new Thread(() -> engine.loop().execute(() -> work.finish(0, 1))).start();
                    consumer.rebalance(List.of());
                    committedSeen.add(committed());
                },
                engine::stop);

        // when
        engine.run(List.of(TOPIC), work);

        // then the finished ones were committed, the third is left to the next owner
        assertThat(committedSeen).containsExactly(2L);
        assertThat(work.forgotten).containsExactly(P0);
        assertThat(engine.offsets().tracks(P0)).isFalse();
    }

    @Test
    void shouldWakeAPollInProgressOnStopThenWaitForInFlightWorkAndCommitIt() throws Exception {
        // given a consumer whose poll blocks for its whole timeout, as a real one with nothing to read
        TestConsumer blocking = new TestConsumer(true);
        ConsumerEngine engine = new ConsumerEngine(blocking, new ConsumerEngine.Settings(Duration.ofHours(1), Duration.ofHours(1),
                Duration.ZERO, Duration.ofSeconds(30), CloseOptions.timeout(Duration.ZERO)), Time.SYSTEM);
        Work work = new Work(engine, 10);
        work.onClosing = () -> new Thread(() -> engine.loop().execute(() -> work.finish(1))).start();
        blocking.schedulePollTask(() -> {
            blocking.rebalance(List.of(P0));
            blocking.updateBeginningOffsets(Map.of(P0, 0L));
            blocking.addRecord(record(0));
            blocking.addRecord(record(1));
        });
        blocking.schedulePollTask(() -> work.finish(0));
        Thread loop = new Thread(() -> engine.run(List.of(TOPIC), work));
        loop.start();
        blocking.awaitBlockedPoll();

        // when
        engine.stop();
        loop.join(Duration.ofSeconds(20).toMillis());

        // then the loop ended, the in-flight record finished during close and all was committed
        assertThat(loop.isAlive()).isFalse();
        assertThat(blocking.closed()).isTrue();
        assertThat(blocking.lastCommitted).isEqualTo(2L);
        assertThat(engine.failure()).isNull();
    }

    private ConsumerEngine engine(Duration commitInterval, Duration revokeTimeout) {
        return new ConsumerEngine(consumer, new ConsumerEngine.Settings(Duration.ofMillis(10), commitInterval, revokeTimeout,
                Duration.ZERO, CloseOptions.timeout(Duration.ZERO)), time);
    }

    private Runnable assignAndAdd(int records) {
        return () -> {
            consumer.rebalance(List.of(P0));
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
            for (int offset = 0; offset < records; offset++) {
                consumer.addRecord(record(offset));
            }
        };
    }

    /** One step per poll, run by the loop thread inside {@code poll}. */
    private void script(Runnable... steps) {
        for (Runnable step : steps) {
            consumer.schedulePollTask(step);
        }
    }

    private long committed() {
        return consumer.lastCommitted;
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>(TOPIC, 0, offset, null, new byte[0]);
    }

    /** A handler whose work finishes when the test says so; at most {@code capacity} records at a time. */
    private static final class Work implements ConsumerEngine.Handler {
        private final ConsumerEngine engine;
        private final int capacity;
        private final List<Long> started = new ArrayList<>();
        final List<TopicPartition> forgotten = new ArrayList<>();
        Runnable onClosing = () -> { };

        Work(ConsumerEngine engine, int capacity) {
            this.engine = engine;
            this.capacity = capacity;
        }

        void finish(long... offsets) {
            for (long offset : offsets) {
                started.remove(offset);
                engine.offsets().done(P0, offset);
            }
        }

        @Override
        public void accept(ConsumerRecord<byte[], byte[]> record) {
            started.add(record.offset());
        }

        @Override
        public void step() {
        }

        @Override
        public boolean saturated() {
            return false;
        }

        @Override
        public Set<TopicPartition> toPause(Set<TopicPartition> assigned) {
            return started.size() >= capacity ? assigned : Set.of();
        }

        @Override
        public int inFlight(Collection<TopicPartition> partitions) {
            return partitions.contains(P0) ? started.size() : 0;
        }

        @Override
        public void forget(Collection<TopicPartition> partitions) {
            forgotten.addAll(partitions);
            started.clear();
        }

        @Override
        public void closing() {
            onClosing.run();
        }
    }

    /**
     * A mock consumer that remembers the last offset committed for P0 (also after close), and whose
     * empty polls block for their timeout until {@link #wakeup()} when {@code blockingPolls}.
     */
    private static final class TestConsumer extends MockConsumer<byte[], byte[]> {
        private final boolean blockingPolls;
        private final Object monitor = new Object();
        private boolean woken;
        private boolean blocked;
        volatile long lastCommitted = -1;

        TestConsumer(boolean blockingPolls) {
            super(OffsetResetStrategy.EARLIEST);
            this.blockingPolls = blockingPolls;
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            remember(offsets);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            super.commitAsync(offsets, callback);
            remember(offsets);
        }

        private void remember(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (offsets.containsKey(P0)) {
                lastCommitted = offsets.get(P0).offset();
            }
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            if (!blockingPolls || !records.isEmpty() || timeout.isZero()) {
                return records;
            }
            synchronized (monitor) {
                blocked = true;
                monitor.notifyAll();
                long end = System.nanoTime() + timeout.toNanos();
                while (!woken && System.nanoTime() < end) {
                    try {
                        monitor.wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            return super.poll(Duration.ZERO);
        }

        @Override
        public void wakeup() {
            synchronized (monitor) {
                woken = true;
                monitor.notifyAll();
            }
            super.wakeup();
        }

        void awaitBlockedPoll() throws InterruptedException {
            synchronized (monitor) {
                while (!blocked) {
                    monitor.wait();
                }
            }
        }
    }
}
