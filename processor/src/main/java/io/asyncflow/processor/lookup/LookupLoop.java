package io.asyncflow.processor.lookup;

import io.asyncflow.util.TaskLogContext;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.deadletter.DeadLetters;
import io.asyncflow.kafka.ConsumerEngine;
import io.asyncflow.topic.Topics;
import io.asyncflow.trace.HopMeter;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import io.asyncflow.util.Mask;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup worker's policy on the {@link ConsumerEngine}. Each polled lookup is held until
 * {@link LookupDispatcher} starts it (or skips it); its result is produced from the HTTP completion
 * thread, and the broker's acknowledgement comes back to the loop thread as a completion that frees
 * the in-flight slot and marks the offset done. Back-pressure: a partition with held lookups is
 * paused, and all are paused while the worker is at its bound, so no more than one poll's worth of
 * records per partition is ever held. Held lookups of revoked partitions are dropped uncommitted,
 * so the new owner redoes them (at-least-once; the topology ignores duplicate results). A result
 * the producer cannot deliver stops the loop without committing it. A result carries its lookup's
 * {@link Trace} with the worker's stamps (read, backend call sent and answered) added.
 */
final class LookupLoop implements ConsumerEngine.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(LookupLoop.class);
    static final String STAGE = "lookup-worker";

    private final ConsumerEngine engine;
    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final LookupDispatcher dispatcher;
    private final LookupMetrics metrics;
    private final HopMeter hops;
    private final Map<TopicPartition, ArrayDeque<Held>> held = new LinkedHashMap<>();

    private record Held(TopicPartition tp, long offset, LookupRequest request, Trace trace) {
    }

    /** The broker's answer to a produced result or dead letter; {@code permit} is null for dead letters. */
    private record Completion(TopicPartition tp, long offset, InFlightLimits.Permit permit, Exception failure) {
    }

    LookupLoop(ConsumerEngine engine, Producer<byte[], byte[]> producer, Topics topics, LookupDispatcher dispatcher,
               LookupMetrics metrics, HopMeter hops) {
        this.hops = hops;
        this.engine = engine;
        this.producer = producer;
        this.topics = topics;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    @Override
    public boolean saturated() {
        return !held.isEmpty() || dispatcher.limits().full();
    }

    @Override
    public Set<TopicPartition> toPause(Set<TopicPartition> assigned) {
        return dispatcher.limits().full() ? assigned : held.keySet();
    }

    @Override
    public int inFlight(Collection<TopicPartition> tps) {
        int count = 0;
        for (TopicPartition tp : tps) {
            ArrayDeque<Held> queue = held.get(tp);
            count += engine.offsets().open(tp) - (queue == null ? 0 : queue.size());
        }
        return count;
    }

    @Override
    public void forget(Collection<TopicPartition> partitions) {
        held.keySet().removeAll(partitions);
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
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
        Trace trace = Trace.from(record.headers()).stamp(Stage.LOOKUP_READ);
        hops.record(Stage.LOOKUP_READ, request.getConversationId(), trace);
        held.computeIfAbsent(tp, p -> new ArrayDeque<>()).add(new Held(tp, record.offset(), request, trace));
    }

    @Override
    public void step() {
        for (Iterator<ArrayDeque<Held>> queues = held.values().iterator(); queues.hasNext(); ) {
            ArrayDeque<Held> queue = queues.next();
            for (Iterator<Held> it = queue.iterator(); it.hasNext() && !dispatcher.limits().full(); ) {
                Held h = it.next();
                try (TaskLogContext ignored = TaskLogContext.open(h.request().getConversationId(), h.request().getTaskId())) {
                    dispatch(h, it);
                }
            }
            if (queue.isEmpty()) {
                queues.remove();
            }
        }
    }

    private void dispatch(Held h, Iterator<Held> it) {
        long sentAt = Trace.nowMicros();
        LookupDispatcher.Dispatch dispatch = dispatcher.tryDispatch(h.request());
        if (dispatch instanceof LookupDispatcher.Skipped skipped) {
            it.remove();
            engine.offsets().done(h.tp(), h.offset());
            metrics.skipped(h.request().getBackend(), skipped.reason());
            LOG.debug("skipped lookup {} ({})", h.request().getLookupId(), skipped.reason());
        } else if (dispatch instanceof LookupDispatcher.Started started) {
            it.remove();
            LOG.debug("calling {} for lookup {} with {}", h.request().getBackend(), h.request().getLookupId(),
                    Mask.inputs(h.request().getInputs()));
            Trace sent = h.trace().with(Stage.BACKEND_SENT, sentAt);
            hops.record(Stage.BACKEND_SENT, h.request().getConversationId(), sent);
            started.result().whenComplete((result, error) -> {
                Trace answered = sent.stamp(Stage.BACKEND_ANSWERED);
                try (TaskLogContext ignored = TaskLogContext.open(h.request().getConversationId(), h.request().getTaskId())) {
                    hops.record(Stage.BACKEND_ANSWERED, h.request().getConversationId(), answered);
                    publish(h, result, error, started.permit(), answered);
                }
            });
        }
    }

    /** Produces a finished lookup's result; runs on the thread that completed the HTTP call. */
    private void publish(Held h, LookupResult result, Throwable error, InFlightLimits.Permit permit, Trace trace) {
        try {
            if (error != null) {
                throw new IllegalStateException("lookup " + h.request().getLookupId() + " failed unexpectedly", error);
            }
            metrics.result(result);
            LOG.debug("lookup {}: {} after {} attempt(s) in {} ms{}", result.getLookupId(), result.getOutcome(),
                    result.getAttempts(), result.getLatencyMs(), result.getError() == null ? "" : " (" + result.getError() + ")");
            ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topics.lookupResults().name(),
                    topics.lookupResults().serializeKey(result.getConversationId()), topics.lookupResults().serializeValue(result));
            trace.writeTo(out.headers());
            producer.send(out, (metadata, e) -> complete(new Completion(h.tp(), h.offset(), permit, e)));
        } catch (RuntimeException e) {
            complete(new Completion(h.tp(), h.offset(), permit, e));
        }
    }

    private void deadLetter(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, String reason) {
        LOG.warn("undecodable lookup at {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
                topics.deadLetters(), reason);
        metrics.deadLettered();
        DeadLetter letter = DeadLetters.forRecord(STAGE, "undecodable lookup request: " + reason, record);
        try {
            producer.send(new ProducerRecord<>(topics.deadLetters().name(), record.key(), topics.deadLetters().serializeValue(letter)),
                    (metadata, e) -> complete(new Completion(tp, record.offset(), null, e)));
        } catch (RuntimeException e) {
            complete(new Completion(tp, record.offset(), null, e));
        }
    }

    private void complete(Completion c) {
        engine.loop().execute(() -> handle(c));
    }

    private void handle(Completion c) {
        if (c.permit() != null) {
            c.permit().release();
        }
        if (c.failure() == null) {
            engine.offsets().done(c.tp(), c.offset());
            return;
        }
        LOG.error("cannot produce the answer to {}@{}; stopping without committing it (it will be processed again)",
                c.tp(), c.offset());
        engine.fail(c.failure());
    }
}
