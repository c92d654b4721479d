package io.asyncflow.ingress.http;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.asyncflow.ingress.kafka.ProduceException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Task ids this instance produced recently (bounded, expiring after the idempotency window), so a
 * repeat answers DUPLICATE without producing. A repeat that arrives while the first request still
 * waits for the broker waits for the same acknowledgement (and fails with it); a failed produce is
 * forgotten, so a retry produces again. Across instances and after the window, deterministic task ids make the
 * topology start nothing new.
 */
public final class AcceptedTasks {
    private final AsyncCache<String, Boolean> accepted;

    public AcceptedTasks(Duration window, long maxSize) {
        this.accepted = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(maxSize).buildAsync();
    }

    /**
     * Runs {@code produce} unless {@code taskId} was accepted (or is being produced) already.
     *
     * @return true when this call produced, false for a duplicate; fails when the produce failed
     */
    public CompletableFuture<Boolean> produceOnce(String taskId, Supplier<CompletableFuture<Void>> produce) {
        AtomicReference<CompletableFuture<Void>> mine = new AtomicReference<>();
        CompletableFuture<Boolean> entry = accepted.get(taskId, (id, executor) -> {
            CompletableFuture<Void> produced = produce.get();
            mine.set(produced);
            return produced.handle((ok, error) -> error == null ? Boolean.TRUE : null);
        });
        if (mine.get() != null) {
            return mine.get().thenApply(ok -> true);
        }
        return entry.thenApply(stored -> {
            if (stored == null) {
                throw new ProduceException(ProduceException.Reason.BROKER_UNAVAILABLE,
                        "the first request for task " + taskId + " was not stored", null);
            }
            return false;
        });
    }

    /** Remembers task ids produced by another path (auto-started by an event). */
    public void remember(String taskId) {
        accepted.put(taskId, CompletableFuture.completedFuture(Boolean.TRUE));
    }
}
