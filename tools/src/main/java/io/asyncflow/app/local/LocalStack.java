package io.asyncflow.app.local;

import io.asyncflow.config.ConfigLoader;
import io.asyncflow.app.demo.DemoConfig;
import io.asyncflow.app.embedded.EmbeddedKafka;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.app.run.ComponentRunner;
import io.asyncflow.app.run.Components;
import io.asyncflow.app.run.TopicSetup;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.ingress.IngressServer;
import io.asyncflow.operator.ConsoleServer;
import io.asyncflow.operator.ConsoleSettings;
import io.asyncflow.runtime.Component;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All of AsyncFlow on one machine: a Kafka broker (embedded in a child JVM, or an existing one),
 * the simulated Genesys Cloud and backends, and the five components in this process, configured
 * by {@code demo.properties}. The demo, the benchmark and end-to-end tests stand on it.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * @param bootstrapServers an existing Kafka cluster, or null for the embedded broker
     * @param genesys options of the simulated Genesys
     * @param backends options of the simulated backends
     * @param overrides configuration on top of {@code demo.properties}
     */
    public record Options(String bootstrapServers, SimulatedGenesys.Options genesys, SimulatedBackends.Options backends,
                          Map<String, String> overrides) {
        public Options {
            overrides = Map.copyOf(overrides);
        }

        public static Options defaults() {
            return new Options(null, SimulatedGenesys.Options.defaults(), SimulatedBackends.Options.defaults(), Map.of());
        }

        public Options withBootstrapServers(String servers) {
            return new Options(servers, genesys, backends, overrides);
        }

        public Options withGenesys(SimulatedGenesys.Options options) {
            return new Options(bootstrapServers, options, backends, overrides);
        }

        public Options withBackends(SimulatedBackends.Options options) {
            return new Options(bootstrapServers, genesys, options, overrides);
        }

        public Options withOverrides(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(overrides);
            merged.putAll(more);
            return new Options(bootstrapServers, genesys, backends, merged);
        }
    }

    private final Options options;
    private final List<ComponentKind> kinds;
    private final ComponentRunner runner = new ComponentRunner();
    private final String ingressToken = randomToken();
    private final String viewerPassword = randomToken();
    private final String operatorPassword = randomToken();
    private EmbeddedKafka kafka;
    private SimulatedGenesys genesys;
    private SimulatedBackends backends;
    private IngressServer ingress;
    private final Map<ComponentKind, Component> started = new java.util.EnumMap<>(ComponentKind.class);
    private AsyncFlowConfig config;
    private PrometheusMeterRegistry registry;
    private Path stateDir;

    public LocalStack(Options options) {
        this(options, ComponentKind.PIPELINE);
    }

    /**
     * A stack running only {@code components} in this process (e.g. the ingress alone, with the
     * processor in another JVM given {@link #config()}); the broker and simulators start as usual.
     */
    public LocalStack(Options options, List<ComponentKind> components) {
        this.options = options;
        this.kinds = List.copyOf(components);
    }

    /** Starts the broker (if embedded), the simulators, then the components; closes what started on failure. */
    public LocalStack start() {
        List<Component> infrastructure = new ArrayList<>();
        if (options.bootstrapServers() == null) {
            kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults().withPort(0));
            infrastructure.add(kafka);
        }
        backends = new SimulatedBackends(options.backends());
        genesys = new SimulatedGenesys(options.genesys());
        infrastructure.add(backends);
        infrastructure.add(genesys);
        runner.startAll(infrastructure);
        try {
            startComponents();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private void startComponents() {
        config = AsyncFlowConfig.of(configValues());
        ConfigLoader.validate(config, Components.declaredKeys());
        TopicSetup.ensureTopics(config);
        registry = Components.newRegistry();
        List<Component> components = new ArrayList<>();
        for (ComponentKind kind : ComponentKind.startOrder(kinds)) {
            Component component = Components.create(kind, config, registry);
            if (component instanceof IngressServer server) {
                ingress = server;
            }
            components.add(component);
            started.put(kind, component);
        }
        runner.startAll(components);
    }

    private Map<String, String> configValues() {
        String bootstrap = kafka != null ? kafka.bootstrapServers() : options.bootstrapServers();
        Map<String, String> values = new LinkedHashMap<>(DemoConfig.render(DemoConfig.values(bootstrap, backends.baseUrl(),
                genesys.baseUrl(), genesys.options().clientId(), genesys.options().clientSecret())));
        try {
            stateDir = Files.createTempDirectory("asyncflow-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.put("ingress.port", "0");
        values.put("ingress.token", ingressToken);
        values.put(ConsoleSettings.PORT.name(), "0");
        values.put(ConsoleSettings.VIEWER_PASSWORD.name(), viewerPassword);
        values.put(ConsoleSettings.OPERATOR_PASSWORD.name(), operatorPassword);
        values.put("processor.state-dir", stateDir.toString());
        values.putAll(options.overrides());
        return values;
    }

    public AsyncFlowConfig config() {
        return config;
    }

    /** Base URL of the running HTTP ingress, e.g. {@code http://127.0.0.1:40123}. */
    public String ingressUrl() {
        if (ingress == null) {
            throw new IllegalStateException("the ingress does not run in this stack");
        }
        return "http://127.0.0.1:" + ingress.port();
    }

    /** Base URL of the running operator console, e.g. {@code http://127.0.0.1:40124/}. */
    public String consoleUrl() {
        if (!(started.get(ComponentKind.CONSOLE) instanceof ConsoleServer console)) {
            throw new IllegalStateException("the operator console does not run in this stack");
        }
        return "http://127.0.0.1:" + console.port() + "/";
    }

    /** The password of the console user {@code user} ({@link ConsoleSettings#VIEWER} or {@link ConsoleSettings#OPERATOR}) in this run. */
    public String consolePassword(String user) {
        return switch (user) {
            case ConsoleSettings.VIEWER -> config.get(ConsoleSettings.VIEWER_PASSWORD);
            case ConsoleSettings.OPERATOR -> config.get(ConsoleSettings.OPERATOR_PASSWORD);
            default -> throw new IllegalArgumentException("no console user " + user);
        };
    }

    /** The bearer token the ingress accepts in this run. */
    public String ingressToken() {
        return ingressToken;
    }

    /** The component of {@code kind} this stack runs, or null when it runs elsewhere. */
    public Component component(ComponentKind kind) {
        return started.get(kind);
    }

    public SimulatedGenesys genesys() {
        return genesys;
    }

    public SimulatedBackends backends() {
        return backends;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The broker's address. */
    public String bootstrapServers() {
        return config.get("kafka.bootstrap.servers", null);
    }

    /** The embedded broker, or null when an existing cluster is used. */
    public EmbeddedKafka embeddedKafka() {
        return kafka;
    }

    public ComponentRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        try {
            runner.close();
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
