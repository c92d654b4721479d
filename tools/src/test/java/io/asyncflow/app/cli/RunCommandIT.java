package io.asyncflow.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.demo.DemoConfig;
import io.asyncflow.app.embedded.EmbeddedKafka;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code asyncflow run --config FILE} as the README documents it: a separately started Kafka
 * broker, the simulated Genesys and backends, and AsyncFlow in its own process until SIGTERM.
 */
class RunCommandIT {
    private static final Path LAUNCHER = Path.of("..", "asyncflow").toAbsolutePath().normalize();

    @Test
    void shouldServeACallAgainstASeparateBrokerAndStopOnSigterm(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults().withPort(0));
             SimulatedBackends backends = new SimulatedBackends(SimulatedBackends.Options.defaults());
             SimulatedGenesys genesys = new SimulatedGenesys(SimulatedGenesys.Options.defaults())) {
            // given a broker, the simulators and a config file written the way `asyncflow simulate --write-config` does
            kafka.start();
            backends.start();
            genesys.start();
            int port = freePort();
            Path config = dir.resolve("asyncflow.properties");
            Files.writeString(config, DemoConfig.renderText(DemoConfig.values(kafka.bootstrapServers(), backends.baseUrl(),
                    genesys.baseUrl(), genesys.options().clientId(), genesys.options().clientSecret()))
                    + "\ningress.port=" + port + "\nasyncflow.data-dir=" + dir.resolve("data") + "\n");
            List<String> output = new CopyOnWriteArrayList<>();

            // when AsyncFlow runs in its own JVM with every component
            ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true);
            builder.environment().put("ASYNCFLOW_SKIP_BUILD", "1");
            Process process = builder.start();
            Thread reader = drain(process, output);
            try {
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> output.stream().anyMatch(l -> l.contains("AsyncFlow running")));
                String cid = UUID.randomUUID().toString();
                String pid = UUID.randomUUID().toString();
                genesys.registerConversation(cid, pid, "tel:+33611111102");
                HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/tasks"))
                        .header("Authorization", "Bearer local-demo-token")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"conversationId\":\"" + cid
                                + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33611111102\"}}")).build(),
                        HttpResponse.BodyHandlers.ofString());

                // then the call is identified through the separate broker, and SIGTERM stops the process cleanly
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> genesys.writesFor(cid).stream()
                            .anyMatch(w -> "SUCCESS".equals(w.attributes().get("asyncflow.identify-caller.status"))));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("no SUCCESS written; writes " + genesys.writesFor(cid) + "; output:\n"
                            + String.join("\n", output), e);
                }
                assertThat(genesys.writesFor(cid).get(genesys.writesFor(cid).size() - 1).attributes())
                        .containsEntry("asyncflow.identify-caller.backend", "beta")
                        .containsEntry("customerName", "Bruno Petit");
                new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
                reader.join(5000);
                assertThat(String.join("\n", output)).as("exit " + process.exitValue())
                        .contains("participant-data sink stopped").doesNotContain("Exception");
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static Thread drain(Process process, List<String> output) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }, "run-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
