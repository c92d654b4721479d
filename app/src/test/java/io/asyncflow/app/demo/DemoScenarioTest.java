package io.asyncflow.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoScenarioTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldExpectWhatTheSimulatedBackendsAnswer() throws Exception {
        // given
        DemoScenario scenario = DemoScenario.standard();
        try (SimulatedBackends backends = new SimulatedBackends(SimulatedBackends.Options.defaults())) {
            backends.start();

            for (DemoScenario.DemoCall call : scenario.calls()) {
                // when
                List<String> hits = new ArrayList<>();
                for (String db : SimulatedBackends.databases()) {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(backends.baseUrl() + "/" + db
                            + "/customers?phone=" + URLEncoder.encode(call.ani(), StandardCharsets.UTF_8))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        hits.add(db);
                        DemoScenario.Expectation expected = call.expected().get(DemoScenario.IDENTIFY_CALLER);
                        expected.attributes().values().forEach(v -> assertThat(answer.body()).contains(v));
                    }
                }

                // then
                DemoScenario.Expectation expected = call.expected().get(DemoScenario.IDENTIFY_CALLER);
                assertThat(hits).as(call.label())
                        .isEqualTo(expected.backend() == null ? List.of() : List.of(expected.backend()));
                assertThat(expected.status()).isEqualTo(hits.isEmpty() ? "NOT_FOUND" : "SUCCESS");
                if (call.expected().containsKey(DemoScenario.CLASSIFY_INTENT)) {
                    HttpResponse<String> intent = http.send(HttpRequest.newBuilder(URI.create(backends.baseUrl() + "/intent/classify"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + call.transcript() + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(intent.body()).contains(call.expected().get(DemoScenario.CLASSIFY_INTENT).attributes().get("intent"));
                }
            }
        }
    }

    @Test
    void shouldRegisterEveryCallWithItsCallerInTheSimulatedGenesys() {
        // given
        DemoScenario scenario = DemoScenario.standard();
        SimulatedGenesys genesys = new SimulatedGenesys(SimulatedGenesys.Options.defaults());

        // when
        scenario.registerWith(genesys);

        // then
        scenario.calls().forEach(c -> assertThat(genesys.customerParticipantId(c.conversationId())).isEqualTo(c.customerParticipantId()));
        Set<String> ids = scenario.calls().stream().map(DemoScenario.DemoCall::conversationId).collect(Collectors.toSet());
        assertThat(ids).hasSize(scenario.calls().size());
        assertThat(scenario.calls()).allSatisfy(c -> assertThat(c.expected()).containsKey(DemoScenario.IDENTIFY_CALLER));
        assertThat(Map.copyOf(scenario.calls().get(0).expected())).containsKey(DemoScenario.CLASSIFY_INTENT);
    }
}
