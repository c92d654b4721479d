package io.asyncflow.processor.lookup;

import io.asyncflow.processor.kafka.OffsetTracker;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.deadletter.DeadLetters;
import io.asyncflow.topic.Topics;
import io.asyncflow.util.Mask;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup worker's consumer loop, run on one thread that owns the consumer. Each polled lookup
 * is held until {@link LookupDispatcher} starts it (or skips it); its result is produced from the
 * HTTP completion thread, and the broker's acknowledgement comes back here as a completion that
 * frees the in-flight slot and closes the offset in the {@link OffsetTracker}. Back-pressure: a
 * partition with held lookups is paused, and all are paused while the worker is at its bound, so
 * no more than one poll's worth of records per partition is ever held.
 *
 * <p>Rebalance: on revocation the loop waits (up to {@code lookup.revoke-timeout}) for the
 * partitions' in-flight lookups, commits what is acknowledged and forgets the rest; held lookups
 * are dropped uncommitted, so the new owner redoes them (at-least-once; the topology ignores
 * duplicate results). A result the producer cannot deliver stops the loop without committing it.
 */
final class LookupLoop implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(LookupLoop.class);
    static final String STAGE = "lookup-worker";

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final LookupDispatcher dispatcher;
    private final StatusReader statusReader;
    private final LookupSettings settings;
    private final LookupMetrics metrics;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, ArrayDeque<Held>> held = new LinkedHashMap<>();
    private final OffsetTracker ledger = new OffsetTracker();
    private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    private final CloseOptions closeOptions;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private boolean closing;
    private long lastCommitNanos = System.nanoTime();

    private record Held(TopicPartition tp, long offset, LookupRequest request) {
    }

    /** The broker's answer to a produced result or dead letter; {@code permit} is null for dead letters. */
    private record Completion(TopicPartition tp, long offset, InFlightLimits.Permit permit, Exception failure) {
    }

    LookupLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Topics topics,
               LookupDispatcher dispatcher, StatusReader statusReader, LookupSettings settings, LookupMetrics metrics,
               CloseOptions closeOptions) {
        this.consumer = consumer;
        this.closeOptions = closeOptions;
        this.producer = producer;
        this.topics = topics;
        this.dispatcher = dispatcher;
        this.statusReader = statusReader;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Runs until {@link #stop()} or a fatal error, then drains, commits and closes the consumer. */
    void run() {
        try {
            awaitStatusReader();
            consumer.subscribe(List.of(topics.lookups().name()), this);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(blocked() ? Duration.ZERO : settings.pollTimeout())) {
                    accept(record);
                }
                drainCompletions();
                dispatchHeld();
                updatePauses();
                if (blocked()) {
                    awaitCompletion(settings.pollTimeout().toNanos());
                }
                commitIfDue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("lookup worker loop failed", e);
        } finally {
            shutdown();
        }
    }

    /** Lets the status reader learn the tasks that finished recently before any lookup is taken. */
    private void awaitStatusReader() throws InterruptedException {
        long end = System.nanoTime() + settings.statusCatchUpTimeout().toNanos();
        while (running && !statusReader.awaitCaughtUp(settings.pollTimeout())) {
            if (System.nanoTime() > end) {
                LOG.warn("status topic {} not read to its end after {}; taking lookups anyway", topics.status(),
                        settings.statusCatchUpTimeout());
                return;
            }
        }
    }

    void stop() {
        running = false;
    }

    /** The error that stopped the loop, or null. */
    Throwable failure() {
        return failure;
    }

    private boolean blocked() {
        return !held.isEmpty() || dispatcher.limits().full();
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        ledger.received(tp, record.offset());
        LookupRequest request;
        try {
            request = topics.lookups().deserializeValue(record.value());
        } catch (RuntimeException e) {
            deadLetter(tp, record, e.getMessage());
            return;
        }
        if (request == null) {
            deadLetter(tp, record, "lookup record without a value");
            return;
        }
        held.computeIfAbsent(tp, p -> new ArrayDeque<>()).add(new Held(tp, record.offset(), request));
    }

    private void dispatchHeld() {
        for (Iterator<ArrayDeque<Held>> queues = held.values().iterator(); queues.hasNext(); ) {
            ArrayDeque<Held> queue = queues.next();
            for (Iterator<Held> it = queue.iterator(); it.hasNext() && !dispatcher.limits().full(); ) {
                Held h = it.next();
                LookupDispatcher.Dispatch dispatch = dispatcher.tryDispatch(h.request());
                if (dispatch instanceof LookupDispatcher.Skipped skipped) {
                    it.remove();
                    ledger.done(h.tp(), h.offset());
                    metrics.skipped(h.request().getBackend(), skipped.reason());
                    LOG.debug("skipped lookup {} ({})", h.request().getLookupId(), skipped.reason());
                } else if (dispatch instanceof LookupDispatcher.Started started) {
                    it.remove();
                    LOG.debug("calling {} for lookup {} with {}", h.request().getBackend(), h.request().getLookupId(),
                            Mask.inputs(h.request().getInputs()));
                    started.result().whenComplete((result, error) -> publish(h, result, error, started.permit()));
                }
            }
            if (queue.isEmpty()) {
                queues.remove();
            }
        }
    }

    /** Produces a finished lookup's result; runs on the thread that completed the HTTP call. */
    private void publish(Held h, LookupResult result, Throwable error, InFlightLimits.Permit permit) {
        try {
            if (error != null) {
                throw new IllegalStateException("lookup " + h.request().getLookupId() + " failed unexpectedly", error);
            }
            metrics.result(result);
            LOG.debug("lookup {}: {} after {} attempt(s) in {} ms{}", result.getLookupId(), result.getOutcome(),
                    result.getAttempts(), result.getLatencyMs(), result.getError() == null ? "" : " (" + result.getError() + ")");
            producer.send(new ProducerRecord<>(topics.lookupResults().name(),
                            topics.lookupResults().serializeKey(result.getConversationId()),
                            topics.lookupResults().serializeValue(result)),
                    (metadata, e) -> completions.add(new Completion(h.tp(), h.offset(), permit, e)));
        } catch (RuntimeException e) {
            completions.add(new Completion(h.tp(), h.offset(), permit, e));
        }
    }

    private void deadLetter(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, String reason) {
        LOG.warn("undecodable lookup at {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                topics.deadLetters(), reason);
        metrics.deadLettered();
        DeadLetter letter = DeadLetters.forRecord(STAGE, "undecodable lookup request: " + reason, record);
        try {
            producer.send(new ProducerRecord<>(topics.deadLetters().name(), record.key(), topics.deadLetters().serializeValue(letter)),
                    (metadata, e) -> completions.add(new Completion(tp, record.offset(), null, e)));
        } catch (RuntimeException e) {
            completions.add(new Completion(tp, record.offset(), null, e));
        }
    }

    private void drainCompletions() {
        Completion c;
        while ((c = completions.poll()) != null) {
            handle(c);
        }
    }

    private void awaitCompletion(long timeoutNanos) throws InterruptedException {
        Completion c = completions.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (c != null) {
            handle(c);
            drainCompletions();
        }
    }

    private void handle(Completion c) {
        if (c.permit() != null) {
            c.permit().release();
        }
        if (c.failure() == null) {
            ledger.done(c.tp(), c.offset());
            return;
        }
        if (failure == null) {
            failure = c.failure();
            LOG.error("cannot produce the answer to {}@{}; stopping without committing it (it will be processed again)",
                    c.tp(), c.offset(), c.failure());
        }
        running = false;
    }

    private void updatePauses() {
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> wanted = new HashSet<>(dispatcher.limits().full() ? assigned : held.keySet());
        wanted.retainAll(assigned);
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toPause = new HashSet<>(wanted);
        toPause.removeAll(paused);
        Set<TopicPartition> toResume = new HashSet<>(paused);
        toResume.removeAll(wanted);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
    }

    private void commitIfDue() {
        if (System.nanoTime() - lastCommitNanos < settings.commitInterval().toNanos()) {
            return;
        }
        lastCommitNanos = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.positions();
        offsets.entrySet().removeIf(e -> e.getValue().equals(committed.get(e.getKey())));
        if (offsets.isEmpty()) {
            return;
        }
        committed.putAll(offsets);
        consumer.commitAsync(offsets, (done, e) -> {
            if (e != null) {
                LOG.warn("cannot commit {}: {} (retried at the next commit)", done, e.toString());
                done.keySet().forEach(committed::remove);
            }
        });
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            committed.putAll(offsets);
        } catch (RuntimeException e) {
            LOG.warn("cannot commit {}; those lookups will be processed again: {}", offsets, e.toString());
        }
    }

    /** Waits for the in-flight (started, not yet acknowledged) lookups of {@code tps}. */
    private void awaitInFlight(Collection<TopicPartition> tps, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            drainCompletions();
            long left;
            while (inFlight(tps) > 0 && (left = end - System.nanoTime()) > 0) {
                awaitCompletion(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int abandoned = inFlight(tps);
        if (abandoned > 0) {
            LOG.warn("abandoning {} in-flight lookups of {} after {}; they are not committed and will be redone",
                    abandoned, tps, timeout);
        }
    }

    private int inFlight(Collection<TopicPartition> tps) {
        int count = 0;
        for (TopicPartition tp : tps) {
            ArrayDeque<Held> queue = held.get(tp);
            count += ledger.open(tp) - (queue == null ? 0 : queue.size());
        }
        return count;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.info("partitions revoked: {}", partitions);
        if (!closing) {
            awaitInFlight(partitions, settings.revokeTimeout());
        }
        commitSync(ledger.positions(partitions));
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        LOG.warn("partitions lost: {}; their uncommitted lookups will be redone by their new owner", partitions);
        forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.info("partitions assigned: {}", partitions);
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        held.keySet().removeAll(partitions);
        ledger.forget(partitions);
        committed.keySet().removeAll(partitions);
    }

    private void shutdown() {
        closing = true;
        try {
            Set<TopicPartition> assigned = consumer.assignment();
            awaitInFlight(assigned, settings.closeTimeout());
            commitSync(ledger.positions(assigned));
        } catch (RuntimeException e) {
            LOG.warn("error while closing the lookup consumer: {}", e.toString());
        } finally {
            consumer.close(closeOptions);
        }
    }
}
