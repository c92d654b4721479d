package io.asyncflow.ingress.genesys;

/** A Genesys event that cannot be read; the message says why, without personal data. */
public class MalformedEventException extends Exception {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
