package io.asyncflow.ingress.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.ingress.genesys.GenesysEventMapper;
import io.asyncflow.ingress.genesys.GenesysEventReader;
import io.asyncflow.ingress.kafka.Outgoing;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class RawEventTranslatorTest {
    private final Topics topics = Topics.defaults();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RawEventTranslator translator = translator();

    @Test
    void shouldTurnAConsoleLineIntoTaskEventsKeyedByConversation() {
        List<Outgoing<?, ?>> out = translator.translate(record(Fixtures.line("eventbridge/customer-start.json")));
        assertThat(out).hasSize(2).allSatisfy(o -> {
            assertThat(o.topic()).isEqualTo(topics.tasks());
            assertThat(o.key()).isEqualTo(Fixtures.EVENTBRIDGE_CONVERSATION);
            assertThat(o.value()).isInstanceOf(TaskEvent.class);
        });
        assertThat(registry.counter("asyncflow.bridge.records", "outcome", "mapped").count()).isEqualTo(1.0);
    }

    @Test
    void shouldProduceNothingForIgnoredTopics() {
        assertThat(translator.translate(record(Fixtures.line("notifications/heartbeat.json")))).isEmpty();
        assertThat(registry.counter("asyncflow.ingress.events", "kind", "unknown").count()).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterGarbageWithItsReasonAndOriginalBytes() {
        // given a record that is not an event
        ConsumerRecord<byte[], byte[]> garbage = record("{\"detail\": 42");

        // when it is translated
        List<Outgoing<?, ?>> out = translator.translate(garbage);

        // then it becomes one dead letter of stage ingress-bridge pointing at the original record
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo(topics.deadLetters());
        DeadLetter dead = (DeadLetter) out.get(0).value();
        assertThat(dead.getStage()).isEqualTo("ingress-bridge");
        assertThat(dead.getReason()).contains("JSON");
        assertThat(dead.getTopic()).isEqualTo("genesys.events");
        assertThat(dead.getPartition()).isEqualTo(2);
        assertThat(dead.getOffset()).isEqualTo(41L);
        assertThat(StandardCharsets.UTF_8.decode(dead.getValue()).toString()).isEqualTo("{\"detail\": 42");
        assertThat(registry.counter("asyncflow.bridge.records", "outcome", "dead-letter").count()).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterEmptyRecords() {
        ConsumerRecord<byte[], byte[]> tombstone = new ConsumerRecord<>("genesys.events", 0, 3L, "k".getBytes(StandardCharsets.UTF_8), null);
        List<Outgoing<?, ?>> out = translator.translate(tombstone);
        assertThat(((DeadLetter) out.get(0).value()).getReason()).contains("empty");
        assertThat(out.get(0).key()).isEqualTo("k");
    }

    private static ConsumerRecord<byte[], byte[]> record(String value) {
        return new ConsumerRecord<>("genesys.events", 2, 41L, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private RawEventTranslator translator() {
        ObjectMapper json = IngressJson.mapper();
        return new RawEventTranslator(new GenesysEventReader(json),
                new GenesysEventMapper(json, TaskCatalog.from(AsyncFlowConfig.of(TestCatalog.config())), Time.SYSTEM),
                topics, new IngressMetrics(registry));
    }

    @Test
    void shouldMaskACallersNumberTheParserQuotesInTheReason() {
        // given a broken event whose bad token is a caller's number
        ConsumerRecord<byte[], byte[]> garbage = record("{\"ani\": ani33611111103}");

        // when
        DeadLetter dead = (DeadLetter) translator.translate(garbage).get(0).value();

        // then the reason is masked, the original bytes are kept whole for replay
        assertThat(dead.getReason()).isNotBlank().doesNotContain("611111103");
        assertThat(StandardCharsets.UTF_8.decode(dead.getValue()).toString()).contains("33611111103");
    }
}
