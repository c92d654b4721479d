package io.asyncflow.app.run;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.ConfigLoader;
import io.asyncflow.runtime.Component;
import java.util.ArrayList;
import java.util.List;
import io.asyncflow.ingress.IngressServer;
import io.asyncflow.ingress.IngressKeys;
import io.asyncflow.ingress.IngressSettings;
import io.asyncflow.ingress.result.ResultSettings;
import io.asyncflow.ingress.bridge.RawEventBridge;
import io.asyncflow.operator.ConsoleServer;
import io.asyncflow.operator.ConsoleSettings;
import io.asyncflow.processor.ProcessorKeys;
import io.asyncflow.processor.lookup.LookupSettings;
import io.asyncflow.processor.lookup.LookupWorker;
import io.asyncflow.processor.sink.ParticipantDataSink;
import io.asyncflow.processor.sink.SdkGenesysApi;
import io.asyncflow.processor.sink.SinkSettings;
import io.asyncflow.processor.topology.TopologyService;
import io.asyncflow.processor.topology.TopologySettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one place that knows every AsyncFlow component: builds each {@link ComponentKind} from the
 * configuration and lists every configuration key the application accepts. A component that
 * joins the build is added here (its constructor and its {@code *Settings.KEYS}), nowhere else;
 * the test kit accepts the same keys (its {@code ConfigurationTest} compares them through
 * docs/configuration.md, which this list generates).
 */
public final class Components {
    private Components() {
    }

    /**
     * The components {@code run} starts when {@code --components} is not given: all of them, the
     * operator console only when the configuration gives it a password.
     */
    public static List<ComponentKind> defaults(AsyncFlowConfig config) {
        return java.util.Arrays.stream(ComponentKind.values())
                .filter(k -> k != ComponentKind.CONSOLE || ConsoleSettings.configured(config)).toList();
    }

    /** Every configuration key the application declares; {@code run} rejects others. */
    public static List<ConfigKey> declaredKeys() {
        List<ConfigKey> keys = new ArrayList<>(ConfigLoader.sharedKeys());
        keys.addAll(IngressKeys.all());
        keys.addAll(ProcessorKeys.all());
        keys.addAll(ConsoleSettings.KEYS);
        return List.copyOf(keys);
    }

    /** A registry for one process: every component's meters, served by the ingress at {@code /metrics}. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Reads one component's settings without building it (no I/O), so a bad value stops
     * {@code run} before anything starts, although components are built one by one as they start.
     *
     * @throws io.asyncflow.config.ConfigException naming the key when its settings are invalid
     */
    public static void validate(ComponentKind kind, AsyncFlowConfig config) {
        switch (kind) {
            case INGRESS -> {
                IngressSettings.from(config);
                ResultSettings.from(config);
            }
            case BRIDGE -> IngressSettings.forBridge(config);
            case PROCESSOR -> TopologySettings.from(config);
            case LOOKUPS -> LookupSettings.from(config);
            case SINK -> SinkSettings.from(config).oauthClients();
            case CONSOLE -> ConsoleSettings.from(config);
        }
    }

    /**
     * Builds one component from validated configuration (not started). Components of one process
     * share {@code registry}, so the ingress's {@code /metrics} shows them all.
     *
     * @throws io.asyncflow.config.ConfigException when its settings are invalid
     */
    public static Component create(ComponentKind kind, AsyncFlowConfig config, PrometheusMeterRegistry registry) {
        return switch (kind) {
            case INGRESS -> new IngressServer(config, registry);
            case BRIDGE -> new RawEventBridge(config, registry);
            case PROCESSOR -> new TopologyService(config, registry);
            case LOOKUPS -> new LookupWorker(config, null, registry);
            case SINK -> new ParticipantDataSink(config, SdkGenesysApi.create(SinkSettings.from(config)), registry);
            case CONSOLE -> new ConsoleServer(config, registry);
        };
    }
}
