package io.asyncflow.processor.sink;

import io.asyncflow.processor.kafka.OffsetTracker;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.deadletter.DeadLetters;
import io.asyncflow.topic.Topic;
import io.asyncflow.util.Mask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's work between the consumer and Genesys: decodes status records, coalesces and orders
 * them ({@link PendingWrites}), runs writes on worker threads ({@link StatusWriter}) at most
 * {@code maxInFlight} at a time, re-queues failed attempts after their backoff, dead-letters what
 * cannot be written, and tracks which offsets may be committed ({@link OffsetTracker}): a record's
 * offset is released only once it was written, dropped as superseded/stale/ended, or its dead
 * letter was acknowledged by the broker.
 *
 * <p>All state is owned by the thread that calls {@link #accept}, {@link #step} and
 * {@link #toCommit}; workers and producer callbacks hand their results back through a queue that
 * {@link #step} drains.
 */
final class WritePipeline {
    static final String STAGE = "sink";
    private static final Logger LOG = LoggerFactory.getLogger(WritePipeline.class);
    private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(1);

    /** Sends a dead letter and reports the broker's answer (null exception = acknowledged). */
    interface DeadLetterPublisher {
        void publish(DeadLetter letter, Consumer<Exception> onDone);
    }

    private final Topic<String, StatusUpdate> statusTopic;
    private final StatusWriter writer;
    private final DeadLetterPublisher deadLetters;
    private final SinkMetrics metrics;
    private final ExecutorService workers;
    private final int maxInFlight;
    private final LongSupplier nanoTime;
    private final PendingWrites pending;
    private final OffsetTracker offsets = new OffsetTracker();
    private final BlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
    private final List<DeadLetterRetry> deadLetterRetries = new ArrayList<>();
    private int running;
    private int unacknowledgedDeadLetters;
    private boolean closing;

    WritePipeline(Topic<String, StatusUpdate> statusTopic, StatusWriter writer, DeadLetterPublisher deadLetters,
                  SinkMetrics metrics, ExecutorService workers, SinkSettings settings, LongSupplier nanoTime) {
        this.statusTopic = statusTopic;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.workers = workers;
        this.maxInFlight = settings.maxInFlight();
        this.nanoTime = nanoTime;
        this.pending = new PendingWrites(settings.versionCacheSize(), settings.endedCacheSize());
    }

    /** Takes one record of the status topic; an undecodable one is dead-lettered. */
    void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        offsets.received(partition, record.offset());
        StatusUpdate status;
        try {
            status = record.value() == null ? null : statusTopic.deserializeValue(record.value());
            if (status == null) {
                throw new IllegalArgumentException("empty record");
            }
        } catch (RuntimeException e) {
            LOG.warn("undecodable status record at {}-{}@{}: {}; dead-lettering it", record.topic(), record.partition(), record.offset(), e.toString());
            metrics.undecodable();
            publish(DeadLetters.forRecord(STAGE, "cannot decode StatusUpdate: " + e.getMessage(), record), partition, record.offset());
            return;
        }
        PendingWrite write = new PendingWrite(status, partition, record.offset(), record.key(), record.value(), 0, nanoTime.getAsLong());
        if (!writer.written(status)) {
            drop(new PendingWrites.Dropped(write, PendingWrites.Drop.ONGOING_OFF));
        } else {
            pending.offer(write).forEach(this::drop);
        }
        updateBacklog();
    }

    /**
     * Applies finished work (written, retry, dead letters acknowledged) and starts as many writes
     * as allowed; ONGOING statuses start only when {@code ongoingAllowed} agrees.
     */
    void step(Predicate<PendingWrite> ongoingAllowed) {
        drainCompletions();
        long now = nanoTime.getAsLong();
        resendDeadLetters(now);
        while (!closing && running < maxInFlight) {
            PendingWrite next = pending.next(now, ongoingAllowed);
            if (next == null) {
                break;
            }
            running++;
            workers.execute(() -> {
                WriteOutcome outcome;
                try {
                    outcome = writer.write(next);
                } catch (Throwable e) {
                    outcome = new WriteOutcome.Failed("unexpected error: " + e, null);
                }
                WriteOutcome result = outcome;
                completions.add(() -> finished(next, result));
            });
        }
        updateBacklog();
    }

    /** True when every write slot is busy and updates are waiting for one. */
    boolean saturated() {
        return running >= maxInFlight && pending.pending() > 0;
    }

    /** Waits up to {@code timeout} for finished work and applies it; true if there was some. */
    boolean awaitCompletion(Duration timeout) throws InterruptedException {
        Runnable completion = completions.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (completion == null) {
            return false;
        }
        completion.run();
        drainCompletions();
        return true;
    }

    /** Commit positions that advanced since the last call. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        return offsets.toCommit();
    }

    /** Current commit positions of {@code partitions}, for a synchronous commit on revocation or close. */
    Map<TopicPartition, OffsetAndMetadata> positions(Collection<TopicPartition> partitions) {
        return offsets.positions(partitions);
    }

    void commitFailed(Map<TopicPartition, OffsetAndMetadata> commits) {
        offsets.commitFailed(commits);
    }

    /** The offset that would be committed for {@code partition} now (-1 when nothing was read). */
    long position(TopicPartition partition) {
        return offsets.position(partition);
    }

    /** Forgets partitions this consumer lost; writes in flight for them finish without a commit. */
    void forget(Collection<TopicPartition> partitions) {
        pending.forget(partitions);
        offsets.forget(partitions);
        updateBacklog();
    }

    /** Updates waiting or being written. */
    int backlog() {
        return pending.pending() + running;
    }

    /** True when nothing is pending, being written or waiting for a dead-letter acknowledgement. */
    boolean idle() {
        return backlog() == 0 && unacknowledgedDeadLetters == 0 && completions.isEmpty();
    }

    /**
     * Stops starting writes and waits up to {@code timeout} for those in flight (then interrupts
     * them: an interrupted write is not committed and will be read again). Their outcomes are
     * applied; the caller flushes the dead-letter producer and calls {@link #drainCompletions()}.
     */
    void shutdown(Duration timeout) throws InterruptedException {
        closing = true;
        workers.shutdown();
        if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("writes still in progress after {}; interrupting them (they will be read again)", timeout);
            workers.shutdownNow();
            workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        drainCompletions();
    }

    /** Applies all finished work queued so far. */
    void drainCompletions() {
        Runnable completion;
        while ((completion = completions.poll()) != null) {
            completion.run();
        }
    }

    private void finished(PendingWrite write, WriteOutcome outcome) {
        running--;
        if (!offsets.tracks(write.partition())) {
            pending.finished(write);
            LOG.debug("{} finished as {} after its partition was revoked; its new owner reads it again", write, outcome);
        } else if (outcome instanceof WriteOutcome.Written) {
            pending.finished(write);
            offsets.done(write.partition(), write.offset());
            metrics.written();
            LOG.debug("wrote {}", write);
        } else if (outcome instanceof WriteOutcome.Retry retry) {
            retry(write, retry);
        } else if (outcome instanceof WriteOutcome.Failed failed) {
            deadLetter(write, failed);
        }
        updateBacklog();
    }

    private void retry(PendingWrite write, WriteOutcome.Retry retry) {
        metrics.retried(retry.kind());
        if (closing) {
            LOG.info("not retrying {} while closing (it will be read again): {}", write, retry.reason());
            return;
        }
        LOG.info("retrying {} in {} ms: {}", write, retry.delay().toMillis(), retry.reason());
        long notBefore = nanoTime.getAsLong() + retry.delay().toNanos();
        PendingWrite again = retry.kind() == GenesysCallException.Kind.RATE_LIMITED ? write.deferred(notBefore) : write.failedOnce(notBefore);
        pending.retry(again).forEach(this::drop);
    }

    private void deadLetter(PendingWrite write, WriteOutcome.Failed failed) {
        pending.finished(write);
        metrics.deadLettered();
        LOG.warn("cannot write {} (correlation id {}): {}; dead-lettering it", write, failed.correlationId(), failed.reason());
        DeadLetter letter = DeadLetter.newBuilder(DeadLetters.forUpdate(STAGE, failed.reason(), write.conversationId(),
                        failed.correlationId(), write.partition().topic(), write.value()))
                .setPartition(write.partition().partition())
                .setOffset(write.offset())
                .build();
        publish(letter, write.partition(), write.offset());
    }

    private void drop(PendingWrites.Dropped dropped) {
        PendingWrite write = dropped.write();
        offsets.done(write.partition(), write.offset());
        metrics.dropped(dropped.reason());
        if (LOG.isDebugEnabled()) {
            LOG.debug("not writing {} ({}), attributes {}", write, dropped.reason(), Mask.attributes(write.status().getAttributes()));
        }
    }

    private void publish(DeadLetter letter, TopicPartition partition, long offset) {
        unacknowledgedDeadLetters++;
        deadLetters.publish(letter, error -> completions.add(() -> deadLetterDone(letter, partition, offset, error)));
    }

    private void deadLetterDone(DeadLetter letter, TopicPartition partition, long offset, Exception error) {
        if (error == null) {
            unacknowledgedDeadLetters--;
            offsets.done(partition, offset);
            return;
        }
        if (closing) {
            unacknowledgedDeadLetters--;
            LOG.error("cannot send the dead letter of {}@{} ({}); its offset stays uncommitted", partition, offset, error.toString());
            return;
        }
        LOG.error("cannot send the dead letter of {}@{} ({}); sending it again in {}", partition, offset, error.toString(), DEAD_LETTER_RETRY);
        deadLetterRetries.add(new DeadLetterRetry(letter, partition, offset, nanoTime.getAsLong() + DEAD_LETTER_RETRY.toNanos()));
    }

    private void resendDeadLetters(long now) {
        for (Iterator<DeadLetterRetry> it = deadLetterRetries.iterator(); it.hasNext(); ) {
            DeadLetterRetry retry = it.next();
            if (now - retry.notBeforeNanos() >= 0) {
                it.remove();
                unacknowledgedDeadLetters--;
                publish(retry.letter(), retry.partition(), retry.offset());
            }
        }
    }

    private record DeadLetterRetry(DeadLetter letter, TopicPartition partition, long offset, long notBeforeNanos) {
    }

    private void updateBacklog() {
        metrics.backlog(backlog());
    }
}
