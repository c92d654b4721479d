package io.asyncflow.trace;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A measured stretch of a caller's path, from one {@link Stage} to the next, named after what it
 * crosses. The {@code hop} tag of the {@code asyncflow.hop.latency} timer takes these names.
 */
public enum Hop {
    INGRESS_TO_TOPOLOGY("ingress-to-topology", Stage.ACCEPTED, Stage.TASK_READ, true),
    TOPOLOGY_TO_WORKER("topology-to-worker", Stage.TASK_READ, Stage.LOOKUP_READ, true),
    WORKER_QUEUE("worker-queue", Stage.LOOKUP_READ, Stage.BACKEND_SENT, true),
    BACKEND("backend", Stage.BACKEND_SENT, Stage.BACKEND_ANSWERED, false),
    WORKER_TO_TOPOLOGY("worker-to-topology", Stage.BACKEND_ANSWERED, Stage.RESULT_READ, true),
    /** From the result (or, for a status decided without one, the task) to the status. */
    DECISION("decision", Stage.RESULT_READ, Stage.STATUS_EMITTED, true),
    TOPOLOGY_TO_SINK("topology-to-sink", Stage.STATUS_EMITTED, Stage.STATUS_READ, true),
    /** The sink's write, including its rate limiter's waits, retries and Genesys's own latency. */
    GENESYS_WRITE("genesys-write", Stage.STATUS_READ, Stage.GENESYS_WRITTEN, false),
    TOPOLOGY_TO_INGRESS("topology-to-ingress", Stage.STATUS_EMITTED, Stage.STATUS_VIEWED, true),
    /** From the ingress's acceptance to the participant-data write's answer. */
    TOTAL("total", Stage.ACCEPTED, Stage.GENESYS_WRITTEN, false);

    /** The hops of the path to participant data, in order; they add up to {@link #TOTAL}. */
    public static final List<Hop> PATH = List.of(INGRESS_TO_TOPOLOGY, TOPOLOGY_TO_WORKER, WORKER_QUEUE, BACKEND,
            WORKER_TO_TOPOLOGY, DECISION, TOPOLOGY_TO_SINK, GENESYS_WRITE);

    private final String id;
    private final Stage from;
    private final Stage to;
    private final boolean ours;

    Hop(String id, Stage from, Stage to, boolean ours) {
        this.id = id;
        this.from = from;
        this.to = to;
        this.ours = ours;
    }

    public String id() {
        return id;
    }

    public Stage from() {
        return from;
    }

    public Stage to() {
        return to;
    }

    /** True for a hop that is AsyncFlow's own work or waiting (not a backend's or Genesys's answer time). */
    public boolean ours() {
        return ours;
    }

    private static final Map<Stage, List<Hop>> ENDING_AT = new EnumMap<>(Stage.class);

    static {
        for (Stage stage : Stage.values()) {
            ENDING_AT.put(stage, Arrays.stream(values()).filter(h -> h.to == stage).toList());
        }
    }

    /** The hops that end at {@code stage} (computed once: this runs for every record of every component). */
    public static List<Hop> endingAt(Stage stage) {
        return ENDING_AT.get(stage);
    }
}
