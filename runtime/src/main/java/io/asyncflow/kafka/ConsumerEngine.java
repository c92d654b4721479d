package io.asyncflow.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer loop for work that finishes out of order (why our own and not Parallel Consumer:
 * docs/DESIGN.md, "One consumer engine"). It owns the poll loop, the committed offsets (a partition
 * commits up to its lowest offset still open, {@link OffsetTracker}), the commit cadence, pausing,
 * revocation and close; a {@link Handler} decides what a record starts and when to pause.
 *
 * <p>The handler runs on the loop thread only. Work finished elsewhere comes back through
 * {@link #loop()}; the handler then calls {@code offsets().done(..)}. On revocation the engine waits
 * up to {@code revokeTimeout} for the partitions' in-flight work, commits what is done and forgets
 * the rest (its new owner redoes it: at-least-once). {@link #stop()} wakes the consumer; the loop
 * then waits up to {@code closeTimeout} for in-flight work, commits and closes the consumer.
 */
public final class ConsumerEngine implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerEngine.class);

    /** What one consumer does with its records; called on the loop thread only. */
    public interface Handler {
        /** Takes a polled record, already open in {@link #offsets()}. */
        void accept(ConsumerRecord<byte[], byte[]> record);

        /** Starts the work that may start now (after each poll and each batch of completions). */
        void step();

        /** True when nothing more can start: the loop then waits on completions instead of the broker. */
        boolean saturated();

        /** The assigned partitions to keep paused now; the others are resumed. */
        Set<TopicPartition> toPause(Set<TopicPartition> assigned);

        /** Work started for these partitions and not finished yet (waited for at revocation and close). */
        int inFlight(Collection<TopicPartition> partitions);

        /** The consumer no longer owns these partitions: drop what is held of them. */
        default void forget(Collection<TopicPartition> partitions) {
        }

        /** Close begins: start nothing more. */
        default void closing() {
        }

        /** In-flight work was waited for: stop workers, flush producers (their outcomes go to the loop). */
        default void closed() {
        }
    }

    /**
     * @param pollTimeout longest wait of one poll (or for a completion while saturated)
     * @param commitInterval least time between two asynchronous commits (zero: after every poll)
     * @param revokeTimeout longest wait for in-flight work of revoked partitions
     * @param closeTimeout longest wait for in-flight work at close
     * @param closeOptions how the consumer leaves its group
     */
    public record Settings(Duration pollTimeout, Duration commitInterval, Duration revokeTimeout, Duration closeTimeout,
                           CloseOptions closeOptions) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Settings settings;
    private final Time time;
    private final OffsetTracker offsets = new OffsetTracker();
    private final LoopQueue loop = new LoopQueue();
    private Handler handler;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private boolean closing;
    private long lastCommitMs;

    public ConsumerEngine(Consumer<byte[], byte[]> consumer, Settings settings, Time time) {
        this.consumer = consumer;
        this.settings = settings;
        this.time = time;
        this.lastCommitMs = time.milliseconds();
    }

    /** The offsets of the records read: the handler marks them {@code done} when their work is. */
    public OffsetTracker offsets() {
        return offsets;
    }

    /** Where threads hand finished work back to the loop thread. */
    public LoopQueue loop() {
        return loop;
    }

    /** Subscribes to {@code topics} and runs until {@link #stop()} or an error, then closes the consumer. */
    public void run(Collection<String> topics, Handler handler) {
        this.handler = handler;
        try {
            consumer.subscribe(topics, this);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(handler.saturated() ? Duration.ZERO : settings.pollTimeout())) {
                    offsets.received(new TopicPartition(record.topic(), record.partition()), record.offset());
                    handler.accept(record);
                }
                loop.drain();
                handler.step();
                applyPauses();
                // every slot busy: wake at the first finished piece of work, not at the next poll
                if (handler.saturated() && loop.await(settings.pollTimeout())) {
                    handler.step();
                }
                commitIfDue();
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            shutdown();
        }
    }

    /** Stops the loop from any thread; a poll in progress returns at once. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Stops the loop because of {@code error} (the first one is kept); loop thread only. */
    public void fail(Throwable error) {
        if (failure == null) {
            failure = error;
            LOG.error("consumer of {} stopped: {}", consumer.subscription(), error.toString(), error);
        }
        running = false;
    }

    /** The error that stopped the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    /** True when the consumer has read {@code partition} to its end (or cannot tell). */
    public boolean caughtUp(TopicPartition partition) {
        try {
            OptionalLong lag = consumer.currentLag(partition);
            return lag.isEmpty() || lag.getAsLong() <= 0;
        } catch (IllegalStateException notAssigned) {
            return true;
        }
    }

    private void applyPauses() {
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> wanted = new HashSet<>(handler.toPause(assigned));
        wanted.retainAll(assigned);
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toResume = new HashSet<>(paused);
        toResume.removeAll(wanted);
        wanted.removeAll(paused);
        if (!wanted.isEmpty()) {
            consumer.pause(wanted);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    private void commitIfDue() {
        long now = time.milliseconds();
        if (now - lastCommitMs < settings.commitInterval().toMillis()) {
            return;
        }
        lastCommitMs = now;
        Map<TopicPartition, OffsetAndMetadata> commits = offsets.toCommit();
        if (!commits.isEmpty()) {
            consumer.commitAsync(commits, (done, error) -> {
                if (error != null) {
                    LOG.warn("cannot commit {}: {} (retried at the next commit)", done, error.toString());
                    offsets.commitFailed(done);
                }
            });
        }
    }

    /** Commits on the loop thread; a wakeup meant for a poll that did not come is taken and the commit retried. */
    private void commitSync(Map<TopicPartition, OffsetAndMetadata> commits) {
        if (commits.isEmpty()) {
            return;
        }
        try {
            try {
                consumer.commitSync(commits);
            } catch (WakeupException e) {
                consumer.commitSync(commits);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot commit {}; those records will be read again: {}", commits, e.toString());
        }
    }

    /** Waits up to {@code timeout} for the in-flight work of {@code partitions}, applying what finishes. */
    private void awaitInFlight(Collection<TopicPartition> partitions, Duration timeout) {
        long end = time.nanoseconds() + timeout.toNanos();
        try {
            loop.drain();
            long left;
            while (handler.inFlight(partitions) > 0 && (left = end - time.nanoseconds()) > 0) {
                loop.await(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int abandoned = handler.inFlight(partitions);
        if (abandoned > 0) {
            LOG.info("{} records of {} still in flight after {}; they are not committed and will be read again",
                    abandoned, partitions, timeout);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.info("partitions revoked: {}", partitions);
        awaitInFlight(partitions, closing ? Duration.ZERO : settings.revokeTimeout());
        commitSync(offsets.positions(partitions));
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        LOG.warn("partitions lost: {}; their uncommitted records will be read again by their new owner", partitions);
        forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.info("partitions assigned: {}", partitions);
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        handler.forget(partitions);
        offsets.forget(partitions);
    }

    private void shutdown() {
        closing = true;
        try {
            handler.closing();
            Set<TopicPartition> assigned = consumer.assignment();
            awaitInFlight(assigned, settings.closeTimeout());
            handler.closed();
            loop.drain();
            commitSync(offsets.positions(assigned));
        } catch (RuntimeException e) {
            LOG.warn("error while closing the consumer of {}: {}", consumer.subscription(), e.toString());
        } finally {
            consumer.close(settings.closeOptions());
        }
    }
}
