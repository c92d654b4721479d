package io.asyncflow.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedGenesysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CID = "7f3a1c2e-0000-4000-8000-000000000001";
    private static final String PID = "8e4b2d3f-0000-4000-8000-000000000002";

    private SimulatedGenesys genesys;

    @AfterEach
    void stop() {
        if (genesys != null) {
            genesys.close();
        }
    }

    @Test
    void shouldIssueABearerTokenForValidClientCredentials() throws Exception {
        // given
        start(0);

        // when
        HttpResponse<String> answer = tokenRequest("asyncflow-demo", "demo-secret", "client_credentials");

        // then
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("access_token").asText()).isNotBlank();
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(86_400);
        assertThat(token()).as("every request gets a token of its own").isNotEqualTo(token())
                .isNotEqualTo(body.get("access_token").asText());
        assertThat(genesys.tokensIssued()).isEqualTo(3);
    }

    @Test
    void shouldRejectBadClientCredentialsAndOtherGrants() {
        // given
        start(0);

        // then
        assertThat(tokenRequest("asyncflow-demo", "wrong", "client_credentials").statusCode()).isEqualTo(401);
        assertThat(tokenRequest("someone-else", "demo-secret", "client_credentials").statusCode()).isEqualTo(401);
        assertThat(Http.post(genesys.baseUrl() + "/oauth/token", "grant_type=client_credentials",
                "Content-Type", "application/x-www-form-urlencoded").statusCode()).as("no Basic auth").isEqualTo(401);
        assertThat(tokenRequest("asyncflow-demo", "demo-secret", "password").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldRefuseApiCallsWithoutAnIssuedToken() {
        // given
        start(0);

        // then
        assertThat(Http.get(genesys.baseUrl() + "/api/v2/conversations/" + CID).statusCode()).isEqualTo(401);
        assertThat(Http.get(genesys.baseUrl() + "/api/v2/conversations/" + CID, "Authorization", "Bearer made-up")
                .statusCode()).isEqualTo(401);
        assertThat(patch(CID, PID, "made-up", "{\"attributes\":{\"a\":\"b\"}}").statusCode()).isEqualTo(401);
        assertThat(genesys.writes()).isEmpty();
    }

    @Test
    void shouldShowARegisteredConversationWithItsCustomerParticipant() throws Exception {
        // given
        start(0);
        genesys.registerConversation(CID, PID, "tel:+33611111101");

        // when
        HttpResponse<String> answer = Http.get(genesys.baseUrl() + "/api/v2/conversations/" + CID, "Authorization", "Bearer " + token());

        // then
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("id").asText()).isEqualTo(CID);
        List<JsonNode> customers = new ArrayList<>();
        body.get("participants").forEach(p -> {
            if ("customer".equals(p.get("purpose").asText())) {
                customers.add(p);
            }
        });
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0).get("id").asText()).isEqualTo(PID);
        assertThat(customers.get(0).get("ani").asText()).isEqualTo("tel:+33611111101");
        assertThat(body.get("participants")).hasSize(2);
    }

    @Test
    void shouldCountTheGetsOfEachConversation() {
        // given
        start(0);
        String token = token();
        String other = "7f3a1c2e-0000-4000-8000-000000000009";

        // when
        Http.get(genesys.baseUrl() + "/api/v2/conversations/" + CID, "Authorization", "Bearer " + token);
        Http.get(genesys.baseUrl() + "/api/v2/conversations/" + CID, "Authorization", "Bearer " + token);
        Http.get(genesys.baseUrl() + "/api/v2/conversations/" + other, "Authorization", "Bearer " + token);

        // then
        assertThat(genesys.conversationReads(CID)).isEqualTo(2);
        assertThat(genesys.conversationReads(other)).isEqualTo(1);
        assertThat(genesys.conversationReads("never-read")).isZero();
        assertThat(genesys.conversationReads()).isEqualTo(3);
    }

    @Test
    void shouldDeriveTheSameCustomerParticipantForAnUnknownConversation() throws Exception {
        // given
        start(0);
        String token = token();

        // when
        JsonNode first = JSON.readTree(Http.get(genesys.baseUrl() + "/api/v2/conversations/c-1", "Authorization", "Bearer " + token).body());
        JsonNode again = JSON.readTree(Http.get(genesys.baseUrl() + "/api/v2/conversations/c-1", "Authorization", "Bearer " + token).body());

        // then
        assertThat(first.at("/participants/0/purpose").asText()).isEqualTo("customer");
        assertThat(first.at("/participants/0/id").asText()).isEqualTo(again.at("/participants/0/id").asText())
                .isEqualTo(genesys.customerParticipantId("c-1"));
    }

    @Test
    void shouldRecordEveryParticipantDataWriteInArrivalOrder() throws Exception {
        // given
        start(0);
        genesys.registerConversation(CID, PID, "tel:+33611111101");
        List<GenesysWrite> heard = new ArrayList<>();
        genesys.onWrite(heard::add);
        String token = token();
        long before = System.nanoTime();

        // when
        HttpResponse<String> ongoing = patch(CID, PID, token, "{\"attributes\":{\"asyncflow.identify-caller.status\":\"ONGOING\"}}");
        HttpResponse<String> success = patch(CID, PID, token,
                "{\"attributes\":{\"asyncflow.identify-caller.status\":\"SUCCESS\",\"customerId\":\"A-1001\"}}");

        // then
        assertThat(ongoing.statusCode()).isEqualTo(202);
        assertThat(success.statusCode()).isEqualTo(202);
        List<GenesysWrite> writes = genesys.writesFor(CID);
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0).attributes()).containsEntry("asyncflow.identify-caller.status", "ONGOING");
        assertThat(writes.get(1).attributes()).containsEntry("customerId", "A-1001");
        assertThat(writes.get(0).participantId()).isEqualTo(PID);
        assertThat(writes.get(0).arrivalNanos()).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(writes.get(1).arrivalNanos());
        assertThat(heard).containsExactlyElementsOf(writes);
        assertThat(genesys.attributes(CID, PID)).containsEntry("asyncflow.identify-caller.status", "SUCCESS")
                .containsEntry("customerId", "A-1001");
        JsonNode conversation = JSON.readTree(Http.get(genesys.baseUrl() + "/api/v2/conversations/" + CID,
                "Authorization", "Bearer " + token).body());
        assertThat(conversation.at("/participants/0/attributes/customerId").asText()).isEqualTo("A-1001");
        assertThat(genesys.writesFor("another")).isEmpty();
    }

    @Test
    void shouldRejectWritesThatAreNotStringAttributesOrTargetAnotherParticipant() {
        // given
        start(0);
        genesys.registerConversation(CID, PID, "tel:+33611111101");
        String token = token();

        // then
        assertThat(patch(CID, PID, token, "{\"attributes\":{\"n\":1}}").statusCode()).isEqualTo(400);
        assertThat(patch(CID, PID, token, "{\"attrs\":{}}").statusCode()).isEqualTo(400);
        assertThat(patch(CID, PID, token, "not json").statusCode()).isEqualTo(400);
        assertThat(patch(CID, "someone-else", token, "{\"attributes\":{\"a\":\"b\"}}").statusCode()).isEqualTo(404);
        assertThat(genesys.writes()).isEmpty();
    }

    @Test
    void shouldAnswerTooManyRequestsWithRetryAfterOverTheRateLimit() {
        // given
        start(3);
        genesys.registerConversation(CID, PID, "tel:+33611111101");
        String token = token();
        String body = "{\"attributes\":{\"a\":\"b\"}}";

        // when
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(patch(CID, PID, token, body).statusCode());
        }
        HttpResponse<String> fourth = patch(CID, PID, token, body);
        HttpResponse<String> otherToken = patch(CID, PID, token(), body);

        // then
        assertThat(statuses).containsOnly(202);
        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(fourth.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(fourth.body()).contains("too.many.requests.retry.after");
        assertThat(otherToken.statusCode()).as("the limit is per token").isEqualTo(202);
        assertThat(genesys.writes()).hasSize(4);
        assertThat(genesys.tooManyRequests()).isEqualTo(1);
    }

    @Test
    void shouldLetACallerHoldingTheClientCredentialsInjectFaultsAndReadTheCounters() throws Exception {
        // given
        start(0);
        genesys.registerConversation(CID, PID, "tel:+33611111103");
        String token = token();
        String basic = "Basic " + Base64.getEncoder().encodeToString("asyncflow-demo:demo-secret".getBytes(StandardCharsets.UTF_8));
        String control = genesys.baseUrl() + SimulatedGenesys.CONTROL;

        // when Genesys is made to fail with 503, then healed, then the tokens are revoked
        assertThat(Http.send("POST", control + "faults?status=503&retryAfterSeconds=2").statusCode()).as("no credentials").isEqualTo(401);
        assertThat(Http.send("POST", control + "faults?status=200", "Authorization", basic).statusCode()).isEqualTo(400);
        assertThat(Http.send("POST", control + "faults?status=503&retryAfterSeconds=2", "Authorization", basic).statusCode()).isEqualTo(200);
        int duringOutage = patch(CID, PID, token, "{\"attributes\":{\"a\":\"b\"}}").statusCode();
        Http.send("DELETE", control + "faults", "Authorization", basic);
        int afterOutage = patch(CID, PID, token, "{\"attributes\":{\"a\":\"b\"}}").statusCode();
        Http.send("POST", control + "revoke-tokens", "Authorization", basic);
        int afterRevocation = patch(CID, PID, token, "{\"attributes\":{\"a\":\"b\"}}").statusCode();
        JsonNode stats = JSON.readTree(Http.send("GET", control + "stats", "Authorization", basic).body());

        // then
        assertThat(duringOutage).isEqualTo(503);
        assertThat(afterOutage).isEqualTo(202);
        assertThat(afterRevocation).isEqualTo(401);
        assertThat(stats.get("failedOnPurpose").asLong()).isEqualTo(1);
        assertThat(stats.get("unauthorized").asLong()).isEqualTo(1);
        assertThat(stats.get("tokensIssued").asLong()).isEqualTo(1);
        assertThat(stats.get("failing").asText()).isEqualTo("no");
    }

    private void start(int rateLimit) {
        genesys = new SimulatedGenesys(SimulatedGenesys.Options.defaults().withRateLimit(rateLimit));
        genesys.start();
    }

    private String token() {
        try {
            return JSON.readTree(tokenRequest("asyncflow-demo", "demo-secret", "client_credentials").body()).get("access_token").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> tokenRequest(String id, String secret, String grant) {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return Http.post(genesys.baseUrl() + "/oauth/token", "grant_type=" + grant,
                "Authorization", "Basic " + basic, "Content-Type", "application/x-www-form-urlencoded");
    }

    private HttpResponse<String> patch(String cid, String pid, String token, String body) {
        return Http.patch(genesys.baseUrl() + "/api/v2/conversations/" + cid + "/participants/" + pid + "/attributes", body,
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }
}
