package io.asyncflow.processor.lookup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.BackendConfig;
import io.asyncflow.config.ConfigException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP call and its classification against WireMock stand-ins of the databases and the AI; no Kafka. */
class BackendCallerTest {
    private static final String ANI = "tel:+33612345678";
    private static final String CUSTOMER = "{\"customer\": {\"id\": \"C-1001\", \"name\": \"Jeanne Martin\", \"segment\": \"gold\"}}";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static BackendCaller alpha(Map<String, String> more) {
        return caller(TestBackends.backend("alpha", TestBackends.customerDb("alpha", wm.baseUrl(), more)));
    }

    private static BackendCaller caller(BackendConfig backend) {
        return new BackendCaller(backend, HTTP, 1 << 20, Time.SYSTEM);
    }

    private static LookupResult call(BackendCaller caller, LookupRequest request) throws Exception {
        return caller.call(request).get(30, TimeUnit.SECONDS);
    }

    private static LookupRequest lookupFor(String ani, int deadlineSeconds) {
        return TestBackends.lookup("alpha", Map.of("ani", ani), TestBackends.inSeconds(deadlineSeconds));
    }

    @Test
    void shouldReturnAHitWithMappedAttributes() throws Exception {
        // given
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(CUSTOMER)));
        LookupRequest request = lookupFor(ANI, 10);

        // when
        LookupResult result = call(alpha(Map.of()), request);

        // then
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.HIT);
        assertThat(result.getAttributes()).containsExactlyInAnyOrderEntriesOf(
                Map.of("customerId", "C-1001", "customerName", "Jeanne Martin", "segment", "gold"));
        assertThat(result.getAttempts()).isEqualTo(1);
        assertThat(result.getError()).isNull();
        assertThat(result.getLookupId()).isEqualTo(request.getLookupId());
        assertThat(result.getTaskId()).isEqualTo(request.getTaskId());
        assertThat(result.getConversationId()).isEqualTo(request.getConversationId());
        assertThat(result.getBackend()).isEqualTo("alpha");
        assertThat(result.getCompletedAt()).isGreaterThanOrEqualTo(request.getRequestedAt());
    }

    @Test
    void shouldReturnAMissOnNotFoundWithoutRetrying() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(notFound()));

        LookupResult result = call(alpha(Map.of()), lookupFor(ANI, 10));

        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.MISS);
        assertThat(result.getAttempts()).isEqualTo(1);
        assertThat(result.getAttributes()).isEmpty();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/alpha/customers")));
    }

    @Test
    void shouldReturnAMissOnAnEmptyBody() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(aResponse().withStatus(200)));

        LookupResult result = call(alpha(Map.of()), lookupFor(ANI, 10));

        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.MISS);
        assertThat(result.getError()).isNull();
    }

    @Test
    void shouldRetryAServerErrorAndReturnTheHitOfTheNextAttempt() throws Exception {
        // given a database that fails once, then answers
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(serverError()).willSetStateTo("recovered"));
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).inScenario("flaky")
                .whenScenarioStateIs("recovered").willReturn(okJson(CUSTOMER)));

        // when
        LookupResult result = call(alpha(Map.of()), lookupFor(ANI, 10));

        // then
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.HIT);
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(result.getAttributes()).containsEntry("customerId", "C-1001");
        wm.verify(2, getRequestedFor(urlPathEqualTo("/alpha/customers")));
    }

    @Test
    void shouldGiveUpWithAnErrorAfterTheConfiguredRetries() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(aResponse().withStatus(503)));

        LookupResult result = call(alpha(Map.of("retries", "2")), lookupFor(ANI, 10));

        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).isEqualTo("HTTP 503");
        assertThat(result.getAttempts()).isEqualTo(3);
        wm.verify(3, getRequestedFor(urlPathEqualTo("/alpha/customers")));
    }

    @Test
    void shouldNotRetryAClientError() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(aResponse().withStatus(400)));

        LookupResult result = call(alpha(Map.of("retries", "2")), lookupFor(ANI, 10));

        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).isEqualTo("HTTP 400");
        assertThat(result.getAttempts()).isEqualTo(1);
    }

    @Test
    void shouldRetryATimeoutAndThenReportIt() throws Exception {
        // given a database slower than the backend's timeout, with plenty of time before the deadline
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(CUSTOMER).withFixedDelay(2000)));

        // when
        LookupResult result = call(alpha(Map.of("timeout", "200ms", "retries", "1")), lookupFor(ANI, 20));

        // then
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).isEqualTo("timed out after 200 ms");
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(result.getAttributes()).isEmpty();
    }

    @Test
    void shouldRetryAGarbageBodyAndThenReportItAsAnError() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Maintenance</body></html>")));

        LookupResult result = call(alpha(Map.of("retries", "1")), lookupFor(ANI, 10));

        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).startsWith("unreadable body");
        assertThat(result.getAttempts()).isEqualTo(2);
    }

    @Test
    void shouldReportAFailureInA2xxAsAnErrorNotAHit() throws Exception {
        // given a 200 that carries a customer but also says the lookup failed
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(
                "{\"status\": \"FAILED\", \"error\": {\"code\": \"DB_DOWN\"}, \"customer\": {\"id\": \"stale\"}}")));

        // when
        LookupResult result = call(alpha(Map.of("failure-pointer", "/error")), lookupFor(ANI, 10));

        // then
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getAttributes()).isEmpty();
        assertThat(result.getError()).contains("/error");
        assertThat(result.getAttempts()).isEqualTo(1);
    }

    @Test
    void shouldStopAtTheDeadlineWhenTheBackendIsSlowerThanIt() throws Exception {
        // given a backend whose own timeout (5s) is longer than what is left of the deadline (400ms)
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(CUSTOMER).withFixedDelay(3000)));
        LookupRequest request = TestBackends.lookup("alpha", Map.of("ani", ANI), System.currentTimeMillis() + 400);

        // when
        LookupResult result = call(alpha(Map.of("timeout", "5s", "retries", "3")), request);

        // then
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).contains("deadline");
        assertThat(result.getAttempts()).isEqualTo(1);
        assertThat(result.getCompletedAt()).isLessThan(request.getDeadline() + 2500);
    }

    @Test
    void shouldNotRetryPastTheDeadline() throws Exception {
        // given failures whose backoff (2s) does not fit before the deadline (1s)
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(serverError()));

        LookupResult result = call(alpha(Map.of("retries", "5", "retry-backoff", "2s")), lookupFor(ANI, 1));

        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).contains("deadline").contains("HTTP 500");
        assertThat(result.getAttempts()).isEqualTo(1);
    }

    @Test
    void shouldRetryConnectionErrorsAndReportThem() throws Exception {
        // given a port nobody listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BackendCaller caller = caller(TestBackends.backend("alpha", TestBackends.customerDb("alpha", "http://127.0.0.1:" + port,
                Map.of("retries", "1"))));

        // when
        LookupResult result = call(caller, lookupFor(ANI, 10));

        // then
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).startsWith("connection failed");
        assertThat(result.getAttempts()).isEqualTo(2);
    }

    @Test
    void shouldRefuseABodyLargerThanTheCap() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson("{\"customer\": {\"id\": \"" + "x".repeat(5000) + "\"}}")));
        BackendCaller caller = new BackendCaller(TestBackends.backend("alpha", TestBackends.customerDb("alpha", wm.baseUrl(), Map.of())),
                HTTP, 1024, Time.SYSTEM);

        LookupResult result = call(caller, lookupFor(ANI, 10));

        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).isEqualTo("response body larger than 1024 bytes");
        assertThat(result.getAttempts()).isEqualTo(1);
    }

    @Test
    void shouldUrlEncodeAHostileCallerNumber() throws Exception {
        // given
        String hostile = "+33 1&x=1/../";
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(notFound()));

        // when
        call(alpha(Map.of()), lookupFor(hostile, 10));

        // then exactly one request, with the number as one query value and nothing else
        wm.verify(1, getRequestedFor(urlEqualTo("/alpha/customers?phone=%2B33%201%26x%3D1%2F..%2F")));
        List<LoggedRequest> requests = wm.findAll(getRequestedFor(urlPathEqualTo("/alpha/customers")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getQueryParams()).containsOnlyKeys("phone");
        assertThat(requests.get(0).queryParameter("phone").firstValue()).isEqualTo(hostile);
    }

    @Test
    void shouldKeepAnInputInsideItsPathSegment() throws Exception {
        // given a template with the number as a path segment, and inputs trying to leave it
        wm.stubFor(get(urlPathEqualTo("/beta/customers/%2E%2E")).willReturn(notFound()));
        wm.stubFor(get(urlPathEqualTo("/beta/customers/a%2Fb%3Fc%23d")).willReturn(notFound()));
        BackendCaller caller = caller(TestBackends.backend("beta", TestBackends.customerDb("beta", wm.baseUrl(),
                Map.of("url", wm.baseUrl() + "/beta/customers/{{ani}}"))));

        // when
        LookupResult dots = call(caller, TestBackends.lookup("beta", Map.of("ani", ".."), TestBackends.inSeconds(10)));
        LookupResult reserved = call(caller, TestBackends.lookup("beta", Map.of("ani", "a/b?c#d"), TestBackends.inSeconds(10)));

        // then
        assertThat(List.of(dots.getOutcome(), reserved.getOutcome())).containsOnly(LookupOutcome.MISS);
        wm.verify(1, getRequestedFor(urlEqualTo("/beta/customers/%2E%2E")));
        wm.verify(1, getRequestedFor(urlEqualTo("/beta/customers/a%2Fb%3Fc%23d")));
    }

    @Test
    void shouldJsonEscapeATranscriptIntoThePostBody() throws Exception {
        // given a transcript with quotes, a backslash, newlines, a tab, a control character and non-ASCII text
        String transcript = "I said \"cancel\" my contract\\now!\nLine two:\tdone\r\n\u0001 café ☎";
        wm.stubFor(post(urlEqualTo("/intent/classify")).willReturn(okJson("{\"intent\": \"cancel\", \"confidence\": 0.91}")));
        BackendCaller ai = caller(TestBackends.backend("intent", TestBackends.intentAi("intent", wm.baseUrl(), Map.of())));
        LookupRequest request = TestBackends.lookup("intent", Map.of("transcript", transcript), TestBackends.inSeconds(10));

        // when
        LookupResult result = call(ai, request);

        // then the body is the template with the transcript escaped, and reads back as the same text
        String expectedBody = "{\"text\": \"I said \\\"cancel\\\" my contract\\\\now!\\nLine two:\\tdone\\r\\n\\u0001 café ☎\"}";
        wm.verify(1, postRequestedFor(urlEqualTo("/intent/classify"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalTo(expectedBody)));
        String received = wm.findAll(postRequestedFor(urlEqualTo("/intent/classify"))).get(0).getBodyAsString();
        assertThat(new ObjectMapper().readTree(received).get("text").asText()).isEqualTo(transcript);
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.HIT);
        assertThat(result.getAttributes()).containsExactlyInAnyOrderEntriesOf(Map.of("intent", "cancel", "confidence", "0.91"));
    }

    @Test
    void shouldSendConfiguredHeadersWithSecretsFromTheEnvironment() throws Exception {
        // given a header whose value refers to an environment variable
        Map<String, String> values = new HashMap<>(TestBackends.customerDb("alpha", wm.baseUrl(), Map.of()));
        values.put("backend.alpha.header.X-Api-Key", "${env:ALPHA_API_KEY}");
        AsyncFlowConfig config = AsyncFlowConfig.load(null, Map.of("ALPHA_API_KEY", "s3cr3t-key"), values);
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(CUSTOMER)));

        // when
        LookupResult result = call(caller(BackendConfig.from(config, "alpha")), lookupFor(ANI, 10));

        // then
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.HIT);
        wm.verify(1, getRequestedFor(urlPathEqualTo("/alpha/customers")).withHeader("X-Api-Key", equalTo("s3cr3t-key")));
    }

    @Test
    void shouldRejectABackendWhoseConfigurationCannotMakeARequest() {
        BackendConfig withForbiddenHeader = TestBackends.backend("alpha", TestBackends.customerDb("alpha", wm.baseUrl(),
                Map.of("header.Host", "other.example")));

        assertThatThrownBy(() -> caller(withForbiddenHeader))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backend.alpha");
    }

    @Test
    void shouldSendAPutWithItsBody() throws Exception {
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlEqualTo("/intent/classify"))
                .willReturn(okJson("{\"intent\": \"billing\"}")));
        BackendCaller ai = caller(TestBackends.backend("intent", TestBackends.intentAi("intent", wm.baseUrl(), Map.of("method", "PUT"))));

        LookupResult result = call(ai, TestBackends.lookup("intent", Map.of("transcript", "my bill"), TestBackends.inSeconds(10)));

        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.HIT);
        wm.verify(1, com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlEqualTo("/intent/classify"))
                .withRequestBody(equalToJson("{\"text\": \"my bill\"}")));
    }
}
