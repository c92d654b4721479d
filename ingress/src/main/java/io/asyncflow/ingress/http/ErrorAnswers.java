package io.asyncflow.ingress.http;

import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.ingress.kafka.ProduceException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the JSON error answer and counts refusals by reason:
 * {@link RequestRejected} keeps its status and code; a {@link ProduceException} is 503
 * ({@code broker-unavailable} or {@code overloaded}); Javalin's own HTTP errors keep their status;
 * anything else is 500 ({@code internal-error},
 * logged, details not sent).
 */
public final class ErrorAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
    private static final String ANSWERED = "asyncflow.error-answered";

    private final IngressMetrics metrics;

    public ErrorAnswers(IngressMetrics metrics) {
        this.metrics = metrics;
    }

    public void write(Context ctx, Throwable failure) {
        RequestRejected rejection = classify(unwrap(failure), ctx);
        metrics.rejected(rejection.code());
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(rejection.status()).json(rejection.body());
    }

    /**
     * For Javalin's status error handlers (which run for every answer with that status): writes
     * {@code rejection} unless a handler already wrote an error answer, so "no such task" stays
     * "no such task" and does not become "no such endpoint".
     */
    public void writeUnlessAnswered(Context ctx, RequestRejected rejection) {
        if (ctx.attribute(ANSWERED) == null) {
            write(ctx, rejection);
        }
    }

    private static RequestRejected classify(Throwable error, Context ctx) {
        if (error instanceof RequestRejected r) {
            if (r.status() == 403 || r.status() == 401) {
                LOG.info("{} {} refused ({}) from {}", ctx.method(), ctx.path(), r.code(), ctx.req().getRemoteAddr());
            }
            return r;
        }
        if (error instanceof HttpResponseException h) {
            return new RequestRejected(h.getStatus(), "http-" + h.getStatus(), h.getMessage());
        }
        if (error instanceof ProduceException p) {
            return p.reason() == ProduceException.Reason.OVERLOADED
                    ? new RequestRejected(503, "overloaded", "too many requests are waiting for Kafka; retry shortly")
                    : new RequestRejected(503, "broker-unavailable", "Kafka did not store the request; retry shortly");
        }
        LOG.error("{} {} failed", ctx.method(), ctx.path(), error);
        return new RequestRejected(500, "internal-error", "the request failed; see the ingress log");
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
