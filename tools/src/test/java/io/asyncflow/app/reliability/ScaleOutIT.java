package io.asyncflow.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.runtime.Component;
import io.asyncflow.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two, then three topology instances and lookup workers share the partitions; one of each joins
 * and one of each leaves under load. The load comes in three paced thirds: the first before the
 * join, the second while the new instances join, the third while the old ones leave, so neither
 * step can fall after the last request whatever the machine's speed. Load:
 * {@code -Dreliability.scale.tasks} (default 1000).
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class ScaleOutIT {
    private static final int TASKS = Integer.getInteger("reliability.scale.tasks", 1000);
    /** Requests a second: a third of the load lasts about 3 s, so each scaling step meets requests still arriving. */
    private static final int PER_SECOND = 100;

    private ReliabilityStack stack;

    @AfterEach
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldLoseNothingWhenProcessorsAndLookupWorkersJoinAndLeaveUnderLoad() throws Exception {
        // given
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        stack = ReliabilityStack.on(cluster, ReliabilityStack.PATIENT);
        stack.startAll(List.of(ComponentKind.INGRESS, ComponentKind.SINK));
        Component firstProcessor = stack.start(ComponentKind.PROCESSOR);
        stack.start(ComponentKind.PROCESSOR);
        Component firstWorker = stack.start(ComponentKind.LOOKUPS);
        stack.start(ComponentKind.LOOKUPS);
        String processorGroup = stack.config().get("processor.application-id", null);
        String lookupGroup = stack.config().get("lookup.group-id", null);
        awaitMembers(cluster, processorGroup, 2);
        awaitMembers(cluster, lookupGroup, 2);
        ParticipantDataLedger ledger = new ParticipantDataLedger(stack.genesys());
        List<Caller> callers = Caller.population(stack.backends(), 2, TASKS);
        LoadDriver load = new LoadDriver(stack.ingressUrl(), ReliabilityStack.TOKEN, 16);

        // when
        List<Caller> beforeJoin = callers.subList(0, TASKS / 3);
        List<Caller> duringJoin = callers.subList(TASKS / 3, 2 * TASKS / 3);
        List<Caller> duringLeave = callers.subList(2 * TASKS / 3, TASKS);
        ExecutorService senders = Executors.newFixedThreadPool(3);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> submit(load, beforeJoin), senders);
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> ledger.finishedCount() >= TASKS / 5);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> submit(load, duringJoin), senders);
        int finishedAtJoin = ledger.finishedCount();
        stack.start(ComponentKind.PROCESSOR);
        stack.start(ComponentKind.LOOKUPS);
        awaitMembers(cluster, processorGroup, 3);
        awaitMembers(cluster, lookupGroup, 3);
        CompletableFuture.allOf(first, second).get();
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> submit(load, duringLeave), senders);
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> load.sent() > 2 * TASKS / 3);
        int finishedAtLeave = ledger.finishedCount();
        stack.stop(firstProcessor);
        stack.stop(firstWorker);
        awaitMembers(cluster, processorGroup, 2);
        awaitMembers(cluster, lookupGroup, 2);
        third.get();
        senders.shutdown();
        ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(3));

        // then
        ParticipantDataLedger.Verdict verdict = ledger.judge(load.accepted(), true);
        System.out.printf("RELIABILITY scale-out: %d tasks, 2 -> 3 instances at %d finished, 3 -> 2 at %d finished; HTTP %s; %s%n",
                TASKS, finishedAtJoin, finishedAtLeave, load.statuses(), verdict);
        assertThat(load.accepted()).hasSize(TASKS);
        assertThat(finishedAtLeave).as("tasks finished when an instance left").isLessThan(TASKS);
        assertThat(finishedAtJoin).as("tasks finished when an instance joined").isLessThan(TASKS / 3);
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
        assertThat(verdict.tasks).isEqualTo(TASKS);
    }

    /** Waits until the consumer group is stable with {@code members} members that own partitions. */
    static void awaitMembers(KafkaTestCluster cluster, String group, int members) {
        try (Admin admin = cluster.admin()) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                return description.groupState() == org.apache.kafka.common.GroupState.STABLE
                        && description.members().size() == members
                        && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    private static void submit(LoadDriver load, List<Caller> callers) {
        try {
            load.submitPaced(callers, PER_SECOND, Duration.ofMinutes(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
