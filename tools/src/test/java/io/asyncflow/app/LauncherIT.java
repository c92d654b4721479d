package io.asyncflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./asyncflow} launcher as a user runs it, on the jars this build packaged. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "asyncflow").toAbsolutePath().normalize();
    private static final Pattern READY = Pattern.compile("ready at (\\S+) \\(pid (\\d+)");

    @TempDir
    Path elsewhere;

    @Test
    void shouldRunFromAnyDirectoryAndThroughASymlink() throws Exception {
        // given
        Path link = Files.createSymbolicLink(elsewhere.resolve("asyncflow"), LAUNCHER);

        // when
        Launched direct = launch(List.of(LAUNCHER.toString(), "--version"));
        Launched linked = launch(List.of(link.toString(), "kafka", "--help"));

        // then
        assertThat(direct.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(direct.process.exitValue()).isZero();
        assertThat(String.join("\n", direct.lines)).contains("asyncflow").contains("Kafka 4.");
        assertThat(linked.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(linked.process.exitValue()).isZero();
        assertThat(String.join("\n", linked.lines)).contains("--data-dir");
    }

    @Test
    void shouldStopTheBrokerAndDeleteItsDataOnSigterm() throws Exception {
        // given
        Launched kafka = launch(List.of(LAUNCHER.toString(), "kafka", "--port", "0"));
        Matcher ready = awaitReady(kafka);
        long brokerPid = Long.parseLong(ready.group(2));
        Path dataDir = Path.of(kafka.lineAfter("data: ").split(" ")[0]);
        assertThat(ProcessHandle.of(brokerPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        // when
        kafka.process.destroy();

        // then
        assertThat(kafka.process.waitFor(60, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
        assertThat(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false)).as("broker alive").isFalse();
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void shouldStopTheBrokerWhenTheLauncherIsKilled() throws Exception {
        // given
        Launched kafka = launch(List.of(LAUNCHER.toString(), "kafka", "--port", "0", "--data-dir", elsewhere.resolve("k").toString()));
        long brokerPid = Long.parseLong(awaitReady(kafka).group(2));

        // when
        kafka.process.destroyForcibly();

        // then
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> ProcessHandle.of(brokerPid).map(p -> !p.isAlive()).orElse(true));
    }

    private static Matcher awaitReady(Launched launched) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> launched.lines.stream().anyMatch(l -> READY.matcher(l).find()) || !launched.process.isAlive());
        String line = launched.lines.stream().filter(l -> READY.matcher(l).find()).findFirst()
                .orElseThrow(() -> new AssertionError("broker not ready; output: " + launched.lines));
        Matcher m = READY.matcher(line);
        assertThat(m.find()).isTrue();
        return m;
    }

    private Launched launch(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(elsewhere.toFile()).redirectErrorStream(true);
        builder.environment().put("ASYNCFLOW_SKIP_BUILD", "1");
        Launched launched = new Launched(builder.start(), new CopyOnWriteArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(launched.process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    launched.lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "launcher-output");
        reader.setDaemon(true);
        reader.start();
        return launched;
    }

    private record Launched(Process process, List<String> lines) {
        String lineAfter(String marker) {
            return lines.stream().filter(l -> l.contains(marker)).findFirst()
                    .map(l -> l.substring(l.indexOf(marker) + marker.length())).orElseThrow();
        }
    }
}
