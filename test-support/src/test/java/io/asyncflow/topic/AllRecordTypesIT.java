package io.asyncflow.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.testing.SampleRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Every Avro record type travels through a real broker with the default serde. */
class AllRecordTypesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldCarryEveryRecordTypeThroughARealBroker() {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        AsyncFlowConfig config = cluster.freshConfig();
        Topics topics = Topics.from(config);
        String cid = SampleRecords.conversationId();
        var task = SampleRecords.task(SampleRecords.taskRequest(cid, "identify-caller", Map.of("ani", SampleRecords.ANI), 1L));
        var ended = SampleRecords.conversationEvent(cid, ConversationEventType.ENDED);
        LookupRequest lookup = SampleRecords.lookupRequest(cid, "gamma");
        var result = SampleRecords.lookupResult(lookup, LookupOutcome.HIT, Map.of("customerId", "C-42"));
        var status = SampleRecords.status(cid, lookup.getTaskId(), TaskStatus.SUCCESS, 2);
        var dead = SampleRecords.deadLetter("cannot decode");

        cluster.produce(topics.tasks(), cid, task);
        cluster.produce(topics.tasks(), cid, ended);
        cluster.produce(topics.lookups(), cid, lookup);
        cluster.produce(topics.lookupResults(), cid, result);
        cluster.produce(topics.status(), cid, status);
        cluster.produce(topics.orphans(), cid, status);
        cluster.produce(topics.deadLetters(), cid, dead);
        cluster.produce(topics.rawEvents(), cid, "{\"topicName\":\"x\"}");

        assertThat(values(cluster.consume(topics.tasks(), 2, TIMEOUT))).containsExactly(task, ended);
        assertThat(values(cluster.consume(topics.lookups(), 1, TIMEOUT))).containsExactly(lookup);
        assertThat(values(cluster.consume(topics.lookupResults(), 1, TIMEOUT))).containsExactly(result);
        assertThat(values(cluster.consume(topics.status(), 1, TIMEOUT))).containsExactly(status);
        assertThat(values(cluster.consume(topics.orphans(), 1, TIMEOUT))).containsExactly(status);
        assertThat(values(cluster.consume(topics.deadLetters(), 1, TIMEOUT))).containsExactly(dead);
        assertThat(values(cluster.consume(topics.rawEvents(), 1, TIMEOUT))).containsExactly("{\"topicName\":\"x\"}");
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
