package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.TaskRequest;
import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.IngressClient;
import io.asyncflow.ingress.IngressClient.Answer;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.ingress.TopicContents;
import io.asyncflow.testing.KafkaTestCluster;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal of the ingress (400 per reason, 401, 413, 415) against a real broker, and proof
 * that none of them puts anything on the task topic. The server caps bodies at 4096 bytes.
 */
class IngressRejectionIT {
    private static final KafkaTestCluster CLUSTER = KafkaTestCluster.shared();
    private static final String CID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final String JSON = "application/json";

    private static RunningIngress ingress;

    @BeforeAll
    static void startIngress() {
        ingress = RunningIngress.start(CLUSTER);
    }

    @AfterAll
    static void stopIngress() {
        ingress.close();
    }

    /**
     * One bad request and what it must get.
     *
     * @param name what is wrong
     * @param status expected status
     * @param error expected error code
     * @param call sends it
     */
    record BadRequest(String name, int status, String error, Function<IngressClient, Answer> call) {
        @Override
        public String toString() {
            return name + " -> " + status + " " + error;
        }
    }

    static Stream<BadRequest> badRequests() {
        String oversized = "{\"conversationId\":\"" + CID + "\",\"taskType\":\"classify-intent\",\"inputs\":{\"transcript\":\""
                + "x".repeat(8192) + "\"}}";
        return Stream.of(
                task("malformed JSON", 400, "malformed-json", "{\"conversationId\": \"" + CID + "\","),
                task("a JSON array instead of an object", 400, "malformed-json", "[1,2,3]"),
                task("no conversationId", 400, "missing-field", "{\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33600000001\"}}"),
                task("an empty conversationId", 400, "missing-field", request("", "identify-caller", "{\"ani\":\"tel:+33600000001\"}")),
                task("a conversationId that is not a UUID", 400, "invalid-field", request("12345", "identify-caller", "{\"ani\":\"tel:+33600000001\"}")),
                task("a participantId that is not a UUID", 400, "invalid-field",
                        "{\"conversationId\":\"" + CID + "\",\"participantId\":\"caller\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33600000001\"}}"),
                task("no taskType", 400, "missing-field", "{\"conversationId\":\"" + CID + "\",\"inputs\":{\"ani\":\"tel:+33600000001\"}}"),
                task("an unknown task type", 400, "unknown-task-type", request(CID, "open-the-pod-bay-doors", "{\"ani\":\"tel:+33600000001\"}")),
                task("a missing required input", 400, "missing-input", request(CID, "identify-caller", "{\"dnis\":\"tel:+33198765432\"}")),
                task("a blank required input", 400, "missing-input", request(CID, "identify-caller", "{\"ani\":\"  \"}")),
                task("inputs that are not an object", 400, "invalid-field", request(CID, "identify-caller", "[\"tel:+33600000001\"]")),
                task("a null input value", 400, "invalid-field", request(CID, "identify-caller", "{\"ani\":\"tel:+33600000001\",\"dnis\":null}")),
                task("a negative deadline", 400, "invalid-field",
                        "{\"conversationId\":\"" + CID + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33600000001\"},\"deadlineMs\":-5}"),
                task("a deadline that is not a number", 400, "invalid-field",
                        "{\"conversationId\":\"" + CID + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33600000001\"},\"deadlineMs\":\"soon\"}"),
                event("events that are not JSON", 400, "malformed-event", "customer.start at 10:02"),
                event("an event of neither known shape", 400, "malformed-event", "{\"hello\":\"world\"}"),
                event("a customer.start without a valid conversationId", 400, "malformed-event",
                        Fixtures.text("notifications/customer-start.json").replace(Fixtures.NOTIFICATION_CONVERSATION, "not-a-uuid")),
                event("a customer.start whose eventTime is text", 400, "malformed-event",
                        Fixtures.text("notifications/customer-start.json").replace("1741948920311", "\"yesterday\"")),
                event("a batch with one garbage element", 400, "malformed-event",
                        "[" + Fixtures.text("eventbridge/customer-start.json") + ", 42]"),
                event("an empty batch", 400, "malformed-event", "[]"),
                new BadRequest("no credentials", 401, "unauthorized", c -> c.post("/v1/tasks",
                        BodyPublishers.ofByteArray(Fixtures.bytes("tasks/identify-caller.json")), "Content-Type", JSON)),
                new BadRequest("a wrong bearer token", 401, "unauthorized", c -> c.post("/v1/tasks",
                        BodyPublishers.ofByteArray(Fixtures.bytes("tasks/identify-caller.json")),
                        "Content-Type", JSON, "Authorization", "Bearer " + TestCatalog.TOKEN + "x")),
                new BadRequest("a wrong API key", 401, "unauthorized", c -> c.post("/v1/events",
                        BodyPublishers.ofByteArray(Fixtures.bytes("eventbridge/customer-start.json")),
                        "Content-Type", JSON, "X-API-Key", "not-the-token-at-all")),
                new BadRequest("a Basic authorization", 401, "unauthorized", c -> c.post("/v1/tasks",
                        BodyPublishers.ofByteArray(Fixtures.bytes("tasks/identify-caller.json")),
                        "Content-Type", JSON, "Authorization", "Basic " + TestCatalog.TOKEN)),
                new BadRequest("a text/plain body", 415, "unsupported-media-type", c -> c.post("/v1/tasks",
                        BodyPublishers.ofByteArray(Fixtures.bytes("tasks/identify-caller.json")),
                        IngressClient.withToken("Content-Type", "text/plain"))),
                new BadRequest("no content type", 415, "unsupported-media-type", c -> c.post("/v1/events",
                        BodyPublishers.ofByteArray(Fixtures.bytes("eventbridge/customer-start.json")), IngressClient.withToken())),
                new BadRequest("a body over the cap with Content-Length", 413, "body-too-large", c -> c.post("/v1/tasks",
                        BodyPublishers.ofString(oversized), IngressClient.withToken("Content-Type", JSON))),
                new BadRequest("a chunked body over the cap", 413, "body-too-large", c -> c.post("/v1/events",
                        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized.getBytes(StandardCharsets.UTF_8))),
                        IngressClient.withToken("Content-Type", JSON))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void shouldRefuseABadRequestWithItsStatusAndReason(BadRequest bad) {
        // given a running ingress; when the bad request is sent
        Answer answer = bad.call().apply(ingress.client());

        // then it gets its status and a JSON error naming the reason
        assertThat(answer.status()).as(answer.body()).isEqualTo(bad.status());
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.field("error")).isEqualTo(bad.error());
        assertThat(answer.field("message")).isNotBlank();
    }

    @Test
    void shouldLeaveOnlyValidTasksOnTheTopicAfterEveryKindOfBadRequest() {
        // given an ingress of its own that receives every bad request
        try (RunningIngress own = RunningIngress.start(CLUSTER)) {
            List<Integer> statuses = badRequests().map(b -> b.call().apply(own.client()).status()).toList();

            // when one valid request follows
            Answer valid = own.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json"));

            // then every bad one was refused and the topic holds the valid task only
            assertThat(statuses).allSatisfy(s -> assertThat(s).isBetween(400, 499));
            assertThat(valid.status()).isEqualTo(202);
            assertThat(TopicContents.values(CLUSTER, own.topics().tasks()))
                    .map(e -> ((TaskRequest) e.getEvent()).getTaskId())
                    .containsExactly(valid.field("taskId"));
            assertThat(TopicContents.values(CLUSTER, own.topics().deadLetters())).isEmpty();
        }
    }

    @Test
    void shouldAnswerUnknownPathsAndMethodsWithJsonErrors() {
        // when an unknown path and a wrong method are called with valid credentials
        Answer unknown = ingress.client().get("/v1/nothing-here", IngressClient.withToken());
        Answer wrongMethod = ingress.client().get("/v1/tasks", IngressClient.withToken());

        // then both are JSON errors
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.field("error")).isEqualTo("not-found");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.field("error")).isEqualTo("method-not-allowed");
    }

    private static BadRequest task(String name, int status, String error, String body) {
        return new BadRequest(name, status, error, c -> c.postJson("/v1/tasks", body));
    }

    private static BadRequest event(String name, int status, String error, String body) {
        return new BadRequest(name, status, error, c -> c.postJson("/v1/events", body));
    }

    private static String request(String cid, String taskType, String inputs) {
        return "{\"conversationId\":\"" + cid + "\",\"taskType\":\"" + taskType + "\",\"inputs\":" + inputs + "}";
    }
}
