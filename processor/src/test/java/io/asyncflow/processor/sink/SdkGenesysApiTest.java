package io.asyncflow.processor.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.asyncflow.config.AsyncFlowConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Genesys SDK (Apache connector, after the dependency exclusions) against WireMock. */
class SdkGenesysApiTest {
    private static final String CID = "3f6c1c1e-0000-4000-8000-000000000001";
    private static final String PID = "7a1b2c3d-0000-4000-8000-000000000002";

    private GenesysStandIn genesys;
    private MutableClock clock;
    private SdkGenesysApi api;

    @BeforeEach
    void setUp() {
        genesys = new GenesysStandIn();
        clock = new MutableClock();
    }

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
        genesys.close();
    }

    private SdkGenesysApi api(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(genesys.config());
        values.putAll(more);
        api = SdkGenesysApi.create(SinkSettings.from(AsyncFlowConfig.of(values)), clock);
        return api;
    }

    @Test
    void shouldFetchOneTokenWithBasicAuthAndSendAllAttributesInOnePatch() throws Exception {
        // given
        SdkGenesysApi api = api(Map.of(SinkSettings.RATE_PER_MINUTE.name(), "6000"));

        // when
        api.patchAttributes(CID, PID, Map.of("asyncflow.identify-caller.status", "SUCCESS", "customerId", "C-1001"));
        api.patchAttributes(CID, PID, Map.of("asyncflow.identify-caller.status", "SUCCESS"));

        // then
        List<ServeEvent> tokens = genesys.tokenRequests();
        assertThat(tokens).hasSize(1);
        assertThat(tokens.get(0).getRequest().getHeader("Authorization")).isEqualTo(basic(GenesysStandIn.CLIENT_ID, GenesysStandIn.CLIENT_SECRET));
        assertThat(tokens.get(0).getRequest().getBodyAsString()).isEqualTo("grant_type=client_credentials");
        List<ServeEvent> patches = genesys.patches();
        assertThat(patches).hasSize(2);
        assertThat(patches.get(0).getRequest().getUrl()).isEqualTo("/api/v2/conversations/" + CID + "/participants/" + PID + "/attributes");
        assertThat(patches.get(0).getRequest().getHeader("Authorization")).isEqualTo("Bearer token-1");
        assertThat(GenesysStandIn.attributes(patches.get(0)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("asyncflow.identify-caller.status", "SUCCESS", "customerId", "C-1001"));
    }

    @Test
    void shouldTakeATokenOfEachConfiguredClientAndWriteWithThemInTurn() throws Exception {
        // given the main client and one more
        SdkGenesysApi api = api(Map.of(SinkSettings.RATE_PER_MINUTE.name(), "6000",
                SinkSettings.EXTRA_CLIENT_ID.forName("backup"), "backup-client", SinkSettings.EXTRA_CLIENT_SECRET.forName("backup"), "b4ckup"));

        // when
        for (int i = 0; i < 4; i++) {
            api.patchAttributes(CID, PID, Map.of("k", String.valueOf(i)));
        }

        // then one token per client, fetched with that client's credentials, used in turn
        assertThat(genesys.tokenRequests()).extracting(r -> r.getRequest().getHeader("Authorization"))
                .containsExactly(basic(GenesysStandIn.CLIENT_ID, GenesysStandIn.CLIENT_SECRET), basic("backup-client", "b4ckup"));
        assertThat(genesys.patches()).extracting(r -> r.getRequest().getHeader("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-1", "Bearer token-2");
        assertThat(api.tokenNames()).containsExactly("default#1", "backup#1");
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReplaceTheTokenBeforeItExpiresByTheConfiguredMargin() throws Exception {
        // given a token valid 3600 s, replaced 60 s before it expires
        SdkGenesysApi api = api(Map.of(SinkSettings.TOKEN_REFRESH_MARGIN.name(), "60s", SinkSettings.RATE_PER_MINUTE.name(), "6000"));
        api.patchAttributes(CID, PID, Map.of("k", "1"));

        // when
        clock.advance(Duration.ofSeconds(3530));
        api.patchAttributes(CID, PID, Map.of("k", "2"));
        clock.advance(Duration.ofSeconds(15));
        api.patchAttributes(CID, PID, Map.of("k", "3"));

        // then
        assertThat(genesys.tokenRequests()).hasSize(2);
        assertThat(genesys.patches()).extracting(p -> p.getRequest().getHeader("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2");
    }

    @Test
    void shouldFetchANewTokenAndRepeatTheRequestOnceAfter401() throws Exception {
        // given the first token is rejected
        genesys.server.stubFor(patch(urlPathMatching("/api/v2/conversations/.*")).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(GenesysStandIn.error(401, "bad.credentials", "corr-401")));
        SdkGenesysApi api = api(Map.of());

        // when
        api.patchAttributes(CID, PID, Map.of("k", "v"));

        // then
        assertThat(genesys.tokenRequests()).hasSize(2);
        assertThat(genesys.patches()).extracting(p -> p.getRequest().getHeader("Authorization"), p -> p.getResponse().getStatus())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Bearer token-1", 401), org.assertj.core.groups.Tuple.tuple("Bearer token-2", 202));
    }

    @Test
    void shouldGiveUpWithATransientErrorWhenTheNewTokenIsRejectedToo() {
        // given
        genesys.stubPatch(CID, GenesysStandIn.error(401, "bad.credentials", "corr-401"));
        SdkGenesysApi api = api(Map.of());

        // when / then
        assertThatThrownBy(() -> api.patchAttributes(CID, PID, Map.of("k", "v")))
                .isInstanceOfSatisfying(GenesysCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(GenesysCallException.Kind.TRANSIENT);
                    assertThat(e.status()).isEqualTo(401);
                });
        assertThat(genesys.patches()).hasSize(2);
    }

    @Test
    void shouldFindTheCustomerParticipantOfAConversation() throws Exception {
        // given
        genesys.stubConversation(CID, PID);

        // when
        String participant = api(Map.of()).customerParticipantId(CID);

        // then
        assertThat(participant).isEqualTo(PID);
        assertThat(genesys.gets(CID)).hasSize(1);
    }

    @Test
    void shouldFailPermanentlyWhenTheConversationHasNoCustomer() {
        // given
        genesys.server.stubFor(get(urlPathEqualTo("/api/v2/conversations/" + CID))
                .willReturn(okJson("{\"id\":\"" + CID + "\",\"participants\":[{\"id\":\"a\",\"purpose\":\"agent\"}]}")));

        // when / then
        assertThatThrownBy(() -> api(Map.of()).customerParticipantId(CID))
                .isInstanceOfSatisfying(GenesysCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(GenesysCallException.Kind.PERMANENT))
                .hasMessageContaining("no customer participant");
    }

    @Test
    void shouldClassifyNotFoundAsPermanentWithGenesysMessageAndCorrelationId() {
        // given
        genesys.stubPatch(CID, GenesysStandIn.error(404, "not.found", "corr-404"));

        // when / then
        assertThatThrownBy(() -> api(Map.of()).patchAttributes(CID, PID, Map.of("k", "v")))
                .isInstanceOfSatisfying(GenesysCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(GenesysCallException.Kind.PERMANENT);
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.correlationId()).isEqualTo("corr-404");
                    assertThat(e.getMessage()).contains("HTTP 404").contains("not.found");
                });
    }

    @Test
    void shouldClassifyBadRequestAsPermanentAndServerErrorsAndResetsAsTransient() {
        // given
        String bad = "cid-400";
        String down = "cid-503";
        String reset = "cid-reset";
        genesys.stubPatch(bad, GenesysStandIn.error(400, "bad.request", "corr-400"));
        genesys.stubPatch(down, GenesysStandIn.error(503, "service.unavailable", "corr-503"));
        genesys.stubPatch(reset, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        SdkGenesysApi api = api(Map.of(SinkSettings.RATE_PER_MINUTE.name(), "6000"));

        // when / then
        assertThat(failure(api, bad)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(GenesysCallException.Kind.PERMANENT);
            assertThat(e.correlationId()).isEqualTo("corr-400");
        });
        assertThat(failure(api, down)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(GenesysCallException.Kind.TRANSIENT);
            assertThat(e.status()).isEqualTo(503);
        });
        assertThat(failure(api, reset).kind()).isEqualTo(GenesysCallException.Kind.TRANSIENT);
    }

    @Test
    void shouldHoldEveryRequestUntilRetryAfterHasPassedAfterA429() throws Exception {
        // given requests may go out every 100 ms, and the first answer is a 429 asking for 1 s
        genesys.stubPatch("cid-limited", GenesysStandIn.error(429, "too.many.requests.retry.after", "corr-429")
                .withHeader("Retry-After", "1"));
        SdkGenesysApi api = api(Map.of(SinkSettings.RATE_PER_MINUTE.name(), "600"));
        assertThat(failure(api, "cid-limited").kind()).isEqualTo(GenesysCallException.Kind.RATE_LIMITED);

        // when another conversation's write and a GET follow at once
        genesys.stubConversation("cid-other", PID);
        api.patchAttributes("cid-other", PID, Map.of("k", "v"));
        api.customerParticipantId("cid-other");

        // then nothing reached Genesys before Retry-After had passed
        List<ServeEvent> requests = genesys.apiRequests();
        assertThat(requests).hasSize(3);
        long rejectedAt = GenesysStandIn.loggedAt(requests.get(0));
        assertThat(requests.subList(1, 3)).allSatisfy(r -> assertThat(GenesysStandIn.loggedAt(r) - rejectedAt).isGreaterThanOrEqualTo(1000 - GenesysStandIn.CLOCK_TOLERANCE_MS));
    }

    @Test
    void shouldWriteWithAnotherTokenOfThePoolWhileA429HoldsTheFirst() throws Exception {
        // given two tokens of one client, and Genesys answering the first write with a 429 asking for 5 s
        genesys.stubPatch("cid-limited", GenesysStandIn.error(429, "too.many.requests.retry.after", "corr-429")
                .withHeader("Retry-After", "5"));
        SdkGenesysApi api = api(Map.of(SinkSettings.TOKEN_POOL_SIZE.name(), "2", SinkSettings.RATE_PER_MINUTE.name(), "600"));
        assertThat(failure(api, "cid-limited").kind()).isEqualTo(GenesysCallException.Kind.RATE_LIMITED);

        // when two more writes follow at once
        api.patchAttributes("cid-a", PID, Map.of("k", "v"));
        api.patchAttributes("cid-b", PID, Map.of("k", "v"));

        // then both went with the other token, well before Retry-After, and each token was fetched once
        List<ServeEvent> requests = genesys.apiRequests();
        assertThat(requests).extracting(r -> r.getRequest().getHeader("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-2");
        assertThat(GenesysStandIn.loggedAt(requests.get(2)) - GenesysStandIn.loggedAt(requests.get(0))).isLessThan(4000);
        assertThat(genesys.tokenRequests()).hasSize(2);
        assertThat(api.tokenNames()).containsExactly("default#1", "default#2");
    }

    @Test
    void shouldSpaceRequestsIncludingGetsToTheConfiguredRate() throws Exception {
        // given 600 requests per minute without burst: one every 100 ms
        genesys.stubConversation(CID, PID);
        SdkGenesysApi api = api(Map.of(SinkSettings.RATE_PER_MINUTE.name(), "600", SinkSettings.RATE_BURST.name(), "0"));

        // when
        for (int i = 0; i < 3; i++) {
            api.customerParticipantId(CID);
            api.patchAttributes(CID, PID, Map.of("k", String.valueOf(i)));
        }

        // then six requests span at least five intervals (less 50 ms for differing network delays)
        List<ServeEvent> requests = genesys.apiRequests();
        assertThat(requests).hasSize(6);
        long span = GenesysStandIn.loggedAt(requests.get(5)) - GenesysStandIn.loggedAt(requests.get(0));
        assertThat(span).isGreaterThanOrEqualTo(5 * 100 - 50);
    }

    @Test
    void shouldReadRetryAfterAsSecondsOrHttpDateOrFallBackToTheDefault() {
        // given
        SdkGenesysApi api = api(Map.of(SinkSettings.RETRY_AFTER_DEFAULT.name(), "3s"));

        // when / then
        assertThat(api.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(api.retryAfter(null)).isEqualTo(Duration.ofSeconds(3));
        assertThat(api.retryAfter("soon")).isEqualTo(Duration.ofSeconds(3));
        assertThat(api.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    }

    private static GenesysCallException failure(SdkGenesysApi api, String conversationId) {
        try {
            api.patchAttributes(conversationId, PID, Map.of("k", "v"));
        } catch (GenesysCallException e) {
            return e;
        }
        throw new AssertionError("expected the PATCH of " + conversationId + " to fail");
    }

    /** The real clock, moved forward by hand: requests keep their real spacing, tokens age at will. */
    static final class MutableClock implements Time {
        private final AtomicLong offsetNanos = new AtomicLong();

        void advance(Duration duration) {
            offsetNanos.addAndGet(duration.toNanos());
        }

        @Override
        public long milliseconds() {
            return System.currentTimeMillis() + offsetNanos.get() / 1_000_000;
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime() + offsetNanos.get();
        }

        @Override
        public void sleep(long ms) {
            Time.SYSTEM.sleep(ms);
        }

        @Override
        public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) throws InterruptedException {
            Time.SYSTEM.waitObject(obj, condition, deadlineMs);
        }
    }
}
