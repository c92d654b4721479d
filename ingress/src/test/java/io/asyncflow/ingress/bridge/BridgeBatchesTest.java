package io.asyncflow.ingress.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.ingress.genesys.GenesysEventMapper;
import io.asyncflow.ingress.genesys.GenesysEventReader;
import io.asyncflow.ingress.kafka.Outgoing;
import io.asyncflow.kafka.ConsumerEngine;
import io.asyncflow.testing.DrivenTime;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The bridge's policy on the consumer engine, with a mock consumer and a scripted broker. */
class BridgeBatchesTest {
    private static final String RAW = "genesys.events";
    private static final TopicPartition P0 = new TopicPartition(RAW, 0);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final DrivenTime time = new DrivenTime();
    private final List<Integer> batchSizes = new ArrayList<>();
    private int failuresLeft = 1;

    @Test
    void shouldHoldThePartitionsAndResendABatchTheBrokerRejectedThenCommitItOnlyOnceAcknowledged() {
        // given an engine whose broker rejects the first batch
        ConsumerEngine engine = new ConsumerEngine(consumer, new ConsumerEngine.Settings(Duration.ofMillis(10), Duration.ZERO,
                Duration.ZERO, Duration.ZERO, CloseOptions.timeout(Duration.ZERO)), time);
        BridgeBatches batches = new BridgeBatches(engine, translator(), this::send, BACKOFF, time);
        List<Object> seen = new ArrayList<>();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
            for (long offset = 0; offset < 3; offset++) {
                consumer.addRecord(new ConsumerRecord<>(RAW, 0, offset, null, "not json".getBytes(StandardCharsets.UTF_8)));
            }
        });
        consumer.schedulePollTask(() -> seen.addAll(List.of(batchSizes.size(), Set.copyOf(consumer.paused()), committed())));
        consumer.schedulePollTask(() -> time.advance(BACKOFF));
        consumer.schedulePollTask(() -> seen.addAll(List.of(batchSizes.size(), committed())));
        consumer.schedulePollTask(() -> {
            seen.add(Set.copyOf(consumer.paused()));
            engine.stop();
        });

        // when
        engine.run(List.of(RAW), batches);

        // then one rejected send held the partition and committed nothing; the resend after the
        // backoff committed all three records and released the partition
        assertThat(seen).containsExactly(1, Set.of(P0), 0L, 2, 3L, Set.of());
        assertThat(batchSizes).containsExactly(3, 3);
    }

    private CompletableFuture<Void> send(List<Outgoing<?, ?>> records) {
        batchSizes.add(records.size());
        return failuresLeft-- > 0 ? CompletableFuture.failedFuture(new TimeoutException("broker unavailable"))
                : CompletableFuture.completedFuture(null);
    }

    private long committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(P0)).get(P0);
        return offset == null ? -1 : offset.offset();
    }

    private static RawEventTranslator translator() {
        ObjectMapper json = IngressJson.mapper();
        return new RawEventTranslator(new GenesysEventReader(json),
                new GenesysEventMapper(json, TaskCatalog.from(AsyncFlowConfig.of(TestCatalog.config())), new DrivenTime()),
                Topics.defaults(), new IngressMetrics(new SimpleMeterRegistry()));
    }
}
