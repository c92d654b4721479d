package io.asyncflow.ingress.http;

/**
 * A request the ingress refuses, answered as {@code {"error": code, "message": message}} with
 * {@code status}. The code is stable (callers and the {@code rejected} metric key on it); the
 * message explains, without echoing secrets or personal data.
 */
public class RequestRejected extends RuntimeException {
    private final int status;
    private final String code;

    public RequestRejected(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static RequestRejected badRequest(String code, String message) {
        return new RequestRejected(400, code, message);
    }

    public static RequestRejected unauthorized(String code, String message) {
        return new RequestRejected(401, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The JSON answer. */
    public ErrorBody body() {
        return new ErrorBody(code, getMessage());
    }

    /**
     * The JSON body of every error answer.
     *
     * @param error stable code, e.g. {@code missing-input}
     * @param message the reason in words
     */
    public record ErrorBody(String error, String message) {
    }
}
