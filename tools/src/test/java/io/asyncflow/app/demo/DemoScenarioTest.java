package io.asyncflow.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.app.sim.SimulatedBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo's calls are the recorded conversations in {@code replay/}, and their expectations fit the simulators. */
class DemoScenarioTest {
    private static final Path REPLAY = Path.of("..", "replay");
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<DemoScenario.DemoCall> calls() {
        return DemoScenario.standard().calls();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldPlaceTheConversationRecordedUnderTheSameName(DemoScenario.DemoCall call) throws Exception {
        // given the recording of the same scenario
        List<String> lines = Files.readAllLines(REPLAY.resolve(call.name() + ".jsonl"));
        JsonNode request = JSON.readTree(lines.get(0)).path("value").path("event").path("io.asyncflow.avro.TaskRequest");

        // then the demo places that very conversation, task type and inputs
        assertThat(request.path("conversationId").asText()).isEqualTo(call.conversationId());
        assertThat(request.path("participantId").path("string").asText()).isEqualTo(call.participantId());
        assertThat(request.path("taskType").asText()).isEqualTo(call.taskType());
        Map<String, String> inputs = JSON.convertValue(request.path("inputs"), JSON.getTypeFactory()
                .constructMapType(Map.class, String.class, String.class));
        assertThat(inputs).isEqualTo(call.inputs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldExpectWhatTheSimulatedDatabasesKnow(DemoScenario.DemoCall call) {
        // given the simulated databases' callers
        Map<String, List<String>> known = new SimulatedBackends(SimulatedBackends.Options.defaults()).knownPhones();
        String ani = call.inputs().get("ani");
        Set<String> knownBy = known.entrySet().stream().filter(e -> e.getValue().contains(ani)).map(Map.Entry::getKey)
                .collect(Collectors.toSet());

        // then a match is expected exactly from the database that knows the caller
        if (call.hangUpAfter() != null) {
            assertThat(call.expected().status()).as("a caller who hangs up gets no result written")
                    .isEqualTo(DemoScenario.NO_RESULT_WRITTEN);
        } else if (call.taskType().equals(DemoScenario.IDENTIFY_CALLER)) {
            if (knownBy.isEmpty()) {
                assertThat(call.expected().status()).isEqualTo("NOT_FOUND");
            } else {
                assertThat(knownBy).containsExactly(call.expected().backend());
            }
        }
    }
}
