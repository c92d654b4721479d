package io.asyncflow.processor.lookup;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prints throughput and latency figures of the lookup worker against WireMock databases that
 * answer after a fixed delay. Not part of the build (its name matches neither Surefire's nor
 * Failsafe's patterns); run it with
 * {@code mvn -B -o verify -pl processor -am -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=LookupWorkerBenchmark -Dfailsafe.failIfNoSpecifiedTests=false} and read
 * {@code processor/target/failsafe-reports/*LookupWorkerBenchmark-output.txt}.
 */
class LookupWorkerBenchmark {
    private static final int BACKLOG = 3000;
    private static final int PACED = 1000;
    private static final int PACED_PER_SECOND = 200;
    private static final int BACKEND_DELAY_MS = 20;

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(200).asynchronousResponseEnabled(true)
                    .asynchronousResponseThreads(20).disableRequestJournal()).build();

    @Test
    void printThroughputAndLatency() throws Exception {
        wm.stubFor(get(urlPathMatching("/(alpha|beta|gamma)/customers"))
                .willReturn(okJson("{\"customer\": {\"id\": \"C-1\", \"name\": \"Jeanne\"}}").withFixedDelay(BACKEND_DELAY_MS)));
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        Map<String, String> values = new HashMap<>();
        for (String db : List.of("alpha", "beta", "gamma")) {
            values.putAll(TestBackends.customerDb(db, wm.baseUrl(), Map.of("max-in-flight", "64")));
        }
        values.put("lookup.group-id", "bench-" + UUID.randomUUID());
        values.put("lookup.max-in-flight", "128");
        values.put("lookup.commit-interval", "500ms");
        AsyncFlowConfig config = cluster.freshConfig(values);
        Topics topics = Topics.from(config);

        CountingHttpClient client = CountingHttpClient.wrapping();
        try (LookupWorker worker = new LookupWorker(config, client, new SimpleMeterRegistry());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer())) {
            worker.start();

            // a backlog: how fast does the worker drain it?
            for (int i = 0; i < BACKLOG; i++) {
                send(producer, topics, lookup(i));
            }
            producer.flush();
            long start = System.nanoTime();
            List<ConsumerRecord<String, LookupResult>> backlog = cluster.consume(topics.lookupResults(), BACKLOG, Duration.ofMinutes(3));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(backlog).hasSizeGreaterThanOrEqualTo(BACKLOG);
            long[] backlogHttp = backlog.stream().mapToLong(r -> r.value().getLatencyMs()).sorted().toArray();

            // a steady rate: how long from lookup produced to result produced?
            long paceStart = System.nanoTime();
            for (int i = 0; i < PACED; i++) {
                long due = paceStart + i * 1_000_000_000L / PACED_PER_SECOND;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                LookupRequest lookup = lookup(BACKLOG + i);
                PACED_IDS.add(lookup.getLookupId());
                send(producer, topics, lookup);
            }
            List<ConsumerRecord<String, LookupResult>> all = cluster.consume(topics.lookupResults(), BACKLOG + PACED, Duration.ofMinutes(3));
            List<LookupResult> paced = all.stream().map(ConsumerRecord::value)
                    .filter(r -> PACED_IDS.contains(r.getLookupId())).toList();
            assertThat(paced).hasSizeGreaterThanOrEqualTo(PACED);
            long[] endToEnd = paced.stream().mapToLong(r -> r.getCompletedAt() - REQUESTED_AT.get(r.getLookupId())).sorted().toArray();
            long[] http = paced.stream().mapToLong(LookupResult::getLatencyMs).sorted().toArray();
            System.out.printf("BENCH lookup worker backlog: %d lookups in %.2f s = %.0f lookups/s (3 backends, %d ms delay, "
                            + "64 in flight per backend, 128 per worker); most HTTP calls in flight %d, HTTP call p50 %d ms, p99 %d ms%n",
                    BACKLOG, seconds, BACKLOG / seconds, BACKEND_DELAY_MS, client.maxConcurrent(), pct(backlogHttp, 50), pct(backlogHttp, 99));
            System.out.printf("BENCH lookup worker at %d/s: lookup produced -> result produced p50 %d ms, p99 %d ms, max %d ms; "
                            + "HTTP call p50 %d ms, p99 %d ms (backend delay %d ms)%n", PACED_PER_SECOND,
                    pct(endToEnd, 50), pct(endToEnd, 99), endToEnd[endToEnd.length - 1], pct(http, 50), pct(http, 99), BACKEND_DELAY_MS);
        }
    }

    private static final Map<String, Long> REQUESTED_AT = new ConcurrentHashMap<>();
    private static final Set<String> PACED_IDS = ConcurrentHashMap.newKeySet();

    private static LookupRequest lookup(int i) {
        LookupRequest lookup = TestBackends.lookup(List.of("alpha", "beta", "gamma").get(i % 3),
                Map.of("ani", String.format("tel:+336%08d", i)), TestBackends.inSeconds(600));
        return lookup;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, LookupRequest lookup) {
        lookup.setRequestedAt(System.currentTimeMillis());
        REQUESTED_AT.put(lookup.getLookupId(), lookup.getRequestedAt());
        producer.send(new ProducerRecord<>(topics.lookups().name(), topics.lookups().serializeKey(lookup.getConversationId()),
                topics.lookups().serializeValue(lookup)));
    }

    private static long pct(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
