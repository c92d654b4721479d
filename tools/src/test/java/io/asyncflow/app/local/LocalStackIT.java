package io.asyncflow.app.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.app.sim.GenesysWrite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import io.asyncflow.trace.Hop;
import io.asyncflow.trace.HopMeter;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole pipeline on the embedded broker: HTTP request in, participant data out. */
class LocalStackIT {
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = new LocalStack(LocalStack.Options.defaults()).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldWriteTheIdentityFoundInTheThirdDatabaseToParticipantData() throws Exception {
        // given
        String cid = UUID.randomUUID().toString();
        String pid = UUID.randomUUID().toString();
        stack.genesys().registerConversation(cid, pid, "tel:+33611111103");
        String body = "{\"conversationId\":\"" + cid + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33611111103\"}}";

        // when
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/v1/tasks"))
                .header("Authorization", "Bearer " + stack.ingressToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stack.genesys().writesFor(cid).stream()
                .anyMatch(w -> "SUCCESS".equals(w.attributes().get("asyncflow.identify-caller.status"))));
        List<GenesysWrite> writes = stack.genesys().writesFor(cid);
        GenesysWrite success = writes.get(writes.size() - 1);
        assertThat(success.participantId()).isEqualTo(pid);
        assertThat(success.attributes())
                .containsEntry("asyncflow.identify-caller.backend", "gamma")
                .containsEntry("customerId", "G-3003")
                .containsEntry("customerName", "Gaston Lagaffe");
    }

    @Test
    void shouldPublishTheKafkaClientsAndStreamsMetricsOnTheIngressMetricsEndpoint() throws Exception {
        shouldWriteTheIdentityFoundInTheThirdDatabaseToParticipantData(); // so every meter of a conversation exists
        HttpRequest scrape = HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/metrics"))
                .header("Authorization", "Bearer " + stack.ingressToken()).GET().build();

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String metrics = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics)
                    // consumer lag of the lookup worker's and the sink's groups
                    .containsPattern("kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client_id=\"[^\"]*lookup")
                    .containsPattern("kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client_id=\"[^\"]*sink")
                    // the ingress's producer
                    .containsPattern("kafka_producer_record_send_total\\{[^}]*client_id=\"asyncflow-ingress")
                    // Kafka Streams: process rate and commit latency of the topology's threads
                    .contains("kafka_stream_thread_process_rate")
                    .contains("kafka_stream_thread_commit_latency_avg");
        });
    }

    @Test
    void shouldExposeEveryMetricTheGrafanaDashboardQueries() throws Exception {
        // given a conversation went through, a caller was refused and a flow waited for a result,
        // so every meter the dashboard reads exists
        shouldWriteTheIdentityFoundInTheThirdDatabaseToParticipantData();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/v1/tasks"))
                .header("Authorization", "Bearer not-the-token-at-all").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> waited = http.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl()
                        + "/v1/conversations/" + UUID.randomUUID() + "/tasks/identify-caller?wait=200ms"))
                .header("Authorization", "Bearer " + stack.ingressToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(waited.statusCode()).isEqualTo(404);
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("../docs/grafana/asyncflow.json").toFile());
        Set<String> queried = new TreeSet<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(target -> {
            Matcher m = METRIC.matcher(target.get("expr").asText());
            while (m.find()) {
                queried.add(m.group());
            }
        }));
        HttpRequest scrape = HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/metrics"))
                .header("Authorization", "Bearer " + stack.ingressToken()).GET().build();

        // then every name a panel queries is a series AsyncFlow serves
        assertThat(queried).hasSizeGreaterThan(10);
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> served = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).body().lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("[{ ]", 2)[0])
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(served).containsAll(queried);
        });
    }

    @Test
    void shouldTraceEveryHopOfTheCallersPathIntoTheHopTimer() throws Exception {
        // given
        Map<String, Trace> written = new ConcurrentHashMap<>();
        try (HopMeter.Subscription ignored = HopMeter.of(stack.registry()).listen((stage, conversationId, trace) -> {
            if (stage == Stage.GENESYS_WRITTEN) {
                written.put(conversationId, trace);
            }
        })) {
            // when
            shouldWriteTheIdentityFoundInTheThirdDatabaseToParticipantData();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !written.isEmpty());
        }

        // then the write's trace holds every stage of the path, in order
        Trace trace = written.values().iterator().next();
        List<Stage> path = List.of(Stage.ACCEPTED, Stage.TASK_READ, Stage.LOOKUP_READ, Stage.BACKEND_SENT, Stage.BACKEND_ANSWERED,
                Stage.RESULT_READ, Stage.STATUS_EMITTED, Stage.STATUS_READ, Stage.GENESYS_WRITTEN);
        assertThat(trace.stamps().keySet()).containsExactlyElementsOf(path);
        assertThat(path.stream().mapToLong(stage -> trace.at(stage).orElseThrow()).toArray()).isSorted();
        // the backend hop is gamma's simulated latency, not AsyncFlow's
        assertThat(trace.micros(Hop.BACKEND).orElseThrow()).isGreaterThanOrEqualTo(stack.backends().latency("gamma").toNanos() / 1000);
        HttpRequest scrape = HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/metrics"))
                .header("Authorization", "Bearer " + stack.ingressToken()).GET().build();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = HttpClient.newHttpClient().send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            for (Hop hop : Hop.values()) {
                assertThat(metrics).as(hop.id()).containsPattern("asyncflow_hop_latency_seconds_count\\{hop=\"" + hop.id() + "\",?\\} [1-9]");
            }
        });
    }

    private static final Pattern METRIC = Pattern.compile("\\b(?:asyncflow|kafka)_[a-z0-9_]+\\b");
}
