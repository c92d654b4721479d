package io.asyncflow.processor.lookup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lookup worker on a real broker, with WireMock stand-ins of the three databases and the AI. */
class LookupWorkerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FINISHED_ANI = "tel:+33699999999";
    private static final String LATE_ANI = "tel:+33688888888";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(40)).build();

    private final KafkaTestCluster cluster = KafkaTestCluster.shared();

    private AsyncFlowConfig config(String groupId, Map<String, String> more) {
        Map<String, String> values = new HashMap<>();
        values.putAll(TestBackends.customerDb("alpha", wm.baseUrl(), Map.of("max-in-flight", "2", "retries", "1")));
        values.putAll(TestBackends.customerDb("beta", wm.baseUrl(), Map.of("max-in-flight", "2", "retries", "1")));
        values.putAll(TestBackends.customerDb("gamma", wm.baseUrl(), Map.of("max-in-flight", "2")));
        values.putAll(TestBackends.intentAi("intent", wm.baseUrl(), Map.of("max-in-flight", "2")));
        values.put("task.identify-caller.backends", "alpha,beta,gamma");
        values.put("task.classify-intent.backends", "intent");
        values.put("lookup.group-id", groupId);
        values.put("lookup.max-in-flight", "5");
        values.put("lookup.commit-interval", "200ms");
        values.putAll(more);
        return cluster.freshConfig(values);
    }

    private static String ani(int i) {
        return String.format("tel:+336100%05d", i);
    }

    private static String customer(int i) {
        return "{\"customer\": {\"id\": \"A-" + i + "\", \"name\": \"Client " + i + "\"}}";
    }

    /** What the worker must answer for one lookup. */
    private record Expected(LookupOutcome outcome, Map<String, String> attributes, String error, int attempts) {
        static Expected of(LookupResult r) {
            return new Expected(r.getOutcome(), r.getAttributes(), r.getError(), r.getAttempts());
        }
    }

    @Test
    void shouldAnswerEveryLookupAsClassifiedSkipFinishedAndLateOnesAndCommitEverything() throws Exception {
        // given the stand-ins: alpha knows the even numbers, beta is down, gamma knows nobody, the AI answers
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(notFound().withUniformRandomDelay(10, 80)));
        for (int i = 0; i < 50; i += 2) {
            wm.stubFor(get(urlPathEqualTo("/alpha/customers")).withQueryParam("phone", equalTo(ani(i))).atPriority(1)
                    .willReturn(okJson(customer(i)).withUniformRandomDelay(10, 80)));
        }
        wm.stubFor(get(urlPathEqualTo("/beta/customers")).willReturn(aResponse().withStatus(503).withUniformRandomDelay(10, 50)));
        wm.stubFor(get(urlPathEqualTo("/gamma/customers")).willReturn(okJson("{\"customer\": null}").withUniformRandomDelay(10, 80)));
        wm.stubFor(post(urlEqualTo("/intent/classify")).willReturn(
                okJson("{\"intent\": \"billing\", \"confidence\": 0.93}").withUniformRandomDelay(10, 80)));
        String groupId = "lookup-it-" + UUID.randomUUID();
        AsyncFlowConfig config = config(groupId, Map.of());
        Topics topics = Topics.from(config);

        // and 50 lookups mixing hits, misses and errors, each with what it must give
        Map<LookupRequest, Expected> lookups = new LinkedHashMap<>();
        String[] backends = {"alpha", "beta", "gamma", "intent", "alpha"};
        for (int i = 0; i < 50; i++) {
            String backend = backends[i % backends.length];
            Map<String, String> inputs = backend.equals("intent")
                    ? Map.of("transcript", "I have a question about my \"last\" bill\n" + i)
                    : Map.of("ani", ani(i));
            Expected expected = switch (backend) {
                case "alpha" -> i % 2 == 0
                        ? new Expected(LookupOutcome.HIT, Map.of("customerId", "A-" + i, "customerName", "Client " + i), null, 1)
                        : new Expected(LookupOutcome.MISS, Map.of(), null, 1);
                case "beta" -> new Expected(LookupOutcome.ERROR, Map.of(), "HTTP 503", 2);
                case "gamma" -> new Expected(LookupOutcome.MISS, Map.of(), null, 1);
                default -> new Expected(LookupOutcome.HIT, Map.of("intent", "billing", "confidence", "0.93"), null, 1);
            };
            lookups.put(TestBackends.lookup(backend, inputs, TestBackends.inSeconds(60)), expected);
        }
        // and a task that already finished, a lookup past its deadline, and a record that is not a lookup
        // (while a task that is only ONGOING keeps its lookups)
        LookupRequest ofFinishedTask = TestBackends.lookup("alpha", Map.of("ani", FINISHED_ANI), TestBackends.inSeconds(60));
        LookupRequest late = TestBackends.lookup("alpha", Map.of("ani", LATE_ANI), System.currentTimeMillis() - 1000);
        cluster.produce(topics.status(), ofFinishedTask.getConversationId(),
                SampleRecords.status(ofFinishedTask.getConversationId(), ofFinishedTask.getTaskId(), TaskStatus.SUCCESS, 2));
        LookupRequest ofOngoingTask = lookups.keySet().iterator().next();
        cluster.produce(topics.status(), ofOngoingTask.getConversationId(),
                SampleRecords.status(ofOngoingTask.getConversationId(), ofOngoingTask.getTaskId(), TaskStatus.ONGOING, 1));
        List<LookupRequest> all = new ArrayList<>(lookups.keySet());
        all.add(10, ofFinishedTask);
        all.add(30, late);
        produceAll(topics.lookups(), all);
        cluster.produceRaw(topics.lookups().name(), "conv-garbage".getBytes(StandardCharsets.UTF_8),
                "not a lookup".getBytes(StandardCharsets.UTF_8));
        CountingHttpClient http = CountingHttpClient.wrapping();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        // when
        try (LookupWorker worker = new LookupWorker(config, http, registry)) {
            worker.start();
            assertThat(worker.isRunning()).isTrue();
            List<ConsumerRecord<String, LookupResult>> answered = cluster.consumeUntil(topics.lookupResults(),
                    r -> distinctLookupIds(r).size() >= 50, WAIT);
            assertThat(distinctLookupIds(answered)).hasSize(50);
            awaitCommittedToTheEnd(groupId, topics.lookups());
            List<ConsumerRecord<String, LookupResult>> results = cluster.consumeUntil(topics.lookupResults(),
                    r -> r.size() >= 50, WAIT);

            // then each lookup has exactly one result, as classified, keyed by its conversation
            Map<String, Expected> expectedById = lookups.entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().getLookupId(), Map.Entry::getValue));
            assertThat(results).hasSize(50);
            Map<String, Expected> actualById = new HashMap<>();
            for (ConsumerRecord<String, LookupResult> record : results) {
                assertThat(record.key()).isEqualTo(record.value().getConversationId());
                actualById.put(record.value().getLookupId(), Expected.of(record.value()));
            }
            assertThat(actualById).isEqualTo(expectedById);

            // and the finished task's and the late lookup were never sent
            wm.verify(0, getRequestedFor(urlPathEqualTo("/alpha/customers")).withQueryParam("phone", equalTo(FINISHED_ANI)));
            wm.verify(0, getRequestedFor(urlPathEqualTo("/alpha/customers")).withQueryParam("phone", equalTo(LATE_ANI)));
            assertThat(registry.counter("asyncflow.lookup.skipped", "backend", "alpha", "reason", "TASK_FINISHED").count()).isEqualTo(1.0);
            assertThat(registry.counter("asyncflow.lookup.skipped", "backend", "alpha", "reason", "DEADLINE_PASSED").count()).isEqualTo(1.0);

            // and the garbage went to the dead-letter topic with its place and reason
            List<ConsumerRecord<String, DeadLetter>> dead = cluster.consume(topics.deadLetters(), 1, WAIT);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value().getStage()).isEqualTo("lookup-worker");
            assertThat(dead.get(0).value().getTopic()).isEqualTo(topics.lookups().name());
            assertThat(dead.get(0).value().getReason()).contains("undecodable");

            // and the bounds held: 5 in the worker, 2 per backend (beta's retries included)
            assertThat(http.maxConcurrent()).isBetween(2, 5);
            for (String backend : List.of("alpha", "beta", "gamma", "intent")) {
                assertThat(http.maxConcurrent(backend)).as(backend).isBetween(1, 2);
            }
            assertThat(http.total()).isEqualTo(50 + 10);
        }
    }

    @Test
    void shouldFinishInFlightLookupsBeforeClosing() throws Exception {
        // given three lookups in flight to a slow database
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(customer(1)).withFixedDelay(1500)));
        String groupId = "lookup-it-" + UUID.randomUUID();
        AsyncFlowConfig config = config(groupId, Map.of("backend.alpha.max-in-flight", "10"));
        Topics topics = Topics.from(config);
        List<LookupRequest> lookups = List.of(
                TestBackends.lookup("alpha", Map.of("ani", ani(1)), TestBackends.inSeconds(60)),
                TestBackends.lookup("alpha", Map.of("ani", ani(2)), TestBackends.inSeconds(60)),
                TestBackends.lookup("alpha", Map.of("ani", ani(3)), TestBackends.inSeconds(60)));
        LookupWorker worker = new LookupWorker(config, CountingHttpClient.wrapping(), new SimpleMeterRegistry());
        worker.start();
        produceAll(topics.lookups(), lookups);
        await().atMost(WAIT).until(() -> wm.findAll(getRequestedFor(urlPathEqualTo("/alpha/customers"))).size() == 3);

        // when
        worker.close();

        // then their results are out (the producer is closed now) and their offsets committed
        assertThat(worker.isRunning()).isFalse();
        List<ConsumerRecord<String, LookupResult>> results = cluster.consume(topics.lookupResults(), 3, WAIT);
        assertThat(results).extracting(r -> r.value().getOutcome()).containsOnly(LookupOutcome.HIT).hasSize(3);
        assertThat(distinctLookupIds(results)).containsExactlyInAnyOrderElementsOf(
                lookups.stream().map(LookupRequest::getLookupId).toList());
        assertCommittedToTheEnd(groupId, topics.lookups());
    }

    @Test
    void shouldAnswerEveryLookupAcrossARebalanceAndAWorkerLeaving() throws Exception {
        // given a slow database and 60 lookups, answered by one worker, then two, then the second alone
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(customer(7)).withUniformRandomDelay(200, 400)));
        String groupId = "lookup-it-" + UUID.randomUUID();
        AsyncFlowConfig config = config(groupId, Map.of("consumer.heartbeat.interval.ms", "300"));
        Topics topics = Topics.from(config);
        List<LookupRequest> lookups = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lookups.add(TestBackends.lookup("alpha", Map.of("ani", ani(i)), TestBackends.inSeconds(120)));
        }
        SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
        SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
        LookupWorker first = new LookupWorker(config, CountingHttpClient.wrapping(), firstMeters);
        try (LookupWorker second = new LookupWorker(config, CountingHttpClient.wrapping(), secondMeters)) {
            first.start();
            produceAll(topics.lookups(), lookups);
            await().atMost(WAIT).until(() -> answered(firstMeters) >= 3);

            // when a second worker joins and gets partitions, and later the first leaves
            second.start();
            await().atMost(WAIT).until(() -> membersWithPartitions(groupId) == 2);
            double answeredBeforeLeaving = answered(firstMeters) + answered(secondMeters);
            assertThat(answeredBeforeLeaving).as("lookups left for after the rebalance").isLessThan(55);
            await().atMost(WAIT).until(() -> answered(firstMeters) + answered(secondMeters) >= answeredBeforeLeaving + 3);
            first.close();

            // then every lookup has a result (duplicates allowed) and every offset is committed
            List<ConsumerRecord<String, LookupResult>> results = cluster.consumeUntil(topics.lookupResults(),
                    r -> distinctLookupIds(r).size() >= 60, WAIT);
            assertThat(distinctLookupIds(results)).containsExactlyInAnyOrderElementsOf(
                    lookups.stream().map(LookupRequest::getLookupId).toList());
            assertThat(results).extracting(r -> r.value().getOutcome()).containsOnly(LookupOutcome.HIT);
            awaitCommittedToTheEnd(groupId, topics.lookups());
            assertThat(second.isRunning()).isTrue();
        } finally {
            first.close();
        }
    }

    @Test
    void shouldTakeALookupBeforeTheTopologysTransactionCommitsByDefault() throws Exception {
        // given a lookup sent inside an exactly-once transaction that stays open
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(customer(11))));
        String groupId = "lookup-it-" + UUID.randomUUID();
        AsyncFlowConfig config = config(groupId, Map.of());
        Topics topics = Topics.from(config);
        LookupRequest uncommitted = TestBackends.lookup("alpha", Map.of("ani", ani(11)), TestBackends.inSeconds(60));

        try (KafkaProducer<byte[], byte[]> transaction = transactionalProducer();
             LookupWorker worker = new LookupWorker(config, CountingHttpClient.wrapping(), new SimpleMeterRegistry())) {
            transaction.initTransactions();
            transaction.beginTransaction();
            transaction.send(record(topics.lookups(), 0, uncommitted)).get();

            // when
            worker.start();

            // then its result is out while the transaction is still open
            List<ConsumerRecord<String, LookupResult>> results = cluster.consume(topics.lookupResults(), 1, WAIT);
            assertThat(results).extracting(r -> r.value().getLookupId()).containsExactly(uncommitted.getLookupId());
            assertThat(results.get(0).value().getOutcome()).isEqualTo(LookupOutcome.HIT);
            transaction.abortTransaction();
        }
    }

    @Test
    void shouldWaitForTheCommitWhenReadCommittedIsConfigured() throws Exception {
        // given a worker reading read_committed, a lookup in an open transaction on partition 0,
        // and a plain lookup on partition 1 sent after it
        wm.stubFor(get(urlPathEqualTo("/alpha/customers")).willReturn(okJson(customer(12))));
        String groupId = "lookup-it-" + UUID.randomUUID();
        AsyncFlowConfig config = config(groupId, Map.of("lookup.isolation-level", "read_committed"));
        Topics topics = Topics.from(config);
        LookupRequest inTransaction = TestBackends.lookup("alpha", Map.of("ani", ani(12)), TestBackends.inSeconds(60));
        LookupRequest plain = TestBackends.lookup("alpha", Map.of("ani", ani(13)), TestBackends.inSeconds(60));

        try (KafkaProducer<byte[], byte[]> transaction = transactionalProducer();
             LookupWorker worker = new LookupWorker(config, CountingHttpClient.wrapping(), new SimpleMeterRegistry())) {
            transaction.initTransactions();
            transaction.beginTransaction();
            transaction.send(record(topics.lookups(), 0, inTransaction)).get();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(record(topics.lookups(), 1, plain)).get();
            }
            worker.start();

            // when the plain lookup has been answered
            List<ConsumerRecord<String, LookupResult>> first = cluster.consume(topics.lookupResults(), 1, WAIT);

            // then the transaction's lookup has not been called yet; after the commit it is
            assertThat(first).extracting(r -> r.value().getLookupId()).containsExactly(plain.getLookupId());
            wm.verify(0, getRequestedFor(urlPathEqualTo("/alpha/customers")).withQueryParam("phone", equalTo(ani(12))));
            transaction.commitTransaction();
            List<ConsumerRecord<String, LookupResult>> both = cluster.consume(topics.lookupResults(), 2, WAIT);
            assertThat(distinctLookupIds(both)).containsExactlyInAnyOrder(plain.getLookupId(), inTransaction.getLookupId());
        }
    }

    private KafkaProducer<byte[], byte[]> transactionalProducer() {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lookup-it-tx-" + UUID.randomUUID());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(Topic<String, LookupRequest> topic, int partition, LookupRequest lookup) {
        return new ProducerRecord<>(topic.name(), partition, topic.serializeKey(lookup.getConversationId()), topic.serializeValue(lookup));
    }

    private static double answered(SimpleMeterRegistry meters) {
        return meters.find("asyncflow.lookup.results").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private long membersWithPartitions(String groupId) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId).members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        }
    }

    private static Set<String> distinctLookupIds(List<ConsumerRecord<String, LookupResult>> records) {
        return records.stream().map(r -> r.value().getLookupId()).collect(Collectors.toSet());
    }

    private void produceAll(Topic<String, LookupRequest> topic, List<LookupRequest> lookups) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (LookupRequest lookup : lookups) {
                producer.send(new ProducerRecord<>(topic.name(), topic.serializeKey(lookup.getConversationId()),
                        topic.serializeValue(lookup)));
            }
            producer.flush();
        }
    }

    private void awaitCommittedToTheEnd(String groupId, Topic<?, ?> topic) {
        await().atMost(WAIT).untilAsserted(() -> assertCommittedToTheEnd(groupId, topic));
    }

    private void assertCommittedToTheEnd(String groupId, Topic<?, ?> topic) throws Exception {
        try (Admin admin = cluster.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name()).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            Map<TopicPartition, Long> committedOffsets = new HashMap<>();
            ends.keySet().forEach(tp -> committedOffsets.put(tp,
                    committed.get(tp) == null ? 0L : committed.get(tp).offset()));
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isPositive();
            assertThat(committedOffsets).isEqualTo(ends);
        }
    }
}
