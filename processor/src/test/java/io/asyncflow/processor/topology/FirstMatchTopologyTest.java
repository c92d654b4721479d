package io.asyncflow.processor.topology;

import static io.asyncflow.processor.topology.TopologyFixture.CLASSIFY;
import static io.asyncflow.processor.topology.TopologyFixture.DEFAULT_DEADLINE;
import static io.asyncflow.processor.topology.TopologyFixture.IDENTIFY;
import static io.asyncflow.processor.topology.TopologyFixture.RETENTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testing.SampleRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production topology in {@code TopologyTestDriver}: every path of the first-match aggregation. */
class FirstMatchTopologyTest {
    private static final Map<String, String> CUSTOMER = Map.of("customerId", "C-1001", "customerName", "Ada Martin");
    private static final String PARTICIPANT = "5f0e2c4a-8d1b-4e7a-9c3d-2b6f1a0e9d84";

    private final TopologyFixture fixture = new TopologyFixture();
    private final String conversation = SampleRecords.conversationId();

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void shouldFanOutOneLookupPerBackendAndReportOngoing() {
        // given
        TaskRequest request = fixture.identify(conversation);

        // when
        fixture.send(request);

        // then
        List<LookupRequest> lookups = fixture.lookups.readValuesToList();
        assertThat(lookups).extracting(LookupRequest::getBackend).containsExactly("alpha", "beta", "gamma");
        assertThat(lookups).allSatisfy(lookup -> {
            assertThat(lookup.getLookupId()).isEqualTo(request.getTaskId() + ":" + lookup.getBackend());
            assertThat(lookup.getTaskId()).isEqualTo(request.getTaskId());
            assertThat(lookup.getConversationId()).isEqualTo(conversation);
            assertThat(lookup.getInputs()).containsExactly(Map.entry("ani", SampleRecords.ANI));
            assertThat(lookup.getDeadline()).isEqualTo(request.getRequestedAt() + DEFAULT_DEADLINE.toMillis());
        });
        StatusUpdate ongoing = single(fixture.status.readValuesToList());
        assertThat(ongoing.getStatus()).isEqualTo(TaskStatus.ONGOING);
        assertThat(ongoing.getVersion()).isEqualTo(1);
        assertThat(ongoing.getTaskId()).isEqualTo(request.getTaskId());
        assertThat(ongoing.getParticipantId()).isEqualTo(request.getParticipantId());
        assertThat(ongoing.getRequestedAt()).isEqualTo(request.getRequestedAt());
    }

    @Test
    void shouldSucceedWithTheHitOfTheSlowestBackendWhenTheOthersMiss() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));

        // when
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);
        fixture.answer(lookups.get("beta"), LookupOutcome.MISS);
        assertThat(fixture.status.isEmpty()).as("no status while gamma has not answered").isTrue();
        fixture.answer(lookups.get("gamma"), LookupOutcome.HIT, CUSTOMER);

        // then
        StatusUpdate success = single(fixture.status.readValuesToList());
        assertThat(success.getStatus()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(success.getBackend()).isEqualTo("gamma");
        assertThat(success.getAttributes()).isEqualTo(CUSTOMER);
        assertThat(success.getVersion()).isEqualTo(2);
        assertThat(success.getEmittedAt()).isEqualTo(fixture.now());
    }

    @Test
    void shouldLetTheFirstHitWinAndIgnoreTheRemainingResults() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));

        // when
        fixture.answer(lookups.get("beta"), LookupOutcome.HIT, Map.of("customerId", "B-7"));
        fixture.answer(lookups.get("alpha"), LookupOutcome.HIT, Map.of("customerId", "A-3"));
        fixture.answer(lookups.get("gamma"), LookupOutcome.ERROR);

        // then
        StatusUpdate success = single(fixture.status.readValuesToList());
        assertThat(success.getStatus()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(success.getBackend()).isEqualTo("beta");
        assertThat(success.getAttributes()).containsEntry("customerId", "B-7");
        assertThat(fixture.orphans.isEmpty()).isTrue();
    }

    @Test
    void shouldEmitNotFoundWhenEveryLookupMisses() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));

        // when
        lookups.values().forEach(lookup -> fixture.answer(lookup, LookupOutcome.MISS));

        // then
        StatusUpdate notFound = single(fixture.status.readValuesToList());
        assertThat(notFound.getStatus()).isEqualTo(TaskStatus.NOT_FOUND);
        assertThat(notFound.getVersion()).isEqualTo(2);
        assertThat(notFound.getAttributes()).isEmpty();
        assertThat(notFound.getBackend()).isNull();
    }

    @Test
    void shouldEmitErrorListingBackendReasonsWhenSomeFailedAndNoneHit() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));

        // when
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);
        fixture.answer(lookups.get("gamma"), LookupOutcome.ERROR);
        fixture.answer(lookups.get("beta"), LookupOutcome.ERROR);

        // then
        StatusUpdate error = single(fixture.status.readValuesToList());
        assertThat(error.getStatus()).isEqualTo(TaskStatus.ERROR);
        assertThat(error.getReason()).isEqualTo("beta: HTTP 503; gamma: HTTP 503");
        assertThat(error.getVersion()).isEqualTo(2);
    }

    @Test
    void shouldTimeOutWhenTheDeadlinePassesBeforeAMatch() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);

        // when
        fixture.advance(DEFAULT_DEADLINE.minusMillis(200));
        assertThat(fixture.status.isEmpty()).as("no timeout before the deadline").isTrue();
        fixture.advance(Duration.ofMillis(300));

        // then
        StatusUpdate timeout = single(fixture.status.readValuesToList());
        assertThat(timeout.getStatus()).isEqualTo(TaskStatus.TIMEOUT);
        assertThat(timeout.getVersion()).isEqualTo(2);
        assertThat(timeout.getReason()).isEqualTo("deadline passed; no answer from beta, gamma");

        // and a hit after the timeout changes nothing
        fixture.answer(lookups.get("gamma"), LookupOutcome.HIT, CUSTOMER);
        assertThat(fixture.status.isEmpty()).isTrue();
        assertThat(fixture.orphans.isEmpty()).isTrue();
    }

    @Test
    void shouldUseTheRequestsOwnDeadlineWhenItNamesOne() {
        // given
        TaskRequest request = fixture.identify(conversation);
        request.setDeadline(fixture.now() + 2_000);

        // when
        Map<String, LookupRequest> lookups = started(request);
        fixture.advance(Duration.ofMillis(2_100));

        // then
        assertThat(lookups.values()).allSatisfy(lookup -> assertThat(lookup.getDeadline()).isEqualTo(request.getDeadline()));
        assertThat(single(fixture.status.readValuesToList()).getStatus()).isEqualTo(TaskStatus.TIMEOUT);
    }

    @Test
    void shouldTimeOutAtOnceWhenTheDeadlineHadPassedBeforeTheRequestArrived() {
        // given
        TaskRequest replayed = fixture.identify(conversation);
        replayed.setDeadline(fixture.now() - 1);

        // when
        fixture.send(replayed);

        // then
        assertThat(fixture.lookups.isEmpty()).isTrue();
        StatusUpdate timeout = single(fixture.status.readValuesToList());
        assertThat(timeout.getStatus()).isEqualTo(TaskStatus.TIMEOUT);
        assertThat(timeout.getVersion()).isEqualTo(1);
    }

    @Test
    void shouldCancelOpenTasksWhenTheConversationEndsAndOrphanALaterHit() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);

        // when
        fixture.end(conversation);
        fixture.answer(lookups.get("beta"), LookupOutcome.HIT, CUSTOMER);
        fixture.answer(lookups.get("gamma"), LookupOutcome.HIT, Map.of("customerId", "G-2"));

        // then
        StatusUpdate cancelled = single(fixture.status.readValuesToList());
        assertThat(cancelled.getStatus()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(cancelled.getVersion()).isEqualTo(2);
        StatusUpdate orphan = single(fixture.orphans.readValuesToList());
        assertThat(orphan.getStatus()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(orphan.getAttributes()).isEqualTo(CUSTOMER);
        assertThat(orphan.getBackend()).isEqualTo("beta");
        assertThat(orphan.getReason()).isEqualTo("conversation ended before the result");
        assertThat(orphan.getVersion()).isEqualTo(3);
        assertThat(orphan.getTaskId()).isEqualTo(cancelled.getTaskId());

        // and the deadline passing later emits nothing more
        fixture.advance(DEFAULT_DEADLINE.plusSeconds(1));
        assertThat(fixture.status.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepASuccessAndCancelNothingWhenTheConversationEndsAfterTheHit() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));
        fixture.answer(lookups.get("alpha"), LookupOutcome.HIT, CUSTOMER);

        // when
        fixture.end(conversation);
        fixture.answer(lookups.get("beta"), LookupOutcome.HIT, CUSTOMER);

        // then
        assertThat(fixture.status.readValuesToList()).extracting(StatusUpdate::getStatus).containsExactly(TaskStatus.SUCCESS);
        assertThat(fixture.orphans.isEmpty()).isTrue();
    }

    @Test
    void shouldCancelATaskRequestedAfterTheConversationEnded() {
        // given
        fixture.end(conversation);

        // when
        fixture.send(fixture.identify(conversation));

        // then
        assertThat(fixture.lookups.isEmpty()).isTrue();
        StatusUpdate cancelled = single(fixture.status.readValuesToList());
        assertThat(cancelled.getStatus()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(cancelled.getReason()).isEqualTo("conversation already ended");
    }

    @Test
    void shouldRememberTheParticipantOfACustomerStartWithoutEmittingAnything() {
        // when
        fixture.start(conversation, PARTICIPANT);

        // then
        assertThat(fixture.status.isEmpty()).isTrue();
        assertThat(fixture.lookups.isEmpty()).isTrue();
        assertThat(fixture.conversations().get(conversation).participantId()).isEqualTo(PARTICIPANT);
        assertThat(fixture.conversations().get(conversation).tasks()).isEmpty();
    }

    @Test
    void shouldGiveTheParticipantOfCustomerStartToEveryStatusOfATaskRequestedWithoutOne() {
        // given
        fixture.start(conversation, PARTICIPANT);
        fixture.advance(Duration.ofSeconds(5));

        // when a Data Action starts a task without a participant id, and alpha hits
        Map<String, LookupRequest> lookups = startedWith(TopologyFixture.withoutParticipant(fixture.identify(conversation)), PARTICIPANT);
        fixture.answer(lookups.get("alpha"), LookupOutcome.HIT, CUSTOMER);

        // then
        assertSuccessFor(PARTICIPANT);
    }

    @Test
    void shouldGiveTheParticipantOfALaterCustomerStartToTheLaterStatusesOfAnOpenTask() {
        // given a task started without a participant id
        Map<String, LookupRequest> lookups = startedWith(TopologyFixture.withoutParticipant(fixture.identify(conversation)), null);

        // when customer.start arrives while it runs, then a hit
        fixture.start(conversation, PARTICIPANT);
        fixture.answer(lookups.get("beta"), LookupOutcome.HIT, CUSTOMER);

        // then
        assertSuccessFor(PARTICIPANT);
    }

    @Test
    void shouldGiveTheParticipantOfOneRequestToAnotherTaskOfTheConversationWithoutOne() {
        // given
        TaskRequest identify = fixture.identify(conversation);
        started(identify);

        // when
        fixture.send(TopologyFixture.withoutParticipant(fixture.classify(conversation)));

        // then
        StatusUpdate ongoing = single(fixture.status.readValuesToList());
        assertThat(ongoing.getTaskType()).isEqualTo(CLASSIFY);
        assertThat(ongoing.getParticipantId()).isEqualTo(identify.getParticipantId());
    }

    @Test
    void shouldKeepTheParticipantARequestNamesOverTheOneOfCustomerStart() {
        // given
        fixture.start(conversation, PARTICIPANT);
        TaskRequest request = fixture.identify(conversation);

        // when
        Map<String, LookupRequest> lookups = startedWith(request, request.getParticipantId());
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);
        fixture.answer(lookups.get("beta"), LookupOutcome.MISS);
        fixture.answer(lookups.get("gamma"), LookupOutcome.MISS);

        // then
        assertThat(single(fixture.status.readValuesToList()).getParticipantId()).isEqualTo(request.getParticipantId());
    }

    @Test
    void shouldForgetAParticipantWithoutTasksAfterTheRetentionAndNotBefore() {
        // given
        fixture.start(conversation, PARTICIPANT);

        // when within the retention a Data Action starts a task
        fixture.advance(RETENTION.minusSeconds(1));
        String other = SampleRecords.conversationId();
        fixture.start(other, PARTICIPANT);
        startedWith(TopologyFixture.withoutParticipant(fixture.identify(conversation)), PARTICIPANT);

        // when the retention of the other conversation's participant passes
        fixture.advance(RETENTION.plusSeconds(1));

        // then it is forgotten, timer included; the conversation with a task still knows its participant
        assertThat(fixture.conversations().get(other)).isNull();
        assertThat(fixture.conversations().get(conversation).participantId()).isEqualTo(PARTICIPANT);
        assertThat(TopologyFixture.count(fixture.timers())).isEqualTo(1);
    }

    @Test
    void shouldStartNothingForARepeatedTaskId() {
        // given
        TaskRequest request = fixture.identify(conversation);
        started(request);

        // when
        fixture.send(request);

        // then
        assertThat(fixture.lookups.isEmpty()).isTrue();
        assertThat(fixture.status.isEmpty()).isTrue();
    }

    @Test
    void shouldStartAFreshRunForANewTaskIdOfTheSameType() {
        // given
        Map<String, LookupRequest> first = started(fixture.identify(conversation));
        first.values().forEach(lookup -> fixture.answer(lookup, LookupOutcome.MISS));
        assertThat(single(fixture.status.readValuesToList()).getStatus()).isEqualTo(TaskStatus.NOT_FOUND);

        // when
        TaskRequest again = fixture.identify(conversation);
        Map<String, LookupRequest> second = started(again);
        fixture.answer(second.get("gamma"), LookupOutcome.HIT, CUSTOMER);

        // then
        assertThat(second.values()).allSatisfy(lookup -> assertThat(lookup.getTaskId()).isEqualTo(again.getTaskId()));
        StatusUpdate success = single(fixture.status.readValuesToList());
        assertThat(success.getTaskId()).isEqualTo(again.getTaskId());
        assertThat(success.getStatus()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(success.getVersion()).isEqualTo(2);
    }

    @Test
    void shouldIgnoreALateDuplicateResult() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));
        lookups.values().forEach(lookup -> fixture.answer(lookup, LookupOutcome.MISS));
        assertThat(single(fixture.status.readValuesToList()).getStatus()).isEqualTo(TaskStatus.NOT_FOUND);

        // when
        fixture.answer(lookups.get("beta"), LookupOutcome.HIT, CUSTOMER);
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);

        // then
        assertThat(fixture.status.isEmpty()).isTrue();
        assertThat(fixture.orphans.isEmpty()).isTrue();
    }

    @Test
    void shouldCountOnlyTheFirstAnswerOfABackend() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));

        // when a redelivered miss repeats alpha's answer, the task still waits for beta and gamma
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);
        fixture.answer(lookups.get("beta"), LookupOutcome.MISS);

        // then
        assertThat(fixture.status.isEmpty()).isTrue();
        fixture.answer(lookups.get("gamma"), LookupOutcome.MISS);
        assertThat(single(fixture.status.readValuesToList()).getStatus()).isEqualTo(TaskStatus.NOT_FOUND);
    }

    @Test
    void shouldRunTwoTaskTypesForOneConversationAtOnce() {
        // given
        TaskRequest identify = fixture.identify(conversation);
        TaskRequest classify = fixture.classify(conversation);
        fixture.send(identify);
        fixture.send(classify);
        Map<String, LookupRequest> lookups = fixture.lookups.readValuesToList().stream()
                .collect(Collectors.toMap(LookupRequest::getBackend, Function.identity()));
        fixture.status.readValuesToList();

        // when
        fixture.answer(lookups.get("intent-ai"), LookupOutcome.HIT, Map.of("intent", "change-flight"));
        fixture.answer(lookups.get("alpha"), LookupOutcome.MISS);
        fixture.answer(lookups.get("gamma"), LookupOutcome.HIT, CUSTOMER);

        // then
        assertThat(lookups).containsOnlyKeys("alpha", "beta", "gamma", "intent-ai");
        assertThat(lookups.get("intent-ai").getInputs()).containsOnlyKeys("transcript");
        assertThat(lookups.get("alpha").getInputs()).containsOnlyKeys("ani");
        List<StatusUpdate> statuses = fixture.status.readValuesToList();
        assertThat(statuses).extracting(StatusUpdate::getTaskType, StatusUpdate::getStatus, StatusUpdate::getVersion)
                .containsExactly(
                        tuple(CLASSIFY, TaskStatus.SUCCESS, 2),
                        tuple(IDENTIFY, TaskStatus.SUCCESS, 2));
        assertThat(statuses.get(0).getAttributes()).containsEntry("intent", "change-flight");
        assertThat(statuses.get(1).getBackend()).isEqualTo("gamma");
    }

    @Test
    void shouldSendUndecodableTaskEventsToTheDeadLetterTopicAndKeepGoing() {
        // given
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);

        // when
        fixture.rawTasks.pipeInput(conversation, garbage);
        fixture.send(fixture.identify(conversation));

        // then
        DeadLetter letter = single(fixture.deadLetters.readValuesToList());
        assertThat(letter.getStage()).isEqualTo("processor");
        assertThat(letter.getTopic()).isEqualTo(fixture.topics.tasks().name());
        assertThat(letter.getOffset()).isEqualTo(0L);
        assertThat(letter.getReason()).contains("cannot decode TaskEvent");
        assertThat(letter.getConversationId()).isEqualTo(conversation);
        assertThat(bytes(letter.getValue())).isEqualTo(garbage);
        assertThat(single(fixture.status.readValuesToList()).getStatus()).isEqualTo(TaskStatus.ONGOING);
    }

    @Test
    void shouldSendUndecodableLookupResultsToTheDeadLetterTopicAndKeepGoing() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));
        byte[] truncated = Arrays.copyOf(fixture.topics.lookupResults().serializeValue(
                SampleRecords.lookupResult(lookups.get("alpha"), LookupOutcome.HIT, CUSTOMER)), 14);

        // when
        fixture.rawResults.pipeInput(conversation, truncated);
        fixture.answer(lookups.get("alpha"), LookupOutcome.HIT, CUSTOMER);

        // then
        DeadLetter letter = single(fixture.deadLetters.readValuesToList());
        assertThat(letter.getTopic()).isEqualTo(fixture.topics.lookupResults().name());
        assertThat(letter.getReason()).contains("cannot decode LookupResult");
        assertThat(bytes(letter.getValue())).isEqualTo(truncated);
        assertThat(single(fixture.status.readValuesToList()).getStatus()).isEqualTo(TaskStatus.SUCCESS);
    }

    @Test
    void shouldSendARecordWhoseKeyIsNotItsConversationToTheDeadLetterTopic() {
        // given
        TaskRequest request = fixture.identify(conversation);

        // when
        fixture.tasks.pipeInput("another-conversation", SampleRecords.task(request));
        fixture.tasks.pipeInput(null, SampleRecords.task(request));

        // then
        assertThat(fixture.deadLetters.readValuesToList()).extracting(DeadLetter::getReason).containsExactly(
                "key 'another-conversation' is not the record's conversationId '" + conversation + "'",
                "record has no key; the key must be the conversation id");
        assertThat(fixture.lookups.isEmpty()).isTrue();
        assertThat(fixture.status.isEmpty()).isTrue();
    }

    @Test
    void shouldReportErrorForAnUnknownTaskType() {
        // given
        TaskRequest request = fixture.request(conversation, "predict-weather", Map.of("city", "Lyon"));

        // when
        fixture.send(request);

        // then
        assertThat(fixture.lookups.isEmpty()).isTrue();
        StatusUpdate error = single(fixture.status.readValuesToList());
        assertThat(error.getStatus()).isEqualTo(TaskStatus.ERROR);
        assertThat(error.getReason()).isEqualTo("unknown task type 'predict-weather'");
        assertThat(error.getVersion()).isEqualTo(1);
    }

    @Test
    void shouldReportErrorForARequestMissingARequiredInput() {
        // given
        TaskRequest request = fixture.request(conversation, IDENTIFY, Map.of("ani", " "));

        // when
        fixture.send(request);

        // then
        assertThat(fixture.lookups.isEmpty()).isTrue();
        StatusUpdate error = single(fixture.status.readValuesToList());
        assertThat(error.getStatus()).isEqualTo(TaskStatus.ERROR);
        assertThat(error.getReason()).isEqualTo("missing required input(s) [ani]");
    }

    @Test
    void shouldGrowStatusVersionsPerTask() {
        // given
        Map<String, LookupRequest> lookups = started(fixture.identify(conversation));
        fixture.end(conversation);

        // when
        fixture.answer(lookups.get("alpha"), LookupOutcome.HIT, CUSTOMER);

        // then
        List<StatusUpdate> statuses = fixture.status.readValuesToList();
        assertThat(statuses).extracting(StatusUpdate::getStatus).containsExactly(TaskStatus.CANCELLED);
        assertThat(statuses.get(0).getVersion()).isEqualTo(2);
        assertThat(single(fixture.orphans.readValuesToList()).getVersion()).isEqualTo(3);
        assertThat(fixture.conversations().get(conversation).tasks().values())
                .singleElement().satisfies(task -> assertThat(task.version()).isEqualTo(3));
    }

    @Test
    void shouldForgetFinishedTasksAfterTheRetentionButRecogniseDuplicatesWithinIt() {
        // given
        TaskRequest request = fixture.identify(conversation);
        Map<String, LookupRequest> lookups = started(request);
        fixture.answer(lookups.get("alpha"), LookupOutcome.HIT, CUSTOMER);
        fixture.status.readValuesToList();

        // when within the retention
        fixture.advance(RETENTION.minusSeconds(1));
        fixture.send(request);

        // then the duplicate is recognised
        assertThat(fixture.lookups.isEmpty()).isTrue();
        assertThat(fixture.status.isEmpty()).isTrue();
        assertThat(fixture.conversations().get(conversation)).isNotNull();

        // when the retention passes
        fixture.advance(Duration.ofSeconds(2));

        // then nothing of the conversation is left
        assertThat(TopologyFixture.count(fixture.conversations())).isZero();
        assertThat(TopologyFixture.count(fixture.timers())).isZero();
    }

    @Test
    void shouldForgetAnEndedConversationAfterTheRetention() {
        // given
        started(fixture.identify(conversation));
        fixture.end(conversation);
        assertThat(fixture.conversations().get(conversation).ended()).isTrue();

        // when
        fixture.advance(RETENTION.plusSeconds(1));

        // then
        assertThat(fixture.conversations().get(conversation)).isNull();
        assertThat(TopologyFixture.count(fixture.timers())).isZero();
    }

    /** The one status emitted is SUCCESS and names {@code participant}. */
    private void assertSuccessFor(String participant) {
        StatusUpdate success = single(fixture.status.readValuesToList());
        assertThat(success.getStatus()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(success.getParticipantId()).isEqualTo(participant);
    }

    /** Starts {@code request} and checks its ONGOING status names {@code participant}. */
    private Map<String, LookupRequest> startedWith(TaskRequest request, String participant) {
        fixture.send(request);
        StatusUpdate ongoing = single(fixture.status.readValuesToList());
        assertThat(ongoing.getStatus()).isEqualTo(TaskStatus.ONGOING);
        assertThat(ongoing.getParticipantId()).isEqualTo(participant);
        return fixture.lookups.readValuesToList().stream().collect(Collectors.toMap(LookupRequest::getBackend, Function.identity()));
    }

    private Map<String, LookupRequest> started(TaskRequest request) {
        fixture.send(request);
        Map<String, LookupRequest> lookups = fixture.lookups.readValuesToList().stream()
                .collect(Collectors.toMap(LookupRequest::getBackend, Function.identity()));
        assertThat(single(fixture.status.readValuesToList()).getStatus()).isEqualTo(TaskStatus.ONGOING);
        return lookups;
    }

    private static <T> T single(List<T> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
