package io.asyncflow.processor.sink;

import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.activity.ActivityLog;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.kafka.ConsumerEngine;
import io.asyncflow.runtime.Component;
import io.asyncflow.topic.GroupMembership;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes task statuses to the conversation's customer participant in Genesys Cloud, within
 * Genesys' rate limit: the status topic ({@code sink.group-id}, read_committed) is read on the
 * {@link ConsumerEngine}, a {@link WritePipeline} decides what to write and when (coalescing,
 * ordering, retries, dead letters), and {@link GenesysApi} writes it. What participant data gets
 * and when: docs/sink.md ("What it writes, and what not", "Offsets"); the engine's policy here:
 * {@link Policy}.
 */
public final class ParticipantDataSink implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(ParticipantDataSink.class);

    private final AsyncFlowConfig config;
    private final SinkSettings settings;
    private final Topics topics;
    private final GenesysApi api;
    private final SinkMetrics metrics;
    private final ClientMeters clientMeters;
    private final ParticipantDataMapper mapper;
    private KafkaProducer<byte[], byte[]> producer;
    private ActivityLog activity = ActivityLog.NONE;
    private ConsumerEngine engine;
    private volatile Thread loop;
    private volatile boolean closed;

    /** The production sink: Genesys through the SDK, meters in Micrometer's global registry. */
    public ParticipantDataSink(AsyncFlowConfig config) {
        this(config, SdkGenesysApi.create(SinkSettings.from(config)), Metrics.globalRegistry);
    }

    /** A sink writing through {@code api} (the sink closes it). */
    public ParticipantDataSink(AsyncFlowConfig config, GenesysApi api, MeterRegistry registry) {
        this.config = config;
        this.settings = SinkSettings.from(config);
        this.topics = Topics.from(config);
        this.api = api;
        this.metrics = new SinkMetrics(registry);
        this.clientMeters = new ClientMeters(registry);
        this.mapper = new ParticipantDataMapper(config);
    }

    @Override
    public String name() {
        return "sink";
    }

    @Override
    public synchronized void start() {
        if (loop != null) {
            throw new IllegalStateException("the sink was already started");
        }
        KafkaConsumer<byte[], byte[]> consumer = clientMeters.consumer(
                new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        producer = clientMeters.producer(new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer()));
        // the sink commits after every poll and does not wait for writes of revoked partitions
        engine = new ConsumerEngine(consumer, new ConsumerEngine.Settings(settings.pollTimeout(), Duration.ZERO, Duration.ZERO,
                settings.closeTimeout(), GroupMembership.from(config).closeOptions(settings.closeTimeout())), Time.SYSTEM);
        StatusWriter writer = new StatusWriter(api, mapper, settings.participantCacheSize(),
                new Backoff(settings.backoffInitial(), settings.backoffMax()), settings.maxAttempts(), metrics);
        activity = new ActivityLog(producer, topics.activity());
        WritePipeline pipeline = new WritePipeline(topics.status(), writer, this::publishDeadLetter, metrics, workers(), settings,
                engine.offsets(), engine.loop(), Time.SYSTEM, activity);
        loop = new Thread(() -> engine.run(List.of(topics.status().name()), new Policy(pipeline)), "asyncflow-sink");
        loop.start();
        LOG.info("participant-data sink started: {} -> {} (group {}, {} requests/min per token, {} token(s) per OAuth client, "
                + "{} writes in flight)", topics.status(), settings.apiUrl(), settings.groupId(), settings.ratePerMinute(),
                settings.tokenPoolSize(), settings.maxInFlight());
    }

    @Override
    public boolean isRunning() {
        return !closed && loop != null && loop.isAlive() && engine.failure() == null;
    }

    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            thread = loop;
        }
        if (thread != null) {
            engine.stop();
            try {
                thread.join(settings.closeTimeout().multipliedBy(3).plusSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            clientMeters.close();
            activity.close();
            producer.close(settings.closeTimeout());
            LOG.info("participant-data sink stopped");
        }
        api.close();
    }

    /**
     * The sink's policy on the engine: all partitions pause while the backlog holds
     * {@code sink.max-pending} updates and resume at half of it; ONGOING waits while its partition
     * has unread records.
     */
    private final class Policy implements ConsumerEngine.Handler {
        private final WritePipeline pipeline;
        private boolean paused;

        Policy(WritePipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void accept(ConsumerRecord<byte[], byte[]> record) {
            pipeline.accept(record);
        }

        @Override
        public void step() {
            pipeline.step(write -> paused || engine.caughtUp(write.partition()));
        }

        @Override
        public boolean saturated() {
            return pipeline.saturated();
        }

        @Override
        public Set<TopicPartition> toPause(Set<TopicPartition> assigned) {
            int backlog = pipeline.backlog();
            if (!paused && backlog >= settings.maxPending()) {
                paused = true;
                LOG.info("{} status updates waiting; pausing the consumer", backlog);
            } else if (paused && backlog <= settings.maxPending() / 2) {
                paused = false;
                LOG.info("backlog down to {}; resuming the consumer", backlog);
            }
            return paused ? assigned : Set.of();
        }

        @Override
        public int inFlight(Collection<TopicPartition> partitions) {
            return pipeline.inFlight();
        }

        @Override
        public void forget(Collection<TopicPartition> partitions) {
            pipeline.forget(partitions);
        }

        @Override
        public void closing() {
            pipeline.closing();
        }

        @Override
        public void closed() {
            try {
                pipeline.shutdown(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.flush();
        }
    }

    private void publishDeadLetter(DeadLetter letter, Consumer<Exception> onDone) {
        try {
            byte[] key = letter.getConversationId() == null ? null : topics.deadLetters().serializeKey(letter.getConversationId());
            producer.send(new ProducerRecord<>(topics.deadLetters().name(), key, topics.deadLetters().serializeValue(letter)),
                    (metadata, error) -> onDone.accept(error));
        } catch (RuntimeException e) {
            onDone.accept(e);
        }
    }

    private ExecutorService workers() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(settings.maxInFlight(), task -> {
            Thread thread = new Thread(task, "asyncflow-sink-writer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private Map<String, Object> consumerProps() {
        Map<String, Object> props = new KafkaSettings(config).forClient("consumer");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return GroupMembership.from(config).applyTo(props, name());
    }

    private Map<String, Object> producerProps() {
        Map<String, Object> props = new KafkaSettings(config).forClient("producer");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }
}
