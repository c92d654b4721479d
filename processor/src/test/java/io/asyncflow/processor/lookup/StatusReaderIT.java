package io.asyncflow.processor.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

/** The finished-task signal read from the status topic of a real broker. */
class StatusReaderIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaTestCluster cluster = KafkaTestCluster.shared();

    @Test
    void shouldLearnFinishedTasksFromBeforeAndAfterItStartedAndSurviveGarbage() throws Exception {
        // given a task that finished before the reader starts
        AsyncFlowConfig config = cluster.freshConfig();
        Topics topics = Topics.from(config);
        String cid = SampleRecords.conversationId();
        cluster.produce(topics.status(), cid, SampleRecords.status(cid, "task-before", TaskStatus.NOT_FOUND, 2));
        FinishedTasks finished = new FinishedTasks(100, Duration.ofMinutes(10), Time.SYSTEM);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());

        try (StatusReader reader = new StatusReader(consumer, topics.status(), finished, Duration.ofMinutes(10),
                Duration.ofMillis(50), "status-reader-test")) {
            // when
            reader.start();

            // then what was there at start is known once it caught up
            assertThat(reader.awaitCaughtUp(WAIT)).isTrue();
            assertThat(finished.contains("task-before")).isTrue();

            // and later statuses are learned as they come, past a record that is not a status
            cluster.produceRaw(topics.status().name(), cid.getBytes(StandardCharsets.UTF_8), "garbage".getBytes(StandardCharsets.UTF_8));
            cluster.produce(topics.status(), cid, SampleRecords.status(cid, "task-ongoing", TaskStatus.ONGOING, 1));
            cluster.produce(topics.status(), cid, SampleRecords.status(cid, "task-cancelled", TaskStatus.CANCELLED, 2));
            cluster.produce(topics.status(), cid, SampleRecords.status(cid, "task-success", TaskStatus.SUCCESS, 2));
            await().atMost(WAIT).until(() -> finished.contains("task-success"));
            assertThat(finished.contains("task-cancelled")).isTrue();
            assertThat(finished.contains("task-ongoing")).isFalse();
            assertThat(reader.isRunning()).isTrue();
        }
    }
}
