package io.asyncflow.testkit;

import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.config.BackendConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.processor.lookup.BackendCaller;
import io.asyncflow.processor.lookup.BackendRequests;
import io.asyncflow.processor.lookup.Classification;
import io.asyncflow.processor.lookup.ResponseClassifier;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;

/**
 * Stands in for the lookup worker: turns each lookup the topology sends into the result the worker
 * would send for the backend's canned answer, with the worker's own code: the request from
 * {@link BackendRequests}, the answer classified by {@link ResponseClassifier}, an answer slower
 * than the backend's timeout classified by {@link BackendCaller#classifyFailure}, the record built by
 * {@link BackendCaller#result}. Results wait until their time comes ({@link #dueBy}).
 *
 * <p>A retryable error (5xx, timeout, unreadable body) is retried by the worker, and every retry gets
 * the same canned answer: the result counts {@code 1 + retries} attempts and arrives after that many
 * answer delays (or timeouts); the worker's backoff between attempts (with jitter) is not added. A
 * result that would arrive at or after the lookup's deadline is not sent: the worker gives up there.
 */
final class CannedBackends {
    /** A result and the time it reaches the topology. */
    record Due(long at, long sequence, LookupResult result, String note) {
    }

    private final TaskCatalog catalog;
    private final Map<String, CannedResponse> responses = new HashMap<>();
    private final Map<String, BackendRequests> requests = new HashMap<>();
    private final Map<String, ResponseClassifier> classifiers = new HashMap<>();
    private final Map<String, List<BackendCall>> calls = new LinkedHashMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparingLong(Due::at).thenComparingLong(Due::sequence));
    private long sequence;

    CannedBackends(TaskCatalog catalog) {
        this.catalog = catalog;
        catalog.backends().forEach((name, backend) -> {
            requests.put(name, new BackendRequests(backend));
            classifiers.put(name, new ResponseClassifier(backend));
        });
    }

    void respond(String backend, CannedResponse response) {
        responses.put(configured(backend).name(), response);
    }

    List<BackendCall> callsTo(String backend) {
        return List.copyOf(calls.getOrDefault(configured(backend).name(), List.of()));
    }

    /**
     * Takes one lookup sent at {@code now}: records the call and schedules its result.
     *
     * @return what happened, for the timeline
     * @throws IllegalStateException when the test declared no answer for the lookup's backend
     */
    String take(LookupRequest lookup, long now) {
        BackendConfig backend = catalog.backend(lookup.getBackend());
        HttpRequest http = requests.get(backend.name()).build(lookup.getInputs(), backend.timeout());
        calls.computeIfAbsent(backend.name(), b -> new ArrayList<>())
                .add(new BackendCall(backend.name(), http.method(), http.uri(), requests.get(backend.name()).body(lookup.getInputs())));
        CannedResponse response = responses.get(backend.name());
        if (response == null) {
            throw new IllegalStateException("the topology sent a lookup to backend '" + backend.name() + "' (task type "
                    + lookup.getTaskType() + "), but the test declared no answer for it: call respond(\"" + backend.name()
                    + "\", CannedResponse…) before the task starts");
        }
        String call = "lookup " + backend.name() + ": " + http.method() + " " + http.uri() + " -> " + response;
        if (!response.answers()) {
            return call + ": nothing comes back";
        }
        boolean timesOut = response.delay().compareTo(backend.timeout()) >= 0;
        long perAttempt = timesOut ? backend.timeout().toMillis() : response.delay().toMillis();
        Classification c = timesOut
                ? BackendCaller.classifyFailure(new HttpTimeoutException("canned answer slower than the timeout"), perAttempt, false)
                : classifiers.get(backend.name()).classify(response.statusCode(), bytes(response.body()));
        int attempts = c.retryable() ? 1 + backend.retries() : 1;
        long at = now + perAttempt * attempts;
        if (at >= lookup.getDeadline()) {
            return call + ": " + attempts + " attempt(s) of " + perAttempt + " ms end after the deadline, nothing comes back";
        }
        String note = backend.name() + " answers " + ClassificationNotes.describe(backend, response, c);
        due.add(new Due(at, sequence++, BackendCaller.result(lookup, c, attempts, now, at), note));
        return call;
    }

    OptionalLong nextDue() {
        return due.isEmpty() ? OptionalLong.empty() : OptionalLong.of(due.peek().at());
    }

    /** The results due by {@code time}, in time order, removed from the queue. */
    List<Due> dueBy(long time) {
        List<Due> ready = new ArrayList<>();
        while (!due.isEmpty() && due.peek().at() <= time) {
            ready.add(due.poll());
        }
        return ready;
    }

    private BackendConfig configured(String backend) {
        BackendConfig config = catalog.backends().get(backend);
        if (config == null) {
            throw new IllegalArgumentException("backend '" + backend + "' is not configured (no " + BackendConfig.URL.forName(backend)
                    + "); configured backends: " + catalog.backends().keySet().stream().sorted().toList());
        }
        return config;
    }

    private static byte[] bytes(String body) {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }
}
