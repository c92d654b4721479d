package io.asyncflow.processor.lookup;

import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.config.BackendConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.Time;

/**
 * Calls one configured backend for one lookup with non-blocking HTTP and answers a
 * {@link LookupResult}. Each attempt is bounded by the backend's timeout and by what is left of the
 * lookup's deadline; retryable errors (5xx, timeout, connection error, unreadable body) are retried
 * up to {@link BackendConfig#retries()} times with exponential backoff and jitter, as long as the
 * next attempt can start before the deadline. The returned future never fails: every failure is an
 * ERROR result with its reason; reasons never quote the request (its URL and body hold caller data).
 * No thread is blocked while waiting. Thread-safe.
 */
public final class BackendCaller {
    private final BackendConfig backend;
    private final HttpClient client;
    private final BackendRequests requests;
    private final ResponseClassifier classifier;
    private final HttpResponse.BodyHandler<byte[]> bodyHandler;
    private final Time time;

    public BackendCaller(BackendConfig backend, HttpClient client, int maxResponseBytes, Time time) {
        this.backend = backend;
        this.client = client;
        this.requests = new BackendRequests(backend);
        this.classifier = new ResponseClassifier(backend);
        this.bodyHandler = CappedBody.handler(maxResponseBytes);
        this.time = time;
    }

    public BackendConfig backend() {
        return backend;
    }

    /** Calls the backend; the future completes with a HIT, MISS or ERROR result, never exceptionally. */
    public CompletableFuture<LookupResult> call(LookupRequest request) {
        CompletableFuture<LookupResult> result = new CompletableFuture<>();
        attempt(request, 1, time.milliseconds(), result);
        return result;
    }

    private void attempt(LookupRequest request, int attempt, long startedAt, CompletableFuture<LookupResult> result) {
        try {
            long remaining = request.getDeadline() - time.milliseconds();
            if (remaining <= 0) {
                complete(request, Classification.error("deadline reached before attempt " + attempt, false),
                        attempt - 1, startedAt, result);
                return;
            }
            long timeoutMs = Math.min(backend.timeout().toMillis(), remaining);
            boolean boundByDeadline = timeoutMs < backend.timeout().toMillis();
            HttpRequest http = requests.build(request.getInputs(), Duration.ofMillis(timeoutMs));
            exchange(http, timeoutMs).whenComplete((response, failure) -> {
                try {
                    Classification c = failure == null
                            ? classifier.classify(response.statusCode(), response.body())
                            : classifyFailure(failure, timeoutMs, boundByDeadline);
                    afterAttempt(request, attempt, startedAt, result, c);
                } catch (RuntimeException e) {
                    complete(request, Classification.error("internal error: " + e.getClass().getSimpleName(), false), attempt, startedAt, result);
                }
            });
        } catch (RuntimeException e) {
            complete(request, Classification.error("cannot send the request: " + e.getClass().getSimpleName(), false),
                    attempt, startedAt, result);
        }
    }

    private void afterAttempt(LookupRequest request, int attempt, long startedAt, CompletableFuture<LookupResult> result,
                              Classification c) {
        if (!c.retryable() || attempt > backend.retries()) {
            complete(request, c, attempt, startedAt, result);
            return;
        }
        long delay = backoff(attempt);
        if (time.milliseconds() + delay >= request.getDeadline()) {
            complete(request, Classification.error("deadline reached after " + attempt + " attempt(s); last: " + c.error(), false),
                    attempt, startedAt, result);
            return;
        }
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
                .execute(() -> attempt(request, attempt + 1, startedAt, result));
    }

    /** Sends the request; the whole exchange, body included, is bounded by {@code timeoutMs}. */
    private CompletableFuture<HttpResponse<byte[]>> exchange(HttpRequest http, long timeoutMs) {
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(http, bodyHandler);
        return sent.copy().orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((response, failure) -> {
            if (failure != null) {
                sent.cancel(true);
            }
        });
    }

    private long backoff(int attempt) {
        long base = backend.retryBackoff().toMillis() << Math.min(attempt - 1, 20);
        return base / 2 + ThreadLocalRandom.current().nextLong(base + 1);
    }

    /**
     * How a failed attempt counts: a timeout bound by the backend's own timeout is retryable, one
     * bound by the deadline is not, connection and I/O errors are retryable. Public so that the test
     * kit classifies a canned answer slower than the backend's timeout as the worker does.
     */
    public static Classification classifyFailure(Throwable failure, long timeoutMs, boolean boundByDeadline) {
        Throwable cause = unwrap(failure);
        if (cause instanceof HttpConnectTimeoutException) {
            return Classification.error("connect timed out", true);
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return boundByDeadline
                    ? Classification.error("deadline reached: no answer within the " + timeoutMs + " ms left", false)
                    : Classification.error("timed out after " + timeoutMs + " ms", true);
        }
        if (cause instanceof CappedBody.TooLarge) {
            return Classification.error(cause.getMessage(), false);
        }
        if (cause instanceof ConnectException) {
            return Classification.error("connection failed: " + describe(cause), true);
        }
        if (cause instanceof IOException) {
            return Classification.error("I/O error: " + describe(cause), true);
        }
        return Classification.error("request failed: " + cause.getClass().getSimpleName(), false);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private void complete(LookupRequest request, Classification c, int attempts, long startedAt,
                          CompletableFuture<LookupResult> result) {
        result.complete(result(request, c, attempts, startedAt, time.milliseconds()));
    }

    /**
     * The result of a lookup that ended with {@code c} after {@code attempts} attempts. Public so that
     * the test kit answers lookups with the very records the worker sends.
     */
    public static LookupResult result(LookupRequest request, Classification c, int attempts, long startedAt, long completedAt) {
        return LookupResult.newBuilder()
                .setLookupId(request.getLookupId())
                .setTaskId(request.getTaskId())
                .setTaskType(request.getTaskType())
                .setConversationId(request.getConversationId())
                .setBackend(request.getBackend())
                .setOutcome(c.outcome())
                .setAttributes(c.outcome() == LookupOutcome.HIT ? c.attributes() : Map.of())
                .setLatencyMs(Math.max(0, completedAt - startedAt))
                .setAttempts(attempts)
                .setError(c.error())
                .setCompletedAt(completedAt)
                .build();
    }
}
