package io.asyncflow.ingress.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.ingress.IngressClient;
import io.asyncflow.ingress.IngressClient.Answer;
import io.asyncflow.ingress.IngressServer;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The result endpoint on a real broker: long polls answered by statuses another client commits,
 * two ingress instances answering for one task, a restarted ingress answering what was decided
 * before, unreadable records skipped, 2,000 polls waiting at once, and the refusals (401, 400, 404).
 */
class ResultEndpointIT {
    private static final KafkaTestCluster CLUSTER = KafkaTestCluster.shared();
    private static final String TYPE = "identify-caller";

    private final List<IngressServer> servers = new ArrayList<>();
    private final AsyncFlowConfig config = CLUSTER.freshConfig(TestCatalog.config(Map.of("ingress.max-wait", "10s")));
    private final Topics topics = Topics.from(config);
    private final String conversation = UUID.randomUUID().toString();
    private final String taskId = TaskIds.of(conversation, TYPE, null);

    @AfterEach
    void stopServers() {
        servers.forEach(IngressServer::close);
    }

    @Test
    void shouldAnswerAWaitingPollWithTheStatusAnotherClientCommitsAndNeverWithAnAbortedOne() {
        // given a task accepted by the ingress and a long poll waiting on it
        IngressClient client = start();
        assertThat(accept(client).status()).isEqualTo(202);
        CompletableFuture<Answer> poll = client.getAsync("/v1/tasks/" + taskId + "?wait=10s", withToken());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metric(client, "asyncflow_ingress_result_waiting") == 1.0);
        long start = System.nanoTime();

        // when the processor (another client, in transactions) aborts a SUCCESS, then commits ONGOING and NOT_FOUND
        try (StatusWriter processor = new StatusWriter(CLUSTER, topics.status())) {
            processor.abort(conversation, taskId, TaskStatus.SUCCESS, 2);
            processor.commit(conversation, taskId, TaskStatus.ONGOING, 1);
            processor.commit(conversation, taskId, TaskStatus.NOT_FOUND, 2);
        }
        Answer answer = poll.join();

        // then the poll answers NOT_FOUND well before its wait ends, as flat strings
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.field("status")).isEqualTo("NOT_FOUND");
        assertThat(answer.field("final")).isEqualTo("true");
        assertThat(answer.field("version")).isEqualTo("2");
        assertThat(answer.field("taskId")).isEqualTo(taskId);
        assertThat(answer.field("conversationId")).isEqualTo(conversation);
        assertThat(answer.json().properties()).allSatisfy(e ->
                assertThat(e.getValue().isTextual() || e.getKey().equals("attributes")).as(e.getKey()).isTrue());
        assertThat(metric(client, "asyncflow_ingress_result_waits_total{outcome=\"final\"")).isEqualTo(1.0);
    }

    @Test
    void shouldAnswerForTheSameTaskOnTwoIngressInstancesWithoutStickyRouting() {
        // given two ingress instances, and a task accepted by the first
        IngressClient first = start();
        IngressClient second = start();
        assertThat(accept(first).status()).isEqualTo(202);

        // when the second is asked for it before any status (it learns it from the tasks topic), then waits for it
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> byConversation(second, "").status() == 200);
        Answer beforeStatus = byConversation(second, "");
        CompletableFuture<Answer> poll = second.getAsync(conversationPath() + "&wait=10s", withToken());
        try (StatusWriter processor = new StatusWriter(CLUSTER, topics.status())) {
            processor.commit(conversation, taskId, TaskStatus.SUCCESS, 2);
        }

        // then the second knew the task as ACCEPTED, and both answer SUCCESS with its attributes
        assertThat(beforeStatus.field("status")).isEqualTo("ACCEPTED");
        assertThat(beforeStatus.field("final")).isEqualTo("false");
        Answer waited = poll.join();
        assertThat(waited.field("status")).isEqualTo("SUCCESS");
        assertThat(waited.json().at("/attributes/customerId").asText()).isEqualTo("C-1001");
        assertThat(waited.field("backend")).isEqualTo("gamma");
        Answer onFirst = first.get("/v1/tasks/" + taskId + "?wait=5s", withToken());
        assertThat(onFirst.field("status")).isEqualTo("SUCCESS");
    }

    @Test
    void shouldAnswerANewPollOnARestartedIngressWithTheStatusDecidedBeforeTheRestart() {
        // given a task accepted and decided while an ingress ran, then that ingress stopped
        IngressClient before = start();
        assertThat(accept(before).status()).isEqualTo(202);
        try (StatusWriter processor = new StatusWriter(CLUSTER, topics.status())) {
            processor.commit(conversation, taskId, TaskStatus.ONGOING, 1);
            processor.commit(conversation, taskId, TaskStatus.TIMEOUT, 2);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                "TIMEOUT".equals(before.get("/v1/tasks/" + taskId, withToken()).field("status")));
        servers.remove(0).close();

        // when a new ingress starts with the same configuration and is asked with a long poll
        IngressClient after = start();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> after.get("/ready").status() == 200);
        Answer answer = after.get("/v1/tasks/" + taskId + "?wait=5s", withToken());

        // then it answers the status decided before the restart, at once
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.field("status")).isEqualTo("TIMEOUT");
        assertThat(answer.field("final")).isEqualTo("true");
    }

    @Test
    void shouldSkipUnreadableRecordsOnTheStatusAndTasksTopicsAndKeepAnswering() {
        // given a running ingress whose topics receive garbage
        IngressClient client = start();
        CLUSTER.produceRaw(topics.status().name(), conversation.getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {0, 1, 2, 3});
        CLUSTER.produceRaw(topics.tasks().name(), null, "not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        // when a task is accepted and decided after the garbage
        assertThat(accept(client).status()).isEqualTo(202);
        try (StatusWriter processor = new StatusWriter(CLUSTER, topics.status())) {
            processor.commit(conversation, taskId, TaskStatus.ERROR, 2);
        }

        // then the ingress still answers, and stays healthy
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                "ERROR".equals(client.get("/v1/tasks/" + taskId + "?wait=5s", withToken()).field("status")));
        assertThat(client.get("/health").status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseWithoutCredentialsBadIdsAndUnknownTasksInTheErrorShapeOfTheOtherEndpoints() {
        // given a running ingress
        IngressClient client = start();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> client.get("/ready").status() == 200);

        // when it is asked without a token, with bad ids or a bad wait, and for a task nobody accepted
        Answer noToken = client.get("/v1/tasks/" + taskId);
        Answer wrongToken = client.get("/v1/tasks/" + taskId, "Authorization", "Bearer wrong-token-0123456789");
        Answer badTaskId = client.get("/v1/tasks/not-a-uuid", withToken());
        Answer badConversation = client.get("/v1/conversations/123/tasks/" + TYPE, withToken());
        Answer unknownType = client.get("/v1/conversations/" + conversation + "/tasks/launch-rockets", withToken());
        Answer badWait = client.get("/v1/tasks/" + taskId + "?wait=soon", withToken());
        Answer unknown = client.get("/v1/tasks/" + taskId, withToken());
        Answer unknownAfterWait = client.get("/v1/conversations/" + conversation + "/tasks/" + TYPE + "?wait=3s", withToken());

        // then 401, 400 and 404 with {"error", "message"}
        assertError(noToken, 401, "unauthorized");
        assertError(wrongToken, 401, "unauthorized");
        assertError(badTaskId, 400, "invalid-field");
        assertError(badConversation, 400, "invalid-field");
        assertError(unknownType, 400, "unknown-task-type");
        assertError(badWait, 400, "invalid-field");
        assertError(unknown, 404, "not-found");
        assertError(unknownAfterWait, 404, "not-found");
        assertThat(unknown.field("message")).startsWith("no task " + taskId);
        assertThat(client.get("/v1/no-such-thing", withToken()).field("message")).isEqualTo("no such endpoint");
        assertThat(metric(client, "asyncflow_ingress_requests_total{route=\"/v1/tasks/{taskId}\",status=\"404\"")).isEqualTo(1.0);
    }

    @Test
    void shouldHoldTwoThousandWaitingPollsAndAnswerThemAllWhenTheirStatusesArrive() {
        // given 100 accepted tasks and 2,000 long polls waiting on them (20 per task)
        IngressClient client = start();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> client.get("/ready").status() == 200);
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            conversations.add(UUID.randomUUID().toString());
        }
        conversations.forEach(c -> assertThat(client.postJson("/v1/tasks", body(c)).status()).isEqualTo(202));
        List<CompletableFuture<Answer>> polls = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String c = conversations.get(i % 100);
            polls.add(client.getAsync("/v1/conversations/" + c + "/tasks/" + TYPE + "?wait=10s", withToken()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metric(client, "asyncflow_ingress_result_waiting") == 2000.0);

        // when their final statuses are committed
        long start = System.nanoTime();
        try (StatusWriter processor = new StatusWriter(CLUSTER, topics.status())) {
            conversations.forEach(c -> processor.commit(c, TaskIds.of(c, TYPE, null), TaskStatus.SUCCESS, 2));
        }
        long committed = System.nanoTime();
        List<Answer> answers = polls.stream().map(CompletableFuture::join).toList();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Duration afterLastCommit = Duration.ofNanos(System.nanoTime() - committed);

        // then every poll answers SUCCESS before its wait ends
        assertThat(answers).allSatisfy(a -> assertThat(a.field("status")).as(a.body()).isEqualTo("SUCCESS"));
        assertThat(took).isLessThan(Duration.ofSeconds(9));
        System.out.printf("2000 waiting polls: last answer %d ms after the first of 100 status transactions, %d ms after the last%n",
                took.toMillis(), afterLastCommit.toMillis());
    }

    private IngressClient start() {
        IngressServer server = new IngressServer(config);
        server.start();
        servers.add(server);
        return new IngressClient("127.0.0.1", server.port());
    }

    private Answer accept(IngressClient client) {
        return client.postJson("/v1/tasks", body(conversation));
    }

    private Answer byConversation(IngressClient client, String query) {
        return client.get(conversationPath() + query, withToken());
    }

    private String conversationPath() {
        return "/v1/conversations/" + conversation + "/tasks/" + TYPE + "?idempotencyKey=";
    }

    private static String body(String conversationId) {
        return """
                {"conversationId": "%s", "taskType": "identify-caller", "inputs": {"ani": "tel:+33612345678"}}
                """.formatted(conversationId);
    }

    private static String[] withToken() {
        return IngressClient.withToken();
    }

    private static void assertError(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode json = answer.json();
        assertThat(json.path("error").asText()).isEqualTo(code);
        assertThat(json.path("message").asText()).isNotBlank();
    }

    private static double metric(IngressClient client, String prefix) {
        String text = client.get("/metrics", IngressClient.withToken()).body();
        return text.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
