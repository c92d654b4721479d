package io.asyncflow.app.reliability;

import io.asyncflow.app.demo.DemoConfig;
import io.asyncflow.app.embedded.EmbeddedKafka;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a new user runs: a broker started like {@code ./asyncflow kafka} (child JVM, its defaults),
 * the simulated Genesys and databases, and the configuration {@code ./asyncflow simulate
 * --write-config} writes, with the documented defaults; only ports and paths are this test's. Each
 * {@link #startRun} is a separate {@code asyncflow run} process with every component, which a test
 * may kill the hard way.
 */
final class RunStack implements AutoCloseable {
    static final String TOKEN = "local-demo-token";

    private final EmbeddedKafka kafka;
    private final SimulatedBackends backends;
    private final SimulatedGenesys genesys;
    private final Path dir;
    private final Path configFile;
    private final List<ChildProcessor> runs = new ArrayList<>();

    RunStack(Path dir, String extraProperties) throws IOException {
        this.dir = dir;
        kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults().withPort(0).withWorkDir(Files.createDirectories(dir.resolve("kafka"))));
        backends = new SimulatedBackends(SimulatedBackends.Options.defaults());
        genesys = new SimulatedGenesys(SimulatedGenesys.Options.defaults());
        kafka.start();
        backends.start();
        genesys.start();
        configFile = dir.resolve("asyncflow.properties");
        Files.writeString(configFile, DemoConfig.renderText(DemoConfig.values(kafka.bootstrapServers(), backends.baseUrl(),
                genesys.baseUrl(), genesys.options().clientId(), genesys.options().clientSecret()))
                + "\nasyncflow.data-dir=" + dir.resolve("data") + "\n" + extraProperties + "\n");
    }

    /** Starts {@code asyncflow run --config FILE -D ingress.port=PORT} and waits until it runs. */
    ChildProcessor startRun(int ingressPort, String logName, String... moreArguments) {
        List<String> arguments = new ArrayList<>(List.of("--config", configFile.toString(), "-D", "ingress.port=" + ingressPort));
        arguments.addAll(List.of(moreArguments));
        Path log = logs().resolve(logName);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildProcessor run = ChildProcessor.run(arguments, log, Duration.ofSeconds(120));
        runs.add(run);
        return run;
    }

    /** The configuration the runs read (topic names, group ids). */
    AsyncFlowConfig config() {
        return AsyncFlowConfig.of(AsyncFlowConfig.readProperties(configFile));
    }

    Topics topics() {
        return Topics.from(config());
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    SimulatedBackends backends() {
        return backends;
    }

    SimulatedGenesys genesys() {
        return genesys;
    }

    static Path logs() {
        try {
            return Files.createDirectories(Path.of("target", "reliability"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The instance id a run printed at start ({@code Instance:   host-0 (state …)}). */
    static String instanceId(ChildProcessor run) {
        return run.logText().lines().filter(l -> l.startsWith("Instance:")).findFirst()
                .map(l -> l.substring("Instance:".length()).trim().split(" ")[0])
                .orElseThrow(() -> new IllegalStateException("no instance id in the output:\n" + run.logText()));
    }

    @Override
    public void close() {
        runs.forEach(ChildProcessor::close);
        genesys.close();
        backends.close();
        kafka.close();
    }
}
