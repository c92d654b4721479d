package io.asyncflow.app.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.asyncflow.runtime.Component;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stand-ins for the services AsyncFlow calls, on one local HTTP server: three customer databases
 * ({@code GET /{alpha|beta|gamma}/customers?phone=…} → {@code 200 {"customer": {…}}} or 404) and
 * an intent AI ({@code POST /intent/classify} with {@code {"text": …}} → {@code {"intent",
 * "confidence"}}). Each answers after its configured latency, scheduled without holding a server
 * thread; a backend switched {@link #setDown down} answers 503 at once. Calls are counted per backend.
 */
public final class SimulatedBackends implements Component {
    /** Name of the intent AI backend, as in the demo configuration. */
    public static final String INTENT_AI = "intent-ai";
    /** Default latency of each backend. */
    public static final Map<String, Duration> DEFAULT_LATENCIES = Map.of(
            "alpha", Duration.ofMillis(40), "beta", Duration.ofMillis(80), "gamma", Duration.ofMillis(120),
            INTENT_AI, Duration.ofMillis(300));

    /**
     * @param host address to bind, 127.0.0.1 unless the simulator must be reached from elsewhere
     * @param port port, 0 for a free one
     * @param latencies latency per backend; missing ones take {@link #DEFAULT_LATENCIES}
     */
    public record Options(String host, int port, Map<String, Duration> latencies) {
        public Options {
            Objects.requireNonNull(host, "host");
            Map<String, Duration> merged = new LinkedHashMap<>(DEFAULT_LATENCIES);
            merged.putAll(latencies);
            latencies = Map.copyOf(merged);
        }

        public static Options defaults() {
            return new Options("127.0.0.1", 0, Map.of());
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, latencies);
        }

        public Options withLatency(String backend, Duration latency) {
            Map<String, Duration> more = new LinkedHashMap<>(latencies);
            more.put(backend, latency);
            return new Options(host, port, more);
        }
    }

    private final Options options;
    private final Map<String, Map<String, CustomerRecord>> customers = new ConcurrentHashMap<>();
    private final Map<String, Duration> latencies;
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-backends-latency");
        t.setDaemon(true);
        return t;
    });
    private volatile Javalin server;

    public SimulatedBackends(Options options) {
        this.options = options;
        this.latencies = new ConcurrentHashMap<>(options.latencies());
        addCustomer("alpha", "tel:+33611111101", new CustomerRecord("A-1001", "Alice Martin", "gold"));
        addCustomer("beta", "tel:+33611111102", new CustomerRecord("B-2002", "Bruno Petit", "silver"));
        addCustomer("gamma", "tel:+33611111103", new CustomerRecord("G-3003", "Gaston Lagaffe", "standard"));
    }

    /** The customer databases served. */
    public static List<String> databases() {
        return List.of("alpha", "beta", "gamma");
    }

    @Override
    public String name() {
        return "simulated-backends";
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Javalin app = SimServer.create(options.host(), routes -> {
            routes.get("/{db}/customers", this::lookup);
            routes.post("/intent/classify", this::classify);
        });
        server = app.start(options.port());
    }

    @Override
    public boolean isRunning() {
        return SimServer.isRunning(server);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
        scheduler.shutdownNow();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}; the databases are under {@code /alpha} etc. */
    public String baseUrl() {
        return SimServer.baseUrl(options.host(), running());
    }

    /** Adds (or replaces) a customer that {@code database} knows by phone number. */
    public void addCustomer(String database, String phone, CustomerRecord customer) {
        customers.computeIfAbsent(database, d -> new ConcurrentHashMap<>()).put(phone, customer);
    }

    /** Phone numbers each database knows, by database, sorted. */
    public Map<String, List<String>> knownPhones() {
        Map<String, List<String>> result = new java.util.TreeMap<>();
        customers.forEach((db, byPhone) -> result.put(db, byPhone.keySet().stream().sorted().toList()));
        return result;
    }

    /** Makes a backend answer 503 at once ({@code true}) or normally again. */
    public void setDown(String backend, boolean isDown) {
        if (isDown) {
            down.add(backend);
        } else {
            down.remove(backend);
        }
    }

    public boolean isDown(String backend) {
        return down.contains(backend);
    }

    public void setLatency(String backend, Duration latency) {
        latencies.put(backend, latency);
    }

    public Duration latency(String backend) {
        return latencies.getOrDefault(backend, Duration.ZERO);
    }

    /** Requests a backend received so far (answered or not). */
    public long calls(String backend) {
        AtomicLong n = calls.get(backend);
        return n == null ? 0 : n.get();
    }

    private void lookup(Context ctx) {
        String db = ctx.pathParam("db");
        Map<String, CustomerRecord> known = customers.get(db);
        if (known == null) {
            SimServer.json(ctx, 404, SimServer.error("unknown_database", "no database named " + db));
            return;
        }
        count(db);
        if (down.contains(db)) {
            SimServer.json(ctx, 503, SimServer.error("unavailable", db + " is down"));
            return;
        }
        String phone = ctx.queryParam("phone");
        if (phone == null || phone.isBlank()) {
            SimServer.json(ctx, 400, SimServer.error("bad_request", "query parameter 'phone' is required"));
            return;
        }
        CustomerRecord customer = known.get(phone);
        if (customer == null) {
            SimServer.answerLater(ctx, latency(db), scheduler, 404, SimServer.error("not_found", "no customer with this phone number"));
        } else {
            SimServer.answerLater(ctx, latency(db), scheduler, 200, Map.of("customer", customer));
        }
    }

    private void classify(Context ctx) {
        count(INTENT_AI);
        if (down.contains(INTENT_AI)) {
            SimServer.json(ctx, 503, SimServer.error("unavailable", INTENT_AI + " is down"));
            return;
        }
        JsonNode text;
        try {
            text = SimServer.JSON.readTree(ctx.body()).get("text");
        } catch (JsonProcessingException e) {
            SimServer.json(ctx, 400, SimServer.error("bad_request", "body is not JSON"));
            return;
        }
        if (text == null || !text.isTextual()) {
            SimServer.json(ctx, 400, SimServer.error("bad_request", "body must be {\"text\": \"...\"}"));
            return;
        }
        SimServer.answerLater(ctx, latency(INTENT_AI), scheduler, 200, intentOf(text.asText()));
    }

    /** A keyword classifier, enough to tell demo transcripts apart. */
    static Map<String, Object> intentOf(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("card") || t.contains("carte")) {
            return Map.of("intent", "lost_card", "confidence", 0.93);
        }
        if (t.contains("balance") || t.contains("solde")) {
            return Map.of("intent", "check_balance", "confidence", 0.88);
        }
        if (t.contains("address") || t.contains("adresse")) {
            return Map.of("intent", "change_address", "confidence", 0.85);
        }
        return Map.of("intent", "other", "confidence", 0.42);
    }

    private void count(String backend) {
        calls.computeIfAbsent(backend, b -> new AtomicLong()).incrementAndGet();
    }

    private Javalin running() {
        Javalin app = server;
        if (app == null) {
            throw new IllegalStateException(name() + " is not started");
        }
        return app;
    }
}
