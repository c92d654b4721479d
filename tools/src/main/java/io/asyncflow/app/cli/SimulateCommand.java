package io.asyncflow.app.cli;

import io.asyncflow.app.AppException;
import io.asyncflow.app.demo.DemoConfig;
import io.asyncflow.app.run.ComponentRunner;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.runtime.Component;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code asyncflow simulate}: the simulated Genesys Cloud and backends in the foreground. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the simulated Genesys Cloud (OAuth, conversations, participant data) and the simulated "
                + "backends (customer databases alpha, beta, gamma; intent AI) until Ctrl-C, printing every "
                + "participant-data write they receive."})
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
    private String bind;

    @Option(names = "--genesys-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the simulated Genesys, 0 for a free one (default: ${DEFAULT-VALUE}).")
    private int genesysPort;

    @Option(names = "--backends-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the simulated backends, 0 for a free one (default: ${DEFAULT-VALUE}).")
    private int backendsPort;

    @Option(names = "--latency", paramLabel = "BACKEND=DURATION",
            description = "Latency of a backend, e.g. --latency gamma=2s (defaults: alpha 40ms, beta 80ms, gamma 120ms, intent-ai 300ms).")
    private Map<String, String> latencies = new LinkedHashMap<>();

    @Option(names = "--down", split = ",", paramLabel = "BACKEND",
            description = "Backends that answer 503 Service Unavailable, e.g. --down beta.")
    private List<String> down = List.of();

    @Option(names = "--rate-limit", defaultValue = "300", paramLabel = "N",
            description = "Genesys API calls allowed per minute and token before 429 Too Many Requests, 0 for none (default: ${DEFAULT-VALUE}, as Genesys Cloud).")
    private int rateLimit;

    @Option(names = "--client-id", defaultValue = SimulatedGenesys.Options.DEMO_CLIENT_ID, paramLabel = "ID",
            description = "Accepted OAuth client id (default: ${DEFAULT-VALUE}).")
    private String clientId;

    @Option(names = "--client-secret", defaultValue = SimulatedGenesys.Options.DEMO_CLIENT_SECRET, paramLabel = "SECRET",
            description = "Accepted OAuth client secret (default: ${DEFAULT-VALUE}).")
    private String clientSecret;

    @Option(names = "--write-config", paramLabel = "FILE",
            description = "Write an AsyncFlow configuration pointing at these simulators to FILE, for `asyncflow run --config FILE`.")
    private Path configFile;

    @Option(names = "--kafka", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers written into --write-config's file (default: ${DEFAULT-VALUE}).")
    private String kafka;

    @Option(names = {"-q", "--quiet"}, description = "Do not print each participant-data write.")
    private boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Duration> latency = parseLatencies();
        SimulatedGenesys genesys = new SimulatedGenesys(new SimulatedGenesys.Options(bind, genesysPort, clientId,
                clientSecret, rateLimit));
        if (!quiet) {
            genesys.onWrite(write -> {
                out.println("genesys: " + write);
                out.flush();
            });
        }
        SimulatedBackends backends = new SimulatedBackends(new SimulatedBackends.Options(bind, backendsPort, latency));
        down.forEach(b -> backends.setDown(b.trim(), true));
        try (ComponentRunner runner = new ComponentRunner()) {
            runner.closeOnShutdown();
            runner.startAll(List.of(backends, genesys));
            SimulatorsDescription.print(out, genesys, backends);
            if (configFile != null) {
                writeConfig(genesys, backends);
                out.println("AsyncFlow configuration for these simulators written to " + configFile.toAbsolutePath());
            }
            out.println("Stop with Ctrl-C.");
            out.flush();
            Optional<Component> stopped = runner.awaitStop(Duration.ofSeconds(1));
            return stopped.isPresent() ? 1 : 0;
        }
    }

    private Map<String, Duration> parseLatencies() {
        Map<String, Duration> parsed = new LinkedHashMap<>();
        DurationConverter converter = new DurationConverter();
        latencies.forEach((backend, text) -> {
            try {
                parsed.put(backend, converter.convert(text));
            } catch (CommandLine.TypeConversionException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--latency " + backend + ": " + e.getMessage());
            }
        });
        return parsed;
    }

    private void writeConfig(SimulatedGenesys genesys, SimulatedBackends backends) {
        String text = DemoConfig.renderText(DemoConfig.values(kafka, backends.baseUrl(), genesys.baseUrl(), clientId, clientSecret));
        try {
            Files.writeString(configFile, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AppException("cannot write " + configFile + ": " + e.getMessage(), e);
        }
    }
}
