package io.asyncflow.ingress.http;

import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Answers a request when its future completes, without holding a Jetty thread meanwhile
 * ({@code ctx.future}). The answer is written on {@code executor} (Jetty's pool), never on the
 * Kafka client's network thread that completed the future.
 */
public final class AsyncAnswer {
    private final Executor executor;
    private final ErrorAnswers errors;

    public AsyncAnswer(Executor executor, ErrorAnswers errors) {
        this.executor = executor;
        this.errors = errors;
    }

    /** Writes {@code status} with the future's value as JSON, or the error answer when it fails. */
    public <T> void json(Context ctx, int status, CompletableFuture<T> work) {
        ctx.future(() -> work.handleAsync((value, error) -> {
            if (error == null) {
                ctx.status(status).json(value);
            } else {
                errors.write(ctx, error);
            }
            return null;
        }, executor));
    }
}
