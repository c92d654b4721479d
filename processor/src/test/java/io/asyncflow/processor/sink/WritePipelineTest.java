package io.asyncflow.processor.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.processor.sink.GenesysCallException.Kind;
import io.asyncflow.testing.SampleRecords;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline's coalescing, ordering, retries and offset rules, with a recording fake Genesys. */
class WritePipelineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String STATUS_KEY = "asyncflow.identify-caller.status";

    private final RecordingGenesysApi genesys = new RecordingGenesysApi();
    private PipelineHarness harness;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (harness != null) {
            harness.close();
        }
    }

    private PipelineHarness harness(Map<String, String> more) {
        Map<String, String> config = new HashMap<>(Map.of(
                SinkSettings.BACKOFF_INITIAL.name(), "10ms",
                SinkSettings.BACKOFF_MAX.name(), "40ms",
                SinkSettings.MAX_IN_FLIGHT.name(), "4"));
        config.putAll(PipelineHarness.writingOngoing(true));
        config.putAll(more);
        harness = new PipelineHarness(genesys, config);
        return harness;
    }

    @Test
    void shouldWriteOnlyTheFinalStatusOfEachTaskInABacklog() throws Exception {
        // given a backlog of ONGOING then SUCCESS for 50 tasks in 10 conversations
        PipelineHarness harness = harness(Map.of());
        Backlog backlog = Backlog.of(10, 5);
        List<String> conversations = backlog.conversations();
        backlog.inArrivalOrder().forEach(harness::accept);

        // when
        harness.runUntilIdle(TIMEOUT);

        // then 50 PATCHes, all SUCCESS, five per conversation, one participant lookup per conversation
        assertThat(genesys.patches).hasSize(50).allSatisfy(p -> assertThat(p.status(STATUS_KEY)).isEqualTo("SUCCESS"));
        assertThat(conversations).allSatisfy(c -> assertThat(genesys.patchesOf(c)).hasSize(5));
        assertThat(genesys.lookups).hasSize(10).doesNotHaveDuplicates();
        assertThat(harness.count("asyncflow.sink.dropped", "reason", "superseded")).isEqualTo(50);
        assertThat(harness.count("asyncflow.sink.writes", "outcome", "written")).isEqualTo(50);
        assertThat(conversations).allSatisfy(c -> assertThat(harness.committable(c)).isEqualTo(harness.endOffset(c)));
    }

    @Test
    void shouldNotWriteOngoingOfATaskTypeThatDoesNotAskForItButCommitItsOffset() throws Exception {
        // given the default: identify-caller does not write ONGOING
        PipelineHarness harness = harness(PipelineHarness.writingOngoing(false));
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.ONGOING, 1));
        harness.accept(SampleRecords.status("c2", "t2", TaskStatus.ONGOING, 1));
        harness.runUntilIdle(TIMEOUT);
        assertThat(genesys.patches).isEmpty();

        // when
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2));
        harness.runUntilIdle(TIMEOUT);

        // then one PATCH, the result; every offset may be committed
        assertThat(genesys.patches).extracting(p -> p.status(STATUS_KEY)).containsExactly("SUCCESS");
        assertThat(harness.count("asyncflow.sink.dropped", "reason", "ongoing_off")).isEqualTo(2);
        assertThat(List.of("c1", "c2")).allSatisfy(c -> assertThat(harness.committable(c)).isEqualTo(harness.endOffset(c)));
    }

    @Test
    void shouldWriteTerminalStatusesBeforeOngoing() throws Exception {
        // given one write at a time
        PipelineHarness harness = harness(Map.of(SinkSettings.MAX_IN_FLIGHT.name(), "1"));
        harness.accept(SampleRecords.status("c-ongoing-1", "t1", TaskStatus.ONGOING, 1));
        harness.accept(SampleRecords.status("c-ongoing-2", "t2", TaskStatus.ONGOING, 1));
        harness.accept(SampleRecords.status("c-error", "t3", TaskStatus.ERROR, 2));
        harness.accept(SampleRecords.status("c-success", "t4", TaskStatus.SUCCESS, 2));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patches).extracting(RecordingGenesysApi.Patch::conversationId)
                .containsExactly("c-error", "c-success", "c-ongoing-1", "c-ongoing-2");
    }

    @Test
    void shouldWriteANewerStatusOnlyAfterTheOlderOneInProgressAndNeverTheOlderAgain() throws Exception {
        // given the ONGOING write is slow
        PipelineHarness harness = harness(Map.of());
        CountDownLatch release = new CountDownLatch(1);
        genesys.answer("c1", attempt -> awaitQuietly(attempt == 1 ? release : new CountDownLatch(0)));
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.ONGOING, 1));
        harness.pipeline.step(w -> true);
        await().atMost(TIMEOUT).until(() -> genesys.patches.size() == 1);

        // when SUCCESS arrives while ONGOING is being written, then ONGOING is replayed
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2));
        harness.pipeline.step(w -> true);
        int whileInProgress = genesys.patches.size();
        release.countDown();
        harness.runUntilIdle(TIMEOUT);
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.ONGOING, 1));
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(whileInProgress).isEqualTo(1);
        assertThat(genesys.patches).extracting(p -> p.status(STATUS_KEY)).containsExactly("ONGOING", "SUCCESS");
        assertThat(harness.count("asyncflow.sink.dropped", "reason", "stale")).isEqualTo(1);
        assertThat(harness.committable("c1")).isEqualTo(harness.endOffset("c1"));
    }

    @Test
    void shouldRetryTransientFailuresWithBackoffThenWrite() throws Exception {
        // given two 503s, then success
        PipelineHarness harness = harness(Map.of());
        genesys.answer("c1", attempt -> {
            if (attempt <= 2) {
                throw new GenesysCallException(Kind.TRANSIENT, 503, "HTTP 503", "corr");
            }
        });
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patchesOf("c1")).hasSize(3);
        assertThat(harness.count("asyncflow.sink.retries", "kind", "transient")).isEqualTo(2);
        assertThat(harness.count("asyncflow.sink.writes", "outcome", "written")).isEqualTo(1);
        assertThat(harness.deadLetters).isEmpty();
        assertThat(harness.committable("c1")).isEqualTo(harness.endOffset("c1"));
    }

    @Test
    void shouldDeadLetterAPermanentFailureWithReasonCorrelationIdAndTheOriginalRecord() throws Exception {
        // given
        PipelineHarness harness = harness(Map.of());
        genesys.answer("c-gone", attempt -> {
            throw new GenesysCallException(Kind.PERMANENT, 404, "PATCH participant attributes: HTTP 404 [not.found] gone", "corr-404");
        });
        ConsumerRecord<byte[], byte[]> record = harness.accept(SampleRecords.status("c-gone", "t1", TaskStatus.SUCCESS, 2));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patchesOf("c-gone")).hasSize(1);
        assertThat(harness.deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.getStage()).isEqualTo("sink");
            assertThat(letter.getReason()).contains("HTTP 404").contains("not.found");
            assertThat(letter.getCorrelationId()).isEqualTo("corr-404");
            assertThat(letter.getConversationId()).isEqualTo("c-gone");
            assertThat(letter.getTopic()).isEqualTo(record.topic());
            assertThat(letter.getPartition()).isEqualTo(record.partition());
            assertThat(letter.getOffset()).isEqualTo(record.offset());
            assertThat(letter.getValue()).isEqualTo(ByteBuffer.wrap(record.value()));
        });
        assertThat(harness.committable("c-gone")).isEqualTo(harness.endOffset("c-gone"));
        assertThat(harness.activities()).singleElement().satisfies(activity -> {
            assertThat(activity.getKind()).isEqualTo(io.asyncflow.avro.ActivityKind.WRITE);
            assertThat(activity.getOutcome()).isEqualTo("dead-lettered");
            assertThat(activity.getHttpStatus()).isEqualTo(404);
            assertThat(activity.getDetail()).contains("not.found");
            assertThat(activity.getStatus()).isEqualTo("SUCCESS");
            assertThat(activity.getVersion()).isEqualTo(2);
        });
    }

    @Test
    void shouldDeadLetterAfterTheLastAllowedAttempt() throws Exception {
        // given
        PipelineHarness harness = harness(Map.of(SinkSettings.MAX_ATTEMPTS.name(), "3"));
        genesys.answer("c1", attempt -> {
            throw new GenesysCallException(Kind.TRANSIENT, 502, "HTTP 502 bad gateway", "corr-502");
        });
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.NOT_FOUND, 2));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patchesOf("c1")).hasSize(3);
        assertThat(harness.deadLetters).singleElement().satisfies(letter ->
                assertThat(letter.getReason()).startsWith("gave up after 3 attempts").contains("502"));
    }

    @Test
    void shouldKeepRetryingThroughMore429sThanTheAllowedAttempts() throws Exception {
        // given five 429s, then success, with three attempts allowed
        PipelineHarness harness = harness(Map.of(SinkSettings.MAX_ATTEMPTS.name(), "3"));
        genesys.answer("c1", attempt -> {
            if (attempt <= 5) {
                throw new GenesysCallException(Kind.RATE_LIMITED, 429, "HTTP 429 too.many.requests.retry.after", "corr-429");
            }
        });
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patchesOf("c1")).hasSize(6);
        assertThat(harness.count("asyncflow.sink.writes", "outcome", "written")).isEqualTo(1);
        assertThat(harness.activities()).singleElement().satisfies(activity -> {
            assertThat(activity.getOutcome()).isEqualTo("written");
            assertThat(activity.getAttempts()).isEqualTo(1);
            assertThat(activity.getThrottled()).isEqualTo(5);
            assertThat(activity.getConversationId()).isEqualTo("c1");
            assertThat(activity.getTaskId()).isEqualTo("t1");
        });
        assertThat(harness.deadLetters).isEmpty();
        assertThat(harness.committable("c1")).isEqualTo(harness.endOffset("c1"));
    }

    @Test
    void shouldReplaceAWriteWaitingForItsRetryByANewerStatus() throws Exception {
        // given ONGOING failed and waits a long backoff
        PipelineHarness harness = harness(Map.of(SinkSettings.BACKOFF_INITIAL.name(), "1h", SinkSettings.BACKOFF_MAX.name(), "1h"));
        genesys.answer("c1", attempt -> {
            if (attempt == 1) {
                throw new GenesysCallException(Kind.TRANSIENT, 503, "HTTP 503", null);
            }
        });
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.ONGOING, 1));
        harness.pipeline.step(w -> true);
        await().atMost(TIMEOUT).until(() -> {
            harness.pipeline.awaitCompletion(Duration.ofMillis(20));
            return harness.count("asyncflow.sink.retries", "kind", "transient") == 1;
        });

        // when
        harness.accept(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2));
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patches).extracting(p -> p.status(STATUS_KEY)).containsExactly("ONGOING", "SUCCESS");
        assertThat(harness.committable("c1")).isEqualTo(harness.endOffset("c1"));
    }

    @Test
    void shouldWriteNothingForAnEndedConversation() throws Exception {
        // given
        PipelineHarness harness = harness(Map.of());
        harness.accept(SampleRecords.status("c-ended", "t1", TaskStatus.ONGOING, 1));
        harness.accept(SampleRecords.status("c-ended", "t1", TaskStatus.CANCELLED, 2));
        harness.accept(SampleRecords.status("c-live", "t2", TaskStatus.ONGOING, 1));

        // when a result arrives after the end
        harness.runUntilIdle(TIMEOUT);
        harness.accept(SampleRecords.status("c-ended", "t1", TaskStatus.SUCCESS, 3));
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patchesOf("c-ended")).isEmpty();
        assertThat(genesys.patchesOf("c-live")).hasSize(1);
        assertThat(harness.count("asyncflow.sink.dropped", "reason", "ended")).isEqualTo(2);
        assertThat(harness.count("asyncflow.sink.dropped", "reason", "cancelled")).isEqualTo(1);
        assertThat(harness.committable("c-ended")).isEqualTo(harness.endOffset("c-ended"));
    }

    @Test
    void shouldUseTheParticipantOfTheStatusAndLookUpOthersOncePerConversation() throws Exception {
        // given
        PipelineHarness harness = harness(Map.of());
        harness.accept(StatusUpdate.newBuilder(SampleRecords.status("c-known", "t1", TaskStatus.SUCCESS, 2)).setParticipantId("p-known").build());
        harness.accept(SampleRecords.status("c-unknown", "t2", TaskStatus.SUCCESS, 2));
        harness.accept(SampleRecords.status("c-unknown", "t3", TaskStatus.ERROR, 2));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.lookups).containsExactly("c-unknown");
        assertThat(genesys.patchesOf("c-known")).extracting(RecordingGenesysApi.Patch::participantId).containsExactly("p-known");
        assertThat(genesys.patchesOf("c-unknown")).extracting(RecordingGenesysApi.Patch::participantId)
                .containsExactly("customer-of-c-unknown", "customer-of-c-unknown");
        assertThat(harness.count("asyncflow.sink.participant.lookups")).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAnUndecodableRecordAndCommitPastIt() throws Exception {
        // given
        PipelineHarness harness = harness(Map.of());
        ConsumerRecord<byte[], byte[]> garbage = harness.acceptRaw("c1", new byte[]{1, 2, 3, 4});

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(harness.deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).startsWith("cannot decode StatusUpdate");
            assertThat(letter.getOffset()).isEqualTo(garbage.offset());
            assertThat(letter.getConversationId()).isEqualTo("c1");
        });
        assertThat(harness.count("asyncflow.sink.undecodable")).isEqualTo(1);
        assertThat(harness.committable("c1")).isEqualTo(harness.endOffset("c1"));
    }

    @Test
    void shouldSendADeadLetterAgainWhenTheBrokerRejectedItAndCommitOnlyAfterItsAcknowledgement() throws Exception {
        // given the broker rejects the first dead letter
        PipelineHarness harness = harness(Map.of());
        harness.rejectDeadLetters.set(1);
        harness.acceptRaw("c1", new byte[]{9, 9, 9});
        harness.pipeline.step(w -> true);
        long whileRejected = harness.committable("c1");

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(whileRejected).isZero();
        assertThat(harness.deadLetterAttempts.get()).isEqualTo(2);
        assertThat(harness.deadLetters).hasSize(1);
        assertThat(harness.committable("c1")).isEqualTo(harness.endOffset("c1"));
    }

    @Test
    void shouldNotCommitPastAWriteStillInProgress() throws Exception {
        // given two conversations of one partition; the first one's write hangs
        PipelineHarness harness = harness(Map.of());
        String slow = "c-slow";
        String fast = conversationInPartitionOf(slow);
        CountDownLatch release = new CountDownLatch(1);
        genesys.answer(slow, attempt -> awaitQuietly(release));
        ConsumerRecord<byte[], byte[]> slowRecord = harness.accept(SampleRecords.status(slow, "t1", TaskStatus.SUCCESS, 2));
        harness.accept(SampleRecords.status(fast, "t2", TaskStatus.SUCCESS, 2));

        // when the later write finishes first
        await().atMost(TIMEOUT).until(() -> {
            harness.pipeline.step(w -> true);
            harness.pipeline.awaitCompletion(Duration.ofMillis(20));
            return harness.count("asyncflow.sink.writes", "outcome", "written") == 1;
        });
        long whileInProgress = harness.committable(slow);
        release.countDown();
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patchesOf(fast)).hasSize(1);
        assertThat(whileInProgress).isEqualTo(slowRecord.offset());
        assertThat(harness.committable(slow)).isEqualTo(harness.endOffset(slow));
    }

    @Test
    void shouldLeaveAWriteOfARevokedPartitionToItsNewOwner() throws Exception {
        // given a write in progress fails after its partition was revoked
        PipelineHarness harness = harness(Map.of());
        CountDownLatch release = new CountDownLatch(1);
        genesys.answer("c1", attempt -> {
            awaitQuietly(release);
            throw new GenesysCallException(Kind.PERMANENT, 404, "HTTP 404", "corr");
        });
        ConsumerRecord<byte[], byte[]> record = harness.accept(SampleRecords.status("c1", "t1", TaskStatus.SUCCESS, 2));
        harness.pipeline.step(w -> true);
        await().atMost(TIMEOUT).until(() -> genesys.patches.size() == 1);

        // when
        harness.forget(List.of(new TopicPartition(record.topic(), record.partition())));
        release.countDown();
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(genesys.patchesOf("c1")).hasSize(1);
        assertThat(harness.deadLetters).isEmpty();
        assertThat(harness.committable("c1")).isEqualTo(-1);
    }

    private static String conversationInPartitionOf(String conversationId) {
        int partition = PipelineHarness.partitionOf(conversationId);
        for (int i = 0; ; i++) {
            String candidate = "c-" + i;
            if (PipelineHarness.partitionOf(candidate) == partition && !candidate.equals(conversationId)) {
                return candidate;
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) throws GenesysCallException {
        try {
            if (!latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new GenesysCallException(Kind.TRANSIENT, 0, "test latch timed out", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenesysCallException(Kind.TRANSIENT, 0, "interrupted", null);
        }
    }

    @Test
    void shouldMaskACallersNumberQuotedByGenesysInTheDeadLettersReason() throws Exception {
        // given Genesys refuses a write and quotes the attribute value in its message
        PipelineHarness harness = harness(Map.of());
        genesys.answer("c-bad", attempt -> {
            throw new GenesysCallException(Kind.PERMANENT, 400, "PATCH participant attributes: HTTP 400 [bad.request] "
                    + "value 'tel:+33611111103' of asyncflow.ani is not allowed\nnext", "corr-400");
        });
        harness.accept(SampleRecords.status("c-bad", "t1", TaskStatus.SUCCESS, 2));

        // when
        harness.runUntilIdle(TIMEOUT);

        // then
        assertThat(harness.deadLetters).singleElement().satisfies(letter -> assertThat(letter.getReason())
                .contains("HTTP 400", "bad.request", "tel:+33*******03").doesNotContain("611111103", "\n"));
    }
}
