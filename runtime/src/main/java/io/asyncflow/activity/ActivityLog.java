package io.asyncflow.activity;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.topic.Topic;
import io.asyncflow.trace.Trace;
import io.asyncflow.util.Mask;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link Activity} records (what AsyncFlow did at a conversation's edge that no other
 * topic records) to the activity topic, keyed by conversation id, with the record's trace in its
 * headers. Sending is fire-and-forget through a producer the component already has, from a thread of
 * its own with a bounded queue: an activity is what the operator console shows, not part of a
 * result, so neither a full queue, a full producer buffer nor a missing topic (whose metadata the
 * producer waits for) holds up a write or an answer; a lost activity is logged (the first, then one
 * in a thousand).
 */
public final class ActivityLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityLog.class);

    /** An activity log that drops everything (a component built without a producer, in tests). */
    public static final ActivityLog NONE = new ActivityLog(null, null);

    private final Producer<byte[], byte[]> producer;
    private final Topic<String, Activity> topic;
    private final AtomicLong failures = new AtomicLong();
    private final java.util.concurrent.ExecutorService sender;

    /** Most activities waiting for the sending thread; more are dropped (and counted). */
    static final int QUEUE = 10_000;

    public ActivityLog(Producer<byte[], byte[]> producer, Topic<String, Activity> topic) {
        this.producer = producer;
        this.topic = topic;
        this.sender = producer == null ? null : new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.MILLISECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "asyncflow-activity-" + topic.name());
                    t.setDaemon(true);
                    return t;
                }, (r, pool) -> failed(new IllegalStateException("the activity queue is full or closed")));
    }

    /** Sends {@code activity} with {@code trace} in its headers. */
    public void record(Activity activity, Trace trace) {
        if (producer == null) {
            return;
        }
        try {
            byte[] key = activity.getConversationId() == null ? null : topic.serializeKey(activity.getConversationId());
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(), null, key,
                    topic.serializeValue(activity), trace.writeTo(new RecordHeaders()));
            sender.execute(() -> send(record));
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failed(error);
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Activities lost so far (queue full, producer closed or failing). */
    public long failures() {
        return failures.get();
    }

    /** Sends what is queued, at most {@code timeout}, then stops; call before closing the producer. */
    public void close(java.time.Duration timeout) {
        if (sender == null) {
            return;
        }
        sender.shutdown();
        try {
            sender.awaitTermination(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(1));
    }

    private void failed(Exception error) {
        long n = failures.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            LOG.warn("cannot publish an activity record to {} ({} so far; the console misses them): {}", topic.name(), n,
                    error.toString());
        }
    }

    /** A builder with the fields every activity of a task has. */
    public static Activity.Builder ofTask(ActivityKind kind, String conversationId, String taskId, String taskType) {
        return Activity.newBuilder().setKind(kind).setConversationId(conversationId).setTaskId(taskId).setTaskType(taskType)
                .setItems(List.of()).setAt(System.currentTimeMillis());
    }

    /** An operator's replay of dead letters, for the audit log. */
    public static Activity replay(String actor, List<String> ids, String detail, String conversationId) {
        return Activity.newBuilder().setKind(ActivityKind.REPLAY).setConversationId(conversationId).setOutcome("replayed")
                .setActor(actor).setItems(List.copyOf(ids)).setDetail(Mask.message(detail)).setAttempts(1)
                .setAt(System.currentTimeMillis()).build();
    }
}
