package io.asyncflow.app.reliability;

import io.asyncflow.app.demo.DemoConfig;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.app.run.Components;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskTypeConfig;
import io.asyncflow.ingress.IngressServer;
import io.asyncflow.processor.topology.TopologyService;
import io.asyncflow.runtime.Component;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.topic.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

/**
 * AsyncFlow on a {@link KafkaTestCluster} for failure tests: the simulated Genesys and backends, the
 * demo configuration with topic names and consumer groups unique to this stack, and component
 * instances started and stopped one by one, so a test can run two processors, stop one, or run one in
 * a child JVM ({@link #writeConfigFile}). Each topology instance gets its own state directory.
 */
final class ReliabilityStack implements AutoCloseable {
    static final String TOKEN = "reliability-" + UUID.randomUUID();

    /**
     * Backend and connect timeouts of 10 s instead of the demo's 1 s and a long task deadline: on a
     * loaded 2-core machine the in-JVM simulated databases sometimes answer after 1 s, which would
     * turn an expected SUCCESS into ERROR. Tests about losing nothing use it, so every outcome is exact.
     */
    static final Map<String, String> PATIENT = Map.of(
            "task.identify-caller.deadline", "3m",
            "lookup.connect-timeout", "10s",
            "backend.alpha.timeout", "10s",
            "backend.beta.timeout", "10s",
            "backend.gamma.timeout", "10s");

    private final SimulatedBackends backends;
    private final SimulatedGenesys genesys;
    private final AsyncFlowConfig config;
    private final Path workDir;
    private final PrometheusMeterRegistry registry = Components.newRegistry();
    private final List<Component> running = new ArrayList<>();
    private final Map<Component, ComponentKind> kinds = new java.util.IdentityHashMap<>();
    private IngressServer ingress;

    private ReliabilityStack(KafkaTestCluster cluster, Map<String, String> overrides) {
        backends = new SimulatedBackends(SimulatedBackends.Options.defaults());
        genesys = new SimulatedGenesys(SimulatedGenesys.Options.defaults());
        backends.start();
        genesys.start();
        try {
            workDir = Files.createTempDirectory("asyncflow-reliability-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> values = new LinkedHashMap<>(DemoConfig.render(DemoConfig.values(cluster.bootstrapServers(),
                backends.baseUrl(), genesys.baseUrl(), genesys.options().clientId(), genesys.options().clientSecret())));
        values.putAll(cluster.freshConfig(Map.of(Topics.REPLICATION.name(), String.valueOf(cluster.brokers()))).explicitValues());
        values.put("ingress.port", "0");
        values.put("ingress.token", TOKEN);
        values.put("processor.application-id", "reliability-processor-" + suffix);
        values.put("lookup.group-id", "reliability-lookup-" + suffix);
        values.put("sink.group-id", "reliability-sink-" + suffix);
        values.put("bridge.group-id", "reliability-bridge-" + suffix);
        values.put("sink.rate-per-minute", "600000");
        values.put("sink.max-in-flight", "8");
        values.put("asyncflow.data-dir", workDir.resolve("data").toString());
        // ONGOING is written (off by default) so the ledger can see a status written out of order
        values.put(TaskTypeConfig.WRITE_ONGOING.forName("identify-caller"), "true");
        values.putAll(overrides);
        config = AsyncFlowConfig.of(values);
        config.rejectUnknownKeys(Components.declaredKeys());
    }

    /** Simulators up, topics created; no component runs yet. */
    static ReliabilityStack on(KafkaTestCluster cluster, Map<String, String> overrides) {
        return new ReliabilityStack(cluster, overrides);
    }

    AsyncFlowConfig config() {
        return config;
    }

    Topics topics() {
        return Topics.from(config);
    }

    SimulatedGenesys genesys() {
        return genesys;
    }

    SimulatedBackends backends() {
        return backends;
    }

    /** Starts one more instance of {@code kind} in this JVM. */
    synchronized Component start(ComponentKind kind) {
        AsyncFlowConfig instanceConfig = kind == ComponentKind.PROCESSOR
                ? config.with(Map.of("processor.state-dir", newDir("state").toString())) : config;
        Component component = Components.create(kind, instanceConfig, registry);
        component.start();
        running.add(component);
        kinds.put(component, kind);
        if (component instanceof IngressServer server && ingress == null) {
            ingress = server;
        }
        return component;
    }

    /** Starts one instance of each kind, downstream first, and waits until the topology has its partitions. */
    void startAll(List<ComponentKind> kinds) {
        ComponentKind.startOrder(kinds).forEach(this::start);
        awaitTopologyRunning();
    }

    /** Waits until every topology instance of this JVM is RUNNING (assigned and restored), so short deadlines are fair. */
    void awaitTopologyRunning() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            synchronized (this) {
                return running.stream().filter(TopologyService.class::isInstance).map(TopologyService.class::cast)
                        .allMatch(t -> t.state() == KafkaStreams.State.RUNNING);
            }
        });
    }

    /** The first running instance of {@code kind}. */
    synchronized Component running(ComponentKind kind) {
        return running.stream().filter(c -> kinds.get(c) == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + kind + " runs"));
    }

    /** Closes one instance cleanly. */
    synchronized void stop(Component component) {
        running.remove(component);
        component.close();
    }

    String ingressUrl() {
        return "http://127.0.0.1:" + ingress.port();
    }

    /** A fresh directory inside this stack's work directory. */
    Path newDir(String prefix) {
        try {
            return Files.createTempDirectory(workDir, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This stack's configuration as a properties file (with its own state directory), for a child JVM. */
    Path writeConfigFile() {
        Properties props = new Properties();
        props.putAll(config.explicitValues());
        props.put("processor.state-dir", newDir("child-state").toString());
        Path file = workDir.resolve("asyncflow-" + UUID.randomUUID() + ".properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "reliability test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        List<Component> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(running);
            running.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (RuntimeException e) {
                System.err.println("closing " + toClose.get(i).name() + " failed: " + e);
            }
        }
        genesys.close();
        backends.close();
        try (var paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
