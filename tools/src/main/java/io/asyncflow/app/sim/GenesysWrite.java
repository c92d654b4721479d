package io.asyncflow.app.sim;

import java.time.Instant;
import java.util.Map;

/**
 * One participant-data write the simulated Genesys accepted.
 *
 * @param arrivalNanos {@link System#nanoTime()} when the request arrived, for latency figures
 * @param arrivedAt wall-clock arrival time
 * @param conversationId the conversation
 * @param participantId the participant written to
 * @param attributes the attributes of this PATCH, as sent
 */
public record GenesysWrite(long arrivalNanos, Instant arrivedAt, String conversationId, String participantId,
                           Map<String, String> attributes) {
    public GenesysWrite {
        attributes = Map.copyOf(attributes);
    }

    @Override
    public String toString() {
        return arrivedAt + " PATCH conversation " + conversationId + " participant " + participantId + " " + attributes;
    }
}
