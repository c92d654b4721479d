package io.asyncflow.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.demo.DemoScenario;
import io.asyncflow.app.demo.DemoScenario.DemoCall;
import io.asyncflow.app.local.LocalStack;
import io.asyncflow.app.sim.GenesysWrite;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A recorded conversation, replayed with {@code asyncflow console-producer} (Kafka's stock
 * ConsoleProducer with AsyncFlow's line reader), reaches the same outcome as the demo call it was
 * recorded from.
 */
class ReplayIT {
    private static final Path LAUNCHER = Path.of("..", "asyncflow").toAbsolutePath().normalize();
    private static final Path REPLAY = Path.of("..", "replay").toAbsolutePath().normalize();
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
    void shouldReachTheDemosOutcomeForEveryReplayedConversation() throws Exception {
        // given the demo's calls and their recordings
        List<DemoCall> calls = DemoScenario.standard().calls().stream()
                .filter(c -> c.setup() == DemoScenario.Setup.NONE && c.hangUpAfter() == null).toList();
        calls.forEach(c -> stack.genesys().registerConversation(c.conversationId(), c.participantId(), c.inputs().get("ani")));
        StringBuilder lines = new StringBuilder();
        for (DemoCall call : calls) {
            lines.append(Files.readString(REPLAY.resolve(call.name() + ".jsonl")));
        }

        // when they are replayed with the stock console producer
        String output = consoleProducer(lines.toString());

        // then each ends with the status and backend the demo call ended with
        for (DemoCall call : calls) {
            Awaitility.await(call.name()).atMost(Duration.ofSeconds(60)).until(() -> terminal(call).isPresent());
            GenesysWrite write = terminal(call).orElseThrow();
            assertThat(write.attributes().get("asyncflow." + call.taskType() + ".status")).as(call.name() + output)
                    .isEqualTo(call.expected().status());
            if (call.expected().backend() != null) {
                assertThat(write.attributes().get("asyncflow." + call.taskType() + ".backend")).as(call.name())
                        .isEqualTo(call.expected().backend());
            }
        }
        DemoCall repeat = calls.stream().filter(DemoCall::repeat).findFirst().orElseThrow();
        assertThat(stack.genesys().writesFor(repeat.conversationId()).stream()
                .filter(w -> !"ONGOING".equals(w.attributes().get("asyncflow.identify-caller.status"))).count())
                .as("the recorded repeat is one task").isEqualTo(1);
    }

    private static Optional<GenesysWrite> terminal(DemoCall call) {
        String key = "asyncflow." + call.taskType() + ".status";
        return stack.genesys().writesFor(call.conversationId()).stream()
                .filter(w -> w.attributes().containsKey(key) && !"ONGOING".equals(w.attributes().get(key)))
                .findFirst();
    }

    private static String consoleProducer(String input) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "console-producer",
                "--bootstrap-server", stack.bootstrapServers(), "--topic", stack.config().get("topic.tasks", "asyncflow.tasks"))
                .redirectErrorStream(true);
        builder.environment().put("ASYNCFLOW_SKIP_BUILD", "1");
        Process process = builder.start();
        process.getOutputStream().write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out.toString()).isZero();
        return out.toString();
    }
}
