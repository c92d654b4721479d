package io.asyncflow.ingress.kafka;

import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.topic.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import io.asyncflow.activity.ActivityLog;
import io.asyncflow.avro.Activity;
import io.asyncflow.topic.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's producer: idempotent, {@code acks=all}, with {@code max.block.ms},
 * {@code request.timeout.ms} and {@code delivery.timeout.ms} derived from
 * {@code ingress.produce-timeout} so a send to an unreachable broker fails within that bound.
 * {@link #sendAll} never blocks its caller: one sender thread hands the records to the Kafka
 * client in order (so records of one request keep their order), and the returned future completes
 * only when the broker acknowledged every record, or fails with a {@link ProduceException}.
 */
public final class AckingProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AckingProducer.class);
    private static final Duration QUEUE_MARGIN = Duration.ofSeconds(2);

    private final Producer<byte[], byte[]> producer;
    private final Duration produceTimeout;
    private final Semaphore permits;
    private final IngressMetrics metrics;
    private final ExecutorService sender;

    public AckingProducer(Map<String, Object> settings, Duration produceTimeout, int maxInFlight, IngressMetrics metrics) {
        this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
        this.produceTimeout = produceTimeout;
        this.permits = new Semaphore(maxInFlight);
        this.metrics = metrics;
        String clientId = String.valueOf(settings.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "ingress"));
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, clientId + "-sender");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Producer settings: {@code kafka.*} and {@code producer.*} from the configuration, then the
     * ones this class guarantees (idempotence, {@code acks=all}, timeouts within
     * {@code produceTimeout}), which win.
     */
    public static Map<String, Object> settings(KafkaSettings kafka, Duration produceTimeout, String clientId) {
        Map<String, Object> props = new HashMap<>(kafka.forClient("producer"));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        long linger = Long.parseLong(String.valueOf(props.get(ProducerConfig.LINGER_MS_CONFIG)));
        long timeout = Math.max(produceTimeout.toMillis(), linger + 2);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeout - linger));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        return props;
    }

    /**
     * Produces {@code records} in order; the future completes when all are acknowledged, or fails
     * with a {@link ProduceException} within about the produce timeout. Records may have been stored
     * when it fails (a retry then repeats them; task ids make that harmless).
     */
    public CompletableFuture<Void> sendAll(List<Outgoing<?, ?>> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<ProducerRecord<byte[], byte[]>> serialized;
        try {
            serialized = records.stream().map(Outgoing::serialize).toList();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!permits.tryAcquire()) {
            return CompletableFuture.failedFuture(new ProduceException(ProduceException.Reason.OVERLOADED,
                    "more than the allowed requests are waiting for the broker", null));
        }
        CompletableFuture<Void> acked = new CompletableFuture<>();
        acked.whenComplete((ok, error) -> permits.release());
        try {
            sender.execute(() -> sendInOrder(serialized, acked));
        } catch (RejectedExecutionException e) {
            acked.completeExceptionally(new IllegalStateException("the producer is closed", e));
        }
        Map<String, Long> byTopic = records.stream()
                .collect(Collectors.groupingBy(r -> r.topic().name(), Collectors.counting()));
        return acked
                .orTimeout(produceTimeout.plus(QUEUE_MARGIN).toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, error) -> {
                    if (error != null) {
                        throw new CompletionException(classify(unwrap(error)));
                    }
                    byTopic.forEach((topic, count) -> metrics.produced(topic, count.intValue()));
                    return ok;
                });
    }

    private void sendInOrder(List<ProducerRecord<byte[], byte[]>> records, CompletableFuture<Void> acked) {
        AtomicInteger pending = new AtomicInteger(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            try {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        acked.completeExceptionally(error);
                    } else if (pending.decrementAndGet() == 0) {
                        acked.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                acked.completeExceptionally(e);
                return;
            }
        }
    }

    private Throwable classify(Throwable error) {
        if (error instanceof ProduceException) {
            return error;
        }
        String message = error instanceof TimeoutException
                ? "the broker did not acknowledge within " + produceTimeout.plus(QUEUE_MARGIN)
                : error.getClass().getSimpleName() + ": " + error.getMessage();
        LOG.warn("produce failed: {}", message);
        return unavailable(message, error);
    }

    private static ProduceException unavailable(String message, Throwable cause) {
        return new ProduceException(ProduceException.Reason.BROKER_UNAVAILABLE, message, cause);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Publishes this producer's Kafka client metrics through {@code meters}. */
    public void bindMetrics(ClientMeters meters) {
        meters.producer(producer);
    }

    /** An activity log sending through this producer, fire-and-forget. */
    public ActivityLog activityLog(Topic<String, Activity> topic) {
        return new ActivityLog(producer, topic);
    }

    /** Sends nothing more; waits up to {@code timeout} for records already sent. */
    public void close(Duration timeout) {
        sender.shutdown();
        try {
            sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(produceTimeout);
    }
}
