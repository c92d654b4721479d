package io.asyncflow.app.run;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The components {@code asyncflow run --components} can start in one process. They are started
 * topology first, then the rest downstream first (processor, sink, lookups, bridge, ingress), and
 * closed in the reverse order, so the ingress stops accepting work before the parts that finish it
 * stop. The topology comes first because it takes longest to be ready (its group's rebalance and
 * the restore of its state run in the background once it started): after a crash, a restarted
 * process decides again sooner.
 */
public enum ComponentKind {
    INGRESS("ingress", "HTTP webhook for Architect data actions and Genesys events"),
    BRIDGE("bridge", "raw Genesys event topic to task events"),
    PROCESSOR("processor", "Kafka Streams fan-out / first-match topology"),
    LOOKUPS("lookups", "asynchronous HTTP lookup worker"),
    SINK("sink", "Genesys participant-data writer"),
    CONSOLE("console", "operator web console (needs console.operator-password or console.viewer-password)");

    /** The components that carry a conversation from request to participant data; the console only shows. */
    public static final List<ComponentKind> PIPELINE = List.of(INGRESS, BRIDGE, PROCESSOR, LOOKUPS, SINK);

    private final String cliName;
    private final String description;

    ComponentKind(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** The kind named {@code name} on the command line (case-insensitive). */
    public static ComponentKind parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.cliName.equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown component '" + name + "'; expected one of " + cliNames()));
    }

    public static List<String> cliNames() {
        return Arrays.stream(values()).map(ComponentKind::cliName).toList();
    }

    /** {@code kinds} without duplicates, in start order (topology first, then downstream first, the console last). */
    public static List<ComponentKind> startOrder(List<ComponentKind> kinds) {
        return Arrays.stream(values()).filter(kinds::contains)
                .sorted(Comparator.comparing((ComponentKind k) -> k != PROCESSOR)
                        .thenComparing(k -> k == CONSOLE)
                        .thenComparing(Comparator.comparingInt(ComponentKind::ordinal).reversed()))
                .toList();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
