package io.asyncflow.processor.lookup;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.topic.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the status topic on its own thread and remembers in {@link FinishedTasks} every task
 * whose status is not {@code ONGOING}. It reads all partitions without a consumer group (every
 * worker needs every finished task, and nothing needs committing), starting {@code lookback} ago
 * so a restarted worker still knows the tasks that finished recently. Undecodable statuses are
 * skipped with a warning: the participant-data sink, which owns that topic's records, dead-letters
 * them.
 */
final class StatusReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusReader.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Topic<String, StatusUpdate> topic;
    private final FinishedTasks finished;
    private final Duration lookback;
    private final Duration pollTimeout;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private Map<TopicPartition, Long> catchUpTarget = Map.of();

    StatusReader(Consumer<byte[], byte[]> consumer, Topic<String, StatusUpdate> topic, FinishedTasks finished,
                 Duration lookback, Duration pollTimeout, String threadName) {
        this.consumer = consumer;
        this.topic = topic;
        this.finished = finished;
        this.lookback = lookback;
        this.pollTimeout = pollTimeout;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    synchronized void start() {
        thread.start();
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    /** Waits until the statuses present at start have been read; false after {@code timeout}. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            while (running && !assign()) {
                Thread.sleep(pollTimeout.toMillis());
            }
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
                    remember(record);
                }
                checkCaughtUp();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("status reader woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("status reader of {} stopped: finished tasks are no longer learned", topic, e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean assign() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name());
        if (infos == null || infos.isEmpty()) {
            LOG.warn("status topic {} has no partitions yet; finished tasks are not known until it exists", topic);
            caughtUp.countDown();
            return false;
        }
        List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(tps);
        long since = Time.SYSTEM.milliseconds() - lookback.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        tps.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query);
        for (TopicPartition tp : tps) {
            OffsetAndTimestamp at = start.get(tp);
            if (at == null) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seek(tp, at.offset());
            }
        }
        catchUpTarget = consumer.endOffsets(tps);
        checkCaughtUp();
        return true;
    }

    private void checkCaughtUp() {
        if (caughtUp.getCount() == 0) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> target : catchUpTarget.entrySet()) {
            if (consumer.position(target.getKey()) < target.getValue()) {
                return;
            }
        }
        caughtUp.countDown();
    }

    private void remember(ConsumerRecord<byte[], byte[]> record) {
        StatusUpdate status;
        try {
            status = topic.deserializeValue(record.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping undecodable status at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (status != null && status.getStatus() != TaskStatus.ONGOING) {
            finished.add(status.getTaskId());
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
