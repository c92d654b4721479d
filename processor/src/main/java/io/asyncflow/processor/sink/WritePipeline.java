package io.asyncflow.processor.sink;

import io.asyncflow.util.TaskLogContext;
import io.asyncflow.activity.ActivityLog;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.deadletter.DeadLetters;
import io.asyncflow.kafka.LoopQueue;
import io.asyncflow.kafka.OffsetTracker;
import io.asyncflow.topic.Topic;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import io.asyncflow.util.Mask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's work between the consumer and Genesys: decodes status records, coalesces and orders
 * them ({@link PendingWrites}), runs writes on worker threads ({@link StatusWriter}) at most
 * {@code maxInFlight} at a time, re-queues failed attempts after their backoff, dead-letters what
 * cannot be written, and marks a record's offset done in the consumer's {@link OffsetTracker} only
 * once it was written, dropped as superseded/stale/ended, or its dead letter was acknowledged.
 *
 * <p>All state is owned by the consumer's thread (the caller of {@link #accept} and {@link #step});
 * workers and producer callbacks hand their results back through its {@link LoopQueue}.
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
    private final ActivityLog activity;
    private final SinkMetrics metrics;
    private final ExecutorService workers;
    private final int maxInFlight;
    private final Time time;
    private final PendingWrites pending;
    private final OffsetTracker offsets;
    private final LoopQueue completions;
    private final List<DeadLetterRetry> deadLetterRetries = new ArrayList<>();
    private int running;
    private int unacknowledgedDeadLetters;
    private boolean closing;

    WritePipeline(Topic<String, StatusUpdate> statusTopic, StatusWriter writer, DeadLetterPublisher deadLetters,
                  SinkMetrics metrics, ExecutorService workers, SinkSettings settings, OffsetTracker offsets,
                  LoopQueue completions, Time time, ActivityLog activity) {
        this.statusTopic = statusTopic;
        this.activity = activity;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.workers = workers;
        this.maxInFlight = settings.maxInFlight();
        this.time = time;
        this.offsets = offsets;
        this.completions = completions;
        this.pending = new PendingWrites(settings.versionCacheSize(), settings.endedCacheSize());
    }

    /** Takes one record of the status topic (already open in the offsets); an undecodable one is dead-lettered. */
    void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
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
        Trace trace = Trace.from(record.headers()).stamp(Stage.STATUS_READ);
        metrics.hops().record(Stage.STATUS_READ, status.getConversationId(), trace);
        PendingWrite write = new PendingWrite(status, partition, record.offset(), record.key(), record.value(), 0, 0, time.nanoseconds(),
                trace);
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
        completions.drain();
        long now = time.nanoseconds();
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
                    outcome = new WriteOutcome.Failed("unexpected error: " + e, 0, null);
                }
                WriteOutcome result = outcome;
                long doneAt = Trace.nowMicros();
                completions.execute(() -> finished(next, result, doneAt));
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
        return completions.await(timeout);
    }

    /** Forgets partitions this consumer lost; writes in flight for them finish without a commit. */
    void forget(Collection<TopicPartition> partitions) {
        pending.forget(partitions);
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

    /** Writes being made and dead letters not yet acknowledged. */
    int inFlight() {
        return running + unacknowledgedDeadLetters;
    }

    /** Starts no more writes (those in flight finish; a retry is not requeued). */
    void closing() {
        closing = true;
    }

    /**
     * Stops starting writes and waits up to {@code timeout} for those in flight (then interrupts
     * them: an interrupted write is not committed and will be read again). Their outcomes are
     * queued; the consumer's loop applies them.
     */
    void shutdown(Duration timeout) throws InterruptedException {
        closing = true;
        workers.shutdown();
        if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("writes still in progress after {}; interrupting them (they will be read again)", timeout);
            workers.shutdownNow();
            workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        completions.drain();
    }

    private void finished(PendingWrite write, WriteOutcome outcome, long doneAtMicros) {
        try (TaskLogContext ignored = TaskLogContext.open(write.conversationId(), write.taskId())) {
            finishedInContext(write, outcome, doneAtMicros);
        }
    }

    private void finishedInContext(PendingWrite write, WriteOutcome outcome, long doneAtMicros) {
        running--;
        if (!offsets.tracks(write.partition())) {
            pending.finished(write);
            LOG.debug("{} finished as {} after its partition was revoked; its new owner reads it again", write, outcome);
        } else if (outcome instanceof WriteOutcome.Written) {
            pending.finished(write);
            offsets.done(write.partition(), write.offset());
            metrics.written();
            Trace trace = write.trace().with(Stage.GENESYS_WRITTEN, doneAtMicros);
            metrics.hops().record(Stage.GENESYS_WRITTEN, write.conversationId(), trace);
            LOG.debug("wrote {}", write);
            activity.record(writeActivity(write, "written", doneAtMicros).build(), trace);
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
        long notBefore = time.nanoseconds() + retry.delay().toNanos();
        PendingWrite again = retry.kind() == GenesysCallException.Kind.RATE_LIMITED ? write.deferred(notBefore) : write.failedOnce(notBefore);
        pending.retry(again).forEach(this::drop);
    }

    private void deadLetter(PendingWrite write, WriteOutcome.Failed failed) {
        pending.abandoned(write);
        metrics.deadLettered();
        LOG.warn("cannot write {} (correlation id {}): {}; dead-lettering it", write, failed.correlationId(), failed.reason());
        DeadLetter letter = DeadLetter.newBuilder(DeadLetters.forUpdate(STAGE, failed.reason(), write.conversationId(),
                        failed.correlationId(), write.partition().topic(), write.value()))
                .setPartition(write.partition().partition())
                .setOffset(write.offset())
                .build();
        publish(letter, write.partition(), write.offset());
        long now = Trace.nowMicros();
        activity.record(writeActivity(write, "dead-lettered", now).setDetail(Mask.message(failed.reason()))
                .setHttpStatus(failed.httpStatus() == 0 ? null : failed.httpStatus()).build(), write.trace().with(Stage.GENESYS_WRITTEN, now));
    }

    /** The activity record of a write that ended: attempts, 429s, time since the sink read the status. */
    private static io.asyncflow.avro.Activity.Builder writeActivity(PendingWrite write, String outcome, long endMicros) {
        Long durationMs = write.trace().at(Stage.STATUS_READ).isPresent()
                ? (endMicros - write.trace().at(Stage.STATUS_READ).getAsLong()) / 1000 : null;
        return ActivityLog.ofTask(ActivityKind.WRITE, write.conversationId(), write.taskId(), write.status().getTaskType())
                .setStatus(write.status().getStatus().name()).setVersion(write.version()).setOutcome(outcome)
                .setAttempts(write.failedAttempts() + 1).setThrottled(write.throttled()).setDurationMs(durationMs);
    }

    private void drop(PendingWrites.Dropped dropped) {
        PendingWrite write = dropped.write();
        try (TaskLogContext ignored = TaskLogContext.open(write.conversationId(), write.taskId())) {
            dropInContext(dropped, write);
        }
    }

    private void dropInContext(PendingWrites.Dropped dropped, PendingWrite write) {
        offsets.done(write.partition(), write.offset());
        metrics.dropped(dropped.reason());
        if (LOG.isDebugEnabled()) {
            LOG.debug("not writing {} ({}), attributes {}", write, dropped.reason(), Mask.attributes(write.status().getAttributes()));
        }
    }

    private void publish(DeadLetter letter, TopicPartition partition, long offset) {
        unacknowledgedDeadLetters++;
        deadLetters.publish(letter, error -> completions.execute(() -> deadLetterDone(letter, partition, offset, error)));
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
        deadLetterRetries.add(new DeadLetterRetry(letter, partition, offset, time.nanoseconds() + DEAD_LETTER_RETRY.toNanos()));
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
