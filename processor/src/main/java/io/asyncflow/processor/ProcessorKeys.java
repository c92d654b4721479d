package io.asyncflow.processor;

import io.asyncflow.config.ConfigKey;
import io.asyncflow.processor.lookup.LookupSettings;
import io.asyncflow.processor.sink.SinkSettings;
import io.asyncflow.processor.topology.TopologySettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key of the processor module (topology, lookup worker, participant-data sink),
 * so that {@code run} and the test kit accept the same keys: a settings class that joins the module
 * is added here, nowhere else.
 */
public final class ProcessorKeys {
    private ProcessorKeys() {
    }

    public static List<ConfigKey> all() {
        List<ConfigKey> keys = new ArrayList<>(TopologySettings.KEYS);
        keys.addAll(LookupSettings.KEYS);
        keys.addAll(SinkSettings.KEYS);
        return List.copyOf(keys);
    }
}
