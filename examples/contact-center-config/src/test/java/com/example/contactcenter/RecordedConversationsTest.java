package com.example.contactcenter;

import static com.example.contactcenter.OurConfiguration.BILLING_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testkit.AsyncFlowTestKit;
import io.asyncflow.testkit.CannedResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Conversations recorded in production with the console formatter (scrubbed: see docs/testing.md of
 * AsyncFlow), kept as regression tests.
 */
class RecordedConversationsTest {
    private static final Path RECORDED = Path.of("src/test/resources/recorded");

    private final AsyncFlowTestKit kit = OurConfiguration.start();

    @AfterEach
    void close() {
        kit.close();
    }

    /** 2026-03-12: the caller hung up 900 ms in, billing answered at 1.5 s; the agent needed the callback. */
    @Test
    void shouldKeepBillingsAnswerForACallbackWhenTheCallerHungUpBeforeIt() {
        String conversation = "3f6c1a2b-5d4e-4f70-9a8b-1c2d3e4f5a6b";
        kit.respond("alpha", CannedResponse.status(404));
        kit.respond("beta", CannedResponse.status(404));
        kit.respond("gamma", CannedResponse.json(200, BILLING_ACCOUNT).after(Duration.ofMillis(1_500)));

        kit.replay(RECORDED.resolve("2026-03-12-hang-up-before-billing.jsonl"));
        kit.advance(Duration.ofSeconds(1));

        kit.assertStatuses(conversation, TaskStatus.ONGOING, TaskStatus.CANCELLED);
        assertThat(kit.orphans()).as(kit.timeline(conversation)).singleElement().satisfies(late -> {
            assertThat(late.getParticipantId()).isEqualTo("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
            assertThat(late.getAttributes()).containsEntry("customerName", "Gaston Lagaffe");
        });
    }
}
