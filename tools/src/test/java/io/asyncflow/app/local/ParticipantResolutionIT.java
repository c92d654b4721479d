package io.asyncflow.app.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.sim.GenesysWrite;
import io.asyncflow.app.sim.SimulatedBackends;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Genesys API calls per conversation on the whole pipeline (embedded broker, simulated Genesys):
 * a Data Action task without a participant id, and the conversation's {@code customer.start}
 * from EventBridge in each order of arrival. The simulated conversation answers a GET with the
 * same customer, so only the GET count tells whether the participant reached the status.
 */
class ParticipantResolutionIT {
    private static final String ANI = "tel:+33611111103";
    private static final String STATUS_KEY = "asyncflow.identify-caller.status";
    /** gamma holds the hit long enough for a customer.start sent after the 202 to arrive first. */
    private static final Duration GAMMA_LATENCY = Duration.ofMillis(600);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = new LocalStack(LocalStack.Options.defaults()
                .withBackends(SimulatedBackends.Options.defaults().withLatency("gamma", GAMMA_LATENCY))).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldMakeNoGetWhenCustomerStartArrivedBeforeTheDataAction() throws Exception {
        // given
        Call call = new Call();
        call.customerStart();

        // when
        call.dataActionWithoutParticipant();

        // then
        call.awaitSuccess();
        call.assertCalls(0);
    }

    @Test
    void shouldMakeNoGetWhenCustomerStartArrivedWhileTheTaskRan() throws Exception {
        // given
        Call call = new Call();
        call.dataActionWithoutParticipant();

        // when
        call.customerStart();

        // then
        call.awaitSuccess();
        call.assertCalls(0);
    }

    @Test
    void shouldFallBackToOneGetWhenCustomerStartArrivedAfterTheResult() throws Exception {
        // given
        Call call = new Call();
        call.dataActionWithoutParticipant();
        call.awaitSuccess();

        // when
        call.customerStart();

        // then the result was written to the customer found with one GET; customer.start wrote nothing
        call.assertCalls(1);
    }

    /** One simulated call: a conversation whose customer participant is known to Genesys. */
    private static final class Call {
        final String conversationId = UUID.randomUUID().toString();
        final String participantId = UUID.randomUUID().toString();

        Call() {
            stack.genesys().registerConversation(conversationId, participantId, ANI);
        }

        void dataActionWithoutParticipant() throws Exception {
            post("/v1/tasks", "{\"conversationId\":\"" + conversationId + "\",\"taskType\":\"identify-caller\","
                    + "\"inputs\":{\"ani\":\"" + ANI + "\"}}");
        }

        void customerStart() throws Exception {
            String topic = "v2.detail.events.conversation." + conversationId + ".customer.start";
            post("/v1/events", "{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"" + topic + "\","
                    + "\"source\":\"aws.partner/genesys.com/cloud/org/suffix\",\"time\":\"2026-12-03T08:00:00Z\",\"region\":\"eu-west-1\","
                    + "\"resources\":[],\"detail\":{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":{\"eventTime\":"
                    + System.currentTimeMillis() + ",\"conversationId\":\"" + conversationId + "\",\"participantId\":\"" + participantId
                    + "\",\"sessionId\":\"s\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\",\"ani\":\"" + ANI
                    + "\",\"dnis\":\"tel:+33100000000\"},\"metadata\":{\"CorrelationId\":\"c\"},\"timestamp\":\"2026-12-03T08:00:00Z\"}}");
        }

        void awaitSuccess() {
            Awaitility.await().atMost(TIMEOUT).until(() -> stack.genesys().writesFor(conversationId).stream()
                    .anyMatch(w -> "SUCCESS".equals(w.attributes().get(STATUS_KEY))));
        }

        /** One PATCH (the result; ONGOING is not written by default) to the customer, after {@code gets} GETs. */
        void assertCalls(long gets) {
            List<GenesysWrite> writes = stack.genesys().writesFor(conversationId);
            System.out.printf("conversation %s: %d GET + %d PATCH = %d Genesys calls%n", conversationId,
                    stack.genesys().conversationReads(conversationId), writes.size(),
                    stack.genesys().conversationReads(conversationId) + writes.size());
            assertThat(writes).singleElement().satisfies(write -> {
                assertThat(write.participantId()).isEqualTo(participantId);
                assertThat(write.attributes()).containsEntry(STATUS_KEY, "SUCCESS").containsEntry("customerId", "G-3003");
            });
            assertThat(stack.genesys().conversationReads(conversationId)).isEqualTo(gets);
        }

        private static void post(String path, String body) throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + path))
                    .header("Authorization", "Bearer " + stack.ingressToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
    }
}
