package io.asyncflow.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.testing.KafkaTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The topology process is killed (SIGKILL: no clean shutdown, no commit, open transactions left
 * behind) with many conversations in flight, and a new process with empty local state takes over.
 * Ingress, lookup worker and sink keep running in this JVM. Load: {@code -Dreliability.crash.tasks}
 * (default 1000) identify-caller tasks.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class ProcessorCrashIT {
    private static final int TASKS = Integer.getInteger("reliability.crash.tasks", 1000);

    private ReliabilityStack stack;
    private ChildProcessor first;
    private ChildProcessor second;

    @AfterEach
    void tearDown() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldFinishEveryTaskExactlyOnceWhenTheProcessorIsKilledMidRun() throws Exception {
        // given
        stack = ReliabilityStack.on(KafkaTestCluster.shared(), ReliabilityStack.PATIENT);
        stack.startAll(List.of(ComponentKind.INGRESS, ComponentKind.LOOKUPS, ComponentKind.SINK));
        Path logs = Files.createDirectories(Path.of("target", "reliability"));
        first = ChildProcessor.start(stack.writeConfigFile(), logs.resolve("crash-first-processor.log"), Duration.ofSeconds(90));
        ParticipantDataLedger ledger = new ParticipantDataLedger(stack.genesys());
        List<Caller> callers = Caller.population(stack.backends(), 1, TASKS);
        LoadDriver load = new LoadDriver(stack.ingressUrl(), ReliabilityStack.TOKEN, 32);

        // when
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> submit(load, callers));
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> ledger.finishedCount() >= TASKS / 4);
        first.kill();
        int finishedAtKill = ledger.finishedCount();
        long killedAt = System.nanoTime();
        second = ChildProcessor.start(stack.writeConfigFile(), logs.resolve("crash-second-processor.log"), Duration.ofSeconds(90));
        sending.get();
        ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(3));
        long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;

        // then
        ParticipantDataLedger.Verdict verdict = ledger.judge(load.accepted(), true);
        System.out.printf("RELIABILITY processor-crash: %d tasks, %d finished when killed (%d in flight or not yet sent), "
                        + "all finished %d ms after the kill; HTTP %s; %s%n", TASKS, finishedAtKill, TASKS - finishedAtKill,
                recoveredMs, load.statuses(), verdict);
        assertThat(load.accepted()).hasSize(TASKS);
        assertThat(finishedAtKill).as("tasks finished before the kill").isLessThan(TASKS);
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
        assertThat(verdict.tasks).isEqualTo(TASKS);
    }

    private static void submit(LoadDriver load, List<Caller> callers) {
        try {
            load.submitAll(callers, Duration.ofMinutes(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
