package io.asyncflow.ingress.result;

import io.asyncflow.ingress.http.RequestRejected;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers "what is the state of this task?", waiting up to a bounded time for its final status
 * without holding a thread: the answer completes as soon as the {@link StatusView} sees the final
 * status, or with the current state when the wait ends. A task the view does not know gets 404,
 * after a short grace when the caller waits (its request may still be on its way through Kafka
 * from another ingress instance), and 503 {@code starting} while the view is still reading what
 * was on the topics at start. At most {@code ingress.max-waiting} polls wait at once; more get
 * 503 {@code overloaded}.
 *
 * <p>Meters: {@code asyncflow_ingress_result_waits_total{outcome}} ({@code final}: answered by a
 * final status, {@code timed-out}: answered with a non-final state when the wait ended,
 * {@code unknown}: 404 after waiting, {@code refused}: over the cap) and the gauge
 * {@code asyncflow_ingress_result_waiting}.
 */
public final class LongPoll {
    /** How long a waiting poll of an unknown task waits for the task to appear before it answers 404. */
    static final Duration UNKNOWN_GRACE = Duration.ofSeconds(1);

    private final StatusView view;
    private final ResultSettings settings;
    private final MeterRegistry registry;
    private final AtomicInteger waiting = new AtomicInteger();

    public LongPoll(StatusView view, ResultSettings settings, MeterRegistry registry) {
        this.view = view;
        this.settings = settings;
        this.registry = registry;
        Gauge.builder("asyncflow.ingress.result.waiting", waiting, AtomicInteger::get)
                .description("Long polls waiting for a final status").register(registry);
        Gauge.builder("asyncflow.ingress.result.tasks", view, StatusView::size)
                .description("Tasks the ingress's status view can answer for").register(registry);
    }

    /**
     * The task's state: final as soon as known, else current when {@code wait} (shortened to
     * {@code ingress.max-wait}) ends. Fails with {@link RequestRejected} 404, or 503 while starting
     * or overloaded (thrown at once, or as the future's failure).
     */
    public CompletableFuture<TaskResult> answer(String taskId, Duration wait) {
        Optional<TaskResult> now = view.get(taskId);
        if (now.isEmpty() && !view.caughtUp()) {
            throw new RequestRejected(503, "starting", "the ingress is still reading task statuses from Kafka; retry shortly");
        }
        Duration bounded = wait.compareTo(settings.maxWait()) > 0 ? settings.maxWait() : wait;
        if (bounded.isZero() || now.map(TaskResult::isFinal).orElse(false)) {
            return CompletableFuture.completedFuture(now.orElseThrow(() -> notFound(taskId)));
        }
        if (waiting.incrementAndGet() > settings.maxWaiting()) {
            waiting.decrementAndGet();
            count("refused");
            throw new RequestRejected(503, "overloaded", "too many requests are waiting for results; retry shortly");
        }
        CompletableFuture<TaskResult> waiter = view.waitForFinal(taskId);
        if (now.isEmpty()) {
            Duration grace = bounded.compareTo(UNKNOWN_GRACE) < 0 ? bounded : UNKNOWN_GRACE;
            CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (view.get(taskId).isEmpty()) {
                    waiter.complete(null);
                }
            });
        }
        return waiter.completeOnTimeout(null, bounded.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(result -> ended(taskId, waiter, result));
    }

    private TaskResult ended(String taskId, CompletableFuture<TaskResult> waiter, TaskResult result) {
        waiting.decrementAndGet();
        if (result != null) {
            count("final");
            return result;
        }
        view.stopWaiting(taskId, waiter);
        Optional<TaskResult> current = view.get(taskId);
        count(current.isPresent() ? "timed-out" : "unknown");
        return current.orElseThrow(() -> notFound(taskId));
    }

    /** Long polls waiting now. */
    public int waiting() {
        return waiting.get();
    }

    private void count(String outcome) {
        Counter.builder("asyncflow.ingress.result.waits").description("Long polls by how they ended")
                .tag("outcome", outcome).register(registry).increment();
    }

    private RequestRejected notFound(String taskId) {
        return new RequestRejected(404, "not-found", "no task " + taskId + " in the last " + settings.retention().toMinutes()
                + " min (ingress.result-retention)");
    }
}
