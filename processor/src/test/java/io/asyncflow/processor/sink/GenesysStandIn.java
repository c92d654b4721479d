package io.asyncflow.processor.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * WireMock standing in for Genesys Cloud: {@code POST /oauth/token}, {@code GET
 * /api/v2/conversations/{cid}} and {@code PATCH .../participants/{pid}/attributes}. By default
 * tokens are {@code token-1}, {@code token-2}, ... valid for an hour, and every PATCH answers 202.
 */
final class GenesysStandIn implements AutoCloseable {
    static final String CLIENT_ID = "sink-client";
    static final String CLIENT_SECRET = "s3cr3t/+=";
    /** WireMock stamps requests with the wall clock, the rate limiter uses System.nanoTime(). */
    static final long CLOCK_TOLERANCE_MS = 10;
    private static final String TOKEN_PATH = "/oauth/token";
    private static final ObjectMapper JSON = new ObjectMapper();

    final WireMockServer server;

    GenesysStandIn() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(20));
        server.start();
        stubTokens(3600, 5);
        server.stubFor(patch(urlPathMatching("/api/v2/conversations/[^/]+/participants/[^/]+/attributes"))
                .atPriority(10)
                .willReturn(aResponse().withStatus(202)));
    }

    /** Config keys pointing the sink at this stand-in. */
    Map<String, String> config() {
        return Map.of(
                SinkSettings.API_URL.name(), server.baseUrl(),
                SinkSettings.LOGIN_URL.name(), server.baseUrl() + TOKEN_PATH,
                SinkSettings.CLIENT_ID.name(), CLIENT_ID,
                SinkSettings.CLIENT_SECRET.name(), CLIENT_SECRET);
    }

    /** Token answers {@code token-1} .. {@code token-n} in turn (the last repeats), each valid {@code expiresIn} seconds. */
    void stubTokens(long expiresIn, int distinct) {
        String state = Scenario.STARTED;
        for (int i = 1; i <= distinct; i++) {
            String next = i == distinct ? state : "token-" + (i + 1);
            server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("tokens").whenScenarioStateIs(state)
                    .willReturn(okJson("{\"access_token\":\"token-" + i + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn + "}"))
                    .willSetStateTo(next));
            state = next;
        }
    }

    /** The conversation's GET answers an agent and a customer participant. */
    void stubConversation(String conversationId, String customerParticipantId) {
        server.stubFor(get(urlPathEqualTo("/api/v2/conversations/" + conversationId))
                .willReturn(okJson("{\"id\":\"" + conversationId + "\",\"participants\":["
                        + "{\"id\":\"agent-1\",\"purpose\":\"agent\",\"attributes\":{}},"
                        + "{\"id\":\"" + customerParticipantId + "\",\"purpose\":\"customer\",\"attributes\":{\"x\":\"y\"}}]}")));
    }

    /** Every PATCH of this conversation answers {@code response}. */
    void stubPatch(String conversationId, ResponseDefinitionBuilder response) {
        server.stubFor(patch(urlPathMatching("/api/v2/conversations/" + conversationId + "/participants/[^/]+/attributes"))
                .atPriority(1)
                .willReturn(response));
    }

    /** PATCHes of this conversation answer {@code responses} in turn; the last one repeats. */
    void stubPatchSequence(String conversationId, ResponseDefinitionBuilder... responses) {
        String scenario = "patch-" + conversationId;
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i == responses.length - 1 ? state : "step-" + (i + 1);
            server.stubFor(patch(urlPathMatching("/api/v2/conversations/" + conversationId + "/participants/[^/]+/attributes"))
                    .atPriority(1).inScenario(scenario).whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            state = next;
        }
    }

    /** Genesys' error answer: JSON body with code and message, and its correlation id header. */
    static ResponseDefinitionBuilder error(int status, String code, String correlationId) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("ININ-Correlation-Id", correlationId)
                .withBody("{\"message\":\"" + code + " happened\",\"code\":\"" + code + "\",\"status\":" + status
                        + ",\"contextId\":\"" + correlationId + "\",\"details\":[],\"errors\":[]}");
    }

    /** Every request served so far, oldest first. */
    List<ServeEvent> served() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events);
        return events;
    }

    List<ServeEvent> patches() {
        return served().stream().filter(e -> e.getRequest().getMethod().getName().equals("PATCH")).toList();
    }

    List<ServeEvent> patches(String conversationId) {
        return patches().stream().filter(e -> conversationOf(e).equals(conversationId)).toList();
    }

    List<ServeEvent> gets(String conversationId) {
        return served().stream().filter(e -> e.getRequest().getMethod().getName().equals("GET")
                && conversationOf(e).equals(conversationId)).toList();
    }

    List<ServeEvent> apiRequests() {
        return served().stream().filter(e -> e.getRequest().getUrl().startsWith("/api/")).toList();
    }

    List<ServeEvent> tokenRequests() {
        return served().stream().filter(e -> e.getRequest().getUrl().startsWith(TOKEN_PATH)).toList();
    }

    /** Successful PATCHes (2xx). */
    List<ServeEvent> accepted(List<ServeEvent> events) {
        return events.stream().filter(e -> e.getResponse().getStatus() / 100 == 2).toList();
    }

    static String conversationOf(ServeEvent event) {
        String[] parts = event.getRequest().getUrl().split("[/?]");
        return parts.length > 4 ? parts[4] : "";
    }

    static String participantOf(ServeEvent event) {
        String[] parts = event.getRequest().getUrl().split("[/?]");
        return parts.length > 6 ? parts[6] : "";
    }

    /** The participant data a PATCH carried. */
    static Map<String, String> attributes(ServeEvent patch) {
        try {
            Map<String, Map<String, String>> body = JSON.readValue(patch.getRequest().getBodyAsString(), new TypeReference<>() {
            });
            return body.get("attributes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long loggedAt(ServeEvent event) {
        return event.getRequest().getLoggedDate().getTime();
    }

    @Override
    public void close() {
        server.stop();
    }
}
