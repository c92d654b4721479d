package io.asyncflow.ingress.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.testing.DrivenTime;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenesysEventMapperTest {
    private static final long NOW = 1_741_944_414_000L;
    private final ObjectMapper json = IngressJson.mapper();
    private final GenesysEventReader reader = new GenesysEventReader(json);
    private final GenesysEventMapper mapper = mapper(TestCatalog.config());

    @Test
    void shouldMapCustomerStartToStartedThenTheAutoStartTasks() throws Exception {
        // when the EventBridge customer.start is mapped
        MappedEvent mapped = mapper.map(event("eventbridge/customer-start.json"), "eventbridge");

        // then STARTED comes first, then identify-caller (auto-start) with the event's inputs; classify-intent is not started
        assertThat(mapped.kind()).isEqualTo(EventTopic.Kind.CUSTOMER_START);
        assertThat(mapped.conversationId()).isEqualTo(Fixtures.EVENTBRIDGE_CONVERSATION);
        assertThat(mapped.records()).hasSize(2);
        ConversationEvent started = (ConversationEvent) mapped.records().get(0).getEvent();
        assertThat(started.getType()).isEqualTo(ConversationEventType.STARTED);
        assertThat(started.getAni()).isEqualTo("tel:+33612345678");
        assertThat(started.getDnis()).isEqualTo("tel:+33198765432");
        assertThat(started.getEventTime()).isEqualTo(1741944413512L);
        TaskRequest task = (TaskRequest) mapped.records().get(1).getEvent();
        assertThat(task.getTaskId()).isEqualTo(TaskIds.of(Fixtures.EVENTBRIDGE_CONVERSATION, "identify-caller", null));
        assertThat(task.getParticipantId()).isEqualTo(Fixtures.EVENTBRIDGE_PARTICIPANT);
        assertThat(task.getInputs()).isEqualTo(Map.of("ani", "tel:+33612345678", "dnis", "tel:+33198765432"));
        assertThat(task.getRequestedAt()).isEqualTo(NOW);
        assertThat(task.getDeadline()).isNull();
        assertThat(task.getSource()).isEqualTo("eventbridge");
        assertThat(mapped.startedTaskIds()).containsExactly(task.getTaskId());
    }

    @Test
    void shouldMapCustomerEndToEndedOnly() throws Exception {
        MappedEvent mapped = mapper.map(event("notifications/customer-end.json"), "notification");
        assertThat(mapped.records()).hasSize(1);
        ConversationEvent ended = (ConversationEvent) mapped.records().get(0).getEvent();
        assertThat(ended.getType()).isEqualTo(ConversationEventType.ENDED);
        assertThat(ended.getConversationId()).isEqualTo(Fixtures.NOTIFICATION_CONVERSATION);
        assertThat(ended.getSource()).isEqualTo("notification");
        assertThat(mapped.startedTaskIds()).isEmpty();
    }

    @Test
    void shouldIgnoreAttributesAndUnknownTopics() throws Exception {
        assertThat(mapper.map(event("eventbridge/attributes.json"), "eventbridge").ignored()).isTrue();
        assertThat(mapper.map(event("eventbridge/attributes.json"), "eventbridge").kind()).isEqualTo(EventTopic.Kind.ATTRIBUTES);
        assertThat(mapper.map(event("notifications/heartbeat.json"), "notification").kind()).isEqualTo(EventTopic.Kind.UNKNOWN);
    }

    @Test
    void shouldStartNothingWhenTheEventLacksARequiredInput() throws Exception {
        // given a withheld number: no ani in the event
        String body = Fixtures.text("notifications/customer-start.json").replace("\"ani\": \"tel:+33611223344\",", "");

        // then STARTED is still produced but identify-caller (which requires ani) is not started
        MappedEvent mapped = mapper.map(reader.read(body.getBytes(StandardCharsets.UTF_8)).get(0), "notification");
        assertThat(mapped.records()).hasSize(1);
        assertThat(((ConversationEvent) mapped.records().get(0).getEvent()).getAni()).isNull();
        assertThat(mapped.startedTaskIds()).isEmpty();
    }

    @Test
    void shouldStartNothingWhenNoTaskTypeIsAutoStarted() throws Exception {
        MappedEvent mapped = mapper(TestCatalog.config(Map.of("task.identify-caller.auto-start", "false")))
                .map(event("eventbridge/customer-start.json"), "eventbridge");
        assertThat(mapped.records()).hasSize(1);
    }

    @Test
    void shouldRefuseCustomerEventsWithoutAConsistentConversationId() {
        String start = Fixtures.text("notifications/customer-start.json");
        assertThatThrownBy(() -> map(start.replace("\"conversationId\": \"" + Fixtures.NOTIFICATION_CONVERSATION + "\"",
                "\"conversationId\": \"3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7\""))).hasMessageContaining("differ");
        assertThatThrownBy(() -> map(start.replace(Fixtures.NOTIFICATION_CONVERSATION, "123"))).hasMessageContaining("conversationId");
        assertThatThrownBy(() -> map(start.replace("\"participantId\": \"7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e\"", "\"participantId\": \"x\"")))
                .hasMessageContaining("participantId");
        assertThatThrownBy(() -> map("{\"topicName\":\"v2.detail.events.conversation." + Fixtures.NOTIFICATION_CONVERSATION + ".customer.end\"}"))
                .hasMessageContaining("eventBody");
    }

    @Test
    void shouldTakeTheConversationIdFromTheTopicWhenTheBodyHasNone() throws Exception {
        MappedEvent mapped = map("{\"topicName\":\"v2.detail.events.conversation." + Fixtures.NOTIFICATION_CONVERSATION
                + ".customer.end\",\"eventBody\":{\"eventTime\":1741949102877}}");
        assertThat(mapped.conversationId()).isEqualTo(Fixtures.NOTIFICATION_CONVERSATION);
    }

    private MappedEvent map(String body) throws MalformedEventException {
        return mapper.map(reader.read(body.getBytes(StandardCharsets.UTF_8)).get(0), "notification");
    }

    private ReceivedEvent event(String fixture) throws MalformedEventException {
        return reader.read(Fixtures.bytes(fixture)).get(0);
    }

    private GenesysEventMapper mapper(Map<String, String> config) {
        return new GenesysEventMapper(json, TaskCatalog.from(AsyncFlowConfig.of(config)),
                DrivenTime.atMillis(NOW));
    }
}
