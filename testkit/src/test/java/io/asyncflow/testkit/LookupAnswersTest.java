package io.asyncflow.testkit;

import static io.asyncflow.testkit.Fixtures.ALPHA_HIT;
import static io.asyncflow.testkit.Fixtures.ANI;
import static io.asyncflow.testkit.Fixtures.BETA_FAILURE;
import static io.asyncflow.testkit.Fixtures.CONVERSATION;
import static io.asyncflow.testkit.Fixtures.GAMMA_EMPTY;
import static io.asyncflow.testkit.Fixtures.GAMMA_HIT;
import static io.asyncflow.testkit.Fixtures.IDENTIFY;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LookupAnswersTest {
    private final AsyncFlowTestKit kit = Fixtures.kit();

    @AfterEach
    void close() {
        kit.close();
    }

    private void identify() {
        kit.requestTask(CONVERSATION, IDENTIFY, Map.of("ani", ANI));
    }

    @Test
    void shouldWriteSuccessWithGammasAttributesWhenOnlyTheThirdDatabaseKnowsTheCaller() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.status(404),
                CannedResponse.json(200, GAMMA_HIT));

        String taskId = kit.requestTask(CONVERSATION, IDENTIFY, Map.of("ani", ANI));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.SUCCESS);
        Map<String, String> written = kit.participantDataWrites(CONVERSATION).get(0).attributes();
        assertThat(written).containsOnly(
                entry("customerId", "G-3003"), entry("customerName", "Gaston Lagaffe"), entry("segment", "gold"),
                entry("asyncflow.identify-caller.status", "SUCCESS"), entry("asyncflow.identify-caller.taskId", taskId),
                entry("asyncflow.identify-caller.backend", "gamma"));
        assertThat(List.copyOf(written.keySet()).subList(3, 6)).as("the sink's own keys follow the result attributes")
                .containsExactly("asyncflow.identify-caller.status", "asyncflow.identify-caller.taskId", "asyncflow.identify-caller.backend");
    }

    @Test
    void shouldEndNotFoundWhenEveryDatabaseMisses() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.json(200, "{}"),
                CannedResponse.json(200, GAMMA_EMPTY));

        identify();

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.NOT_FOUND);
        assertThat(kit.participantData(CONVERSATION)).containsEntry("asyncflow.identify-caller.status", "NOT_FOUND")
                .doesNotContainKeys("customerId", "asyncflow.identify-caller.reason");
    }

    @Test
    void shouldEndErrorNotSuccessWhenA2xxReportsAFailureAtTheFailurePointer() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.json(200, BETA_FAILURE),
                CannedResponse.json(200, GAMMA_EMPTY));

        identify();

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.ERROR);
        assertThat(kit.participantData(CONVERSATION).get("asyncflow.identify-caller.reason"))
                .contains("beta").contains("reports a failure at /error");
    }

    @Test
    void shouldLetGammasHitWinWhenADatabaseIsDownButGammaKnowsTheCaller() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.status(503),
                CannedResponse.json(200, GAMMA_HIT).after(Duration.ofMillis(120)));

        identify();
        kit.advance(Duration.ofMillis(120));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.SUCCESS);
        assertThat(kit.participantData(CONVERSATION)).containsEntry("asyncflow.identify-caller.backend", "gamma");
    }

    @Test
    void shouldLetTheEarlierHitWinWhenTwoDatabasesKnowTheCaller() {
        Fixtures.databases(kit, CannedResponse.json(200, ALPHA_HIT).after(Duration.ofMillis(80)), CannedResponse.status(404),
                CannedResponse.json(200, GAMMA_HIT).after(Duration.ofMillis(40)));

        identify();
        kit.advance(Duration.ofMillis(40));
        assertThat(kit.statusSequence(CONVERSATION)).containsExactly(TaskStatus.ONGOING, TaskStatus.SUCCESS);
        kit.advance(Duration.ofMillis(100));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.SUCCESS);
        assertThat(kit.participantData(CONVERSATION)).containsEntry("customerId", "G-3003");
    }

    @Test
    void shouldTimeOutOnlyOnceTheDeadlinePassesWhenADatabaseNeverAnswers() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.noAnswer(),
                CannedResponse.json(200, GAMMA_EMPTY));

        identify();
        kit.advance(Duration.ofMillis(4_900));
        assertThat(kit.statusSequence(CONVERSATION)).containsExactly(TaskStatus.ONGOING);
        kit.advance(Duration.ofMillis(200));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.TIMEOUT);
        assertThat(kit.participantData(CONVERSATION)).containsKey("asyncflow.identify-caller.reason");
    }

    @Test
    void shouldCountAnAnswerSlowerThanTheBackendTimeoutAsTheWorkersTimeoutErrorAfterItsRetries() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.json(200, ALPHA_HIT).after(Duration.ofSeconds(2)),
                CannedResponse.status(404));

        identify();
        kit.advance(Duration.ofMillis(2_999));
        assertThat(kit.statusSequence(CONVERSATION)).containsExactly(TaskStatus.ONGOING);
        kit.advance(Duration.ofMillis(1));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.ERROR);
        assertThat(kit.participantData(CONVERSATION).get("asyncflow.identify-caller.reason")).contains("timed out after 1000 ms");
    }

    @Test
    void shouldCancelWithoutWritingAndRecordAnOrphanWhenTheCallerHangsUpBeforeTheHit() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.status(404),
                CannedResponse.json(200, GAMMA_HIT).after(Duration.ofMillis(120)));

        identify();
        kit.advance(Duration.ofMillis(50));
        kit.hangUp(CONVERSATION);
        kit.advance(Duration.ofMillis(100));

        kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.CANCELLED);
        assertThat(kit.participantDataWrites(CONVERSATION)).as("ONGOING is not written by default, CANCELLED never").isEmpty();
        assertThat(kit.orphans()).singleElement().satisfies(orphan -> {
            assertThat(orphan.getBackend()).isEqualTo("gamma");
            assertThat(orphan.getAttributes()).containsEntry("customerId", "G-3003");
        });
    }

    @Test
    void shouldNameTheHitPointerInTheFailureWhenA2xxIsClassifiedAsAMiss() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.status(404),
                CannedResponse.json(200, "{\"result\": [{\"id\": \"G-3003\"}]}"));

        identify();

        assertThatThrownBy(() -> kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.SUCCESS))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but were [ONGOING, NOT_FOUND]")
                .hasMessageContaining("nothing at backend.gamma.hit-pointer='/results/0'");
    }

    @Test
    void shouldNameTheAttributesKeyWhenAPointerOfAHitFindsNothing() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.status(404),
                CannedResponse.json(200, "{\"results\": [{\"id\": \"G-3003\", \"name\": \"Gaston Lagaffe\"}]}"));

        identify();

        assertThat(kit.participantData(CONVERSATION)).doesNotContainKey("segment");
        assertThat(kit.timeline(CONVERSATION)).contains("nothing at backend.gamma.attributes {segment=/results/0/segment}");
    }

    @Test
    void shouldBuildEachCallFromTheBackendsTemplatesWithTheCallerInputEncoded() {
        kit.respond("intent-ai", CannedResponse.json(200, Fixtures.INTENT));

        kit.requestTask(CONVERSATION, Fixtures.CLASSIFY, Map.of("transcript", "I lost my \"gold\" card"));

        assertThat(kit.callsTo("intent-ai")).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.uri()).hasToString("https://ai.example.com/intent/classify");
            assertThat(call.body()).isEqualTo("{\"text\":\"I lost my \\\"gold\\\" card\"}");
        });
        assertThat(kit.participantData(CONVERSATION)).containsEntry("intent", "lost-card").containsEntry("confidence", "0.93");
    }

    @Test
    void shouldPercentEncodeTheCallerNumberIntoTheUrl() {
        Fixtures.databases(kit, CannedResponse.status(404), CannedResponse.status(404),
                CannedResponse.status(404));

        identify();

        assertThat(kit.callsTo("beta")).singleElement()
                .satisfies(call -> assertThat(call.uri()).hasToString("https://crm-b.example.com/v2/people/tel%3A%2B33611111103"));
    }

    @Test
    void shouldRefuseAnAnswerForABackendThatIsNotConfiguredListingTheConfiguredOnes() {
        assertThatThrownBy(() -> kit.respond("gama", CannedResponse.status(404)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend 'gama' is not configured (no backend.gama.url)")
                .hasMessageContaining("[alpha, beta, gamma, intent-ai]");
    }

    @Test
    void shouldFailWhenTheTopologyCallsABackendTheTestGaveNoAnswer() {
        kit.respond("alpha", CannedResponse.status(404));

        assertThatThrownBy(this::identify)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lookup to backend 'beta'");
    }
}
