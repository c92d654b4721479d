package io.asyncflow.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * What a backend answers in a test: an HTTP status and body, after an optional delay, or no answer
 * at all. The kit classifies it with the lookup worker's own {@code ResponseClassifier} and the
 * backend's configuration ({@code hit-pointer}, {@code failure-pointer}, {@code attributes}), so
 * the same answer is a hit, a miss or an error exactly as in production.
 *
 * <pre>
 * kit.respond("gamma", CannedResponse.json(200, "{\"customer\": {\"id\": \"G-3003\"}}").after(Duration.ofMillis(120)));
 * kit.respond("alpha", CannedResponse.status(404));
 * kit.respond("beta", CannedResponse.noAnswer());
 * </pre>
 *
 * @param statusCode the HTTP status code (ignored for no answer)
 * @param body the response body, or null for none
 * @param delay how long after the lookup the answer comes
 * @param answers false for a backend that never answers
 */
public record CannedResponse(int statusCode, String body, Duration delay, boolean answers) {

    public CannedResponse {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + delay);
        }
        if (answers && (statusCode < 100 || statusCode > 599)) {
            throw new IllegalArgumentException("not an HTTP status code: " + statusCode);
        }
    }

    /** An answer with a body (usually JSON), at once. */
    public static CannedResponse json(int statusCode, String body) {
        return new CannedResponse(statusCode, body, Duration.ZERO, true);
    }

    /** An answer without a body, at once: e.g. 404 (a miss) or 503 (an error). */
    public static CannedResponse status(int statusCode) {
        return json(statusCode, null);
    }

    /**
     * A backend that does not answer (down, or slower than the task's deadline): its lookup gets no
     * result, so the task ends with {@code TIMEOUT} when {@link AsyncFlowTestKit#advance} passes the
     * deadline, unless another backend's hit decides it first.
     */
    public static CannedResponse noAnswer() {
        return new CannedResponse(0, null, Duration.ZERO, false);
    }

    /**
     * The same answer, {@code latency} after the lookup was sent. An answer that would come at or
     * after the lookup's deadline is not delivered (the worker gives up at the deadline); one that
     * would take the backend's {@code timeout} or longer is the worker's timeout error.
     */
    public CannedResponse after(Duration latency) {
        return new CannedResponse(statusCode, body, latency, answers);
    }

    @Override
    public String toString() {
        if (!answers) {
            return "no answer";
        }
        String delayed = delay.isZero() ? "" : " after " + delay.toMillis() + " ms";
        return "HTTP " + statusCode + delayed;
    }
}
