package io.asyncflow.testing;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.TopicAdmin;
import io.asyncflow.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft Kafka cluster inside the test JVM ({@code KafkaClusterTestKit}). {@link #shared()}
 * starts one single-node cluster once per test run; {@link #start(int)} starts a separate cluster
 * of 1–3 brokers (replication 3, {@code min.insync.replicas} 2 when three) that the caller closes.
 */
public final class KafkaTestCluster implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static KafkaTestCluster shared;

    private final KafkaClusterTestKit kit;
    private final int brokers;

    private KafkaTestCluster(KafkaClusterTestKit kit, int brokers) {
        this.kit = kit;
        this.brokers = brokers;
    }

    /** The single-broker cluster shared by every test of this JVM, started on first use. */
    public static synchronized KafkaTestCluster shared() {
        if (shared == null) {
            shared = start(1);
            KafkaTestCluster cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "kafka-test-cluster-stop"));
        }
        return shared;
    }

    /** Starts a new cluster with {@code brokers} brokers (1 to 3); close it when done. */
    public static KafkaTestCluster start(int brokers) {
        if (brokers < 1 || brokers > 3) {
            throw new IllegalArgumentException("1 to 3 brokers, not " + brokers);
        }
        short rf = (short) brokers;
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", String.valueOf(rf))
                    .setConfigProp("offsets.topic.num.partitions", "3")
                    .setConfigProp("transaction.state.log.replication.factor", String.valueOf(rf))
                    .setConfigProp("transaction.state.log.min.isr", String.valueOf(Math.min(2, brokers)))
                    .setConfigProp("transaction.state.log.num.partitions", "3")
                    .setConfigProp("default.replication.factor", String.valueOf(rf))
                    .setConfigProp("min.insync.replicas", String.valueOf(Math.min(2, brokers)))
                    .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024))
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaTestCluster(kit, brokers);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a " + brokers + "-broker Kafka test cluster", e);
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public int brokers() {
        return brokers;
    }

    /** The underlying test kit, for tests that stop and start brokers. */
    public KafkaClusterTestKit kit() {
        return kit;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * Configuration pointing at this cluster with topic names unique to one test, so tests sharing
     * the cluster never read each other's records. The topics are created.
     */
    public AsyncFlowConfig freshConfig(Map<String, String> more) {
        String suffix = "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", bootstrapServers());
        for (var key : Topics.KEYS) {
            if (key.name().startsWith("topic.") && key.defaultValue() != null && key.defaultValue().contains(".")) {
                values.put(key.name(), key.defaultValue() + suffix);
            }
        }
        values.put(Topics.PARTITIONS.name(), "3");
        values.put(Topics.REPLICATION.name(), String.valueOf(brokers));
        values.putAll(more);
        AsyncFlowConfig config = AsyncFlowConfig.of(values);
        try (Admin admin = admin()) {
            TopicAdmin.ensureTopics(admin, Topics.from(config), config);
        }
        return config;
    }

    public AsyncFlowConfig freshConfig() {
        return freshConfig(Map.of());
    }

    /** Produces one record, waiting for the broker's acknowledgement. */
    public <K, V> void produce(Topic<K, V> topic, K key, V value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
            producer.send(new ProducerRecord<>(topic.name(), topic.serializeKey(key), topic.serializeValue(value))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    /** Produces raw bytes (for garbage-input tests). */
    public void produceRaw(String topic, byte[] key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    /**
     * Reads {@code topic} from the beginning until {@code done} accepts the records read so far or
     * {@code timeout} passes; returns what was read (the caller asserts on it).
     */
    public <K, V> List<ConsumerRecord<K, V>> consumeUntil(Topic<K, V> topic, Predicate<List<ConsumerRecord<K, V>>> done,
                                                          Duration timeout) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end && !done.test(records)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                            r.serializedKeySize(), r.serializedValueSize(), topic.deserializeKey(r.key()),
                            topic.deserializeValue(r.value()), r.headers(), r.leaderEpoch()));
                }
            }
        }
        return records;
    }

    /** Reads until at least {@code count} records arrived or the timeout passed. */
    public <K, V> List<ConsumerRecord<K, V>> consume(Topic<K, V> topic, int count, Duration timeout) {
        return consumeUntil(topic, r -> r.size() >= count, timeout);
    }

    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the Kafka test cluster", e);
        }
    }
}
