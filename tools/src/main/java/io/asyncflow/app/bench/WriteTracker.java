package io.asyncflow.app.bench;

import io.asyncflow.app.sim.GenesysWrite;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Listens to the simulated Genesys and stamps each tracked conversation with the arrival time of
 * its first {@code ONGOING} and of its terminal status write, and, from the sink's hop meter, with the
 * trace of that write.
 */
final class WriteTracker implements Consumer<GenesysWrite> {
    static final String STATUS_KEY = "asyncflow.identify-caller.status";
    private static final String ONGOING = "ONGOING";

    private final Map<String, Conversation> tracked = new ConcurrentHashMap<>();

    void track(Conversation conversation) {
        tracked.put(conversation.id, conversation);
    }

    void forget(Iterable<Conversation> conversations) {
        conversations.forEach(c -> tracked.remove(c.id));
    }

    /** Keeps the trace of a tracked conversation's decided status (one a result decided, or the last). */
    void traced(String conversationId, Trace trace) {
        Conversation c = tracked.get(conversationId);
        if (c != null && (c.trace == null || trace.at(Stage.RESULT_READ).isPresent())) {
            c.trace = trace;
        }
    }

    @Override
    public void accept(GenesysWrite write) {
        Conversation c = tracked.get(write.conversationId());
        if (c == null) {
            return;
        }
        c.writes.incrementAndGet();
        String status = write.attributes().get(STATUS_KEY);
        if (status == null) {
            return;
        }
        if (ONGOING.equals(status)) {
            if (c.ongoingNanos == 0) {
                c.ongoingNanos = write.arrivalNanos();
            }
        } else if (c.terminalNanos == 0) {
            c.status = status;
            c.terminalNanos = write.arrivalNanos();
        }
    }
}
