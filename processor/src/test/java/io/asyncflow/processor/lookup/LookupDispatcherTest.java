package io.asyncflow.processor.lookup;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipping and in-flight bounds, against WireMock with a slow answer; no Kafka. */
class LookupDispatcherTest {
    private static final String CUSTOMER = "{\"customer\": {\"id\": \"C-7\"}}";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(40)).build();

    private final CountingHttpClient http = CountingHttpClient.wrapping();
    private final FinishedTasks finished = new FinishedTasks(100, Duration.ofMinutes(1), Time.SYSTEM);

    private LookupDispatcher dispatcher(int instanceMax, Map<String, Integer> backendMax) {
        Map<String, BackendCaller> callers = new LinkedHashMap<>();
        for (String name : backendMax.keySet()) {
            callers.put(name, new BackendCaller(TestBackends.backend(name, TestBackends.customerDb(name, wm.baseUrl(), Map.of())),
                    http, 1 << 20, Time.SYSTEM));
        }
        return new LookupDispatcher(callers, new InFlightLimits(instanceMax, backendMax), finished, Time.SYSTEM);
    }

    /**
     * Drives the dispatcher the way the worker does: offer every held lookup, hold it again when
     * refused, and wait for a finished call (which releases its permit) before offering again.
     */
    private static List<LookupResult> runAll(LookupDispatcher dispatcher, List<LookupRequest> lookups) throws InterruptedException {
        Deque<LookupRequest> held = new ArrayDeque<>(lookups);
        BlockingQueue<LookupResult> done = new LinkedBlockingQueue<>();
        List<LookupResult> results = new ArrayList<>();
        while (results.size() < lookups.size()) {
            int offered = held.size();
            for (int i = 0; i < offered; i++) {
                LookupRequest lookup = held.poll();
                LookupDispatcher.Dispatch dispatch = dispatcher.tryDispatch(lookup);
                if (dispatch instanceof LookupDispatcher.Started started) {
                    started.result().whenComplete((r, e) -> {
                        started.permit().release();
                        done.add(r);
                    });
                } else {
                    assertThat(dispatch).isInstanceOf(LookupDispatcher.Held.class);
                    held.add(lookup);
                }
            }
            LookupResult result = done.poll(30, TimeUnit.SECONDS);
            assertThat(result).as("a lookup finished within 30 s").isNotNull();
            results.add(result);
            done.drainTo(results);
        }
        return results;
    }

    private static List<LookupRequest> lookups(int count, String... backends) {
        List<LookupRequest> lookups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lookups.add(TestBackends.lookup(backends[i % backends.length], Map.of("ani", "tel:+3361000" + i), TestBackends.inSeconds(60)));
        }
        return lookups;
    }

    @Test
    void shouldNeverHaveMoreRequestsInFlightToABackendThanItsBound() throws Exception {
        // given a slow database bounded to 3 requests in flight, and 20 lookups for it
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(CUSTOMER).withFixedDelay(150)));
        LookupDispatcher dispatcher = dispatcher(100, Map.of("alpha", 3));

        // when
        List<LookupResult> results = runAll(dispatcher, lookups(20, "alpha"));

        // then every lookup was answered, and never more than 3 at once (but 3 at once at some point)
        assertThat(results).hasSize(20).allSatisfy(r -> assertThat(r.getOutcome()).isEqualTo(LookupOutcome.HIT));
        assertThat(http.total()).isEqualTo(20);
        assertThat(http.maxConcurrent("alpha")).isEqualTo(3);
        assertThat(dispatcher.limits().inFlight()).isZero();
    }

    @Test
    void shouldNeverHaveMoreLookupsInFlightThanTheWorkerBoundAcrossBackends() throws Exception {
        // given two slow databases bounded to 10 each, in a worker bounded to 4
        wm.stubFor(get(anyUrl()).willReturn(okJson(CUSTOMER).withFixedDelay(150)));
        LookupDispatcher dispatcher = dispatcher(4, Map.of("alpha", 10, "beta", 10));

        // when
        List<LookupResult> results = runAll(dispatcher, lookups(24, "alpha", "beta"));

        // then
        assertThat(results).hasSize(24).allSatisfy(r -> assertThat(r.getOutcome()).isEqualTo(LookupOutcome.HIT));
        assertThat(http.maxConcurrent()).isEqualTo(4);
        assertThat(http.maxConcurrent("alpha")).isLessThanOrEqualTo(4);
        assertThat(http.maxConcurrent("beta")).isLessThanOrEqualTo(4);
    }

    @Test
    void shouldHoldALookupWhileItsBackendIsAtItsBoundButStartOthers() {
        // given alpha at its bound of 1
        wm.stubFor(get(anyUrl()).willReturn(okJson(CUSTOMER).withFixedDelay(500)));
        LookupDispatcher dispatcher = dispatcher(10, Map.of("alpha", 1, "beta", 1));
        List<LookupRequest> lookups = lookups(3, "alpha", "alpha", "beta");
        assertThat(dispatcher.tryDispatch(lookups.get(0))).isInstanceOf(LookupDispatcher.Started.class);

        // when
        LookupDispatcher.Dispatch second = dispatcher.tryDispatch(lookups.get(1));
        LookupDispatcher.Dispatch other = dispatcher.tryDispatch(lookups.get(2));

        // then
        assertThat(second).isInstanceOf(LookupDispatcher.Held.class);
        assertThat(other).isInstanceOf(LookupDispatcher.Started.class);
        assertThat(dispatcher.limits().inFlight("alpha")).isEqualTo(1);
        assertThat(dispatcher.limits().inFlight()).isEqualTo(2);
    }

    @Test
    void shouldSkipALookupWhoseDeadlinePassedWithoutCallingTheBackend() {
        // given
        wm.stubFor(get(anyUrl()).willReturn(okJson(CUSTOMER)));
        LookupDispatcher dispatcher = dispatcher(10, Map.of("alpha", 5));
        LookupRequest late = TestBackends.lookup("alpha", Map.of("ani", "tel:+33600000001"), System.currentTimeMillis() - 1);

        // when
        LookupDispatcher.Dispatch dispatch = dispatcher.tryDispatch(late);

        // then
        assertThat(dispatch).isEqualTo(new LookupDispatcher.Skipped(LookupDispatcher.SkipReason.DEADLINE_PASSED));
        assertThat(dispatcher.limits().inFlight()).isZero();
        assertThat(http.total()).isZero();
        wm.verify(0, WireMock.anyRequestedFor(anyUrl()));
    }

    @Test
    void shouldSkipALookupOfAFinishedTaskWithoutCallingTheBackend() {
        // given
        wm.stubFor(get(anyUrl()).willReturn(okJson(CUSTOMER)));
        LookupDispatcher dispatcher = dispatcher(10, Map.of("alpha", 5));
        LookupRequest lookup = TestBackends.lookup("alpha", Map.of("ani", "tel:+33600000002"), TestBackends.inSeconds(10));
        finished.add(lookup.getTaskId());

        // when
        LookupDispatcher.Dispatch dispatch = dispatcher.tryDispatch(lookup);

        // then
        assertThat(dispatch).isEqualTo(new LookupDispatcher.Skipped(LookupDispatcher.SkipReason.TASK_FINISHED));
        assertThat(http.total()).isZero();
        wm.verify(0, WireMock.anyRequestedFor(anyUrl()));
    }

    @Test
    void shouldAnswerAnErrorForABackendThisWorkerDoesNotKnow() throws Exception {
        LookupDispatcher dispatcher = dispatcher(10, new HashMap<>(Map.of("alpha", 5)));
        LookupRequest lookup = TestBackends.lookup("delta", Map.of("ani", "tel:+33600000003"), TestBackends.inSeconds(10));

        LookupDispatcher.Dispatch dispatch = dispatcher.tryDispatch(lookup);

        assertThat(dispatch).isInstanceOf(LookupDispatcher.Started.class);
        LookupResult result = ((LookupDispatcher.Started) dispatch).result().get(5, TimeUnit.SECONDS);
        assertThat(result.getOutcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(result.getError()).contains("'delta' is not configured");
        assertThat(result.getAttempts()).isZero();
        assertThat(http.total()).isZero();
    }
}
