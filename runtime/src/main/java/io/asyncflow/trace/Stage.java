package io.asyncflow.trace;

/**
 * The points of a caller's path that AsyncFlow stamps into record headers, in path order (the
 * hops between them: {@link Hop}). Each stamp is the wall-clock time in microseconds since the
 * epoch, written by the process that reached the stage, so hops between processes on different
 * hosts include their clock offset.
 */
public enum Stage {
    /** The ingress accepted the request or event and hands it to its producer. */
    ACCEPTED("accepted"),
    /** The topology read the task. */
    TASK_READ("task-read"),
    /** The lookup worker read the lookup. */
    LOOKUP_READ("lookup-read"),
    /** The lookup worker started the backend call. */
    BACKEND_SENT("backend-sent"),
    /** The backend call ended (after its retries). */
    BACKEND_ANSWERED("backend-answered"),
    /** The topology read the lookup's result. */
    RESULT_READ("result-read"),
    /** The topology emitted the status. */
    STATUS_EMITTED("status-emitted"),
    /** The participant-data sink read the status. */
    STATUS_READ("status-read"),
    /** Genesys answered the participant-data write. */
    GENESYS_WRITTEN("genesys-written"),
    /** The ingress's result view read the status (what a long poll answers with). */
    STATUS_VIEWED("status-viewed");

    /** Prefix of the record headers that carry the stamps. */
    public static final String HEADER_PREFIX = "asyncflow-trace-";

    private final String id;
    private final String header;

    Stage(String id) {
        this.id = id;
        this.header = HEADER_PREFIX + id;
    }

    /** Short name, e.g. {@code task-read}. */
    public String id() {
        return id;
    }

    /** The record header that carries this stage's stamp. */
    public String header() {
        return header;
    }
}
