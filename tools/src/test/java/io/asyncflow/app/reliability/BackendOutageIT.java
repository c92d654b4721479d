package io.asyncflow.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.app.sim.CustomerRecord;
import io.asyncflow.app.sim.GenesysWrite;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Customer databases that are down (503 at once) or hang (answer after a minute, past every
 * timeout): identification still succeeds from a database that works, within the task's deadline
 * ({@code SUCCESS} is only ever decided before it); with every database out, the call flow gets
 * {@code ERROR} or {@code TIMEOUT} no later than the deadline plus a margin for this loaded machine.
 * {@value #TASKS} tasks per scenario, deadline {@value #DEADLINE_SECONDS} s, backend timeout 1 s.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class BackendOutageIT {
    private static final int TASKS = 40;
    private static final int DEADLINE_SECONDS = 5;
    private static final Duration LATE_MARGIN = Duration.ofSeconds(5);
    private static final Duration HANG = Duration.ofMinutes(1);
    private static final AtomicInteger SERIES = new AtomicInteger(10);

    private static ReliabilityStack stack;
    private static ParticipantDataLedger ledger;

    @BeforeAll
    static void start() {
        stack = ReliabilityStack.on(KafkaTestCluster.shared(), Map.of("task.identify-caller.deadline", DEADLINE_SECONDS + "s"));
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
    void restoreBackends() {
        for (String db : SimulatedBackends.databases()) {
            stack.backends().setDown(db, false);
            stack.backends().setLatency(db, SimulatedBackends.DEFAULT_LATENCIES.get(db));
        }
    }

    @Test
    void shouldIdentifyFromAnotherDatabaseWhenOneIsDown() throws Exception {
        // given
        List<Caller> callers = knownToAlphaAndAnother();
        stack.backends().setDown("alpha", true);

        // when
        LoadDriver load = run(callers);

        // then
        assertIdentifiedElsewhere(load, "alpha down");
        assertThat(stack.backends().calls("alpha")).isPositive();
    }

    @Test
    void shouldIdentifyFromAnotherDatabaseWhenOneHangs() throws Exception {
        // given
        List<Caller> callers = knownToAlphaAndAnother();
        stack.backends().setLatency("alpha", HANG);

        // when
        LoadDriver load = run(callers);

        // then
        assertIdentifiedElsewhere(load, "alpha hanging");
    }

    @Test
    void shouldAnswerErrorOrTimeoutOnTimeWhenEveryDatabaseIsDown() throws Exception {
        // given
        List<Caller> callers = knownToAlphaAndAnother();
        SimulatedBackends.databases().forEach(db -> stack.backends().setDown(db, true));

        // when
        LoadDriver load = run(callers);

        // then
        assertFailedOnTime(load, "all down");
    }

    @Test
    void shouldAnswerErrorOrTimeoutOnTimeWhenEveryDatabaseHangs() throws Exception {
        // given
        List<Caller> callers = knownToAlphaAndAnother();
        SimulatedBackends.databases().forEach(db -> stack.backends().setLatency(db, HANG));

        // when
        LoadDriver load = run(callers);

        // then
        assertFailedOnTime(load, "all hanging");
    }

    /** Callers alpha knows, and beta or gamma too (the expected winner when alpha is out). */
    private static List<Caller> knownToAlphaAndAnother() {
        int series = SERIES.incrementAndGet();
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            String ani = String.format("tel:+338%02d%06d", series, i);
            String other = i % 2 == 0 ? "beta" : "gamma";
            stack.backends().addCustomer("alpha", ani, new CustomerRecord("alpha-" + i, "Caller " + i, "gold"));
            stack.backends().addCustomer(other, ani, new CustomerRecord(other + "-" + i, "Caller " + i, "gold"));
            callers.add(new Caller(UUID.randomUUID().toString(), UUID.randomUUID().toString(), ani, other, "SUCCESS"));
        }
        return callers;
    }

    private static LoadDriver run(List<Caller> callers) throws InterruptedException {
        LoadDriver load = new LoadDriver(stack.ingressUrl(), ReliabilityStack.TOKEN, 16);
        load.submitAll(callers, Duration.ofMinutes(1));
        assertThat(load.accepted()).hasSize(callers.size());
        ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(1));
        return load;
    }

    private static void assertIdentifiedElsewhere(LoadDriver load, String scenario) {
        ParticipantDataLedger.Verdict verdict = ledger.judge(load.accepted(), true);
        System.out.printf("RELIABILITY backend %s: %s; slowest terminal write %d ms after its request%n",
                scenario, verdict, slowestMillis(load));
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
        assertThat(verdict.statusCounts).containsExactly(Map.entry("SUCCESS", TASKS));
    }

    private static void assertFailedOnTime(LoadDriver load, String scenario) {
        ParticipantDataLedger.Verdict verdict = ledger.judge(load.accepted(), false);
        long slowest = slowestMillis(load);
        System.out.printf("RELIABILITY backend %s: %s; slowest terminal write %d ms after its request (deadline %d s)%n",
                scenario, verdict, slowest, DEADLINE_SECONDS);
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
        assertThat(verdict.statusCounts.keySet()).isNotEmpty().isSubsetOf("ERROR", "TIMEOUT");
        assertThat(Duration.ofMillis(slowest)).isLessThan(Duration.ofSeconds(DEADLINE_SECONDS).plus(LATE_MARGIN));
    }

    /** Longest time from a request to its first terminal write. */
    private static long slowestMillis(LoadDriver load) {
        long slowest = 0;
        List<GenesysWrite> writes = stack.genesys().writes();
        for (Caller caller : load.accepted().keySet()) {
            long sent = load.sentAt(caller);
            long arrived = writes.stream().filter(w -> w.conversationId().equals(caller.conversationId()))
                    .filter(w -> ParticipantDataLedger.TERMINAL.contains(w.attributes().get(ParticipantDataLedger.STATUS)))
                    .mapToLong(GenesysWrite::arrivalNanos).findFirst().orElseThrow();
            slowest = Math.max(slowest, (arrived - sent) / 1_000_000);
        }
        return slowest;
    }
}
