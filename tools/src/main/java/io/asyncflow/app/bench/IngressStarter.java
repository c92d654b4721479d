package io.asyncflow.app.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Starts a conversation the way an Architect Data Action does: {@code POST /v1/tasks} to the ingress. */
final class IngressStarter implements OpenLoop.Starter {
    private final HttpClient http;
    private final URI tasks;
    private final String token;
    private final Integer deadlineMs;

    IngressStarter(HttpClient http, String ingressUrl, String token, Integer deadlineMs) {
        this.http = http;
        this.tasks = URI.create(ingressUrl + "/v1/tasks");
        this.token = token;
        this.deadlineMs = deadlineMs;
    }

    @Override
    public void start(Conversation c) {
        String body = "{\"conversationId\":\"" + c.id + "\",\"participantId\":\"" + c.participantId
                + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"" + c.caller.ani() + "\"}"
                + (deadlineMs == null ? "" : ",\"deadlineMs\":" + deadlineMs) + "}";
        HttpRequest request = HttpRequest.newBuilder(tasks)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error != null) {
                c.failure = error.toString();
            } else if (response.statusCode() == 202) {
                c.acceptedNanos = System.nanoTime();
            } else {
                c.failure = "HTTP " + response.statusCode();
            }
        });
    }
}
