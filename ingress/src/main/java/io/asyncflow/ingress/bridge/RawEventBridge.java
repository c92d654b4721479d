package io.asyncflow.ingress.bridge;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.ingress.IngressSettings;
import io.asyncflow.ingress.genesys.GenesysEventMapper;
import io.asyncflow.ingress.genesys.GenesysEventReader;
import io.asyncflow.ingress.kafka.AckingProducer;
import io.asyncflow.ingress.kafka.Outgoing;
import io.asyncflow.kafka.ConsumerEngine;
import io.asyncflow.runtime.Component;
import io.asyncflow.topic.GroupMembership;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.TopicAdmin;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
        this.metrics = new IngressMetrics(registry);
        this.membership = GroupMembership.from(config);
        var json = IngressJson.mapper();
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
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(kafka),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        engine = new ConsumerEngine(consumer, new ConsumerEngine.Settings(POLL, Duration.ZERO, settings.produceTimeout(),
                settings.produceTimeout(), membership.closeOptions(settings.produceTimeout())), Time.SYSTEM);
        Batches batches = new Batches(engine);
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

    /**
     * The bridge's policy on the engine: the records of one poll are translated and produced as one
     * batch; the partitions stay paused until the broker acknowledged all of it (then its offsets are
     * done) or, after a failure, until a resend after {@code bridge.retry-backoff} succeeds.
     */
    private final class Batches implements ConsumerEngine.Handler {
        private final ConsumerEngine engine;
        private final List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        private Batch batch;
        private long resendAtMs = -1;

        private record Batch(List<ConsumerRecord<byte[], byte[]>> records, List<Outgoing<?, ?>> out) {
        }

        Batches(ConsumerEngine engine) {
            this.engine = engine;
        }

        @Override
        public void accept(ConsumerRecord<byte[], byte[]> record) {
            read.add(record);
        }

        @Override
        public void step() {
            if (batch != null && resendAtMs >= 0 && Time.SYSTEM.milliseconds() >= resendAtMs) {
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
            producer.sendAll(sent.out()).whenComplete((ok, error) -> engine.loop().execute(() -> acknowledged(sent, error)));
        }

        private void acknowledged(Batch sent, Throwable error) {
            if (error == null) {
                sent.records().forEach(r -> engine.offsets().done(new TopicPartition(r.topic(), r.partition()), r.offset()));
                batch = null;
                return;
            }
            Throwable cause = error.getCause() == null ? error : error.getCause();
            LOG.warn("{} raw event(s) not acknowledged ({}); retrying in {}", sent.records().size(), cause.getMessage(),
                    settings.bridgeRetryBackoff());
            resendAtMs = Time.SYSTEM.milliseconds() + settings.bridgeRetryBackoff().toMillis();
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
        if (producer != null) {
            producer.close(settings.produceTimeout());
        }
        LOG.info("bridge stopped");
    }
}
