package io.asyncflow.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.runtime.Component;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing with a seeded {@link Random} ({@code -Dreliability.fuzz.seed}, printed; default a fresh
 * one): thousands of hostile HTTP requests ({@code -Dreliability.fuzz.requests}, default 2000) and
 * garbage records on every topic a component consumes ({@code -Dreliability.fuzz.records}, default
 * 1000), each interleaved with valid tasks that must complete. Topics without an AsyncFlow consumer
 * (orphans, the dead-letter topic itself) are not fed garbage.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class HostileInputIT {
    private static final long SEED = Long.getLong("reliability.fuzz.seed", System.nanoTime());
    private static final int REQUESTS = Integer.getInteger("reliability.fuzz.requests", 2000);
    private static final int RECORDS = Integer.getInteger("reliability.fuzz.records", 1000);
    private static final int VALID_EVERY = 20;

    private ReliabilityStack stack;

    @AfterEach
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldRefuseHostileRequestsAndStoreNothingOfThemWhileValidTasksComplete() throws Exception {
        // given
        System.out.println("RELIABILITY fuzz seed (rerun with -Dreliability.fuzz.seed=" + SEED + ")");
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        stack = ReliabilityStack.on(cluster, ReliabilityStack.PATIENT);
        stack.startAll(ComponentKind.PIPELINE);
        Component ingress = stack.running(ComponentKind.INGRESS);
        ParticipantDataLedger ledger = new ParticipantDataLedger(stack.genesys());
        HostileRequests hostile = new HostileRequests(SEED, stack.ingressUrl(), ReliabilityStack.TOKEN);
        List<Caller> valid = Caller.population(stack.backends(), 40, REQUESTS / VALID_EVERY);
        LoadDriver load = new LoadDriver(stack.ingressUrl(), ReliabilityStack.TOKEN, 4);
        HttpClient http = HttpClient.newHttpClient();
        Map<String, AtomicInteger> unexpected = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> kinds = new TreeMap<>();
        List<CompletableFuture<?>> answers = new ArrayList<>();

        // when
        for (int i = 0; i < REQUESTS; i++) {
            if (i % VALID_EVERY == 0) {
                answers.add(load.submit(valid.get(i / VALID_EVERY)));
            }
            HostileRequests.Hostile h = hostile.next();
            kinds.computeIfAbsent(h.kind(), k -> new AtomicInteger()).incrementAndGet();
            answers.add(http.sendAsync(h.request(), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                int status = error != null ? -1 : response.statusCode();
                if (!h.expected().contains(status)) {
                    unexpected.computeIfAbsent(h.kind() + " -> " + status + (error != null ? " " + error : " " + response.body()),
                            k -> new AtomicInteger()).incrementAndGet();
                }
                return status;
            }));
            if (answers.size() >= 64) {
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
                answers.clear();
            }
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
        ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(2));

        // then
        List<ConsumerRecord<String, TaskEvent>> tasks = readAll(cluster, stack.topics().tasks());
        Set<String> validIds = valid.stream().map(Caller::conversationId).collect(Collectors.toSet());
        Set<String> keys = tasks.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        ParticipantDataLedger.Verdict verdict = ledger.judge(load.accepted(), true);
        System.out.printf("RELIABILITY fuzz http: %d hostile requests %s, unexpected answers %s; %d valid tasks HTTP %s, %d task records; %s%n",
                REQUESTS, kinds, unexpected, valid.size(), load.statuses(), tasks.size(), verdict);
        assertThat(unexpected).as("hostile requests answered otherwise than refused").isEmpty();
        assertThat(ingress.isRunning()).isTrue();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(load.accepted()).hasSize(valid.size());
        assertThat(keys).as("conversations on the tasks topic").isEqualTo(validIds).doesNotContainAnyElementsOf(hostile.conversationIds());
        assertThat(tasks).as("one record per valid task").hasSize(valid.size());
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
    }

    @Test
    void shouldDeadLetterGarbageOnEveryConsumedTopicWhileValidTasksComplete() throws Exception {
        // given
        System.out.println("RELIABILITY fuzz seed (rerun with -Dreliability.fuzz.seed=" + SEED + ")");
        Random random = new Random(SEED);
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        stack = ReliabilityStack.on(cluster, ReliabilityStack.PATIENT);
        stack.startAll(ComponentKind.PIPELINE);
        Topics topics = stack.topics();
        List<Topic<String, ?>> targets = List.of(topics.tasks(), topics.rawEvents(), topics.lookups(), topics.lookupResults(), topics.status());
        Map<String, byte[]> typed = typedRecords(topics);
        ParticipantDataLedger ledger = new ParticipantDataLedger(stack.genesys());
        List<Caller> valid = Caller.population(stack.backends(), 41, RECORDS / VALID_EVERY);
        LoadDriver load = new LoadDriver(stack.ingressUrl(), ReliabilityStack.TOKEN, 4);
        Set<String> garbage = ConcurrentHashMap.newKeySet();
        Map<String, Integer> perTopic = new TreeMap<>();

        // when
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                if (i % VALID_EVERY == 0) {
                    load.submit(valid.get(i / VALID_EVERY));
                }
                Topic<String, ?> topic = targets.get(random.nextInt(targets.size()));
                perTopic.merge(topic.name(), 1, Integer::sum);
                byte[] key = random.nextInt(4) == 0 ? null : bytes(random, 1 + random.nextInt(40));
                byte[] value = topic == topics.rawEvents() ? notJson(random)
                        : random.nextInt(3) == 0 ? wrongType(random, typed, topic.name()) : avroLike(random, wrongType(random, typed, topic.name()));
                sent.add(producer.send(new ProducerRecord<>(topic.name(), key, value)));
            }
            for (var future : sent) {
                RecordMetadata m = future.get();
                garbage.add(m.topic() + "/" + m.partition() + "@" + m.offset());
            }
        }
        ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(2));
        List<ConsumerRecord<String, DeadLetter>> letters = cluster.consumeUntil(topics.deadLetters(),
                read -> positions(read).containsAll(garbage), Duration.ofMinutes(2));

        // then
        Set<String> deadLettered = positions(letters);
        Set<String> missing = new HashSet<>(garbage);
        missing.removeAll(deadLettered);
        Map<String, Long> byStage = letters.stream().collect(Collectors.groupingBy(
                l -> l.value().getStage() + " <- " + l.value().getTopic(), TreeMap::new, Collectors.counting()));
        ParticipantDataLedger.Verdict verdict = ledger.judge(load.accepted(), true);
        System.out.printf("RELIABILITY fuzz topics: %d garbage records %s; dead letters by stage %s; %d missing; "
                + "%d valid tasks HTTP %s; %s%n", RECORDS, perTopic, byStage, missing.size(), valid.size(), load.statuses(), verdict);
        assertThat(missing).as("garbage records not dead-lettered").isEmpty();
        for (ComponentKind kind : ComponentKind.PIPELINE) {
            assertThat(stack.running(kind).isRunning()).as(kind + " running").isTrue();
        }
        assertThat(load.accepted()).hasSize(valid.size());
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
    }

    /** Valid Avro records of every type, by the topic they belong to; on any other topic they are of the wrong type. */
    private static Map<String, byte[]> typedRecords(Topics topics) {
        String cid = SampleRecords.conversationId();
        LookupRequest lookup = SampleRecords.lookupRequest(cid, "alpha");
        return Map.of(
                topics.tasks().name(), topics.tasks().serializeValue(SampleRecords.task(
                        SampleRecords.taskRequest(cid, "identify-caller", Map.of("ani", SampleRecords.ANI), System.currentTimeMillis() + 60_000))),
                topics.lookups().name(), topics.lookups().serializeValue(lookup),
                topics.lookupResults().name(), topics.lookupResults().serializeValue(
                        SampleRecords.lookupResult(lookup, LookupOutcome.HIT, Map.of("customerId", "x"))),
                topics.status().name(), topics.status().serializeValue(SampleRecords.status(cid, "t", TaskStatus.SUCCESS, 2)),
                topics.deadLetters().name(), topics.deadLetters().serializeValue(SampleRecords.deadLetter("not a task")));
    }

    /** A valid record of another type than {@code topic}'s. */
    private static byte[] wrongType(Random random, Map<String, byte[]> typed, String topic) {
        List<byte[]> others = typed.entrySet().stream().filter(e -> !e.getKey().equals(topic)).sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue).toList();
        return others.get(random.nextInt(others.size()));
    }

    /**
     * Random bytes, or random bytes behind the 10-byte single-object header (a known schema
     * fingerprint, of another type than the topic's, so the tail can never decode to a valid record).
     */
    private static byte[] avroLike(Random random, byte[] otherType) {
        byte[] tail = bytes(random, random.nextInt(300));
        if (random.nextBoolean()) {
            return tail;
        }
        byte[] value = Arrays.copyOf(otherType, 10 + tail.length);
        System.arraycopy(tail, 0, value, 10, tail.length);
        return value;
    }

    /** Bytes that cannot start a JSON text, or JSON that is not a Genesys event. */
    private static byte[] notJson(Random random) {
        if (random.nextBoolean()) {
            byte[] value = bytes(random, 1 + random.nextInt(500));
            value[0] = (byte) (1 + random.nextInt(8));
            return value;
        }
        String[] shapes = {"{\"detail\":" + random.nextInt() + "}", "{\"topicName\":[" + random.nextInt() + "]}", "[]",
                "{\"detail\":{\"topicName\":\"v2.detail.events.conversation.x.customer.start\",\"eventBody\":[]}}", "\"text\"", "42"};
        return shapes[random.nextInt(shapes.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Set<String> positions(List<ConsumerRecord<String, DeadLetter>> letters) {
        return letters.stream().map(ConsumerRecord::value).filter(l -> l.getPartition() != null && l.getOffset() != null)
                .map(l -> l.getTopic() + "/" + l.getPartition() + "@" + l.getOffset()).collect(Collectors.toSet());
    }

    /** Every record of {@code topic} up to its current end. */
    private static <V> List<ConsumerRecord<String, V>> readAll(KafkaTestCluster cluster, Topic<String, V> topic) throws Exception {
        long total;
        try (Admin admin = cluster.admin()) {
            var partitions = admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name()).partitions();
            Map<TopicPartition, OffsetSpec> query = new java.util.HashMap<>();
            partitions.forEach(p -> query.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
            total = admin.listOffsets(query).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
        return cluster.consumeUntil(topic, read -> read.size() >= total, Duration.ofSeconds(60));
    }
}
