package io.asyncflow.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Genesys Cloud in trouble while tasks keep coming: a storm of 429s (every API call, Retry-After
 * 1 s), a period of 503s, and access tokens that expire every few seconds or are revoked mid-run.
 * Writes are delayed, none is lost or dead-lettered. The 429 storm meets {@value #STORM_TASKS} writes
 * (the sink's writes in flight), each answered 429 more often than {@code sink.max-attempts}. The outage lasts
 * {@code -Dreliability.genesys.outage-seconds} (default 15 s, standing for "a minute");
 * {@value #TASKS} tasks for the 503s and the tokens, paced at {@value #PER_SECOND} a second.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class GenesysTroubleIT {
    private static final int TASKS = 150;
    private static final int STORM_TASKS = 8;
    private static final int PER_SECOND = 15;
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("reliability.genesys.outage-seconds", 15));
    private static final AtomicInteger SERIES = new AtomicInteger(20);

    private static ReliabilityStack stack;
    private static ParticipantDataLedger ledger;

    @BeforeAll
    static void start() {
        stack = ReliabilityStack.on(KafkaTestCluster.shared(), Map.of("task.identify-caller.deadline", "30s"));
        stack.startAll(List.of(ComponentKind.INGRESS, ComponentKind.PROCESSOR, ComponentKind.LOOKUPS, ComponentKind.SINK));
        ledger = new ParticipantDataLedger(stack.genesys());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void heal() {
        stack.genesys().clearApiFailures();
        stack.genesys().setTokenLifetime(Duration.ofDays(1));
    }

    @Test
    void shouldDelayButLoseNoWriteDuringA429Storm() throws Exception {
        // given as many tasks as the sink writes at once, so every write is retried after every Retry-After
        long before = stack.genesys().tooManyRequests();

        // when
        Map<Caller, String> tasks = runThroughOutage(STORM_TASKS, () -> stack.genesys().failApiCalls(429, 1));

        // then
        long answered429 = stack.genesys().tooManyRequests() - before;
        assertNothingLost("429 storm", tasks, STORM_TASKS, answered429 + " calls answered 429 (Retry-After 1 s)");
        assertThat(answered429).as("429s: more than sink.max-attempts (8) per write").isGreaterThan(8L * STORM_TASKS);
    }

    @Test
    void shouldDelayButLoseNoWriteDuringAPeriodOf503s() throws Exception {
        // given
        long before = stack.genesys().failedOnPurpose();

        // when
        Map<Caller, String> tasks = runThroughOutage(TASKS, () -> stack.genesys().failApiCalls(503, 0));

        // then
        long answered503 = stack.genesys().failedOnPurpose() - before;
        assertNothingLost("503 period", tasks, TASKS, answered503 + " calls answered 503");
        assertThat(answered503).isPositive();
    }

    @Test
    void shouldSurviveShortLivedAndRevokedTokens() throws Exception {
        // given
        stack.genesys().setTokenLifetime(Duration.ofSeconds(2));
        stack.genesys().revokeTokens();
        long issuedBefore = stack.genesys().tokensIssued();
        long unauthorizedBefore = stack.genesys().unauthorized();
        List<Caller> callers = Caller.population(stack.backends(), SERIES.incrementAndGet(), TASKS);
        LoadDriver load = new LoadDriver(stack.ingressUrl(), ReliabilityStack.TOKEN, 8);

        // when
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> submit(load, callers));
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> load.sent() >= TASKS / 2);
        stack.genesys().revokeTokens();
        sending.get();
        ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(2));

        // then
        long issued = stack.genesys().tokensIssued() - issuedBefore;
        long unauthorized = stack.genesys().unauthorized() - unauthorizedBefore;
        assertNothingLost("short-lived tokens", load.accepted(), TASKS, issued + " tokens issued (2 s lifetime, all revoked twice), "
                + unauthorized + " calls answered 401");
        assertThat(issued).isGreaterThanOrEqualTo(3);
        assertThat(unauthorized).as("calls made with a revoked token").isPositive();
    }

    /**
     * Genesys fails for {@link #OUTAGE} from the start, while the tasks come in (the first writes
     * meet the whole outage), then recovers; the tasks sent after it are written at once.
     */
    private static Map<Caller, String> runThroughOutage(int count, Runnable outage) throws Exception {
        List<Caller> callers = Caller.population(stack.backends(), SERIES.incrementAndGet(), count);
        LoadDriver load = new LoadDriver(stack.ingressUrl(), ReliabilityStack.TOKEN, 8);
        int finishedBefore = ledger.finishedCount();
        long failuresBefore = stack.genesys().failedOnPurpose();
        outage.run();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> submit(load, callers));
        Awaitility.await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(30))
                .until(() -> stack.genesys().failedOnPurpose() > failuresBefore);
        int finishedDuring = ledger.finishedCount() - finishedBefore;
        int sentDuring = load.sent();
        stack.genesys().clearApiFailures();
        sending.get();
        ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(2));
        System.out.printf("RELIABILITY genesys outage of %d s: %d of %d tasks sent and %d written during it%n",
                OUTAGE.toSeconds(), sentDuring, count, finishedDuring);
        assertThat(finishedDuring).as("tasks written during the outage").isZero();
        return load.accepted();
    }

    private static void assertNothingLost(String scenario, Map<Caller, String> tasks, int count, String figures) {
        ParticipantDataLedger.Verdict verdict = ledger.judge(tasks, true);
        List<ConsumerRecord<String, DeadLetter>> deadLetters = KafkaTestCluster.shared().consumeUntil(
                stack.topics().deadLetters(), r -> false, Duration.ofSeconds(3));
        System.out.printf("RELIABILITY genesys %s: %s; %s; %d dead letters so far%n", scenario, verdict, figures, deadLetters.size());
        assertThat(tasks).hasSize(count);
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
        assertThat(deadLetters).as("dead letters").isEmpty();
    }

    private static void submit(LoadDriver load, List<Caller> callers) {
        try {
            load.submitPaced(callers, PER_SECOND, Duration.ofMinutes(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
