package io.asyncflow.operator;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.kafka.TopicReader;
import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.topic.Topics;
import io.asyncflow.trace.Trace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    private final Topics topics;
    private final ConsoleSettings settings;
    private final ConversationStore conversations;
    private final BackendStats stats;
    private final DeadLetterBook deadLetters;
    private final Time time;
    private final TopicReader reader;
    private final AtomicLong skipped = new AtomicLong();

    public ConsoleFeed(Map<String, Object> consumerSettings, Topics topics, ConsoleSettings settings, ConversationStore conversations,
                       BackendStats stats, DeadLetterBook deadLetters, Time time) {
        this.topics = topics;
        this.settings = settings;
        this.conversations = conversations;
        this.stats = stats;
        this.deadLetters = deadLetters;
        this.time = time;
        this.reader = new TopicReader(consumerSettings, "asyncflow-console", "asyncflow-console-feed", time);
    }

    /** Assigns every partition, seeks back and starts reading on its own thread. */
    public synchronized void start() {
        long now = time.milliseconds();
        Map<String, Long> since = new HashMap<>();
        for (String topic : List.of(topics.tasks().name(), topics.lookups().name(), topics.lookupResults().name(),
                topics.status().name(), topics.activity().name())) {
            since.put(topic, now - settings.window().toMillis());
        }
        for (String topic : List.of(topics.deadLetters().name(), topics.orphans().name())) {
            since.put(topic, now - settings.deadLetterWindow().toMillis());
        }
        int partitions = reader.assignFrom(since).size();
        reader.start(this::apply, () -> conversations.expire(time.milliseconds()));
        LOG.info("operator console reading {} partitions from {} back ({} for dead letters and orphans)", partitions,
                settings.window(), settings.deadLetterWindow());
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
        return reader.isRunning();
    }

    public void bindMetrics(ClientMeters meters) {
        reader.bindMetrics(meters);
    }

    @Override
    public void close() {
        reader.close();
    }
}
