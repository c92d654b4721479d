package io.asyncflow.processor.sink;

import java.time.Duration;

/** How one attempt to write a status ended. */
sealed interface WriteOutcome {

    /** Genesys accepted the PATCH. */
    record Written() implements WriteOutcome {
    }

    /** Try again after {@code delay} (zero after a 429: the rate limiter holds every request). */
    record Retry(Duration delay, GenesysCallException.Kind kind, String reason) implements WriteOutcome {
    }

    /**
     * Give up: the update goes to the dead-letter topic with this reason and correlation id;
     * {@code httpStatus} is Genesys's answer to the last attempt, 0 when none arrived.
     */
    record Failed(String reason, int httpStatus, String correlationId) implements WriteOutcome {
    }
}
