package io.asyncflow.processor.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.runtime.Component;
import io.asyncflow.topic.GroupMembership;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.TopicAdmin;
import io.asyncflow.topic.Topics;
import io.asyncflow.trace.HopMeter;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the topology of {@link TopologyFactory} in a {@link KafkaStreams} instance. Start creates
 * missing topics first when {@code topic.create} is true. A stream thread that dies is replaced up
 * to {@value #THREAD_REPLACEMENTS} times, then the instance shuts down and {@link #isRunning()}
 * turns false, so a supervisor can restart the process. Group membership (static member id,
 * session timeout, leaving the group on close) is {@link GroupMembership}'s; the exactly-once
 * transaction timeout is the session timeout too (a {@code streams.producer.transaction.timeout.ms}
 * wins): a dead process's open transaction, which holds back the committed offsets and output of the
 * partitions a survivor takes over, is then aborted about when the survivor gets them (the broker
 * checks every {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}).
 */
public final class TopologyService implements Component {
    static final int THREAD_REPLACEMENTS = 3;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(TopologyService.class);

    private final AsyncFlowConfig config;
    private final TopologySettings settings;
    private final Topics topics;
    private final TaskCatalog catalog;
    private final KafkaSettings kafka;
    private final GroupMembership membership;
    private final AtomicInteger replacements = new AtomicInteger();
    private volatile KafkaStreams streams;
    private final MeterRegistry registry;
    private KafkaStreamsMetrics streamsMetrics;

    /** Reads and validates all settings at once; nothing connects before {@link #start()}. */
    public TopologyService(AsyncFlowConfig config) {
        this(config, new SimpleMeterRegistry());
    }

    /**
     * A topology whose Kafka Streams metrics (process and commit rates and latencies, consumer lag
     * of its clients) go to {@code registry} (share the ingress's to publish them on its /metrics).
     */
    public TopologyService(AsyncFlowConfig config, MeterRegistry registry) {
        this.registry = registry;
        this.config = config;
        this.settings = TopologySettings.from(config);
        this.topics = Topics.from(config);
        this.catalog = TaskCatalog.from(config);
        this.kafka = new KafkaSettings(config);
        this.membership = GroupMembership.from(config);
    }

    @Override
    public String name() {
        return "topology";
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("topology already started");
        }
        if (config.getBoolean(Topics.CREATE)) {
            try (Admin admin = Admin.create(kafka.forClient("admin"))) {
                TopicAdmin.ensureTopics(admin, topics, config);
            }
        }
        Map<String, Object> client = membership.applyTo(kafka.forClient("streams"), name());
        client.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) membership.sessionTimeout().toMillis());
        Properties props = StreamsProperties.of(settings, client, topics.deadLetters());
        KafkaStreams instance = new KafkaStreams(TopologyFactory.build(settings, topics, catalog, HopMeter.of(registry)), props);
        instance.setUncaughtExceptionHandler(this::onThreadFailure);
        instance.setStateListener((now, before) -> LOG.info("topology {} -> {}", before, now));
        streams = instance;
        streamsMetrics = new KafkaStreamsMetrics(instance);
        streamsMetrics.bindTo(registry);
        instance.start();
        LOG.info("topology {} started ({}, commit every {} ms, {} thread(s))", settings.applicationId(),
                settings.processingGuarantee(), settings.commitInterval().toMillis(), settings.threads());
    }

    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onThreadFailure(Throwable error) {
        if (replacements.incrementAndGet() <= THREAD_REPLACEMENTS) {
            LOG.error("stream thread failed; replacing it ({} of {})", replacements.get(), THREAD_REPLACEMENTS, error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("stream thread failed again; shutting the topology down", error);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The Kafka Streams state, or null before {@link #start()}. */
    public KafkaStreams.State state() {
        KafkaStreams instance = streams;
        return instance == null ? null : instance.state();
    }

    @Override
    public boolean isRunning() {
        KafkaStreams.State state = state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    }

    @Override
    public synchronized void close() {
        KafkaStreams instance = streams;
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
        if (instance != null) {
            instance.close(CloseOptions.groupMembershipOperation(membership.leavesOnClose()
                    ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                    : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(CLOSE_TIMEOUT));
            LOG.info("topology {} closed", settings.applicationId());
        }
    }
}
