package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.ingress.TopicContents;
import io.asyncflow.testing.KafkaTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * Prints the latency of {@code POST /v1/tasks} (202 after the broker's acknowledgement, acks=all)
 * and of the DUPLICATE path, against the in-JVM test broker. Not part of the normal build (the
 * name matches neither *Test nor *IT); run it with
 * {@code mvn -B -o test -pl ingress -am -Dtest=IngressLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read target/surefire-reports/*IngressLatencyBenchmark-output.txt.
 */
class IngressLatencyBenchmark {
    private static final int WARMUP = 300;
    private static final int REQUESTS = 3000;
    private static final int CONCURRENCY = 8;

    @Test
    void printLatencyOfAcceptedAndDuplicateRequests() throws Exception {
        try (RunningIngress ingress = RunningIngress.start(KafkaTestCluster.shared(), Map.of("ingress.max-body-bytes", "65536"))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + ingress.server().port() + "/v1/tasks");
            String cid = UUID.randomUUID().toString();

            run(http, uri, cid, "warmup-", WARMUP);
            Result accepted = run(http, uri, cid, "key-", REQUESTS);
            Result duplicate = run(http, uri, cid, "key-", REQUESTS);

            print("accepted (produced, acks=all)", accepted);
            print("duplicate (answered from the cache)", duplicate);
            assertThat(TopicContents.all(KafkaTestCluster.shared(), ingress.topics().tasks())).hasSize(WARMUP + REQUESTS);
        }
    }

    private static Result run(HttpClient http, URI uri, String cid, String keyPrefix, int count) throws Exception {
        Semaphore slots = new Semaphore(CONCURRENCY);
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            String body = "{\"conversationId\":\"" + cid + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33600000"
                    + String.format(Locale.ROOT, "%03d", i % 1000) + "\"},\"idempotencyKey\":\"" + keyPrefix + i + "\"}";
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestCatalog.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long sent = System.nanoTime();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                slots.release();
                if (error == null && response.statusCode() == 202) {
                    micros.add((System.nanoTime() - sent) / 1000);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        long elapsed = System.nanoTime() - start;
        assertThat(micros).hasSize(count);
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return new Result(sorted, elapsed);
    }

    private static void print(String what, Result r) {
        System.out.printf(Locale.ROOT, "BENCH %-38s n=%d concurrency=%d p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms throughput=%.0f req/s%n",
                what, r.micros().size(), CONCURRENCY, r.percentile(0.50), r.percentile(0.90), r.percentile(0.99),
                r.micros().get(r.micros().size() - 1) / 1000.0, r.micros().size() / (r.nanos() / 1e9));
    }

    private record Result(List<Long> micros, long nanos) {
        double percentile(double p) {
            return micros.get((int) Math.min(micros.size() - 1, Math.ceil(p * micros.size()) - 1)) / 1000.0;
        }
    }
}
