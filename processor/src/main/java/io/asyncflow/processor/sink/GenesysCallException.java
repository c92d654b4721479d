package io.asyncflow.processor.sink;

/**
 * A failed Genesys Cloud call, classified for the sink: retry after the rate-limit pause, retry
 * with backoff, or give up and dead-letter the update.
 */
public final class GenesysCallException extends Exception {

    /** What the sink does about a failure. */
    public enum Kind {
        /** 429: every request waits for Retry-After, then the write is tried again. */
        RATE_LIMITED,
        /** 5xx, network error, timeout, token trouble: tried again after a backoff, a bounded number of times. */
        TRANSIENT,
        /** 400, 403, 404 and other client errors: retrying cannot help; the update is dead-lettered. */
        PERMANENT
    }

    private final Kind kind;
    private final int status;
    private final String correlationId;

    /**
     * @param kind what to do about it
     * @param status HTTP status, or 0 when no response arrived
     * @param message reason in words, safe to log and to put in a dead letter
     * @param correlationId Genesys' {@code ININ-Correlation-Id} of the response, or null
     */
    public GenesysCallException(Kind kind, int status, String message, String correlationId) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.correlationId = correlationId;
    }

    public static GenesysCallException transientFailure(String message, Throwable cause) {
        GenesysCallException e = new GenesysCallException(Kind.TRANSIENT, 0, message, null);
        e.initCause(cause);
        return e;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String correlationId() {
        return correlationId;
    }
}
