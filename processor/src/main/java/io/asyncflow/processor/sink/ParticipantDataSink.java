package io.asyncflow.processor.sink;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.runtime.Component;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes task statuses to the conversation's customer participant in Genesys Cloud, within
 * Genesys' rate limit. A consumer loop on its own thread reads the status topic (consumer group
 * {@code sink.group-id}, read_committed), hands the records to a {@link WritePipeline} (coalescing
 * per task, terminal statuses first, never an older version after a newer one, nothing for ended
 * conversations), whose workers write through {@link GenesysApi}. Offsets are committed per
 * partition up to the first update not yet written, dropped or dead-lettered. While the backlog
 * holds more than {@code sink.max-pending} updates the consumer pauses. While every write slot is
 * busy and updates wait, the loop waits on the writes, not on the consumer, and a finished write
 * starts the next one at once: a backlog drains at the speed of the API, not one poll timeout per
 * write slot. ONGOING statuses are written only for task types that ask for it
 * ({@code task.<type>.write-ongoing}), and wait while the partition has unread records, so a
 * backlog is written as its final statuses only. Requests go out over a pool of access tokens
 * ({@link SdkGenesysApi}, {@code sink.token-pool-size}).
 */
public final class ParticipantDataSink implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(ParticipantDataSink.class);

    private final AsyncFlowConfig config;
    private final SinkSettings settings;
    private final Topics topics;
    private final GenesysApi api;
    private final SinkMetrics metrics;
    private final ParticipantDataMapper mapper;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private WritePipeline pipeline;
    private volatile Thread loop;
    private volatile boolean running;
    private volatile boolean failed;
    private boolean paused;

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
        consumer = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
        StatusWriter writer = new StatusWriter(api, mapper, settings.participantCacheSize(),
                new Backoff(settings.backoffInitial(), settings.backoffMax()), settings.maxAttempts(), metrics);
        pipeline = new WritePipeline(topics.status(), writer, this::publishDeadLetter, metrics, workers(), settings, System::nanoTime);
        consumer.subscribe(List.of(topics.status().name()), new Rebalance());
        running = true;
        loop = new Thread(this::run, "asyncflow-sink");
        loop.start();
        LOG.info("participant-data sink started: {} -> {} (group {}, {} requests/min per token, {} token(s) per OAuth client, "
                + "{} writes in flight)", topics.status(), settings.apiUrl(), settings.groupId(), settings.ratePerMinute(),
                settings.tokenPoolSize(), settings.maxInFlight());
    }

    @Override
    public boolean isRunning() {
        return running && !failed && loop != null && loop.isAlive();
    }

    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            running = false;
            thread = loop;
        }
        if (thread != null) {
            try {
                thread.join(settings.closeTimeout().multipliedBy(3).plusSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        api.close();
    }

    private void run() {
        try {
            while (running) {
                // every write slot busy and more waiting: read what is there, then wake at the first finished write
                boolean saturated = pipeline.saturated();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(saturated ? Duration.ZERO : settings.pollTimeout());
                records.forEach(pipeline::accept);
                pipeline.step(this::mayWriteOngoing);
                applyBackpressure();
                commit();
                if (pipeline.saturated() && pipeline.awaitCompletion(settings.pollTimeout())) {
                    pipeline.step(this::mayWriteOngoing); // a slot came free: fill it before reading on
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = true;
            LOG.error("participant-data sink interrupted; stopping");
        } catch (RuntimeException e) {
            failed = true;
            LOG.error("participant-data sink stopped: {}", e.toString(), e);
        } finally {
            shutdown();
        }
    }

    private boolean mayWriteOngoing(PendingWrite write) {
        if (paused) {
            return true;
        }
        try {
            OptionalLong lag = consumer.currentLag(write.partition());
            return lag.isEmpty() || lag.getAsLong() <= 0;
        } catch (IllegalStateException notAssigned) {
            return true;
        }
    }

    private void applyBackpressure() {
        int backlog = pipeline.backlog();
        if (!paused && backlog >= settings.maxPending()) {
            paused = true;
            LOG.info("{} status updates waiting; pausing the consumer", backlog);
        } else if (paused && backlog <= settings.maxPending() / 2) {
            paused = false;
            consumer.resume(consumer.paused());
            LOG.info("backlog down to {}; resuming the consumer", backlog);
        }
        if (paused) {
            consumer.pause(consumer.assignment());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> commits = pipeline.toCommit();
        if (!commits.isEmpty()) {
            consumer.commitAsync(commits, (offsets, error) -> {
                if (error != null) {
                    LOG.warn("offset commit {} failed: {}", offsets, error.toString());
                    pipeline.commitFailed(offsets);
                }
            });
        }
    }

    private void shutdown() {
        try {
            pipeline.shutdown(settings.closeTimeout());
            producer.flush();
            pipeline.drainCompletions();
            Map<TopicPartition, OffsetAndMetadata> commits = pipeline.positions(consumer.assignment());
            if (!commits.isEmpty()) {
                consumer.commitSync(commits);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("final offset commit of the sink failed: {}", e.toString());
        } finally {
            consumer.close();
            producer.close(settings.closeTimeout());
            LOG.info("participant-data sink stopped");
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
        return props;
    }

    private Map<String, Object> producerProps() {
        Map<String, Object> props = new KafkaSettings(config).forClient("producer");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    /** Commits what is done of partitions being taken away, and forgets them. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            pipeline.drainCompletions();
            Map<TopicPartition, OffsetAndMetadata> commits = pipeline.positions(partitions);
            try {
                if (!commits.isEmpty()) {
                    consumer.commitSync(commits);
                }
            } catch (RuntimeException e) {
                LOG.warn("commit of revoked partitions {} failed: {}", partitions, e.toString());
            }
            pipeline.forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            pipeline.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("sink assigned {}", partitions);
        }
    }
}
