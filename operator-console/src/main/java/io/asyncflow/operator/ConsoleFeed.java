package io.asyncflow.operator;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.topic.Topics;
import io.asyncflow.trace.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the console from Kafka: one consumer that {@code assign()}s every partition of the tasks,
 * lookups, lookup-results, status, orphans, dead-letter and activity topics, without a consumer
 * group, so every console instance shows the same and a restart rebuilds it. At start it seeks to
 * {@code now - window} ({@code now - dead-letter window} for dead letters and orphans). Reads
 * {@code read_committed}, as the sink does. A record it cannot decode is counted and skipped: the
 * console only shows, the components that own the topics dead-letter it.
 */
public final class ConsoleFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private final Topics topics;
    private final ConsoleSettings settings;
    private final ConversationStore conversations;
    private final BackendStats stats;
    private final DeadLetterBook deadLetters;
    private final Time time;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean stopping;
    private volatile Thread thread;

    public ConsoleFeed(Map<String, Object> consumerSettings, Topics topics, ConsoleSettings settings, ConversationStore conversations,
                       BackendStats stats, DeadLetterBook deadLetters, Time time) {
        this.topics = topics;
        this.settings = settings;
        this.conversations = conversations;
        this.stats = stats;
        this.deadLetters = deadLetters;
        this.time = time;
        Map<String, Object> props = new HashMap<>(consumerSettings);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "asyncflow-console");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Assigns every partition, seeks back and starts reading on its own thread. */
    public synchronized void start() {
        long now = time.milliseconds();
        Map<TopicPartition, Long> since = new HashMap<>();
        for (String topic : List.of(topics.tasks().name(), topics.lookups().name(), topics.lookupResults().name(),
                topics.status().name(), topics.activity().name())) {
            partitionsOf(topic).forEach(tp -> since.put(tp, now - settings.window().toMillis()));
        }
        for (String topic : List.of(topics.deadLetters().name(), topics.orphans().name())) {
            partitionsOf(topic).forEach(tp -> since.put(tp, now - settings.deadLetterWindow().toMillis()));
        }
        List<TopicPartition> partitions = new ArrayList<>(since.keySet());
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp offset = offsets.get(tp);
            consumer.seek(tp, offset == null ? ends.get(tp) : offset.offset());
        }
        Thread t = new Thread(this::run, "asyncflow-console-feed");
        t.setDaemon(true);
        thread = t;
        t.start();
        LOG.info("operator console reading {} partitions from {} back ({} for dead letters and orphans)", partitions.size(),
                settings.window(), settings.deadLetterWindow());
    }

    private List<TopicPartition> partitionsOf(String topic) {
        long giveUp = time.nanoseconds() + METADATA_WAIT.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        while ((infos == null || infos.isEmpty()) && time.nanoseconds() < giveUp) {
            time.sleep(100);
            infos = consumer.partitionsFor(topic);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions after " + METADATA_WAIT + " (does it exist?)");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private void run() {
        try (consumer) {
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                conversations.expire(time.milliseconds());
            }
        } catch (WakeupException e) {
            LOG.debug("console feed woken up to stop");
        } catch (RuntimeException e) {
            LOG.error("console feed stopped by an unrecoverable error", e);
        }
    }

    void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            String topic = record.topic();
            if (topic.equals(topics.tasks().name())) {
                Object event = topics.tasks().deserializeValue(record.value()).getEvent();
                if (event instanceof TaskRequest request) {
                    conversations.task(request);
                } else if (event instanceof ConversationEvent conversationEvent) {
                    conversations.conversationEvent(conversationEvent);
                }
            } else if (topic.equals(topics.lookups().name())) {
                conversations.lookup(topics.lookups().deserializeValue(record.value()));
            } else if (topic.equals(topics.lookupResults().name())) {
                LookupResult result = topics.lookupResults().deserializeValue(record.value());
                conversations.lookupResult(result, Trace.from(record.headers()));
                stats.lookupResult(result);
            } else if (topic.equals(topics.status().name())) {
                conversations.status(topics.status().deserializeValue(record.value()), Trace.from(record.headers()));
            } else if (topic.equals(topics.orphans().name())) {
                StatusUpdate orphan = topics.orphans().deserializeValue(record.value());
                deadLetters.orphan(orphan);
                if (recent(orphan.getEmittedAt())) {
                    conversations.orphan(orphan);
                }
            } else if (topic.equals(topics.deadLetters().name())) {
                DeadLetter letter = topics.deadLetters().deserializeValue(record.value());
                deadLetters.deadLetter(record.partition(), record.offset(), letter);
                if (recent(letter.getFailedAt())) {
                    conversations.deadLetter(letter);
                }
            } else if (topic.equals(topics.activity().name())) {
                Activity activity = topics.activity().deserializeValue(record.value());
                conversations.activity(activity, Trace.from(record.headers()));
                stats.activity(activity);
                deadLetters.activity(activity);
            }
        } catch (RuntimeException e) {
            long n = skipped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("console skips an unreadable record at {}-{}@{} ({} so far): {}", record.topic(), record.partition(),
                        record.offset(), n, e.getMessage());
            }
        }
    }

    private boolean recent(long atMs) {
        return time.milliseconds() - atMs <= settings.window().toMillis();
    }

    /** Records skipped because they could not be decoded. */
    public long skipped() {
        return skipped.get();
    }

    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    public void bindMetrics(ClientMeters meters) {
        meters.consumer(consumer);
    }

    @Override
    public synchronized void close() {
        stopping = true;
        Thread t = thread;
        if (t == null) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
