package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.config.TaskTypeConfig;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterHandlerTest {
    private static final byte[] KEY = "conv-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {1, 2, 3, 4};

    private final Topics topics = Topics.defaults();
    private final DeadLetterHandler handler = handler();

    @Test
    void shouldSendARecordThatFailsProcessingToTheDeadLetterTopicAndKeepGoing() {
        // given a catalog whose task type names a backend that does not exist, so fan-out throws
        TaskTypeConfig broken = new TaskTypeConfig("broken", List.of("nowhere"), TaskTypeConfig.Policy.FIRST_MATCH,
                Duration.ofSeconds(8), List.of(), false, false, "s", "r", "b", "t");
        TaskCatalog healthy = TaskCatalog.from(TopologyFixture.config(Map.of()));
        TaskCatalog catalog = new TaskCatalog(Map.of("broken", broken, TopologyFixture.IDENTIFY,
                healthy.taskType(TopologyFixture.IDENTIFY).orElseThrow()), healthy.backends());
        try (TopologyFixture fixture = new TopologyFixture(TopologyFixture.config(Map.of()), catalog)) {
            String conversation = SampleRecords.conversationId();

            // when
            fixture.send(fixture.request(conversation, "broken", Map.of()));
            fixture.send(fixture.identify(conversation));

            // then
            DeadLetter letter = fixture.deadLetters.readValuesToList().get(0);
            assertThat(letter.getStage()).isEqualTo("processor");
            assertThat(letter.getReason()).startsWith("processing failed in first-match-aggregator: IllegalArgumentException");
            assertThat(letter.getTopic()).isEqualTo(fixture.topics.tasks().name());
            assertThat(letter.getOffset()).isZero();
            assertThat(letter.getConversationId()).isEqualTo(conversation);
            assertThat(fixture.status.readValuesToList()).extracting(StatusUpdate::getStatus).containsExactly(TaskStatus.ONGOING);
            assertThat(fixture.lookups.readValuesToList()).hasSize(3);
        }
    }

    @Test
    void shouldResumeWithADeadLetterWhenAnOutputCannotBeEncoded() {
        // when
        ProductionExceptionHandler.Response response = handler.handleSerializationError(context(), record(),
                new SerializationException("schema mismatch"), ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);

        // then
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        DeadLetter letter = decoded(response.deadLetterQueueRecords());
        assertThat(letter.getReason()).isEqualTo("cannot encode the value of a record for asyncflow.status: "
                + "SerializationException: schema mismatch");
        assertThat(letter.getTopic()).isEqualTo("asyncflow.tasks");
        assertThat(letter.getPartition()).isEqualTo(2);
        assertThat(letter.getOffset()).isEqualTo(41L);
        assertThat(letter.getValue().array()).isEqualTo(VALUE);
    }

    @Test
    void shouldResumeWithADeadLetterWhenAnOutputIsTooLarge() {
        // when
        ProductionExceptionHandler.Response response = handler.handleError(context(), record(), new RecordTooLargeException("2 MB"));

        // then
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(decoded(response.deadLetterQueueRecords()).getReason()).startsWith("cannot write to asyncflow.status: RecordTooLarge");
    }

    @Test
    void shouldRetryARetriableProductionErrorAndFailOnOthers() {
        assertThat(handler.handleError(context(), record(), new TimeoutException("slow")).result())
                .isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(handler.handleError(context(), record(), new TopicAuthorizationException("denied")).result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    @Test
    void shouldResumeWithADeadLetterOnAProcessingError() {
        // when
        ProcessingExceptionHandler.Response response = handler.handleError(context(), new Record<>("conv-1", "x", 0L),
                new IllegalStateException("boom", new ArithmeticException("zero")));

        // then
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(decoded(response.deadLetterQueueRecords()).getReason())
                .isEqualTo("processing failed in first-match-aggregator: IllegalStateException: boom (caused by ArithmeticException: zero)");
    }

    @Test
    void shouldRefuseToStartWithoutTheDeadLetterTopic() {
        assertThatThrownBy(() -> new DeadLetterHandler().configure(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(DeadLetterHandler.TOPIC_CONFIG);
    }

    private DeadLetterHandler handler() {
        DeadLetterHandler h = new DeadLetterHandler();
        h.configure(Map.of(DeadLetterHandler.TOPIC_CONFIG, topics.deadLetters()));
        return h;
    }

    private DeadLetter decoded(List<ProducerRecord<byte[], byte[]>> records) {
        assertThat(records).hasSize(1);
        assertThat(records.get(0).topic()).isEqualTo(topics.deadLetters().name());
        assertThat(records.get(0).key()).isEqualTo(KEY);
        return topics.deadLetters().deserializeValue(records.get(0).value());
    }

    private static ProducerRecord<byte[], byte[]> record() {
        return new ProducerRecord<>("asyncflow.status", KEY, new byte[]{9});
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return "asyncflow.tasks";
            }

            @Override
            public int partition() {
                return 2;
            }

            @Override
            public long offset() {
                return 41;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return TopologyFactory.AGGREGATOR;
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 2);
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return KEY;
            }

            @Override
            public byte[] sourceRawValue() {
                return VALUE;
            }
        };
    }

    @Test
    void shouldMaskACallersNumberQuotedInTheReason() {
        // when an exception quotes caller data, as a parser's or a backend's message can
        ProcessingExceptionHandler.Response response = handler.handleError(context(), new Record<>("conv-1", "x", 0L),
                new IllegalArgumentException("no customer for ani tel:+33611111103\r\nforged line"));

        // then the dead letter's readable reason keeps the cause but not the number or the line break
        assertThat(decoded(response.deadLetterQueueRecords()).getReason())
                .contains("no customer for ani tel:+33*******03", "forged line")
                .doesNotContain("611111103", "\r", "\n");
        assertThat(decoded(response.deadLetterQueueRecords()).getValue().array()).isEqualTo(VALUE);
    }
}
