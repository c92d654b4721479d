package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.IngressClient;
import io.asyncflow.ingress.IngressClient.Answer;
import io.asyncflow.ingress.IngressServer;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.Map;
import kafka.server.BrokerServer;
import org.junit.jupiter.api.Test;

/** With the broker gone, the ingress answers 503 within its produce timeout, never 202. */
class IngressBrokerOutageIT {
    private static final Duration PRODUCE_TIMEOUT = Duration.ofSeconds(2);
    /** The produce timeout, the sender's queue margin, and room for a loaded machine. */
    private static final Duration BOUND = PRODUCE_TIMEOUT.plusSeconds(2).plusSeconds(8);

    @Test
    void shouldAnswer503WithinTheProduceTimeoutWhenTheBrokerIsDown() {
        KafkaTestCluster cluster = KafkaTestCluster.start(1);
        IngressServer server = null;
        try {
            // given an ingress that has accepted a task while its broker was up
            AsyncFlowConfig config = cluster.freshConfig(TestCatalog.config(Map.of("ingress.produce-timeout", PRODUCE_TIMEOUT.toSeconds() + "s")));
            server = new IngressServer(config);
            server.start();
            IngressClient client = new IngressClient("127.0.0.1", server.port());
            assertThat(client.postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json")).status()).isEqualTo(202);

            // when the broker stops and new work arrives
            cluster.kit().brokers().values().forEach(BrokerServer::shutdown);
            long start = System.nanoTime();
            Answer task = client.postJson("/v1/tasks", Fixtures.text("tasks/identify-caller.json").replace("identify-caller-1", "after-outage"));
            Duration taskTook = Duration.ofNanos(System.nanoTime() - start);
            start = System.nanoTime();
            Answer events = client.postJson("/v1/events", Fixtures.bytes("eventbridge/customer-end.json"));
            Duration eventsTook = Duration.ofNanos(System.nanoTime() - start);
            Answer ready = client.get("/ready");

            // then both are refused with 503 within the bound, and the ingress reports not ready
            assertThat(task.status()).as(task.body()).isEqualTo(503);
            assertThat(task.field("error")).isEqualTo("broker-unavailable");
            assertThat(taskTook).isLessThan(BOUND);
            assertThat(events.status()).as(events.body()).isEqualTo(503);
            assertThat(eventsTook).isLessThan(BOUND);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.field("status")).isEqualTo("DOWN");
            assertThat(client.get("/health").status()).isEqualTo(200);
        } finally {
            if (server != null) {
                server.close();
            }
            cluster.close();
        }
    }
}
