package io.asyncflow.ingress.kafka;

/** The broker did not acknowledge records in time, or the ingress had too much in flight to try. */
public class ProduceException extends RuntimeException {

    /** Why nothing was acknowledged. */
    public enum Reason {
        /** The broker was unreachable, refused the records or did not answer within the produce timeout. */
        BROKER_UNAVAILABLE,
        /** Too many requests already waited for the broker. */
        OVERLOADED
    }

    private final Reason reason;

    public ProduceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
