package io.asyncflow.app;

/**
 * A failure the command line reports as one clear message, without a stack trace, and exits 1
 * (a broker that cannot start, a component missing from the build).
 */
public class AppException extends RuntimeException {
    public AppException(String message) {
        super(message);
    }

    public AppException(String message, Throwable cause) {
        super(message, cause);
    }
}
