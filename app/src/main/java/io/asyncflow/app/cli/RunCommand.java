package io.asyncflow.app.cli;

import io.asyncflow.config.ConfigLoader;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.app.run.ComponentRunner;
import io.asyncflow.app.run.Components;
import io.asyncflow.app.run.TopicSetup;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.config.TaskTypeConfig;
import io.asyncflow.runtime.Component;
import io.asyncflow.processor.topology.TopologySettings;
import io.asyncflow.topic.InstanceId;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code asyncflow run}: loads and validates the configuration, then runs the chosen components until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run AsyncFlow components in this process until Ctrl-C or SIGTERM.",
                "Configuration layers, later wins: key defaults, the --config file, ASYNCFLOW_* environment "
                        + "variables (kafka.bootstrap.servers = ASYNCFLOW_KAFKA_BOOTSTRAP_SERVERS), -D overrides."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped on request", "1:a component failed", "2:bad usage or invalid configuration"})
public final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:ASYNCFLOW_CONFIG}",
            description = "Properties file with task types, backends and settings (default: $ASYNCFLOW_CONFIG).")
    private Path config;

    @Option(names = "--components", split = ",", paramLabel = "NAME", converter = ComponentConverter.class,
            completionCandidates = ComponentNames.class,
            description = "Components to run here, comma separated: ${COMPLETION-CANDIDATES} (default: all; the console when it has a password).")
    private List<ComponentKind> components;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set a configuration key, e.g. -D sink.rate-per-minute=250 (repeatable).")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--validate", description = "Check the configuration, print a summary and exit.")
    private boolean validateOnly;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<ConfigKey> declared = Components.declaredKeys();
        AsyncFlowConfig cfg = ConfigLoader.load(config, System.getenv(), overrides, declared);
        TaskCatalog catalog = ConfigLoader.validate(cfg, declared);
        List<ComponentKind> kinds = ComponentKind.startOrder(components == null ? Components.defaults(cfg) : components);
        kinds.forEach(kind -> Components.validate(kind, cfg));
        printSummary(out, cfg, catalog, kinds);
        if (validateOnly) {
            out.println("Configuration is valid.");
            return 0;
        }
        try (InstanceId instance = InstanceId.acquireFor(cfg, role(kinds))) {
            AsyncFlowConfig instanceConfig = cfg.with(Map.of(InstanceId.INSTANCE_ID.name(), instance.id()));
            out.println("Instance:   " + instance.id() + (kinds.contains(ComponentKind.PROCESSOR)
                    ? " (state " + TopologySettings.from(instanceConfig).stateDir() + ")" : ""));
            return run(out, instanceConfig, kinds);
        }
    }

    /** "" for the all-in-one process, else its components joined by '.', e.g. {@code processor.lookups.sink}. */
    static String role(List<ComponentKind> kinds) {
        return kinds.containsAll(ComponentKind.PIPELINE) ? ""
                : String.join(".", kinds.stream().sorted().map(ComponentKind::cliName).toList());
    }

    private Integer run(PrintWriter out, AsyncFlowConfig cfg, List<ComponentKind> kinds) throws InterruptedException {
        var registry = Components.newRegistry();
        AsyncFlowConfig componentConfig = cfg;
        if (TopicSetup.ensureTopics(cfg)) {
            out.println("Topics ready.");
            componentConfig = cfg.with(Map.of(Topics.CREATE.name(), "false"));
        }
        try (ComponentRunner runner = new ComponentRunner()) {
            runner.closeOnShutdown();
            for (ComponentKind kind : kinds) {
                runner.startAll(List.of(Components.create(kind, componentConfig, registry)));
            }
            out.println("AsyncFlow running: " + String.join(", ", runner.names()) + ". Stop with Ctrl-C or SIGTERM.");
            out.flush();
            Optional<Component> stopped = runner.awaitStop(Duration.ofSeconds(1));
            if (stopped.isPresent()) {
                spec.commandLine().getErr().println("asyncflow run: component " + stopped.get().name()
                        + " stopped unexpectedly; the others were stopped");
                return 1;
            }
            return 0;
        }
    }

    private static void printSummary(PrintWriter out, AsyncFlowConfig cfg, TaskCatalog catalog, List<ComponentKind> kinds) {
        out.println("Kafka:      " + new KafkaSettings(cfg).bootstrapServers());
        out.println("Topics:     " + Topics.from(cfg).all().stream().map(t -> t.name()).collect(Collectors.joining(", ")));
        out.println("Task types: " + (catalog.taskTypes().isEmpty() ? "(none configured)"
                : catalog.taskTypes().values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                        .map(RunCommand::describe).collect(Collectors.joining("; "))));
        out.println("Components: " + kinds.stream().map(ComponentKind::cliName).collect(Collectors.joining(", ")));
        out.flush();
    }

    private static String describe(TaskTypeConfig type) {
        return type.name() + " (" + String.join(", ", type.backends()) + ", deadline " + type.deadline().toMillis() + " ms)";
    }

    /** Converts a component name given on the command line. */
    static final class ComponentConverter implements CommandLine.ITypeConverter<ComponentKind> {
        @Override
        public ComponentKind convert(String value) {
            try {
                return ComponentKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The component names, for help and completion. */
    static final class ComponentNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ComponentKind.values()).map(ComponentKind::cliName).iterator();
        }
    }
}
