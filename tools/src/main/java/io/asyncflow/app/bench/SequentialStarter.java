package io.asyncflow.app.bench;

import io.asyncflow.app.sim.SequentialLookups;
import io.asyncflow.app.sim.SimulatedBackends;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The baseline: what the native Genesys workflow does for one call — ask alpha, then beta, then
 * gamma, one after the other until one knows the caller ({@link SequentialLookups}, as in the demo),
 * then one participant-data PATCH — against the same simulated backends and Genesys (asynchronous
 * I/O, so the load stays open-loop).
 */
final class SequentialStarter implements OpenLoop.Starter {
    private final HttpClient http;
    private final SequentialLookups lookups;
    private final String genesysUrl;
    private final String bearer;

    private SequentialStarter(HttpClient http, String backendsUrl, String genesysUrl, String bearer) {
        this.http = http;
        this.lookups = new SequentialLookups(http, backendsUrl);
        this.genesysUrl = genesysUrl;
        this.bearer = bearer;
    }

    /** Logs in to the simulated Genesys with client credentials. */
    static SequentialStarter login(HttpClient http, String backendsUrl, String genesysUrl, String clientId, String secret)
            throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(genesysUrl + "/oauth/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("access_token").asText();
        return new SequentialStarter(http, backendsUrl, genesysUrl, token);
    }

    @Override
    public void start(Conversation c) {
        c.acceptedNanos = c.scheduledNanos;
        lookups.firstAnswering(SimulatedBackends.databases(), Map.of("ani", c.caller.ani())).thenCompose(db -> patch(c, db)).whenComplete((status, error) -> {
            if (error != null) {
                c.failure = error.toString();
            } else if (status != 202) {
                c.failure = "PATCH answered " + status;
            }
        });
    }

    private CompletableFuture<Integer> patch(Conversation c, String db) {
        String status = db == null ? "NOT_FOUND" : "SUCCESS";
        String body = "{\"attributes\":{\"" + WriteTracker.STATUS_KEY + "\":\"" + status + "\",\"asyncflow.identify-caller.backend\":\""
                + db + "\"}}";
        URI uri = URI.create(genesysUrl + "/api/v2/conversations/" + c.id + "/participants/" + c.participantId + "/attributes");
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode);
    }
}
