package io.asyncflow.app.bench;

import io.asyncflow.trace.Trace;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One benchmark conversation: when it was due, when the ingress accepted it, when its result reached
 * Genesys, and (for callers that wait like an Architect flow) when the long poll answered it.
 */
final class Conversation {
    final String id = UUID.randomUUID().toString();
    final String participantId = UUID.randomUUID().toString();
    final Callers.Caller caller;
    final long scheduledNanos;
    final AtomicInteger writes = new AtomicInteger();
    volatile long acceptedNanos;
    volatile long ongoingNanos;
    volatile long terminalNanos;
    volatile String status;
    volatile String failure;
    volatile String taskId;
    /** When the result endpoint answered with a final status (nanoTime and wall-clock ms), 0 before. */
    volatile long polledNanos;
    volatile long polledWallMs;
    volatile String polledStatus;
    final AtomicInteger polls = new AtomicInteger();
    /** The trace of its terminal status's participant-data write, when the sink runs in the bench JVM. */
    volatile Trace trace;

    Conversation(Callers.Caller caller, long scheduledNanos) {
        this.caller = caller;
        this.scheduledNanos = scheduledNanos;
    }

    boolean accepted() {
        return acceptedNanos != 0;
    }

    boolean finished() {
        return terminalNanos != 0;
    }

    boolean polled() {
        return polledNanos != 0;
    }
}
