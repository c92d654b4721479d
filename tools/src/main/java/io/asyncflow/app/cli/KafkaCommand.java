package io.asyncflow.app.cli;

import io.asyncflow.app.embedded.EmbeddedKafka;
import io.asyncflow.app.run.ComponentRunner;
import io.asyncflow.runtime.Component;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code asyncflow kafka}: a single-node Kafka broker in the foreground, for trying AsyncFlow without installing Kafka. */
@Command(name = "kafka", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a single-node Kafka broker (KRaft, broker and controller in one child JVM) until Ctrl-C.",
                "Listens on 127.0.0.1 only; `asyncflow run` finds it with the default kafka.bootstrap.servers=localhost:9092."})
public final class KafkaCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
            description = "Broker port on 127.0.0.1, 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's data, settings and log in DIR between runs "
                    + "(default: a temporary directory deleted at exit).")
    private Path dataDir;

    @Option(names = "--heap", defaultValue = "512m", paramLabel = "SIZE",
            description = "Maximum heap of the broker's JVM (default: ${DEFAULT-VALUE}).")
    private String heap;

    @Option(names = "--start-timeout", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for the broker to answer (default: ${DEFAULT-VALUE}).")
    private Duration startTimeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults()
                .withPort(port).withWorkDir(dataDir).withHeap(heap).withStartTimeout(startTimeout));
        out.println("Starting a Kafka " + AppInfoParser.getVersion() + " broker...");
        out.flush();
        try (ComponentRunner runner = new ComponentRunner()) {
            runner.closeOnShutdown();
            runner.startAll(List.of(kafka));
            out.printf("Kafka broker ready at %s (pid %d, started in %.1f s)%n", kafka.bootstrapServers(), kafka.pid(),
                    kafka.startupTime().toMillis() / 1000.0);
            out.println("  data: " + kafka.workDir().resolve("data") + (kafka.isTemporary() ? " (temporary, deleted at exit)" : ""));
            out.println("  log:  " + kafka.logFile());
            out.println("Stop it with Ctrl-C.");
            out.flush();
            Optional<Component> stopped = runner.awaitStop(Duration.ofSeconds(1));
            if (stopped.isPresent()) {
                spec.commandLine().getErr().println("asyncflow kafka: the broker stopped unexpectedly; see " + kafka.logFile());
                return 1;
            }
            return 0;
        }
    }
}
