package io.asyncflow.app.run;

import io.asyncflow.app.AppException;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.runtime.Component;
import io.asyncflow.serde.ValueSerdes;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one place that knows every AsyncFlow component: builds each {@link ComponentKind} from the
 * configuration and lists every configuration key the application accepts. A component that
 * joins the build is added here (its constructor and its {@code *Settings.KEYS}), nowhere else.
 */
public final class Components {
    private Components() {
    }

    /** Every configuration key the application declares; {@code run} rejects others. */
    public static List<ConfigKey> declaredKeys() {
        List<ConfigKey> keys = new ArrayList<>();
        keys.addAll(KafkaSettings.KEYS);
        keys.addAll(Topics.KEYS);
        keys.addAll(ValueSerdes.KEYS);
        keys.addAll(TaskCatalog.keys());
        // the components' *Settings.KEYS join here as each component joins the build
        return List.copyOf(keys);
    }

    /**
     * Builds one component from validated configuration (not started).
     *
     * @throws io.asyncflow.config.ConfigException when its settings are invalid
     * @throws AppException when this build does not contain the component
     */
    public static Component create(ComponentKind kind, AsyncFlowConfig config) {
        Function<AsyncFlowConfig, Component> factory = switch (kind) {
            // each component's constructor joins here, e.g. case SINK -> ParticipantDataSink::new;
            case INGRESS, BRIDGE, PROCESSOR, LOOKUPS, SINK -> null;
        };
        if (factory == null) {
            throw new AppException("component '" + kind + "' (" + kind.description() + ") is not part of this build yet");
        }
        return factory.apply(config);
    }
}
