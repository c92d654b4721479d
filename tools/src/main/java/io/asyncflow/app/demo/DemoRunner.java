package io.asyncflow.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asyncflow.app.demo.CallResult.TimelineEntry;
import io.asyncflow.app.demo.DemoScenario.DemoCall;
import io.asyncflow.app.local.LocalStack;
import io.asyncflow.app.sim.GenesysWrite;
import io.asyncflow.app.sim.SequentialLookups;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.config.TaskTypeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Places the demo's calls through the running ingress, as an Architect data action and Genesys
 * events would, and reads back what the call flow would see: the answer of a long poll on the
 * result endpoint (the wait Data Action) and the participant-data writes.
 */
public final class DemoRunner implements AutoCloseable {
    private static final Set<String> TERMINAL = Set.of("SUCCESS", "NOT_FOUND", "TIMEOUT", "ERROR");
    private static final Duration SLOW_AI = Duration.ofSeconds(3);
    private static final Duration QUIET_AFTER_HANG_UP = Duration.ofSeconds(2);
    private static final Duration LONG_POLL = Duration.ofSeconds(8);

    private final LocalStack stack;
    private final TaskCatalog catalog;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final OrphanWatcher orphans;
    private final SequentialLookups sequential;

    public DemoRunner(LocalStack stack) {
        this.stack = stack;
        this.catalog = TaskCatalog.from(stack.config());
        this.orphans = new OrphanWatcher(stack.config());
        this.sequential = new SequentialLookups(http, stack.backends().baseUrl());
    }

    /**
     * Places one unscripted call and waits for its final status, so the scripted calls do not pay
     * for consumer-group joins and the first Genesys token, then {@link #WARM_UP_BURST} more,
     * so the JVM has compiled the hot path before the scripted calls are timed (a cold JVM's first
     * conversations take several times as long as later ones). Those callers hang up right after
     * their request: their lookups run and the topology decides, but a cancelled task writes no
     * participant data, so the burst spends none of the sink's Genesys budget (300 requests a minute)
     * that the scripted calls need. Returns the first call's result.
     */
    public CallResult warmUp() throws IOException, InterruptedException {
        CallResult first = warmUpCall();
        if (first.asExpected()) {
            burst(WARM_UP_BURST);
        }
        return first;
    }

    /** Conversations placed at once during the warm-up. */
    public static final int WARM_UP_BURST = 200;

    /**
     * Places {@code n} identify-caller requests one after the other, each caller hanging up as soon
     * as the request is accepted (before the fastest database answers), then waits for their lookups.
     */
    private void burst(int n) throws InterruptedException, IOException {
        for (int i = 0; i < n; i++) {
            String conversationId = UUID.randomUUID().toString();
            String participantId = UUID.randomUUID().toString();
            String ani = "tel:+3361111110" + (1 + i % 3);
            stack.genesys().registerConversation(conversationId, participantId, ani);
            HttpResponse<String> accepted = post("/v1/tasks",
                    taskRequest(conversationId, participantId, DemoScenario.IDENTIFY_CALLER, Map.of("ani", ani)).toString());
            if (accepted.statusCode() != 202) {
                throw new IOException("the ingress refused a warm-up request: " + accepted.statusCode() + " " + accepted.body());
            }
            hangUp(conversationId, participantId, ani);
        }
        // the slowest database answers within 120 ms: leave the last lookups, results and orphans time to pass
        Thread.sleep(1_000);
    }

    private CallResult warmUpCall() throws IOException, InterruptedException {
        DemoCall warmUp = new DemoCall(0, "warm-up", "warm-up", DemoScenario.IDENTIFY_CALLER, Map.of("ani", "tel:+33611111101"),
                DemoScenario.Setup.NONE, null, false, new DemoScenario.Expectation("SUCCESS", "alpha", Map.of()), List.of());
        return place(warmUp);
    }

    /** Places one call and waits for its outcome. */
    public CallResult place(DemoCall call) throws IOException, InterruptedException {
        stack.genesys().registerConversation(call.conversationId(), call.participantId(), call.inputs().get("ani"));
        Duration aiLatency = stack.backends().latency("intent-ai");
        apply(call.setup(), true, aiLatency);
        try {
            return run(call);
        } finally {
            apply(call.setup(), false, aiLatency);
        }
    }

    private CallResult run(DemoCall call) throws IOException, InterruptedException {
        TaskTypeConfig type = catalog.taskType(call.taskType()).orElseThrow();
        List<TimelineEntry> timeline = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Long> callsBefore = backendCalls();
        String key = call.repeat() ? "demo-" + UUID.randomUUID() : null;
        long t0 = System.nanoTime();

        JsonNode first = submit(call, key);
        timeline.add(new TimelineEntry(since(t0), "202 " + first.path("status").asText() + ", taskId " + first.path("taskId").asText()));
        CompletableFuture<TimelineEntry> longPoll = longPoll(first.path("taskId").asText(), t0);
        if (call.repeat()) {
            JsonNode second = submit(call, key);
            timeline.add(new TimelineEntry(since(t0), "repeat: 202 " + second.path("status").asText() + ", taskId " + second.path("taskId").asText()));
            if (!"DUPLICATE".equals(second.path("status").asText()) || !first.path("taskId").equals(second.path("taskId"))) {
                problems.add("the repeated request was not recognised as a duplicate of " + first.path("taskId").asText());
            }
        }
        if (call.hangUpAfter() != null) {
            sleepUntil(t0, call.hangUpAfter());
            hangUp(call);
            timeline.add(new TimelineEntry(since(t0), "caller hangs up (customer.end event)"));
        }

        long waitMillis = type.deadline().toMillis() + 5_000;
        GenesysWrite terminal = awaitTerminal(call, type, t0, waitMillis);
        for (GenesysWrite write : stack.genesys().writesFor(call.conversationId())) {
            timeline.add(new TimelineEntry(millis(write.arrivalNanos() - t0), describe(write, type)));
        }
        TimelineEntry polled = awaitLongPoll(longPoll, problems);
        timeline.add(polled);
        String outcome = terminal == null ? "none" : terminal.attributes().get(type.statusKey());
        if (terminal != null && !polled.what().startsWith("long poll answered " + outcome)) {
            problems.add("the long poll did not answer " + outcome + ": " + polled.what());
        }
        String backend = terminal == null ? null : terminal.attributes().get(type.backendKey());
        long resultMillis = terminal == null ? -1 : millis(terminal.arrivalNanos() - t0);

        if (call.hangUpAfter() != null) {
            OrphanWatcher.Orphan orphan = awaitOrphan(call.conversationId(), t0 + QUIET_AFTER_HANG_UP.toNanos());
            if (orphan != null) {
                timeline.add(new TimelineEntry(millis(orphan.seenNanos() - t0), "late result from " + orphan.update().getBackend()
                        + " recorded on the orphans topic for follow-up (" + orphan.update().getAttributes().get("customerName") + ")"));
            } else {
                timeline.add(new TimelineEntry(QUIET_AFTER_HANG_UP.toMillis(),
                        "no late result: the lookups still pending at the hang-up were skipped"));
            }
            if (terminal == null) {
                outcome = DemoScenario.NO_RESULT_WRITTEN;
                resultMillis = orphan == null ? -1 : millis(orphan.seenNanos() - t0);
            }
        }
        timeline.sort(Comparator.comparingLong(TimelineEntry::atMillis));
        check(call, terminal, outcome, backend, problems);
        if (call.repeat()) {
            checkSingleRun(call, callsBefore, type, problems);
        }
        long sequential = sequentialMillis(call);
        long flowMillis = terminal != null && polled.what().startsWith("long poll answered " + outcome) ? polled.atMillis() : -1;
        return new CallResult(call, timeline, outcome, backend, resultMillis, flowMillis, sequential, problems);
    }

    private void check(DemoCall call, GenesysWrite terminal, String outcome, String backend, List<String> problems) {
        DemoScenario.Expectation expected = call.expected();
        if (!expected.status().equals(outcome)) {
            problems.add("expected " + expected.status() + " but got " + outcome);
        }
        if (expected.backend() != null && !expected.backend().equals(backend)) {
            problems.add("expected the answer of " + expected.backend() + " but got " + backend);
        }
        if (terminal != null) {
            expected.attributes().forEach((k, v) -> {
                if (!v.equals(terminal.attributes().get(k))) {
                    problems.add("participant data " + k + " = " + terminal.attributes().get(k) + ", expected " + v);
                }
            });
        }
    }

    private void checkSingleRun(DemoCall call, Map<String, Long> callsBefore, TaskTypeConfig type, List<String> problems) {
        Map<String, Long> after = backendCalls();
        for (String backend : type.backends()) {
            long made = after.get(backend) - callsBefore.get(backend);
            if (made != 1) {
                problems.add("backend " + backend + " was called " + made + " times for one task");
            }
        }
        long terminalWrites = stack.genesys().writesFor(call.conversationId()).stream()
                .filter(w -> TERMINAL.contains(w.attributes().get(type.statusKey()))).count();
        if (terminalWrites != 1) {
            problems.add(terminalWrites + " final statuses written instead of one");
        }
    }

    /** The body of a Data Action's {@code POST /v1/tasks}. */
    private ObjectNode taskRequest(String conversationId, String participantId, String taskType, Map<String, String> inputs) {
        ObjectNode body = json.createObjectNode()
                .put("conversationId", conversationId)
                .put("participantId", participantId)
                .put("taskType", taskType);
        body.set("inputs", json.valueToTree(inputs));
        return body;
    }

    private JsonNode submit(DemoCall call, String idempotencyKey) throws IOException, InterruptedException {
        ObjectNode body = taskRequest(call.conversationId(), call.participantId(), call.taskType(), call.inputs());
        if (idempotencyKey != null) {
            body.put("idempotencyKey", idempotencyKey);
        }
        HttpResponse<String> response = post("/v1/tasks", body.toString());
        if (response.statusCode() != 202) {
            throw new IOException("the ingress answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /** A wait Data Action's call: the task's result, as soon as it is final or when the wait ends. */
    private CompletableFuture<TimelineEntry> longPoll(String taskId, long t0) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/v1/tasks/" + taskId + "?wait=" + LONG_POLL.toSeconds() + "s"))
                .timeout(LONG_POLL.plusSeconds(7))
                .header("Authorization", "Bearer " + stack.ingressToken()).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            long at = since(t0);
            if (r.statusCode() != 200) {
                return new TimelineEntry(at, "long poll refused: " + r.statusCode() + " " + r.body());
            }
            try {
                JsonNode a = json.readTree(r.body());
                Map<String, String> attributes = json.convertValue(a.path("attributes"), new com.fasterxml.jackson.core.type.TypeReference<>() { });
                return new TimelineEntry(at, "long poll answered " + outcome(a.path("status").asText(), a.path("backend").asText(""),
                        attributes, a.path("reason").asText("")) + ("true".equals(a.path("final").asText()) ? "" : " (not final yet)"));
            } catch (IOException e) {
                return new TimelineEntry(at, "long poll answered unreadable JSON: " + e.getMessage());
            }
        });
    }

    private static TimelineEntry awaitLongPoll(CompletableFuture<TimelineEntry> longPoll, List<String> problems)
            throws InterruptedException {
        try {
            return longPoll.get(LONG_POLL.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            problems.add("the long poll failed: " + e);
            return new TimelineEntry(LONG_POLL.toMillis(), "long poll failed: " + e.getMessage());
        }
    }

    private void hangUp(DemoCall call) throws IOException, InterruptedException {
        hangUp(call.conversationId(), call.participantId(), call.inputs().getOrDefault("ani", ""));
    }

    private void hangUp(String conversationId, String participantId, String ani) throws IOException, InterruptedException {
        String topic = "v2.detail.events.conversation." + conversationId + ".customer.end";
        ObjectNode event = json.createObjectNode().put("topicName", topic).put("version", "2");
        event.putObject("eventBody")
                .put("eventTime", System.currentTimeMillis())
                .put("conversationId", conversationId)
                .put("participantId", participantId)
                .put("sessionId", UUID.randomUUID().toString())
                .put("mediaType", "VOICE")
                .put("direction", "INBOUND")
                .put("ani", ani)
                .put("dnis", "tel:+33100000000");
        event.putObject("metadata").put("CorrelationId", UUID.randomUUID().toString());
        HttpResponse<String> response = post("/v1/events", event.toString());
        if (response.statusCode() != 202) {
            throw new IOException("the ingress refused the customer.end event: " + response.statusCode() + " " + response.body());
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + path))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + stack.ingressToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private GenesysWrite awaitTerminal(DemoCall call, TaskTypeConfig type, long t0, long waitMillis) throws InterruptedException {
        long end = t0 + Duration.ofMillis(call.hangUpAfter() != null ? QUIET_AFTER_HANG_UP.toMillis() : waitMillis).toNanos();
        while (System.nanoTime() < end) {
            for (GenesysWrite write : stack.genesys().writesFor(call.conversationId())) {
                if (TERMINAL.contains(write.attributes().get(type.statusKey()))) {
                    return write;
                }
            }
            Thread.sleep(5);
        }
        return null;
    }

    private OrphanWatcher.Orphan awaitOrphan(String conversationId, long untilNanos) throws InterruptedException {
        while (System.nanoTime() < untilNanos) {
            OrphanWatcher.Orphan orphan = orphans.orphanOf(conversationId);
            if (orphan != null) {
                return orphan;
            }
            Thread.sleep(5);
        }
        return orphans.orphanOf(conversationId);
    }

    /** The same lookups one after another, as a sequential workflow makes them, until one answers. */
    private long sequentialMillis(DemoCall call) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            sequential.firstAnswering(call.sequentialBackends(), call.inputs()).get();
        } catch (ExecutionException e) {
            return -1;
        }
        return millis(System.nanoTime() - t0);
    }

    private String describe(GenesysWrite write, TaskTypeConfig type) {
        Map<String, String> a = write.attributes();
        return "participant data: " + type.statusKey() + " = "
                + outcome(a.getOrDefault(type.statusKey(), "?"), a.getOrDefault(type.backendKey(), ""), a, a.getOrDefault(type.reasonKey(), ""));
    }

    /** A status with its backend, the demo's result attributes and its reason, as the demo prints them. */
    private static String outcome(String status, String backend, Map<String, String> attributes, String reason) {
        StringBuilder s = new StringBuilder(status);
        if (!backend.isEmpty()) {
            s.append(" from ").append(backend);
        }
        if (attributes.containsKey("customerName")) {
            s.append(" (").append(attributes.get("customerName")).append(", ").append(attributes.get("customerId")).append(")");
        }
        if (attributes.containsKey("intent")) {
            s.append(" (intent ").append(attributes.get("intent")).append(")");
        }
        if (!reason.isEmpty()) {
            s.append(" - ").append(reason);
        }
        return s.toString();
    }

    private void apply(DemoScenario.Setup setup, boolean on, Duration normalAiLatency) {
        switch (setup) {
            case BETA_DOWN -> stack.backends().setDown("beta", on);
            case SLOW_AI -> stack.backends().setLatency("intent-ai", on ? SLOW_AI : normalAiLatency);
            case NONE -> {
            }
        }
    }

    private Map<String, Long> backendCalls() {
        Map<String, Long> calls = new java.util.HashMap<>();
        catalog.backends().keySet().forEach(b -> calls.put(b, stack.backends().calls(b)));
        return calls;
    }

    private static void sleepUntil(long t0, Duration after) throws InterruptedException {
        long remaining = t0 + after.toNanos() - System.nanoTime();
        if (remaining > 0) {
            Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
        }
    }

    private static long since(long t0) {
        return millis(System.nanoTime() - t0);
    }

    private static long millis(long nanos) {
        return Math.max(0, nanos / 1_000_000);
    }

    @Override
    public void close() {
        orphans.close();
    }
}
