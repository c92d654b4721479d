package io.asyncflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production image copies {@code app/target/lib} (the Dockerfile's default target): it must not
 * carry the Kafka broker, Scala, log4j's implementation, or the tools module (demo, bench,
 * simulators, embedded broker). Runs after {@code package}, when that folder exists.
 */
class ProductionClassPathIT {

    private static final Path LIB = Path.of("target/lib");

    @Test
    void shouldShipNoBrokerScalaLog4jOrToolsJarInTheProductionImage() throws IOException {
        List<String> jars = jars();

        assertThat(jars).as("app/target/lib").isNotEmpty()
                .anyMatch(j -> j.startsWith("kafka-streams-"))
                .anyMatch(j -> j.startsWith("logback-classic-"))
                .noneMatch(j -> j.startsWith("kafka_2."))
                .noneMatch(j -> j.startsWith("scala-"))
                .noneMatch(j -> j.startsWith("log4j-core-"))
                .noneMatch(j -> j.startsWith("kafka-tools-"))
                .noneMatch(j -> j.startsWith("kafka-test-common"))
                .noneMatch(j -> j.startsWith("asyncflow-tools-"))
                .noneMatch(j -> j.startsWith("asyncflow-test-support-"))
                .noneMatch(j -> j.startsWith("asyncflow-console-tools-"));
    }

    @Test
    void shouldOfferOnlyRunWithoutTheToolsModule() {
        assertThat(AsyncFlowCli.commandLine().getSubcommands().keySet()).containsExactlyInAnyOrder("run", "help");
        assertThatThrownBy(() -> Class.forName("io.asyncflow.app.bench.BenchCommand")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.asyncflow.app.sim.SimulatedGenesys")).isInstanceOf(ClassNotFoundException.class);
    }

    private static List<String> jars() throws IOException {
        try (Stream<Path> files = Files.list(LIB)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }
}
