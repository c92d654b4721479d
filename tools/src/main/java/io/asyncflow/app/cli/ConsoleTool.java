package io.asyncflow.app.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of Kafka's stock console tools with AsyncFlow's formatter or reader in place: the
 * user's arguments pass through unchanged; only missing defaults are added.
 */
final class ConsoleTool {
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    private ConsoleTool() {
    }

    /** {@code args} plus {@code option value} when the user did not give {@code option}. */
    static List<String> withDefault(List<String> args, String option, String value) {
        List<String> result = new ArrayList<>(args);
        boolean given = args.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
        if (!given) {
            result.add(option);
            result.add(value);
        }
        return result;
    }
}
