package io.asyncflow.runtime;

/**
 * A long-running part of AsyncFlow (ingress, raw-event bridge, topology, lookup worker, sink).
 * The launcher starts any subset of them in one process; several processes share work through
 * Kafka consumer groups.
 */
public interface Component extends AutoCloseable {

    /** Short name for logs and health output, e.g. "sink". */
    String name();

    /** Starts the component's threads; returns once it is running. */
    void start();

    /** True while the component runs normally (used by readiness checks). */
    boolean isRunning();

    /** Stops gracefully: finishes or hands back in-flight work, commits what is done. */
    @Override
    void close();
}
