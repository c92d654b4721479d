package io.asyncflow.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 3-broker cluster (replication 3, {@code min.insync.replicas} 2) loses one broker under load.
 * Every task the ingress answered 202 must be stored and reach a terminal status. Load:
 * {@code -Dreliability.broker.tasks} (default 1000).
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class BrokerLossIT {
    private static final int TASKS = Integer.getInteger("reliability.broker.tasks", 1000);

    private KafkaTestCluster cluster;
    private ReliabilityStack stack;

    @AfterEach
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldStoreAndFinishEveryAcceptedTaskWhenABrokerStopsUnderLoad() throws Exception {
        // given
        cluster = KafkaTestCluster.start(3);
        stack = ReliabilityStack.on(cluster, ReliabilityStack.PATIENT);
        assertThat(stack.config().get("topic.replication-factor", null)).isEqualTo("3");
        stack.startAll(List.of(ComponentKind.INGRESS, ComponentKind.PROCESSOR, ComponentKind.LOOKUPS, ComponentKind.SINK));
        ParticipantDataLedger ledger = new ParticipantDataLedger(stack.genesys());
        List<Caller> callers = Caller.population(stack.backends(), 3, TASKS);
        LoadDriver load = new LoadDriver(stack.ingressUrl(), ReliabilityStack.TOKEN, 32);
        int victimId = cluster.kit().brokers().keySet().stream()
                .filter(id -> !cluster.kit().controllers().containsKey(id)).max(Integer::compare).orElseThrow();
        BrokerServer victim = cluster.kit().brokers().get(victimId);

        // when
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> submit(load, callers));
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> load.sent() >= TASKS / 3);
        int finishedAtStop = ledger.finishedCount();
        int sentAtStop = load.sent();
        victim.shutdown();
        victim.awaitShutdown();
        int sentAfterStop = TASKS - load.sent();
        sending.get();
        Map<Caller, String> accepted = load.accepted();
        ledger.awaitTerminal(accepted, Duration.ofMinutes(3));

        // then
        Set<String> acceptedIds = new HashSet<>(accepted.values());
        List<ConsumerRecord<String, TaskEvent>> stored = cluster.consumeUntil(stack.topics().tasks(),
                records -> taskIds(records).containsAll(acceptedIds), Duration.ofSeconds(60));
        ParticipantDataLedger.Verdict verdict = ledger.judge(accepted, true);
        System.out.printf("RELIABILITY broker-loss: %d tasks, broker %d stopped at %d sent / %d finished "
                        + "(%d more sent after it was down; 100 requests/s); HTTP %s; %d task records stored; %s%n",
                TASKS, victimId, sentAtStop, finishedAtStop, sentAfterStop, load.statuses(),
                stored.size(), verdict);
        assertThat(victim.isShutdown()).isTrue();
        assertThat(sentAtStop).as("requests sent when the broker stopped").isLessThan(TASKS);
        assertThat(taskIds(stored)).as("every 202 was stored").containsAll(acceptedIds);
        assertThat(sentAfterStop).as("requests sent after the broker was down").isPositive();
        assertThat(accepted.size()).as("202 answers").isGreaterThan(TASKS / 2);
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
    }

    private static Set<String> taskIds(List<ConsumerRecord<String, TaskEvent>> records) {
        return records.stream().map(r -> r.value().getEvent())
                .filter(TaskRequest.class::isInstance).map(e -> ((TaskRequest) e).getTaskId())
                .collect(Collectors.toSet());
    }

    private static void submit(LoadDriver load, List<Caller> callers) {
        try {
            load.submitPaced(callers, 100, Duration.ofMinutes(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
