package io.asyncflow.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a conversation the way a Genesys org with EventBridge and the documented Architect flow
 * does, and waits for its result the way that flow does:
 * <ol>
 *   <li>{@code customer.start} reaches {@code POST /v1/events} (it carries the customer participant id);</li>
 *   <li>the flow's first Data Action posts {@code POST /v1/tasks} without a participant id;</li>
 *   <li>its second Data Action long-polls {@code GET /v1/tasks/{taskId}?wait=…} until the status is final.</li>
 * </ol>
 */
final class FlowStarter implements OpenLoop.Starter {
    static final Set<String> FINAL = Set.of("SUCCESS", "NOT_FOUND", "TIMEOUT", "ERROR", "CANCELLED");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SHORT_POLL_PAUSE_MS = 500;

    private final HttpClient http;
    private final String ingressUrl;
    private final String token;
    private final Duration wait;

    FlowStarter(HttpClient http, String ingressUrl, String token, Duration wait) {
        this.http = http;
        this.ingressUrl = ingressUrl;
        this.token = token;
        this.wait = wait;
    }

    @Override
    public void start(Conversation c) {
        post("/v1/events", customerStart(c))
                .thenCompose(event -> {
                    if (event.statusCode() != 202) {
                        throw new IllegalStateException("customer.start answered HTTP " + event.statusCode() + " "
                                + field(event.body(), "error"));
                    }
                    return post("/v1/tasks", task(c));
                })
                .thenAccept(accepted -> {
                    if (accepted.statusCode() != 202) {
                        throw new IllegalStateException("task answered HTTP " + accepted.statusCode() + " "
                                + field(accepted.body(), "error"));
                    }
                    c.acceptedNanos = System.nanoTime();
                    c.taskId = field(accepted.body(), "taskId");
                    poll(c);
                })
                .exceptionally(error -> {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    c.failure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                    return null;
                });
    }

    /** One long poll; asks again while the answer is not final, as the flow's loop does. */
    private void poll(Conversation c) {
        c.polls.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingressUrl + "/v1/tasks/" + c.taskId + "?wait=" + wait.toMillis() + "ms"))
                .timeout(wait.plusSeconds(10))
                .header("Authorization", "Bearer " + token)
                .GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error != null) {
                c.failure = "long poll: " + error.getClass().getSimpleName();
                return;
            }
            if (response.statusCode() != 200) {
                c.failure = "long poll: HTTP " + response.statusCode() + " " + field(response.body(), "error");
                return;
            }
            String status = field(response.body(), "status");
            if (FINAL.contains(status)) {
                c.polledWallMs = System.currentTimeMillis();
                c.polledNanos = System.nanoTime();
                c.polledStatus = status;
            } else if (wait.isZero()) {
                // short polls (ingress.max-wait=0s): ask again after a pause, as a flow's loop would
                CompletableFuture.runAsync(() -> poll(c), CompletableFuture.delayedExecutor(SHORT_POLL_PAUSE_MS, TimeUnit.MILLISECONDS));
            } else {
                poll(c);
            }
        });
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(ingressUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String customerStart(Conversation c) {
        return "{\"topicName\":\"v2.detail.events.conversation." + c.id + ".customer.start\",\"version\":\"2\","
                + "\"eventBody\":{\"eventTime\":" + System.currentTimeMillis() + ",\"conversationId\":\"" + c.id
                + "\",\"participantId\":\"" + c.participantId + "\",\"sessionId\":\"" + UUID.randomUUID()
                + "\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\",\"ani\":\"" + c.caller.ani()
                + "\",\"dnis\":\"tel:+33100000000\"},\"metadata\":{\"CorrelationId\":\"" + UUID.randomUUID() + "\"}}";
    }

    private static String task(Conversation c) {
        return "{\"conversationId\":\"" + c.id + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"" + c.caller.ani() + "\"}}";
    }

    private static String field(String body, String name) {
        try {
            JsonNode node = JSON.readTree(body).get(name);
            return node == null ? null : node.asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable answer: " + body, e);
        }
    }
}
