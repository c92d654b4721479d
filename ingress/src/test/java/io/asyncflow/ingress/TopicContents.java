package io.asyncflow.ingress;

import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything on a topic at the time of the call: the end offsets are read first, then records are
 * consumed until that many arrived. Because the ingress answers only after the broker acknowledged,
 * a topic read after the answers holds everything those requests produced.
 */
public final class TopicContents {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicContents() {
    }

    public static <K, V> List<ConsumerRecord<K, V>> all(KafkaTestCluster cluster, Topic<K, V> topic) {
        long expected = endOffsetSum(cluster, topic.name());
        List<ConsumerRecord<K, V>> records = cluster.consumeUntil(topic, r -> r.size() >= expected, TIMEOUT);
        if (records.size() < expected) {
            throw new AssertionError("read " + records.size() + " of " + expected + " records of " + topic + " within " + TIMEOUT);
        }
        return records;
    }

    public static <K, V> List<V> values(KafkaTestCluster cluster, Topic<K, V> topic) {
        return all(cluster, topic).stream().map(ConsumerRecord::value).toList();
    }

    static long endOffsetSum(KafkaTestCluster cluster, String topic) {
        try (Admin admin = cluster.admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> specs = java.util.stream.IntStream.range(0, partitions)
                    .boxed().collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            return admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }
}
