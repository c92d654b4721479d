package io.asyncflow.processor.lookup;

import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.kafka.ConsumerEngine;
import io.asyncflow.runtime.Component;
import io.asyncflow.topic.GroupMembership;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topics;
import io.asyncflow.trace.HopMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup worker: consumes {@code LookupRequest}s from the lookups topic on the
 * {@link ConsumerEngine} ({@link LookupLoop} is its policy), calls the configured backends
 * ({@code backend.*}) with non-blocking HTTP, and produces one {@code LookupResult} per lookup
 * (idempotent producer, {@code acks=all}); an offset is committed only once its result is
 * acknowledged. In-flight lookups are bounded per instance ({@code lookup.max-in-flight}) and per
 * backend ({@code backend.*.max-in-flight}); lookups of finished tasks ({@link StatusReader}) and
 * past their deadline are skipped. Why lookups are read uncommitted by default: docs/DESIGN.md,
 * "Delivery guarantees along a caller's path".
 */
public final class LookupWorker implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(LookupWorker.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final AsyncFlowConfig config;
    private final LookupSettings settings;
    private final Topics topics;
    private final Map<String, BackendCaller> callers = new LinkedHashMap<>();
    private final MeterRegistry registry;
    private ClientMeters clientMeters;
    private final String clientId;
    private final GroupMembership membership;
    private KafkaProducer<byte[], byte[]> producer;
    private StatusReader statusReader;
    private ConsumerEngine engine;
    private LookupMetrics metrics;
    private volatile Thread thread;
    private volatile boolean closed;

    /** A worker with its own HTTP client, reporting to Micrometer's global registry. */
    public LookupWorker(AsyncFlowConfig config) {
        this(config, null, Metrics.globalRegistry);
    }

    /**
     * @param config the configuration (validated here: settings, backends, task types)
     * @param httpClient the HTTP client to call backends with, or null for one built from the settings
     * @param registry where the worker's meters go
     */
    public LookupWorker(AsyncFlowConfig config, HttpClient httpClient, MeterRegistry registry) {
        this.config = config;
        this.settings = LookupSettings.from(config);
        this.topics = Topics.from(config);
        this.registry = registry;
        this.clientId = settings.groupId() + "-" + INSTANCES.incrementAndGet();
        this.membership = GroupMembership.from(config);
        HttpClient http = httpClient == null ? httpClient(settings) : httpClient;
        TaskCatalog.from(config).backends().forEach((name, backend) ->
                callers.put(name, new BackendCaller(backend, http, settings.maxResponseBytes(), Time.SYSTEM)));
    }

    /** The HTTP client the worker builds when none is given: no redirects, the configured connect timeout and version. */
    public static HttpClient httpClient(LookupSettings settings) {
        return HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(settings.httpVersion())
                .build();
    }

    @Override
    public String name() {
        return "lookup-worker";
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("lookup worker already started");
        }
        KafkaSettings kafka = new KafkaSettings(config);
        FinishedTasks finished = new FinishedTasks(settings.finishedTaskMemory(), settings.finishedTaskTtl(), Time.SYSTEM);
        Map<String, Integer> bounds = new LinkedHashMap<>();
        callers.forEach((name, caller) -> bounds.put(name, caller.backend().maxInFlight()));
        InFlightLimits limits = new InFlightLimits(settings.maxInFlight(), bounds);
        LookupDispatcher dispatcher = new LookupDispatcher(callers, limits, finished, Time.SYSTEM);
        metrics = new LookupMetrics(registry, limits, clientId);
        clientMeters = new ClientMeters(registry);
        producer = clientMeters.producer(new KafkaProducer<>(producerProps(kafka), new ByteArraySerializer(), new ByteArraySerializer()));
        statusReader = new StatusReader(clientMeters.consumer(new KafkaConsumer<>(statusConsumerProps(kafka), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())), topics.status(), finished, settings.finishedTaskTtl(),
                settings.pollTimeout(), clientId + "-status");
        engine = new ConsumerEngine(clientMeters.consumer(new KafkaConsumer<>(lookupConsumerProps(kafka), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())), new ConsumerEngine.Settings(settings.pollTimeout(), settings.commitInterval(),
                settings.revokeTimeout(), settings.closeTimeout(), membership.closeOptions(settings.closeTimeout())), Time.SYSTEM);
        LookupLoop loop = new LookupLoop(engine, producer, topics, dispatcher, metrics, HopMeter.of(registry));
        statusReader.start();
        thread = new Thread(() -> {
            awaitStatusReader();
            engine.run(List.of(topics.lookups().name()), loop);
        }, clientId);
        thread.start();
        LOG.info("lookup worker {} started: group {}, backends {}, max in flight {}", clientId, settings.groupId(),
                callers.keySet(), settings.maxInFlight());
    }

    @Override
    public boolean isRunning() {
        return thread != null && thread.isAlive() && !closed && engine.failure() == null && statusReader.isRunning();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread == null) {
            return;
        }
        engine.stop();
        try {
            thread.join(settings.closeTimeout().plus(settings.closeTimeout()).plus(settings.pollTimeout()).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clientMeters.close();
        producer.close(settings.closeTimeout());
        statusReader.close();
        metrics.close();
        LOG.info("lookup worker {} closed", clientId);
    }

    /** Lets the status reader learn the tasks that finished recently before any lookup is taken. */
    private void awaitStatusReader() {
        long end = Time.SYSTEM.nanoseconds() + settings.statusCatchUpTimeout().toNanos();
        try {
            while (!closed && !statusReader.awaitCaughtUp(settings.pollTimeout())) {
                if (Time.SYSTEM.nanoseconds() > end) {
                    LOG.warn("status topic {} not read to its end after {}; taking lookups anyway", topics.status(),
                            settings.statusCatchUpTimeout());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> lookupConsumerProps(KafkaSettings kafka) {
        Map<String, Object> props = kafka.forClient("consumer");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, settings.isolationLevel());
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, settings.maxInFlight()));
        membership.applyTo(props, name());
        return props;
    }

    private Map<String, Object> statusConsumerProps(KafkaSettings kafka) {
        Map<String, Object> props = kafka.forClient("consumer");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-status");
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    private Map<String, Object> producerProps(KafkaSettings kafka) {
        Map<String, Object> props = kafka.forClient("producer");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-results");
        // a result decides a caller's answer: send it at once (Kafka 4 producers otherwise linger 5 ms)
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        return props;
    }
}
