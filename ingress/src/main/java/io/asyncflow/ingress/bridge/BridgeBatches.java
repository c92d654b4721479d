package io.asyncflow.ingress.bridge;

import io.asyncflow.ingress.kafka.Outgoing;
import io.asyncflow.kafka.ConsumerEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw-event bridge's policy on the {@link ConsumerEngine}: the records of one poll are
 * translated and produced as one batch; the partitions stay paused until the broker acknowledged
 * all of it (then its offsets are done) or, after a failure, until a resend after
 * {@code retryBackoff} succeeds. One batch at a time keeps each conversation's events in order.
 */
final class BridgeBatches implements ConsumerEngine.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeBatches.class);

    private final ConsumerEngine engine;
    private final RawEventTranslator translator;
    private final Function<List<Outgoing<?, ?>>, CompletableFuture<Void>> sender;
    private final Duration retryBackoff;
    private final Time time;
    private final List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
    private Batch batch;
    private long resendAtMs = -1;

    private record Batch(List<ConsumerRecord<byte[], byte[]>> records, List<Outgoing<?, ?>> out) {
    }

    /** @param sender produces records; its future completes when the broker acknowledged all of them */
    BridgeBatches(ConsumerEngine engine, RawEventTranslator translator, Function<List<Outgoing<?, ?>>, CompletableFuture<Void>> sender,
                  Duration retryBackoff, Time time) {
        this.engine = engine;
        this.translator = translator;
        this.sender = sender;
        this.retryBackoff = retryBackoff;
        this.time = time;
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
        read.add(record);
    }

    @Override
    public void step() {
        if (batch != null && resendAtMs >= 0 && time.milliseconds() >= resendAtMs) {
            resendAtMs = -1;
            send(batch);
        }
        if (batch != null || read.isEmpty()) {
            return;
        }
        List<Outgoing<?, ?>> out = new ArrayList<>();
        read.forEach(record -> out.addAll(translator.translate(record)));
        batch = new Batch(List.copyOf(read), out);
        read.clear();
        send(batch);
    }

    private void send(Batch sent) {
        sender.apply(sent.out()).whenComplete((ok, error) -> engine.loop().execute(() -> acknowledged(sent, error)));
    }

    private void acknowledged(Batch sent, Throwable error) {
        if (error == null) {
            sent.records().forEach(r -> engine.offsets().done(new TopicPartition(r.topic(), r.partition()), r.offset()));
            batch = null;
            return;
        }
        Throwable cause = error.getCause() == null ? error : error.getCause();
        LOG.warn("{} raw event(s) not acknowledged ({}); retrying in {}", sent.records().size(), cause.getMessage(), retryBackoff);
        resendAtMs = time.milliseconds() + retryBackoff.toMillis();
    }

    @Override
    public boolean saturated() {
        return batch != null;
    }

    @Override
    public Set<TopicPartition> toPause(Set<TopicPartition> assigned) {
        return batch == null ? Set.of() : assigned;
    }

    @Override
    public int inFlight(Collection<TopicPartition> partitions) {
        return batch == null || resendAtMs >= 0 ? 0 : (int) batch.records().stream()
                .filter(r -> partitions.contains(new TopicPartition(r.topic(), r.partition()))).count();
    }
}
