package io.asyncflow.processor.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The participant-data sink on a real broker, writing through the real Genesys SDK to WireMock:
 * statuses in, PATCHes out, offsets committed only once an update was written or dead-lettered.
 */
class ParticipantDataSinkIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String STATUS_KEY = "asyncflow.identify-caller.status";

    private final KafkaTestCluster cluster = KafkaTestCluster.shared();
    private GenesysStandIn genesys;
    private AsyncFlowConfig config;
    private Topics topics;
    private String groupId;
    private ParticipantDataSink sink;
    private Admin admin;

    @BeforeEach
    void setUp() {
        genesys = new GenesysStandIn();
        groupId = "sink-it-" + UUID.randomUUID();
        Map<String, String> values = new HashMap<>(genesys.config());
        values.put(SinkSettings.GROUP_ID.name(), groupId);
        values.put(SinkSettings.RATE_PER_MINUTE.name(), "6000");
        values.put(SinkSettings.BACKOFF_INITIAL.name(), "50ms");
        values.put(SinkSettings.BACKOFF_MAX.name(), "200ms");
        values.put(SinkSettings.MAX_ATTEMPTS.name(), "1000");
        values.putAll(PipelineHarness.writingOngoing(true)); // backlogs of ONGOING to coalesce
        config = cluster.freshConfig(values);
        topics = Topics.from(config);
        admin = cluster.admin();
    }

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.close();
        }
        admin.close();
        genesys.close();
    }

    @Test
    void shouldNotCommitPastAnUpdateUntilItsWriteSucceeded() throws Exception {
        // given Genesys fails the writes of one conversation, and later records of its partition are fine
        String blocked = "blocked-" + UUID.randomUUID();
        int partition = partitionOf(blocked);
        String before = conversationInPartition(partition);
        List<String> after = List.of(conversationInPartition(partition), conversationInPartition(partition), conversationInPartition(partition));
        List<String> elsewhere = List.of(conversationNotInPartition(partition), conversationNotInPartition(partition));
        genesys.server.stubFor(patch(urlPathMatching("/api/v2/conversations/" + blocked + "/.*")).atPriority(1)
                .inScenario("blocked").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(GenesysStandIn.error(503, "service.unavailable", "corr-503")));
        genesys.server.stubFor(patch(urlPathMatching("/api/v2/conversations/" + blocked + "/.*")).atPriority(1)
                .inScenario("blocked").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(202)));
        List<StatusUpdate> statuses = new ArrayList<>();
        statuses.add(success(before));
        statuses.add(success(blocked));
        after.forEach(c -> statuses.add(success(c)));
        elsewhere.forEach(c -> statuses.add(success(c)));
        Map<String, RecordMetadata> written = produce(statuses);
        long blockedOffset = written.get(blocked).offset();

        // when
        sink = start();

        // then everything else is written and committed, but the blocked partition's commit stops at the blocked update
        List<String> others = new ArrayList<>(after);
        others.add(before);
        others.addAll(elsewhere);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(others).allSatisfy(c -> assertThat(genesys.accepted(genesys.patches(c))).hasSize(1));
            assertThat(genesys.patches(blocked).size()).isGreaterThanOrEqualTo(2);
            assertThat(committedOutside(partition)).isEqualTo(endOffsetsOutside(partition));
        });
        assertThat(committed().get(topicPartition(partition))).isNotNull()
                .extracting(OffsetAndMetadata::offset).isEqualTo(blockedOffset);
        assertThat(genesys.accepted(genesys.patches(blocked))).isEmpty();

        // and when Genesys accepts the write again, the commit passes it
        genesys.server.setScenarioState("blocked", "open");
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(committed().get(topicPartition(partition)).offset()).isEqualTo(endOffsets().get(topicPartition(partition))));
        assertThat(genesys.accepted(genesys.patches(blocked))).hasSize(1);
        assertThat(sink.isRunning()).isTrue();
    }

    @Test
    void shouldDeadLetterRejectedAndUndecodableUpdatesAndCommitPastThem() throws Exception {
        // given
        String gone = "gone-" + UUID.randomUUID();
        String fine = "fine-" + UUID.randomUUID();
        genesys.stubPatch(gone, GenesysStandIn.error(404, "not.found", "corr-404"));
        produce(List.of(success(gone), success(fine)));
        cluster.produceRaw(topics.status().name(), "garbled".getBytes(StandardCharsets.UTF_8), new byte[]{0x42, 0x13, 0x37});

        // when
        sink = start();

        // then
        List<ConsumerRecord<String, DeadLetter>> letters = cluster.consume(topics.deadLetters(), 2, TIMEOUT);
        assertThat(letters).hasSize(2);
        Map<String, DeadLetter> byConversation = letters.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
        assertThat(byConversation.get(gone)).satisfies(letter -> {
            assertThat(letter.getStage()).isEqualTo("sink");
            assertThat(letter.getReason()).contains("HTTP 404").contains("not.found");
            assertThat(letter.getCorrelationId()).isEqualTo("corr-404");
            assertThat(letter.getTopic()).isEqualTo(topics.status().name());
        });
        assertThat(byConversation.get("garbled").getReason()).startsWith("cannot decode StatusUpdate");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(committedOffsets()).isEqualTo(endOffsets()));
        assertThat(genesys.accepted(genesys.patches(fine))).hasSize(1);
    }

    @Test
    void shouldWriteABacklogAsFinalStatusesOnlyAndNothingForEndedConversations() throws Exception {
        // given a backlog: ONGOING then SUCCESS for 20 tasks, and a conversation that ended before its result
        Backlog tasks = Backlog.of(10, 2);
        List<String> conversations = tasks.conversations();
        conversations.forEach(c -> genesys.stubConversation(c, "customer-" + c));
        String ended = "ended-" + UUID.randomUUID();
        List<StatusUpdate> backlog = new ArrayList<>(tasks.ongoing());
        backlog.add(SampleRecords.status(ended, "t-ended", TaskStatus.ONGOING, 1));
        backlog.add(SampleRecords.status(ended, "t-ended", TaskStatus.CANCELLED, 2));
        backlog.addAll(tasks.successes());
        backlog.add(SampleRecords.status(ended, "t-ended", TaskStatus.SUCCESS, 3));
        produce(backlog);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        // when
        sink = start(registry);

        // then
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(committedOffsets()).isEqualTo(endOffsets()));
        assertThat(genesys.patches()).hasSize(20)
                .allSatisfy(p -> assertThat(GenesysStandIn.attributes(p)).containsEntry(STATUS_KEY, "SUCCESS"));
        assertThat(conversations).allSatisfy(c -> {
            assertThat(genesys.patches(c)).hasSize(2);
            assertThat(genesys.gets(c)).hasSize(1);
        });
        assertThat(genesys.patches(ended)).isEmpty();
        assertThat(registry.get("asyncflow.sink.dropped").tag("reason", "ended").counter().count()).isEqualTo(2);
        assertThat(registry.get("asyncflow.sink.dropped").tag("reason", "superseded").counter().count()).isEqualTo(20);
    }

    @Test
    void shouldStartTheNextWriteWhenOneFinishesNotAtTheNextPollTimeout() throws Exception {
        // given a backlog of 30 decided tasks, one write slot, and a poll timeout far longer than a write
        Duration pollTimeout = Duration.ofSeconds(3);
        config = config.with(Map.of(SinkSettings.POLL_TIMEOUT.name(), pollTimeout.toMillis() + "ms", SinkSettings.MAX_IN_FLIGHT.name(), "1"));
        List<StatusUpdate> backlog = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            backlog.add(success("drain-" + UUID.randomUUID()));
        }
        produce(backlog);

        // when
        sink = start();

        // then all 30 are written one after the other, and the whole drain takes less than one poll
        // timeout (a sink that waited for its poll between writes would need 30 of them, 90 s)
        await().atMost(TIMEOUT).until(() -> genesys.accepted(genesys.patches()).size() == 30);
        List<Long> arrivals = genesys.accepted(genesys.patches()).stream().map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
        assertThat(arrivals.get(29) - arrivals.get(0)).isLessThan(pollTimeout.toMillis());
    }

    @Test
    void shouldStopCleanlyAndCommitWhatWasWritten() throws Exception {
        // given
        produce(List.of(success("c-" + UUID.randomUUID()), success("c-" + UUID.randomUUID())));
        sink = start();
        await().atMost(TIMEOUT).until(() -> genesys.accepted(genesys.patches()).size() == 2);

        // when
        sink.close();

        // then
        assertThat(sink.isRunning()).isFalse();
        assertThat(committedOffsets()).isEqualTo(endOffsets());
    }

    private ParticipantDataSink start() {
        return start(new SimpleMeterRegistry());
    }

    private ParticipantDataSink start(SimpleMeterRegistry registry) {
        ParticipantDataSink started = new ParticipantDataSink(config, SdkGenesysApi.create(SinkSettings.from(config)), registry);
        started.start();
        return started;
    }

    private static StatusUpdate success(String conversationId) {
        return StatusUpdate.newBuilder(SampleRecords.status(conversationId, UUID.randomUUID().toString(), TaskStatus.SUCCESS, 2))
                .setParticipantId("p-" + conversationId).build();
    }

    /** Produces in order with one producer; the metadata of each conversation's last record. */
    private Map<String, RecordMetadata> produce(List<StatusUpdate> statuses) throws ExecutionException, InterruptedException {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        Map<String, RecordMetadata> metadata = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (StatusUpdate status : statuses) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(topics.status().name(),
                        topics.status().serializeKey(status.getConversationId()), topics.status().serializeValue(status))).get();
                metadata.put(status.getConversationId(), sent);
            }
        }
        return metadata;
    }

    private int partitionOf(String conversationId) {
        return Utils.toPositive(Utils.murmur2(conversationId.getBytes(StandardCharsets.UTF_8))) % partitions();
    }

    private String conversationInPartition(int partition) {
        while (true) {
            String candidate = UUID.randomUUID().toString();
            if (partitionOf(candidate) == partition) {
                return candidate;
            }
        }
    }

    private String conversationNotInPartition(int partition) {
        while (true) {
            String candidate = UUID.randomUUID().toString();
            if (partitionOf(candidate) != partition) {
                return candidate;
            }
        }
    }

    private int partitions() {
        return config.getInt(Topics.PARTITIONS);
    }

    private TopicPartition topicPartition(int partition) {
        return new TopicPartition(topics.status().name(), partition);
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() throws ExecutionException, InterruptedException {
        return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
    }

    /** Committed offsets of the partitions that hold records (0 for none committed). */
    private Map<TopicPartition, Long> committedOffsets() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = committed();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        endOffsets().keySet().forEach(tp -> offsets.put(tp, committed.get(tp) == null ? 0L : committed.get(tp).offset()));
        return offsets;
    }

    /** End offsets of the status partitions that hold records. */
    private Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions(); p++) {
            request.put(topicPartition(p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> {
            if (info.offset() > 0) {
                ends.put(tp, info.offset());
            }
        });
        return ends;
    }

    private Map<TopicPartition, Long> committedOutside(int partition) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> offsets = committedOffsets();
        offsets.remove(topicPartition(partition));
        return offsets;
    }

    private Map<TopicPartition, Long> endOffsetsOutside(int partition) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> offsets = endOffsets();
        offsets.remove(topicPartition(partition));
        return offsets;
    }
}
