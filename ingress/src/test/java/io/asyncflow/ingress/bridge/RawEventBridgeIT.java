package io.asyncflow.ingress.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.ingress.TopicContents;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The raw-event bridge on a real broker: JSON lines become task events, garbage becomes dead letters, the loop goes on. */
class RawEventBridgeIT {
    private static final KafkaTestCluster CLUSTER = KafkaTestCluster.shared();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldBridgeValidLinesAndDeadLetterGarbageWhileTheLoopKeepsRunning() {
        // given a running bridge
        AsyncFlowConfig config = CLUSTER.freshConfig(TestCatalog.config(Map.of("bridge.group-id", "bridge-" + UUID.randomUUID())));
        Topics topics = Topics.from(config);
        try (RawEventBridge bridge = new RawEventBridge(config)) {
            bridge.start();

            // when lines arrive as kafka-console-producer writes them: valid events mixed with garbage
            produce(topics, Fixtures.line("eventbridge/customer-start.json"));
            produce(topics, "this is not JSON");
            produce(topics, Fixtures.line("notifications/heartbeat.json"));
            produce(topics, "{\"topicName\":\"v2.detail.events.conversation.not-a-uuid.customer.end\",\"eventBody\":{}}");
            CLUSTER.produceRaw(topics.rawEvents().name(), null, new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF});
            produce(topics, Fixtures.line("notifications/customer-end.json"));

            // then the valid events are on the task topic, in order per conversation
            List<TaskEvent> tasks = values(CLUSTER.consume(topics.tasks(), 3, TIMEOUT));
            assertThat(tasks).hasSize(3);
            ConversationEvent started = (ConversationEvent) tasks.stream().filter(t -> t.getEvent() instanceof ConversationEvent c
                    && c.getType() == ConversationEventType.STARTED).findFirst().orElseThrow().getEvent();
            assertThat(started.getConversationId()).isEqualTo(Fixtures.EVENTBRIDGE_CONVERSATION);
            assertThat(started.getSource()).isEqualTo("bridge");
            TaskRequest task = (TaskRequest) tasks.stream().filter(t -> t.getEvent() instanceof TaskRequest).findFirst().orElseThrow().getEvent();
            assertThat(task.getTaskId()).isEqualTo(TaskIds.of(Fixtures.EVENTBRIDGE_CONVERSATION, "identify-caller", null));
            assertThat(task.getSource()).isEqualTo("bridge");
            assertThat(tasks).anySatisfy(t -> assertThat(t.getEvent()).isInstanceOfSatisfying(ConversationEvent.class,
                    c -> assertThat(c.getType()).isEqualTo(ConversationEventType.ENDED)));

            // and the three unreadable records are dead letters with their reasons and original bytes
            List<DeadLetter> dead = values(CLUSTER.consume(topics.deadLetters(), 3, TIMEOUT));
            assertThat(dead).hasSize(3);
            assertThat(dead).allSatisfy(d -> {
                assertThat(d.getStage()).isEqualTo("ingress-bridge");
                assertThat(d.getReason()).isNotBlank();
                assertThat(d.getTopic()).isEqualTo(topics.rawEvents().name());
                assertThat(d.getOffset()).isNotNull();
            });
            assertThat(dead).extracting(d -> StandardCharsets.UTF_8.decode(d.getValue()).toString())
                    .contains("this is not JSON");
            assertThat(dead).anySatisfy(d -> assertThat(d.getReason()).contains("conversationId"));

            // and the loop is still running: a later valid line is bridged too
            produce(topics, Fixtures.line("eventbridge/customer-end.json"));
            assertThat(CLUSTER.consume(topics.tasks(), 4, TIMEOUT)).hasSize(4);
            assertThat(bridge.isRunning()).isTrue();
        }
    }

    @Test
    void shouldCommitAfterTheBrokerAcknowledgedSoARestartRepeatsNothing() {
        // given a bridge that bridged one event and stopped
        AsyncFlowConfig config = CLUSTER.freshConfig(TestCatalog.config(Map.of("bridge.group-id", "bridge-" + UUID.randomUUID())));
        Topics topics = Topics.from(config);
        try (RawEventBridge bridge = new RawEventBridge(config)) {
            bridge.start();
            produce(topics, Fixtures.line("eventbridge/customer-end.json"));
            assertThat(CLUSTER.consume(topics.tasks(), 1, TIMEOUT)).hasSize(1);
        }

        // when a new bridge of the same group starts and one more event arrives
        try (RawEventBridge restarted = new RawEventBridge(config)) {
            restarted.start();
            produce(topics, Fixtures.line("notifications/customer-end.json"));
            List<ConsumerRecord<String, TaskEvent>> seen = CLUSTER.consume(topics.tasks(), 2, TIMEOUT);
            assertThat(seen).hasSize(2);
        }

        // then the task topic holds each event once
        assertThat(TopicContents.all(CLUSTER, topics.tasks())).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(Fixtures.EVENTBRIDGE_CONVERSATION, Fixtures.NOTIFICATION_CONVERSATION);
    }

    private static void produce(Topics topics, String line) {
        CLUSTER.produce(topics.rawEvents(), null, line);
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
