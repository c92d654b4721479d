package io.asyncflow.processor.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.SampleRecords;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's write pipeline with the real Genesys SDK ({@link SdkGenesysApi}) against WireMock
 * standing in for Genesys Cloud: API calls are counted and timed on the WireMock side.
 */
class WritePipelineGenesysTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String STATUS_KEY = "asyncflow.identify-caller.status";

    private GenesysStandIn genesys;
    private SdkGenesysApi api;
    private PipelineHarness harness;

    @BeforeEach
    void setUp() {
        genesys = new GenesysStandIn();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (harness != null) {
            harness.close();
        }
        if (api != null) {
            api.close();
        }
        genesys.close();
    }

    private PipelineHarness harness(Map<String, String> more) {
        Map<String, String> config = new HashMap<>(genesys.config());
        config.put(SinkSettings.RATE_PER_MINUTE.name(), "6000");
        config.put(SinkSettings.BACKOFF_INITIAL.name(), "20ms");
        config.put(SinkSettings.BACKOFF_MAX.name(), "100ms");
        config.putAll(PipelineHarness.writingOngoing(true));
        config.putAll(more);
        api = SdkGenesysApi.create(SinkSettings.from(AsyncFlowConfig.of(config)));
        harness = new PipelineHarness(api, config);
        return harness;
    }

    @Test
    void shouldWriteABacklogOfFiftyTasksAsFiftySuccessPatchesAndOneGetPerConversation() throws Exception {
        // given ONGOING then SUCCESS for 50 tasks in 10 conversations, participant ids unknown
        PipelineHarness harness = harness(Map.of());
        Backlog backlog = Backlog.of(10, 5);
        List<String> conversations = backlog.conversations();
        conversations.forEach(c -> genesys.stubConversation(c, "customer-" + c));
        backlog.inArrivalOrder().forEach(harness::accept);

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patches()).hasSize(50)
                .allSatisfy(p -> assertThat(GenesysStandIn.attributes(p)).containsEntry(STATUS_KEY, "SUCCESS").containsEntry("customerId", "C-1001"));
        assertThat(conversations).allSatisfy(c -> {
            assertThat(genesys.gets(c)).hasSize(1);
            assertThat(genesys.patches(c)).hasSize(5).allSatisfy(p -> assertThat(GenesysStandIn.participantOf(p)).isEqualTo("customer-" + c));
        });
        assertThat(genesys.tokenRequests()).hasSize(1);
        assertThat(harness.deadLetters).isEmpty();
    }

    @Test
    void shouldHoldEveryWriteUntilRetryAfterHasPassedAfterA429() throws Exception {
        // given a request every 500 ms at most, one write at a time, and Genesys answers the first write with 429, Retry-After 2 s
        PipelineHarness harness = harness(Map.of(SinkSettings.RATE_PER_MINUTE.name(), "120", SinkSettings.MAX_IN_FLIGHT.name(), "1"));
        genesys.stubPatchSequence("c-limited",
                GenesysStandIn.error(429, "too.many.requests.retry.after", "corr-429").withHeader("Retry-After", "2"),
                aResponse().withStatus(202));
        harness.accept(withParticipant(SampleRecords.status("c-limited", "t1", TaskStatus.SUCCESS, 2)));
        harness.accept(withParticipant(SampleRecords.status("c-b", "t2", TaskStatus.SUCCESS, 2)));
        harness.accept(withParticipant(SampleRecords.status("c-c", "t3", TaskStatus.SUCCESS, 2)));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then the other conversations' writes, not only the retry, waited for Retry-After, and every write got through
        List<ServeEvent> requests = genesys.apiRequests();
        assertThat(requests).extracting(GenesysStandIn::conversationOf).containsExactly("c-limited", "c-b", "c-c", "c-limited");
        assertThat(requests.get(0).getResponse().getStatus()).isEqualTo(429);
        long rejectedAt = GenesysStandIn.loggedAt(requests.get(0));
        assertThat(requests.subList(1, requests.size())).allSatisfy(r -> {
            assertThat(GenesysStandIn.loggedAt(r) - rejectedAt).isGreaterThanOrEqualTo(2000 - GenesysStandIn.CLOCK_TOLERANCE_MS);
            assertThat(r.getResponse().getStatus()).isEqualTo(202);
        });
        assertThat(harness.count("asyncflow.sink.retries", "kind", "rate_limited")).isEqualTo(1);
        assertThat(harness.deadLetters).isEmpty();
    }

    @Test
    void shouldBackOffAfterServerErrorsThenWrite() throws Exception {
        // given two 503s then success; backoff 200 ms doubling (at least half of it with jitter)
        PipelineHarness harness = harness(Map.of(SinkSettings.BACKOFF_INITIAL.name(), "200ms", SinkSettings.BACKOFF_MAX.name(), "1s"));
        genesys.stubPatchSequence("c1", GenesysStandIn.error(503, "service.unavailable", "corr-1"),
                GenesysStandIn.error(503, "service.unavailable", "corr-2"), aResponse().withStatus(202));
        harness.accept(withParticipant(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2)));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        List<ServeEvent> patches = genesys.patches("c1");
        assertThat(patches).extracting(p -> p.getResponse().getStatus()).containsExactly(503, 503, 202);
        assertThat(GenesysStandIn.loggedAt(patches.get(1)) - GenesysStandIn.loggedAt(patches.get(0))).isGreaterThanOrEqualTo(100 - GenesysStandIn.CLOCK_TOLERANCE_MS);
        assertThat(GenesysStandIn.loggedAt(patches.get(2)) - GenesysStandIn.loggedAt(patches.get(1))).isGreaterThanOrEqualTo(200 - GenesysStandIn.CLOCK_TOLERANCE_MS);
        assertThat(harness.deadLetters).isEmpty();
        assertThat(harness.committable("c1")).isEqualTo(harness.endOffset("c1"));
    }

    @Test
    void shouldDeadLetterNotFoundAndBadRequestWithGenesysCorrelationIds() throws Exception {
        // given
        PipelineHarness harness = harness(Map.of());
        genesys.stubPatch("c-gone", GenesysStandIn.error(404, "not.found", "corr-404"));
        genesys.stubPatch("c-bad", GenesysStandIn.error(400, "bad.request", "corr-400"));
        harness.accept(withParticipant(SampleRecords.status("c-gone", "t1", TaskStatus.SUCCESS, 2)));
        harness.accept(withParticipant(SampleRecords.status("c-bad", "t2", TaskStatus.ERROR, 2)));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then each was tried once and dead-lettered with Genesys' status, message and correlation id
        assertThat(genesys.patches()).hasSize(2);
        assertThat(harness.deadLetters).hasSize(2);
        assertThat(harness.deadLetters).filteredOn(l -> l.getConversationId().equals("c-gone")).singleElement().satisfies(l -> {
            assertThat(l.getCorrelationId()).isEqualTo("corr-404");
            assertThat(l.getReason()).contains("HTTP 404").contains("not.found");
        });
        assertThat(harness.deadLetters).filteredOn(l -> l.getConversationId().equals("c-bad")).singleElement().satisfies(l -> {
            assertThat(l.getCorrelationId()).isEqualTo("corr-400");
            assertThat(l.getReason()).contains("HTTP 400").contains("bad.request");
        });
        assertThat(harness.committable("c-gone")).isEqualTo(harness.endOffset("c-gone"));
        assertThat(harness.committable("c-bad")).isEqualTo(harness.endOffset("c-bad"));
    }

    @Test
    void shouldNeverWriteAnOlderStatusAfterANewerOne() throws Exception {
        // given the ONGOING write is slow, SUCCESS arrives while it is in progress, and ONGOING is replayed later
        PipelineHarness harness = harness(Map.of());
        genesys.stubPatchSequence("c1", aResponse().withStatus(202).withFixedDelay(300), aResponse().withStatus(202));
        harness.accept(withParticipant(SampleRecords.status("c1", "t1", TaskStatus.ONGOING, 1)));
        harness.pipeline.step(w -> true);
        harness.accept(withParticipant(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2)));

        // when
        harness.runUntilIdle(TIMEOUT);
        harness.accept(withParticipant(SampleRecords.status("c1", "t1", TaskStatus.ONGOING, 1)));
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patches("c1")).extracting(p -> GenesysStandIn.attributes(p).get(STATUS_KEY)).containsExactly("ONGOING", "SUCCESS");
    }

    @Test
    void shouldResolveTheCustomerParticipantOnceAndReuseIt() throws Exception {
        // given three tasks of one conversation without a participant id
        PipelineHarness harness = harness(Map.of());
        genesys.stubConversation("c1", "customer-1");
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2));
        harness.accept(SampleRecords.status("c1", "t2", TaskStatus.NOT_FOUND, 2));
        harness.accept(SampleRecords.status("c1", "t3", TaskStatus.TIMEOUT, 3));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.gets("c1")).hasSize(1);
        assertThat(genesys.patches("c1")).hasSize(3).allSatisfy(p -> assertThat(GenesysStandIn.participantOf(p)).isEqualTo("customer-1"));
    }

    private static StatusUpdate withParticipant(StatusUpdate status) {
        return StatusUpdate.newBuilder(status).setParticipantId("p-" + status.getConversationId()).build();
    }
}
