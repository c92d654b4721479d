package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.IngressClient.Answer;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.TopicContents;
import io.asyncflow.testing.KafkaTestCluster;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingress's accepted paths against a real broker: tasks, idempotency, Genesys events, probes, metrics. */
class IngressServerIT {
    private static final KafkaTestCluster CLUSTER = KafkaTestCluster.shared();

    private RunningIngress ingress;

    @BeforeEach
    void startIngress() {
        ingress = RunningIngress.start(CLUSTER);
    }

    @AfterEach
    void stopIngress() {
        ingress.close();
    }

    @Test
    void shouldAnswer202WithTheTaskIdOfTheTaskItPutOnTheTopic() {
        // given a Data Action request for identify-caller
        long before = System.currentTimeMillis();

        // when it is posted
        Answer answer = ingress.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json"));

        // then the answer is flat JSON naming the task, and the task is on the topic under the conversation's key
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.server()).doesNotContainIgnoringCase("jetty");
        assertThat(answer.json().properties()).allSatisfy(e -> assertThat(e.getValue().isValueNode()).isTrue());
        assertThat(answer.field("status")).isEqualTo("ACCEPTED");
        assertThat(answer.field("conversationId")).isEqualTo(Fixtures.TASK_CONVERSATION);
        assertThat(answer.field("taskType")).isEqualTo("identify-caller");
        String taskId = answer.field("taskId");
        assertThat(taskId).isEqualTo(TaskIds.of(Fixtures.TASK_CONVERSATION, "identify-caller", "identify-caller-1"));

        List<ConsumerRecord<String, TaskEvent>> records = TopicContents.all(CLUSTER, ingress.topics().tasks());
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(Fixtures.TASK_CONVERSATION);
        TaskRequest task = (TaskRequest) records.get(0).value().getEvent();
        assertThat(task.getTaskId()).isEqualTo(taskId);
        assertThat(task.getTaskType()).isEqualTo("identify-caller");
        assertThat(task.getParticipantId()).isEqualTo("6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0");
        assertThat(task.getInputs()).containsExactly(Map.entry("ani", "tel:+33678901234"));
        assertThat(task.getSource()).isEqualTo("data-action");
        assertThat(task.getRequestedAt()).isGreaterThanOrEqualTo(before);
        assertThat(task.getDeadline()).isEqualTo(task.getRequestedAt() + 8000);
    }

    @Test
    void shouldReturnTheSameTaskIdAndProduceOnceForARepeatedIdempotencyKey() {
        // given a request with an idempotency key, accepted once
        Answer first = ingress.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json"));

        // when the same key comes again, and then a different key
        Answer repeat = ingress.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json"));
        Answer otherKey = ingress.client().postJson("/v1/tasks",
                Fixtures.text("tasks/identify-caller.json").replace("identify-caller-1", "identify-caller-2"));

        // then the repeat is a DUPLICATE of the same task and only two tasks are on the topic
        assertThat(first.status()).isEqualTo(202);
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.field("status")).isEqualTo("DUPLICATE");
        assertThat(repeat.field("taskId")).isEqualTo(first.field("taskId"));
        assertThat(otherKey.field("status")).isEqualTo("ACCEPTED");
        assertThat(otherKey.field("taskId")).isNotEqualTo(first.field("taskId"));
        assertThat(TopicContents.values(CLUSTER, ingress.topics().tasks()))
                .map(e -> ((TaskRequest) e.getEvent()).getTaskId())
                .containsExactly(first.field("taskId"), otherKey.field("taskId"));
    }

    @Test
    void shouldProduceOnceWhenTheSameRequestArrivesConcurrently() {
        // given eight copies of one request (same idempotency key) sent at once
        List<CompletableFuture<Answer>> calls = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> ingress.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json"))))
                .toList();

        // when all are answered
        List<Answer> answers = calls.stream().map(CompletableFuture::join).toList();

        // then all name the same task, exactly one produced it, and the topic holds it once
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(202));
        assertThat(answers).extracting(a -> a.field("taskId")).containsOnly(answers.get(0).field("taskId"));
        assertThat(answers).filteredOn(a -> "ACCEPTED".equals(a.field("status"))).hasSize(1);
        assertThat(TopicContents.all(CLUSTER, ingress.topics().tasks())).hasSize(1);
    }

    @Test
    void shouldAcceptATaskAuthenticatedByApiKeyWithoutADeadline() {
        // given a classify-intent request sent with X-API-Key and no deadline
        byte[] body = Fixtures.bytes("tasks/classify-intent.json");

        // when it is posted
        Answer answer = ingress.client().post("/v1/tasks", HttpRequest.BodyPublishers.ofByteArray(body),
                "Content-Type", "application/json; charset=utf-8", "X-API-Key", io.asyncflow.ingress.TestCatalog.TOKEN);

        // then it is accepted and its deadline is left to the task type
        assertThat(answer.status()).isEqualTo(202);
        TaskRequest task = (TaskRequest) TopicContents.values(CLUSTER, ingress.topics().tasks()).get(0).getEvent();
        assertThat(task.getTaskType()).isEqualTo("classify-intent");
        assertThat(task.getDeadline()).isNull();
        assertThat(task.getInputs()).containsKey("transcript");
    }

    @Test
    void shouldStartAutoStartTasksOnCustomerStartAndNothingNewOnRedelivery() {
        // given EventBridge delivers a customer.start, then redelivers it
        Answer first = ingress.client().postJson("/v1/events", Fixtures.bytes("eventbridge/customer-start.json"));
        Answer redelivery = ingress.client().postJson("/v1/events", Fixtures.bytes("eventbridge/customer-start.json"));

        // when a Data Action then asks for the auto-started task type without a key
        Answer dataAction = ingress.client().postJson("/v1/tasks", """
                {"conversationId": "%s", "taskType": "identify-caller", "inputs": {"ani": "tel:+33612345678"}}
                """.formatted(Fixtures.EVENTBRIDGE_CONVERSATION));

        // then STARTED and the identify-caller task (inputs and participant from the event) are produced,
        // every copy with the one task id derived from conversation and type, and the Data Action gets that task
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(first.json().get("ignored").asInt()).isZero();
        assertThat(redelivery.status()).isEqualTo(202);
        String taskId = TaskIds.of(Fixtures.EVENTBRIDGE_CONVERSATION, "identify-caller", null);
        assertThat(dataAction.field("status")).isEqualTo("DUPLICATE");
        assertThat(dataAction.field("taskId")).isEqualTo(taskId);

        List<ConsumerRecord<String, TaskEvent>> records = TopicContents.all(CLUSTER, ingress.topics().tasks());
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(Fixtures.EVENTBRIDGE_CONVERSATION));
        ConversationEvent started = (ConversationEvent) records.get(0).value().getEvent();
        assertThat(started.getType()).isEqualTo(ConversationEventType.STARTED);
        assertThat(started.getParticipantId()).isEqualTo(Fixtures.EVENTBRIDGE_PARTICIPANT);
        assertThat(started.getEventTime()).isEqualTo(1741944413512L);
        assertThat(started.getSource()).isEqualTo("eventbridge");
        TaskRequest task = (TaskRequest) records.get(1).value().getEvent();
        assertThat(task.getTaskType()).isEqualTo("identify-caller");
        assertThat(task.getTaskId()).isEqualTo(taskId);
        assertThat(task.getParticipantId()).isEqualTo(Fixtures.EVENTBRIDGE_PARTICIPANT);
        assertThat(task.getInputs()).containsEntry("ani", "tel:+33612345678").containsEntry("dnis", "tel:+33198765432");
        List<String> taskIds = records.stream().map(r -> r.value().getEvent())
                .filter(TaskRequest.class::isInstance).map(e -> ((TaskRequest) e).getTaskId()).distinct().toList();
        assertThat(taskIds).containsExactly(taskId);
    }

    @Test
    void shouldTurnCustomerEndIntoConversationEnded() {
        // given a customer.end from EventBridge
        byte[] body = Fixtures.bytes("eventbridge/customer-end.json");

        // when it is posted
        Answer answer = ingress.client().postJson("/v1/events", body);

        // then one ENDED conversation event is on the topic and nothing is started
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("accepted").asInt()).isEqualTo(1);
        List<ConsumerRecord<String, TaskEvent>> records = TopicContents.all(CLUSTER, ingress.topics().tasks());
        assertThat(records).hasSize(1);
        ConversationEvent ended = (ConversationEvent) records.get(0).value().getEvent();
        assertThat(ended.getType()).isEqualTo(ConversationEventType.ENDED);
        assertThat(ended.getConversationId()).isEqualTo(Fixtures.EVENTBRIDGE_CONVERSATION);
        assertThat(ended.getEventTime()).isEqualTo(1741944667204L);
    }

    @Test
    void shouldAcceptABatchAndCountItsUnknownTopicWithoutProducingIt() {
        // given a batch: customer.start, an acd.start (unknown topic) and a customer.end of another conversation
        byte[] batch = Fixtures.bytes("eventbridge/batch.json");

        // when it is posted
        Answer answer = ingress.client().postJson("/v1/events", batch);

        // then two events are accepted, one ignored and counted, and their records keep the batch's order
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.json().get("ignored").asInt()).isEqualTo(1);
        List<ConsumerRecord<String, TaskEvent>> records = TopicContents.all(CLUSTER, ingress.topics().tasks());
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                Fixtures.BATCH_STARTED_CONVERSATION, Fixtures.BATCH_STARTED_CONVERSATION, Fixtures.BATCH_ENDED_CONVERSATION);
        assertThat(records.stream().filter(r -> r.key().equals(Fixtures.BATCH_STARTED_CONVERSATION))
                .map(r -> r.value().getEvent().getClass().getSimpleName()))
                .containsExactly("ConversationEvent", "TaskRequest");
        assertThat(metric("asyncflow_ingress_events_total{kind=\"unknown\"}")).isEqualTo(1.0);
    }

    @Test
    void shouldReadNotificationsMessagesAndIgnoreHeartbeatsAndAttributes() {
        // given a Notifications customer.start, a heartbeat and an attributes event
        Answer start = ingress.client().postJson("/v1/events", Fixtures.bytes("notifications/customer-start.json"));
        Answer heartbeat = ingress.client().postJson("/v1/events", Fixtures.bytes("notifications/heartbeat.json"));
        Answer attributes = ingress.client().postJson("/v1/events", Fixtures.bytes("eventbridge/attributes.json"));
        Answer end = ingress.client().postJson("/v1/events", Fixtures.bytes("notifications/customer-end.json"));

        // then only the customer events produce records, marked as coming from notifications
        assertThat(List.of(start, heartbeat, attributes, end)).allSatisfy(a -> assertThat(a.status()).isEqualTo(202));
        assertThat(heartbeat.json().get("ignored").asInt()).isEqualTo(1);
        assertThat(attributes.json().get("ignored").asInt()).isEqualTo(1);
        List<TaskEvent> values = TopicContents.values(CLUSTER, ingress.topics().tasks());
        assertThat(values).hasSize(3);
        assertThat(((ConversationEvent) values.get(0).getEvent()).getSource()).isEqualTo("notification");
        assertThat(((TaskRequest) values.get(1).getEvent()).getSource()).isEqualTo("notification");
        assertThat(((ConversationEvent) values.get(2).getEvent()).getType()).isEqualTo(ConversationEventType.ENDED);
    }

    @Test
    void shouldServeProbesWithoutCredentialsAndMetricsOnlyWithThem() {
        // given a running ingress that accepted one task
        ingress.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json"));

        // when the probes and metrics are read
        Answer health = ingress.client().get("/health");
        Answer ready = ingress.client().get("/ready");
        Answer anonymousMetrics = ingress.client().get("/metrics");
        Answer metrics = ingress.client().get("/metrics", io.asyncflow.ingress.IngressClient.withToken());

        // then probes answer UP, metrics need the token and count requests and produced records
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.field("status")).isEqualTo("UP");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.field("status")).isEqualTo("UP");
        assertThat(anonymousMetrics.status()).isEqualTo(401);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("asyncflow_ingress_records_produced_total{topic=\"" + ingress.topics().tasks().name() + "\"} 1.0")
                .contains("asyncflow_ingress_rejected_total{reason=\"unauthorized\"} 1.0");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(metric("asyncflow_ingress_requests_total{route=\"/v1/tasks\",status=\"202\"}")).isEqualTo(1.0));
    }

    private double metric(String prefix) {
        String text = ingress.client().get("/metrics", io.asyncflow.ingress.IngressClient.withToken()).body();
        return text.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
