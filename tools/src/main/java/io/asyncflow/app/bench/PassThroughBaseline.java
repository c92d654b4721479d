package io.asyncflow.app.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The ceiling: a Kafka Streams application that only copies records from one topic to another on
 * the same broker, with the processor's settings (guarantee, commit interval, producer
 * {@code linger.ms=0}, no cache). Records carry their due time; a {@code read_committed} consumer
 * measures due time → consumed, under the same open-loop rate.
 */
final class PassThroughBaseline {
    private final String bootstrap;
    private final Duration commitInterval;

    /** @param commitInterval the processor's {@code processor.commit-interval} */
    PassThroughBaseline(String bootstrap, Duration commitInterval) {
        this.bootstrap = bootstrap;
        this.commitInterval = commitInterval;
    }

    Duration commitInterval() {
        return commitInterval;
    }

    StepResultLite run(String guarantee, int rate, Duration warmup, Duration duration) throws Exception {
        String prefix = "bench-passthrough-" + guarantee.replace('_', '-') + "-" + Long.toString(System.currentTimeMillis(), 36);
        String in = prefix + ".in";
        String outTopic = prefix + ".out";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(in, 3, (short) 1), new NewTopic(outTopic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Path stateDir = Files.createTempDirectory("bench-passthrough-");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("passthrough-source"))
                .to(outTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("passthrough-sink"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        Samples latency = new Samples();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            streams.start();
            List<TopicPartition> partitions = List.of(new TopicPartition(outTopic, 0), new TopicPartition(outTopic, 1), new TopicPartition(outTopic, 2));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            long measureFrom = System.nanoTime() + warmup.toNanos();
            long count = rate * (warmup.toMillis() + duration.toMillis()) / 1000;
            Thread sender = new Thread(() -> send(producer, in, rate, count), "bench-passthrough-sender");
            sender.start();
            long received = 0;
            long giveUp = System.nanoTime() + warmup.toNanos() + duration.toNanos() + Duration.ofSeconds(60).toNanos();
            while (received < count && System.nanoTime() < giveUp) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    long due = ByteBuffer.wrap(r.value()).getLong();
                    received++;
                    if (due >= measureFrom) {
                        latency.add(now - due);
                    }
                }
            }
            sender.join();
            streams.close(Duration.ofSeconds(10));
        }
        return new StepResultLite("Kafka Streams pass-through (" + guarantee + ")", rate, latency.summary(), latency.sorted());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int rate, long count) {
        long period = 1_000_000_000L / rate;
        long begin = System.nanoTime() + 5_000_000L;
        for (long i = 0; i < count; i++) {
            long due = begin + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            byte[] key = Long.toString(i).getBytes();
            producer.send(new ProducerRecord<>(topic, key, ByteBuffer.allocate(8).putLong(due).array()));
        }
        producer.flush();
    }

    /** A latency-only result (no conversations): label, rate and due → consumed latency. */
    record StepResultLite(String label, int rate, Samples.Summary latency, long[] sorted) {
    }
}
