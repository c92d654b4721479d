package io.asyncflow.ingress.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;

/**
 * Ready means the broker answers and the tasks topic exists: a metadata request for that topic,
 * bounded by {@code timeout}, so an unreachable broker reads as not ready within that time.
 */
public final class ReadinessProbe {
    private final Admin admin;
    private final String topic;
    private final Duration timeout;

    public ReadinessProbe(Admin admin, String topic, Duration timeout) {
        this.admin = admin;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Completes with the probe's answer; never fails. */
    public CompletableFuture<Readiness> check() {
        return admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                .allTopicNames().toCompletionStage().toCompletableFuture()
                .handle((ok, error) -> error == null
                        ? new Readiness("UP", null)
                        : new Readiness("DOWN", "Kafka topic " + topic + " unreachable: " + rootMessage(error)));
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    /**
     * The JSON answer of {@code /ready} and {@code /health}.
     *
     * @param status UP or DOWN
     * @param reason why DOWN, else null
     */
    public record Readiness(String status, String reason) {
        public boolean up() {
            return "UP".equals(status);
        }
    }
}
