package com.example.contactcenter;

import static com.example.contactcenter.OurConfiguration.BILLING_ACCOUNT;
import static com.example.contactcenter.OurConfiguration.BILLING_NO_ACCOUNT;
import static com.example.contactcenter.OurConfiguration.DIRECTORY_INDEX_DOWN;
import static com.example.contactcenter.OurConfiguration.SOURCE_KEY;
import static com.example.contactcenter.OurConfiguration.STATUS_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testkit.AsyncFlowTestKit;
import io.asyncflow.testkit.CannedResponse;
import io.asyncflow.testkit.ParticipantDataWrite;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** identify-caller as our call flows see it: what lands in participant data for each way a lookup can go. */
class IdentifyCallerTest {
    private static final String CONVERSATION = "0b5e7a52-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
    private static final String CALLER = "tel:+33600000000";

    private final AsyncFlowTestKit kit = OurConfiguration.start();

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void shouldIdentifyTheCallerFromBillingWhenOnlyTheThirdDatabaseKnowsThem() {
        kit.respond("alpha", CannedResponse.status(404));
        kit.respond("beta", CannedResponse.status(404));
        kit.respond("gamma", CannedResponse.json(200, BILLING_ACCOUNT).after(Duration.ofMillis(600)));

        kit.requestTask(CONVERSATION, "identify-caller", Map.of("ani", CALLER));
        kit.advance(Duration.ofMillis(600));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.SUCCESS);
        assertThat(kit.participantData(CONVERSATION)).as(kit.timeline(CONVERSATION))
                .containsEntry(STATUS_KEY, "SUCCESS")
                .containsEntry(SOURCE_KEY, "gamma")
                .containsEntry("customerId", "B-77-3003")
                .containsEntry("customerName", "Gaston Lagaffe")
                .containsEntry("segment", "gold");
    }

    @Test
    void shouldWriteNotFoundWhenNoDatabaseKnowsTheCaller() {
        kit.respond("alpha", CannedResponse.status(404));
        kit.respond("beta", CannedResponse.json(200, "{\"person\": null}"));
        kit.respond("gamma", CannedResponse.json(200, BILLING_NO_ACCOUNT));

        kit.requestTask(CONVERSATION, "identify-caller", Map.of("ani", CALLER));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.NOT_FOUND);
        assertThat(kit.participantData(CONVERSATION)).as(kit.timeline(CONVERSATION))
                .containsEntry(STATUS_KEY, "NOT_FOUND").doesNotContainKeys("customerId", SOURCE_KEY);
    }

    @Test
    void shouldWriteErrorNotNotFoundWhenTheDirectoryReportsAFailureAndTheOthersMiss() {
        kit.respond("alpha", CannedResponse.status(404));
        kit.respond("beta", CannedResponse.json(200, DIRECTORY_INDEX_DOWN));
        kit.respond("gamma", CannedResponse.json(200, BILLING_NO_ACCOUNT));

        kit.requestTask(CONVERSATION, "identify-caller", Map.of("ani", CALLER));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.ERROR);
        assertThat(kit.participantData(CONVERSATION).get("asyncflow.identify-caller.reason")).as(kit.timeline(CONVERSATION))
                .contains("beta");
    }

    @Test
    void shouldWriteTimeoutWhenBillingHasNotAnsweredByTheDeadline() {
        kit.respond("alpha", CannedResponse.status(404));
        kit.respond("beta", CannedResponse.status(404));
        kit.respond("gamma", CannedResponse.noAnswer());

        kit.requestTask(CONVERSATION, "identify-caller", Map.of("ani", CALLER));
        kit.advance(Duration.ofMillis(3_900));
        assertThat(kit.statusSequence(CONVERSATION)).as(kit.timeline(CONVERSATION)).containsExactly(TaskStatus.ONGOING);
        kit.advance(Duration.ofMillis(200));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.TIMEOUT);
        assertThat(kit.participantData(CONVERSATION)).containsEntry(STATUS_KEY, "TIMEOUT");
    }

    @Test
    void shouldWriteNothingAfterTheHangUpAndKeepBillingsLateAnswerForACallback() {
        kit.respond("alpha", CannedResponse.status(404));
        kit.respond("beta", CannedResponse.status(404));
        kit.respond("gamma", CannedResponse.json(200, BILLING_ACCOUNT).after(Duration.ofMillis(1_500)));

        kit.genesysEvent(GenesysEvents.customerStart(CONVERSATION, CALLER));
        kit.advance(Duration.ofMillis(900));
        kit.genesysEvent(GenesysEvents.customerEnd(CONVERSATION));
        kit.advance(Duration.ofSeconds(1));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.CANCELLED);
        assertThat(kit.participantDataWrites(CONVERSATION)).extracting(ParticipantDataWrite::status)
                .as(kit.timeline(CONVERSATION)).containsExactly(TaskStatus.ONGOING);
        assertThat(kit.orphans()).as(kit.timeline(CONVERSATION)).singleElement()
                .satisfies(late -> assertThat(late.getAttributes()).containsEntry("customerId", "B-77-3003"));
    }
}
