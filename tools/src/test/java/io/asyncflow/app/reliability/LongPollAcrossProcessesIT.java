package io.asyncflow.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.testing.KafkaTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The result endpoint's long poll answered by a status the topology decided in another process:
 * the ingress and the lookup worker run in this JVM, the topology in a child JVM
 * ({@link ChildProcessor}); the only link between the decision and the answer is Kafka.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class LongPollAcrossProcessesIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ReliabilityStack stack;
    private ChildProcessor processor;

    @AfterEach
    void tearDown() {
        if (processor != null) {
            processor.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldAnswerALongPollWithTheStatusTheTopologyDecidedInAnotherProcess() throws Exception {
        // given an ingress and a lookup worker here, the topology in a child JVM, and a caller gamma knows
        stack = ReliabilityStack.on(KafkaTestCluster.shared(), ReliabilityStack.PATIENT);
        stack.startAll(List.of(ComponentKind.INGRESS, ComponentKind.LOOKUPS));
        Path logs = Files.createDirectories(Path.of("target", "reliability"));
        processor = ChildProcessor.start(stack.writeConfigFile(), logs.resolve("long-poll-processor.log"), Duration.ofSeconds(90));
        Caller caller = Caller.population(stack.backends(), 7, 3).get(2);

        // when the call flow starts the task and then waits for its result with 8 s long polls
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/v1/tasks"))
                .header("Authorization", "Bearer " + ReliabilityStack.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(caller.taskRequest())).build(), HttpResponse.BodyHandlers.ofString());
        String taskId = json.readTree(accepted.body()).path("taskId").asText();
        JsonNode answer = null;
        int polls = 0;
        while (polls < 10 && (answer == null || !"true".equals(answer.path("final").asText()))) {
            polls++;
            HttpResponse<String> polled = http.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/v1/tasks/" + taskId + "?wait=8s"))
                    .header("Authorization", "Bearer " + ReliabilityStack.TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
            answer = json.readTree(polled.body());
        }

        // then a long poll answered the final status decided by the child process, with the database's attributes
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(processor.isAlive()).isTrue();
        assertThat(answer.path("status").asText()).isEqualTo(caller.expectedStatus());
        assertThat(answer.path("backend").asText()).isEqualTo(caller.database());
        assertThat(answer.at("/attributes/customerId").asText()).isEqualTo(caller.database() + "-2");
        System.out.printf("long poll across processes: %s after %d poll(s)%n", answer.path("status").asText(), polls);
    }
}
