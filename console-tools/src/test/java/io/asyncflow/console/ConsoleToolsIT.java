package io.asyncflow.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.tools.ConsoleProducer;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's stock {@code ConsoleProducer} and {@code ConsoleConsumer}, each in its own JVM as the
 * {@code bin/} scripts run them, with the AsyncFlow reader and formatter, against a real broker.
 */
class ConsoleToolsIT {
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void shouldReplayARecordedConversationWithTheStockProducerAndShowItWithTheStockConsumer() throws Exception {
        // given a fresh tasks topic holding another conversation's record
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        AsyncFlowConfig config = cluster.freshConfig();
        Topics topics = Topics.from(config);
        String tasks = topics.tasks().name();
        String other = SampleRecords.conversationId();
        cluster.produce(topics.tasks(), other, SampleRecords.conversationEvent(other, ConversationEventType.STARTED));
        Path recording = ReplayFilesTest.replayDirectory().resolve("caller-hangs-up.jsonl");
        List<ProducerRecord<byte[], byte[]>> recorded = ConsoleFixtures.read(
                Map.of("topic", tasks, "rebase.time", "false"), Files.readString(recording), 0L);

        // when the recording is replayed with the stock producer (times rebased by default)
        long before = System.currentTimeMillis();
        StockTool.Result produced = StockTool.run(ConsoleProducer.class, recording, TOOL_TIMEOUT,
                "--bootstrap-server", cluster.bootstrapServers(), "--topic", tasks,
                "--line-reader", AsyncFlowRecordReader.class.getName(), "--reader-property", "topic.tasks=" + tasks);
        long after = System.currentTimeMillis();

        // then the topic holds the recorded conversation, moved to now, as the ingress would have written it
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();
        List<ConsumerRecord<byte[], byte[]>> onTopic = bytes(cluster, tasks, 3);
        assertThat(onTopic).hasSize(3);
        List<ConsumerRecord<byte[], byte[]>> replayed = onTopic.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(new String(recorded.get(0).key(), StandardCharsets.UTF_8)))
                .toList();
        assertThat(replayed).hasSize(2);
        TaskRequest original = (TaskRequest) ConsoleFixtures.decodeTaskEvent(recorded.get(0).value()).getEvent();
        TaskRequest request = (TaskRequest) ConsoleFixtures.decodeTaskEvent(replayed.get(0).value()).getEvent();
        long shift = request.getRequestedAt() - original.getRequestedAt();
        assertThat(request.getRequestedAt()).isBetween(before, after);
        ConversationEvent originalEnd = (ConversationEvent) ConsoleFixtures.decodeTaskEvent(recorded.get(1).value()).getEvent();
        TaskEvent expectedRequest = new TaskEvent(TaskRequest.newBuilder(original).setRequestedAt(original.getRequestedAt() + shift).build());
        TaskEvent expectedEnd = new TaskEvent(ConversationEvent.newBuilder(originalEnd).setEventTime(originalEnd.getEventTime() + shift).build());
        assertThat(replayed.get(0).value()).isEqualTo(ConsoleFixtures.encode(expectedRequest));
        assertThat(replayed.get(1).value()).isEqualTo(ConsoleFixtures.encode(expectedEnd));
        assertThat(replayed).extracting(ConsumerRecord::timestamp)
                .containsExactly(recorded.get(0).timestamp() + shift, recorded.get(1).timestamp() + shift);

        // when the stock consumer shows that one conversation
        String cid = new String(recorded.get(0).key(), StandardCharsets.UTF_8);
        StockTool.Result shown = StockTool.run(ConsoleConsumer.class, null, TOOL_TIMEOUT,
                "--bootstrap-server", cluster.bootstrapServers(), "--topic", tasks, "--from-beginning",
                "--max-messages", "3", "--timeout-ms", String.valueOf(READ_TIMEOUT.toMillis()),
                "--formatter", AsyncFlowFormatter.class.getName(), "--formatter-property", "conversation.id=" + cid);

        // then it prints exactly its two records, which read back into the bytes on the topic
        assertThat(shown.exitCode()).as(shown.stderr()).isZero();
        assertThat(shown.lines()).hasSize(2);
        JsonNode end = JSON.readTree(shown.lines().get(1));
        assertThat(end.path("key").asText()).isEqualTo(cid);
        assertThat(end.path("value").path("event").path("io.asyncflow.avro.ConversationEvent").path("type").asText()).isEqualTo("ENDED");
        List<ProducerRecord<byte[], byte[]>> readBack = ConsoleFixtures.read(Map.of("topic", tasks, "rebase.time", "false"), shown.stdout(), 0L);
        assertThat(readBack).extracting(ProducerRecord::value).containsExactly(replayed.get(0).value(), replayed.get(1).value());
    }

    @Test
    void shouldCopyEveryKindOfRecordByteForByteThroughTheStockTools() throws Exception {
        // given every kind of record, as its own producer wrote it, on a one-partition topic
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        String source = "console-source-" + UUID.randomUUID();
        String target = "console-target-" + UUID.randomUUID();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(source, 1, (short) 1), new NewTopic(target, 1, (short) 1))).all().get();
        }
        List<ConsoleFixtures.Written> written = ConsoleFixtures.everyKind();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(cluster))) {
            for (ConsoleFixtures.Written w : written) {
                producer.send(new ProducerRecord<>(source, null, w.timestamp(), w.key(), w.value(), w.headers())).get();
            }
        }

        // when the stock consumer prints them and the stock producer reads its output into another topic
        StockTool.Result dump = StockTool.run(ConsoleConsumer.class, null, TOOL_TIMEOUT,
                "--bootstrap-server", cluster.bootstrapServers(), "--topic", source, "--from-beginning",
                "--max-messages", String.valueOf(written.size()), "--timeout-ms", String.valueOf(READ_TIMEOUT.toMillis()),
                "--formatter", AsyncFlowFormatter.class.getName());
        assertThat(dump.exitCode()).as(dump.stderr()).isZero();
        assertThat(dump.lines()).hasSize(written.size());
        Path lines = Files.writeString(temp.resolve("dump.jsonl"), dump.stdout());
        StockTool.Result load = StockTool.run(ConsoleProducer.class, lines, TOOL_TIMEOUT,
                "--bootstrap-server", cluster.bootstrapServers(), "--topic", target,
                "--line-reader", AsyncFlowRecordReader.class.getName(), "--reader-property", "rebase.time=false");
        assertThat(load.exitCode()).as(load.stderr()).isZero();

        // then the copy holds the same key, value and header bytes and the same timestamps, in order
        List<ConsumerRecord<byte[], byte[]>> original = bytes(cluster, source, written.size());
        List<ConsumerRecord<byte[], byte[]>> copy = bytes(cluster, target, written.size());
        assertThat(copy).hasSize(written.size());
        for (int i = 0; i < written.size(); i++) {
            String what = written.get(i).name();
            assertThat(copy.get(i).key()).as(what).isEqualTo(original.get(i).key());
            assertThat(copy.get(i).value()).as(what).isEqualTo(original.get(i).value());
            assertThat(ConsoleFixtures.headerList(copy.get(i).headers())).as(what)
                    .isEqualTo(ConsoleFixtures.headerList(original.get(i).headers()));
            assertThat(copy.get(i).timestamp()).as(what).isEqualTo(original.get(i).timestamp());
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> bytes(KafkaTestCluster cluster, String topic, int count) {
        return cluster.consume(new Topic<>(topic, Serdes.ByteArray(), Serdes.ByteArray()), count, READ_TIMEOUT);
    }

    private static Properties producerProps(KafkaTestCluster cluster) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }
}
