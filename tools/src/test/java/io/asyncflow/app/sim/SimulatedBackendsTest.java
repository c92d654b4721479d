package io.asyncflow.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedBackendsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private SimulatedBackends backends;

    @BeforeEach
    void start() {
        backends = new SimulatedBackends(SimulatedBackends.Options.defaults()
                .withLatency("alpha", Duration.ofMillis(40))
                .withLatency("gamma", Duration.ofMillis(250))
                .withLatency(SimulatedBackends.INTENT_AI, Duration.ofMillis(150)));
        backends.start();
    }

    @AfterEach
    void stop() {
        backends.close();
    }

    @Test
    void shouldAnswerTheCustomerEachDatabaseKnows() throws Exception {
        // when
        HttpResponse<String> alpha = lookup("alpha", "tel:+33611111101");
        HttpResponse<String> beta = lookup("beta", "tel:+33611111102");
        HttpResponse<String> gamma = lookup("gamma", "tel:+33611111103");

        // then
        assertThat(alpha.statusCode()).isEqualTo(200);
        JsonNode customer = JSON.readTree(alpha.body()).get("customer");
        assertThat(customer.get("id").asText()).isEqualTo("A-1001");
        assertThat(customer.get("name").asText()).isEqualTo("Alice Martin");
        assertThat(customer.get("segment").asText()).isEqualTo("gold");
        assertThat(JSON.readTree(beta.body()).at("/customer/id").asText()).isEqualTo("B-2002");
        assertThat(JSON.readTree(gamma.body()).at("/customer/name").asText()).isEqualTo("Gaston Lagaffe");
    }

    @Test
    void shouldAnswerNotFoundForACallerTheDatabaseDoesNotKnow() {
        assertThat(lookup("alpha", "tel:+33611111102").statusCode()).isEqualTo(404);
        assertThat(lookup("beta", "tel:+33699999999").statusCode()).isEqualTo(404);
        assertThat(lookup("delta", "tel:+33611111101").statusCode()).as("unknown database").isEqualTo(404);
    }

    @Test
    void shouldRejectALookupWithoutPhoneNumber() {
        assertThat(Http.get(backends.baseUrl() + "/alpha/customers").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldTakeAtLeastTheConfiguredLatencyBeforeAnswering() {
        // when
        long start = System.nanoTime();
        HttpResponse<String> gamma = lookup("gamma", "tel:+33611111103");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(gamma.statusCode()).isEqualTo(200);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void shouldAnswerManyConcurrentSlowRequestsEachAfterItsLatency() {
        // given
        backends.setLatency("gamma", Duration.ofMillis(300));

        // when: more requests in flight than a small thread pool would serve at once
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, 40)
                .mapToObj(i -> Http.getAsync(backends.baseUrl() + "/gamma/customers?phone=%2B33611111103"))
                .toList();

        // then
        assertThat(answers).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(404));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(backends.calls("gamma")).isEqualTo(40);
    }

    @Test
    void shouldAnswerServiceUnavailableWhileADatabaseIsDown() {
        // given
        backends.setDown("beta", true);

        // when
        HttpResponse<String> down = lookup("beta", "tel:+33611111102");
        backends.setDown("beta", false);
        HttpResponse<String> up = lookup("beta", "tel:+33611111102");

        // then
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(backends.calls("beta")).isEqualTo(2);
    }

    @Test
    void shouldClassifyTheIntentOfATranscriptAfterItsLatency() throws Exception {
        // when
        long start = System.nanoTime();
        HttpResponse<String> answer = Http.post(backends.baseUrl() + "/intent/classify",
                "{\"text\":\"I lost my card yesterday\"}", "Content-Type", "application/json");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("intent").asText()).isEqualTo("lost_card");
        assertThat(body.get("confidence").asDouble()).isEqualTo(0.93);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(backends.calls(SimulatedBackends.INTENT_AI)).isEqualTo(1);
    }

    @Test
    void shouldRejectAnIntentRequestThatIsNotJsonWithText() {
        assertThat(Http.post(backends.baseUrl() + "/intent/classify", "lost card").statusCode()).isEqualTo(400);
        assertThat(Http.post(backends.baseUrl() + "/intent/classify", "{\"txt\":\"card\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldAnswerACustomerAddedAtRunTime() {
        // given
        backends.addCustomer("gamma", "tel:+33700000001", new CustomerRecord("G-9", "Zoe", "gold"));

        // then
        assertThat(lookup("gamma", "tel:+33700000001").body()).contains("\"G-9\"");
        assertThat(backends.knownPhones().get("gamma")).contains("tel:+33611111103", "tel:+33700000001");
    }

    private HttpResponse<String> lookup(String db, String phone) {
        return Http.get(backends.baseUrl() + "/" + db + "/customers?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8));
    }
}
