package io.asyncflow.ingress.bridge;

import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.ingress.IngressSettings;
import io.asyncflow.ingress.genesys.GenesysEventMapper;
import io.asyncflow.ingress.genesys.GenesysEventReader;
import io.asyncflow.ingress.kafka.AckingProducer;
import io.asyncflow.kafka.ConsumerEngine;
import io.asyncflow.runtime.Component;
import io.asyncflow.topic.GroupMembership;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.TopicAdmin;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges the raw-events topic (Genesys events as JSON text, one per record, as an
 * EventBridge-to-Kafka pipeline or {@code kafka-console-producer} writes them) to the tasks topic,
 * through the same {@link GenesysEventMapper} as the HTTP ingress. Records it cannot read go to the
 * dead-letter topic with their reason; the loop keeps running.
 *
 * <p>Delivery is at-least-once, on the {@link ConsumerEngine}: each polled batch is produced
 * (idempotent producer, {@code acks=all}), and its offsets are committed only after the broker
 * acknowledged every record. When the broker does not acknowledge, the batch is sent again after
 * {@code bridge.retry-backoff} while the partitions stay paused. A crash between produce and commit
 * repeats a batch; that is harmless because task ids derive from conversation and task type, so
 * the topology starts nothing new, and repeated conversation events are idempotent. A
 * transactional loop would avoid the repeats but needs a fenced transactional id per instance and
 * delays visibility to each transaction commit, for no gain here.
 */
public final class RawEventBridge implements Component {
    /** The {@code stage} of the bridge's dead letters. */
    public static final String STAGE = "ingress-bridge";
    /** The {@code source} of the records the bridge produces. */
    public static final String SOURCE = "bridge";

    private static final Logger LOG = LoggerFactory.getLogger(RawEventBridge.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final AsyncFlowConfig config;
    private final IngressSettings settings;
    private final Topics topics;
    private final IngressMetrics metrics;
    private final MeterRegistry registry;
    private ClientMeters clientMeters;
    private final RawEventTranslator translator;
    private final GroupMembership membership;
    private volatile Thread thread;
    private volatile ConsumerEngine engine;
    private volatile AckingProducer producer;

    public RawEventBridge(AsyncFlowConfig config) {
        this(config, new SimpleMeterRegistry());
    }

    /** A bridge counting into {@code registry} (share the ingress's to publish on its /metrics). */
    public RawEventBridge(AsyncFlowConfig config, MeterRegistry registry) {
        this.config = config;
        this.settings = IngressSettings.forBridge(config);
        this.topics = Topics.from(config);
        this.registry = registry;
        this.metrics = new IngressMetrics(registry);
        this.membership = GroupMembership.from(config);
        var json = IngressJson.eventMapper();
        this.translator = new RawEventTranslator(new GenesysEventReader(json),
                new GenesysEventMapper(json, TaskCatalog.from(config), Time.SYSTEM), topics, metrics);
    }

    @Override
    public String name() {
        return "bridge";
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        KafkaSettings kafka = new KafkaSettings(config);
        if (config.getBoolean(Topics.CREATE)) {
            try (Admin admin = Admin.create(kafka.forClient("admin"))) {
                TopicAdmin.ensureTopics(admin, topics, config);
            }
        }
        producer = new AckingProducer(AckingProducer.settings(kafka, settings.produceTimeout(), "asyncflow-bridge"),
                settings.produceTimeout(), settings.maxInFlight(), metrics);
        clientMeters = new ClientMeters(registry);
        producer.bindMetrics(clientMeters);
        KafkaConsumer<byte[], byte[]> consumer = clientMeters.consumer(new KafkaConsumer<>(consumerSettings(kafka),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        engine = new ConsumerEngine(consumer, new ConsumerEngine.Settings(POLL, Duration.ZERO, settings.produceTimeout(),
                settings.produceTimeout(), membership.closeOptions(settings.produceTimeout())), Time.SYSTEM);
        BridgeBatches batches = new BridgeBatches(engine, translator, producer::sendAll, settings.bridgeRetryBackoff(), Time.SYSTEM);
        thread = new Thread(() -> engine.run(List.of(topics.rawEvents().name()), batches), "raw-event-bridge");
        thread.start();
        LOG.info("bridge reading {} as group {}, producing to {}", topics.rawEvents(), settings.bridgeGroupId(), topics.tasks());
    }

    private Map<String, Object> consumerSettings(KafkaSettings kafka) {
        Map<String, Object> props = new HashMap<>(kafka.forClient("consumer"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.bridgeGroupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "asyncflow-bridge");
        return membership.applyTo(props, name());
    }

    @Override
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive() && engine.failure() == null;
    }

    @Override
    public synchronized void close() {
        Thread t = thread;
        if (t != null) {
            engine.stop();
            try {
                t.join(settings.produceTimeout().plusSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (clientMeters != null) {
            clientMeters.close();
        }
        if (producer != null) {
            producer.close(settings.produceTimeout());
        }
        LOG.info("bridge stopped");
    }
}
