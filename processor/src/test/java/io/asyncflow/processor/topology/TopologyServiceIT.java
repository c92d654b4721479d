package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TopologyService} on a real broker under exactly-once, with a small in-test lookup
 * responder standing in for the lookup worker: every task of many conversations reaches exactly one
 * terminal status, versions grow, nothing is lost, and a garbage record becomes a dead letter.
 */
class TopologyServiceIT {
    private static final int CONVERSATIONS = 200;
    private static final Duration SEND_INTERVAL = Duration.ofMillis(25);
    private static final Set<TaskStatus> TERMINAL = Set.of(TaskStatus.SUCCESS, TaskStatus.NOT_FOUND, TaskStatus.ERROR,
            TaskStatus.TIMEOUT, TaskStatus.CANCELLED);

    @TempDir
    Path stateDir;

    @Test
    void shouldBringEveryTaskOfManyConversationsToExactlyOneTerminalStatus() throws Exception {
        // given
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        Map<String, String> values = new HashMap<>(TopologyFixture.catalogValues());
        values.put("task.identify-caller.deadline", "2m");
        values.put("task.classify-intent.deadline", "2m");
        values.put(TopologySettings.APPLICATION_ID.name(), "topology-it-" + UUID.randomUUID());
        values.put(TopologySettings.STATE_DIR.name(), stateDir.toString());
        values.put(TopologySettings.THREADS.name(), "2");
        AsyncFlowConfig config = cluster.freshConfig(values);
        Topics topics = Topics.from(config);
        Map<String, TaskStatus> expected = new HashMap<>();
        List<TaskRequest> requests = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            String conversation = SampleRecords.conversationId();
            TaskRequest identify = request(conversation, "identify-caller", Map.of("ani", "tel:+3361000" + String.format("%04d", i)));
            requests.add(identify);
            expected.put(identify.getTaskId(), switch (i % 4) {
                case 0, 3 -> TaskStatus.SUCCESS;
                case 1 -> TaskStatus.NOT_FOUND;
                default -> TaskStatus.ERROR;
            });
            if (i % 5 == 0) {
                TaskRequest classify = request(conversation, "classify-intent", Map.of("transcript", "my bill is wrong"));
                requests.add(classify);
                expected.put(classify.getTaskId(), TaskStatus.SUCCESS);
            }
        }

        try (TopologyService service = new TopologyService(config);
             FakeLookupResponder responder = new FakeLookupResponder(cluster, topics)) {
            service.start();
            responder.start();
            assertThat(service.isRunning()).isTrue();

            // when
            cluster.produceRaw(topics.tasks().name(), "garbage-conversation".getBytes(StandardCharsets.UTF_8),
                    "\u00c3\u0001 not a task".getBytes(StandardCharsets.UTF_8));
            try (KafkaProducer<String, byte[]> producer = producer(cluster)) {
                send(producer, topics, requests.get(0));
                cluster.consumeUntil(topics.status(), read -> terminalTasks(read) >= 1, Duration.ofMinutes(1));
                ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
                CountDownLatch sent = new CountDownLatch(requests.size() - 1);
                AtomicInteger next = new AtomicInteger(1);
                pacer.scheduleAtFixedRate(() -> {
                    int i = next.getAndIncrement();
                    if (i < requests.size()) {
                        send(producer, topics, requests.get(i));
                        sent.countDown();
                    }
                }, 0, SEND_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(sent.await(2, TimeUnit.MINUTES)).isTrue();
                pacer.shutdownNow();
                producer.flush();
            }
            List<ConsumerRecord<String, StatusUpdate>> records = cluster.consumeUntil(topics.status(),
                    read -> terminalTasks(read) >= expected.size(), Duration.ofMinutes(2));

            // then
            Map<String, List<StatusUpdate>> byTask = records.stream().map(ConsumerRecord::value)
                    .collect(Collectors.groupingBy(StatusUpdate::getTaskId));
            assertThat(byTask.keySet()).isEqualTo(expected.keySet());
            byTask.forEach((taskId, statuses) -> {
                assertThat(statuses).as("statuses of task %s", taskId)
                        .extracting(StatusUpdate::getStatus, StatusUpdate::getVersion)
                        .containsExactly(tuple(TaskStatus.ONGOING, 1),
                                tuple(expected.get(taskId), 2));
            });
            assertThat(byTask.values().stream().map(s -> s.get(1)).filter(s -> s.getStatus() == TaskStatus.SUCCESS
                    && s.getTaskType().equals("identify-caller")).map(StatusUpdate::getBackend).distinct())
                    .containsExactlyInAnyOrder("alpha", "gamma");
            List<ConsumerRecord<String, DeadLetter>> letters = cluster.consume(topics.deadLetters(), 1, Duration.ofSeconds(30));
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.value().getStage()).isEqualTo("processor");
                assertThat(letter.value().getConversationId()).isEqualTo("garbage-conversation");
            });
            assertThat(service.isRunning()).isTrue();
            printLatency(byTask, requests.get(0).getTaskId());
        }
    }

    private static long terminalTasks(List<ConsumerRecord<String, StatusUpdate>> records) {
        return records.stream().filter(r -> TERMINAL.contains(r.value().getStatus())).count();
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, TaskRequest request) {
        request.setRequestedAt(System.currentTimeMillis());
        producer.send(new ProducerRecord<>(topics.tasks().name(), request.getConversationId(),
                topics.tasks().serializeValue(SampleRecords.task(request))));
    }

    /** Request accepted → ONGOING decided → terminal status decided, after the warm-up task; printed, not asserted. */
    private static void printLatency(Map<String, List<StatusUpdate>> byTask, String warmUpTask) {
        List<List<StatusUpdate>> measured = byTask.entrySet().stream().filter(e -> !e.getKey().equals(warmUpTask))
                .map(Map.Entry::getValue).toList();
        System.out.printf("latency over %d tasks, one sent every %d ms, exactly-once: accepted -> ONGOING %s; ONGOING -> terminal "
                        + "(lookups committed, fake responder, results aggregated) %s%n", measured.size(), SEND_INTERVAL.toMillis(),
                percentiles(measured.stream().map(s -> s.get(0).getEmittedAt() - s.get(0).getRequestedAt()).toList()),
                percentiles(measured.stream().map(s -> s.get(1).getEmittedAt() - s.get(0).getEmittedAt()).toList()));
    }

    private static String percentiles(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return String.format("p50 %d ms, p95 %d ms, max %d ms", sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 95 / 100),
                sorted.get(sorted.size() - 1));
    }

    private static TaskRequest request(String conversation, String type, Map<String, String> inputs) {
        TaskRequest request = SampleRecords.taskRequest(conversation, type, inputs, 0);
        request.setDeadline(null);
        return request;
    }

    private static KafkaProducer<String, byte[]> producer(KafkaTestCluster cluster) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Answers every lookup from the lookups topic, standing in for the lookup worker. The last four
     * digits of the ANI choose the scenario: 0 = gamma hits after alpha and beta miss, 1 = all
     * miss, 2 = beta fails and the others miss, 3 = alpha hits; intent-ai always hits.
     */
    private static final class FakeLookupResponder implements AutoCloseable {
        private final KafkaConsumer<String, LookupRequest> consumer;
        private final KafkaProducer<String, LookupResult> producer;
        private final Topic<String, LookupResult> results;
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);

        FakeLookupResponder(KafkaTestCluster cluster, Topics topics) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "fake-lookup-worker-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(props, topics.lookups().keySerde().deserializer(), topics.lookups().valueSerde().deserializer());
            consumer.subscribe(List.of(topics.lookups().name()));
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(producerProps, topics.lookupResults().keySerde().serializer(),
                    topics.lookupResults().valueSerde().serializer());
            results = topics.lookupResults();
            thread = new Thread(this::run, "fake-lookup-responder");
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, LookupRequest> record : consumer.poll(Duration.ofMillis(200))) {
                        LookupRequest lookup = record.value();
                        producer.send(new ProducerRecord<>(results.name(), record.key(), answer(lookup)));
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        private static LookupResult answer(LookupRequest lookup) {
            if (lookup.getBackend().equals("intent-ai")) {
                return SampleRecords.lookupResult(lookup, LookupOutcome.HIT, Map.of("intent", "billing"));
            }
            String ani = lookup.getInputs().get("ani");
            int scenario = Integer.parseInt(ani.substring(ani.length() - 4)) % 4;
            LookupOutcome outcome = switch (scenario) {
                case 0 -> lookup.getBackend().equals("gamma") ? LookupOutcome.HIT : LookupOutcome.MISS;
                case 2 -> lookup.getBackend().equals("beta") ? LookupOutcome.ERROR : LookupOutcome.MISS;
                case 3 -> lookup.getBackend().equals("alpha") ? LookupOutcome.HIT : LookupOutcome.MISS;
                default -> LookupOutcome.MISS;
            };
            return SampleRecords.lookupResult(lookup, outcome,
                    outcome == LookupOutcome.HIT ? Map.of("customerId", "C-" + ani.substring(ani.length() - 4)) : Map.of());
        }

        @Override
        public void close() {
            running.set(false);
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close();
        }
    }
}
