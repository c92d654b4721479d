package io.asyncflow.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.asyncflow.app.run.TopicSetup;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @Test
    void shouldRunARealBrokerInAChildJvmAndStopItOnClose() throws Exception {
        // given
        EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults());
        long pid;
        Path workDir;
        try (kafka) {
            kafka.start();
            pid = kafka.pid();
            workDir = kafka.workDir();
            System.out.printf("embedded broker started in %d ms%n", kafka.startupTime().toMillis());
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(kafka.isRunning()).isTrue();

            // when
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("it-topic", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            produce(kafka.bootstrapServers(), "it-topic", "conversation-1", "hello");
            List<ConsumerRecord<String, String>> read = consume(kafka.bootstrapServers(), "it-topic", 1);

            // then
            assertThat(read).extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("conversation-1", "hello"));
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("broker process after close").isFalse();
        assertThat(Files.exists(workDir)).as("temporary directory after close").isFalse();
        assertThat(kafka.isRunning()).isFalse();
    }

    @Test
    void shouldCreateAsyncFlowTopicsAndKeepDataBetweenRunsInAWorkDirectory(@TempDir Path dir) throws Exception {
        // given
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withWorkDir(dir);
        AsyncFlowConfig config;
        try (EmbeddedKafka first = new EmbeddedKafka(options)) {
            first.start();
            config = AsyncFlowConfig.of(Map.of("kafka.bootstrap.servers", first.bootstrapServers(), "topic.partitions", "2"));
            assertThat(TopicSetup.ensureTopics(config)).isTrue();
            produce(first.bootstrapServers(), Topics.from(config).rawEvents().name(), "c", "{\"kept\":true}");
        }

        // when: a second run on the same directory, on another port
        try (EmbeddedKafka second = new EmbeddedKafka(options)) {
            second.start();

            // then
            Set<String> names;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
                names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            }
            assertThat(names).containsAll(Topics.from(config).all().stream().map(Topic::name).toList());
            assertThat(consume(second.bootstrapServers(), Topics.from(config).rawEvents().name(), 1))
                    .extracting(ConsumerRecord::value).containsExactly("{\"kept\":true}");
        }
        assertThat(dir.resolve("kafka.log")).exists();
        assertThat(dir.resolve("data/meta.properties")).exists();
    }

    @Test
    void shouldRefuseAPortInUseBeforeStartingAnything() throws IOException {
        // given
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults().withPort(taken.getLocalPort()));

            // then
            assertThatThrownBy(kafka::start)
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("already in use");
            assertThat(kafka.isRunning()).isFalse();
        }
    }

    @Test
    void shouldFailWithTheBrokerLogWhenTheBrokerCannotStart() {
        // given
        EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults().withOverride("num.io.threads", "0"));

        // then
        assertThatThrownBy(kafka::start)
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("last lines of")
                .hasMessageContaining("num.io.threads");
        assertThat(kafka.isRunning()).isFalse();
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }
}
