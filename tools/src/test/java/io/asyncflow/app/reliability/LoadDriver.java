package io.asyncflow.app.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends identify-caller requests to the ingress with bounded concurrency, as Architect data actions
 * would, and keeps every answer: the task id of each 202 and the count of each other status.
 */
final class LoadDriver {
    private static final Pattern TASK_ID = Pattern.compile("\"taskId\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String ingressUrl;
    private final String token;
    private final Semaphore permits;
    private final Map<Caller, String> accepted = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final Map<Caller, Long> sentAt = new ConcurrentHashMap<>();

    LoadDriver(String ingressUrl, String token, int concurrency) {
        this.ingressUrl = ingressUrl;
        this.token = token;
        this.permits = new Semaphore(concurrency);
    }

    /** Sends one request per caller; returns when all are answered (or failed), within {@code timeout}. */
    void submitAll(List<Caller> callers, Duration timeout) throws InterruptedException {
        CompletableFuture<?>[] all = callers.stream().map(this::submit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("load did not finish within " + timeout, e);
        }
    }

    /** Like {@link #submitAll} but starts at most {@code perSecond} requests a second, so the load lasts a while. */
    void submitPaced(List<Caller> callers, int perSecond, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long gap = 1_000_000_000L / perSecond;
        CompletableFuture<?>[] all = new CompletableFuture<?>[callers.size()];
        for (int i = 0; i < callers.size(); i++) {
            long wait = start + i * gap - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            all[i] = submit(callers.get(i));
        }
        try {
            CompletableFuture.allOf(all).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("load did not finish within " + timeout, e);
        }
    }

    /** Sends one request (waiting for a free slot first); the future completes with the HTTP status, or -1. */
    CompletableFuture<Integer> submit(Caller caller) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(-1);
        }
        sent.incrementAndGet();
        sentAt.put(caller, System.nanoTime());
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingressUrl + "/v1/tasks"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(caller.taskRequest())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    permits.release();
                    int status = error != null ? -1 : response.statusCode();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    if (status == 202) {
                        Matcher m = TASK_ID.matcher(response.body());
                        if (!m.find()) {
                            throw new IllegalStateException("202 without a taskId: " + response.body());
                        }
                        accepted.put(caller, m.group(1));
                    }
                    return status;
                });
    }

    /** Callers answered 202, with their task ids. */
    Map<Caller, String> accepted() {
        return Map.copyOf(accepted);
    }

    /** Count of answers by HTTP status (-1: no answer). */
    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> copy = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** {@link System#nanoTime()} when the request of {@code caller} was sent. */
    long sentAt(Caller caller) {
        return sentAt.get(caller);
    }

    int sent() {
        return sent.get();
    }
}
