package io.asyncflow.ingress.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.IngressJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenesysEventReaderTest {
    private final GenesysEventReader reader = new GenesysEventReader(
            IngressJson.eventMapper());

    @Test
    void shouldReadAnEventBridgeEnvelopeWithItsDetail() throws Exception {
        List<ReceivedEvent> events = reader.read(Fixtures.bytes("eventbridge/customer-start.json"));
        assertThat(events).hasSize(1);
        ReceivedEvent event = events.get(0);
        assertThat(event.origin()).isEqualTo(ReceivedEvent.Origin.EVENTBRIDGE);
        assertThat(event.envelopeId()).isEqualTo("5b0e3c2a-9d4f-4e61-8a57-2f1c6d8e4b10");
        assertThat(event.notification().topicName()).endsWith(Fixtures.EVENTBRIDGE_CONVERSATION + ".customer.start");
        assertThat(event.notification().eventBody().get("eventTime").asLong()).isEqualTo(1741944413512L);
        assertThat(event.notification().metadata().get("CorrelationId").asText()).isEqualTo("c7d8e9f0-1a2b-4c3d-9e4f-5a6b7c8d9e0f");
    }

    @Test
    void shouldReadABatchInOrder() throws Exception {
        assertThat(reader.read(Fixtures.bytes("eventbridge/batch.json")))
                .extracting(e -> EventTopic.parse(e.notification().topicName()).kind())
                .containsExactly(EventTopic.Kind.CUSTOMER_START, EventTopic.Kind.UNKNOWN, EventTopic.Kind.CUSTOMER_END);
    }

    @Test
    void shouldReadNotificationsMessagesIncludingHeartbeats() throws Exception {
        ReceivedEvent start = reader.read(Fixtures.bytes("notifications/customer-start.json")).get(0);
        ReceivedEvent heartbeat = reader.read(Fixtures.bytes("notifications/heartbeat.json")).get(0);
        assertThat(start.origin()).isEqualTo(ReceivedEvent.Origin.NOTIFICATION);
        assertThat(start.envelopeId()).isNull();
        assertThat(heartbeat.notification().topicName()).isEqualTo("channel.metadata");
    }

    @Test
    void shouldExplainWhatIsWrongWithUnreadableInput() {
        assertThatThrownBy(() -> read("{\"topicName\":")).isInstanceOf(MalformedEventException.class).hasMessageContaining("JSON");
        assertThatThrownBy(() -> read("[]")).hasMessageContaining("empty batch");
        assertThatThrownBy(() -> read("\"text\"")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> read("{\"id\":\"x\"}")).hasMessageContaining("neither");
        assertThatThrownBy(() -> read("{\"detail\":{\"version\":\"2\"}}")).hasMessageContaining("topicName");
        assertThatThrownBy(() -> read("[{\"topicName\":\"a\"}, 7]")).hasMessageContaining("event [1]");
        assertThatThrownBy(() -> read("{\"topicName\":[1]}")).hasMessageContaining("type");
    }

    @Test
    void shouldDescribeABadBodyInItsOwnWordsWithoutQuotingIt() {
        // the parser's own message quotes the body (a caller's number here) and names its classes
        assertThatThrownBy(() -> read("{\"topicName\": tel33611111103}")).isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("not valid JSON at line 1, column")
                .message().doesNotContain("33611111103", "Unrecognized", "jackson", "Source");
        assertThatThrownBy(() -> read("{\"topicName\":\"v2.detail.events.conversation.x.customer.start\",\"topicName\":\"y\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("a key appears twice");
        assertThatThrownBy(() -> read("{\"topicName\":\"v2.x\",\"version\":{\"ani\":\"tel:+33611111103\"}}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("unexpected field type: field 'version'")
                .message().doesNotContain("33611111103", "Cannot deserialize", "java.");
    }

    private List<ReceivedEvent> read(String json) throws MalformedEventException {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }
}
