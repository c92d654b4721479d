package io.asyncflow.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.ingress.IngressSettings;
import io.asyncflow.processor.lookup.LookupSettings;
import io.asyncflow.processor.sink.SinkSettings;
import io.asyncflow.processor.topology.TopologySettings;
import io.asyncflow.runtime.ClientMeters;
import io.asyncflow.runtime.Component;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console: a web page served from this jar that answers "what happened to this
 * call?" from Kafka alone. Pages: conversations (live list, search, filters), one conversation's
 * timeline with its per-hop trace, backends and Genesys figures with consumer lag, dead letters and
 * orphans with replay, the replay audit log. Its own log-in ({@link ConsoleAuth}: a read-only user
 * and one who may replay), CSRF tokens on every state-changing request, a strict content security
 * policy and no third-party request. Every value that could be caller data is masked before it
 * leaves the server. The JSON API the pages use is described in docs/operator-console.md.
 */
public final class ConsoleServer implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    static final String COOKIE = "asyncflow_console";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String WEB = "/io/asyncflow/operator/web/";
    private static final Map<String, String> ASSETS = Map.of(
            "console.js", "text/javascript; charset=utf-8",
            "login.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");
    private static final int MAX_LIMIT = 500;
    private static final int MAX_BODY = 64 * 1024;

    private final AsyncFlowConfig config;
    private final ConsoleSettings settings;
    private final Topics topics;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Integer budgetPerMinute;
    private volatile Javalin app;
    private volatile ConsoleFeed feed;
    private volatile Admin admin;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile ClientMeters clientMeters;
    private ConsoleAuth auth;
    private ConversationStore conversations;
    private BackendStats stats;
    private DeadLetterBook deadLetters;
    private ConsumerLag lag;
    private Replayer replayer;

    /** @throws io.asyncflow.config.ConfigException when the console's settings are invalid (e.g. no password) */
    public ConsoleServer(AsyncFlowConfig config, PrometheusMeterRegistry registry) {
        this.config = config;
        this.settings = ConsoleSettings.from(config);
        this.topics = Topics.from(config);
        this.registry = registry;
        this.budgetPerMinute = budget(config);
    }

    /** The sink's request budget per minute (all its tokens), from its settings without its secrets; null when they are invalid here. */
    private static Integer budget(AsyncFlowConfig config) {
        try {
            return SinkSettings.from(config).requestsPerMinute();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public synchronized void start() {
        if (app != null) {
            return;
        }
        try {
            open();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void open() {
        for (String name : List.of("index.html", "login.html", "console.js", "login.js", "console.css")) {
            files.put(name, resource(name));
        }
        KafkaSettings kafka = new KafkaSettings(config);
        Time time = Time.SYSTEM;
        auth = new ConsoleAuth(settings, time);
        conversations = new ConversationStore(settings.window().toMillis(), settings.maxConversations(),
                settings.maxEventsPerConversation());
        stats = new BackendStats(settings.statsWindow().toMillis());
        deadLetters = new DeadLetterBook(settings.maxDeadLetters());
        admin = Admin.create(kafka.forClient("admin"));
        lag = new ConsumerLag(admin, groups());
        Map<String, Object> producerProps = kafka.forClient("producer");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "asyncflow-console-replay");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Replayer.DELIVERY_TIMEOUT.toMillis() / 2);
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Replayer.DELIVERY_TIMEOUT.toMillis());
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Replayer.DELIVERY_TIMEOUT.toMillis());
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        replayer = new Replayer(producer, topics, deadLetters, conversations);
        feed = new ConsoleFeed(kafka.forClient("consumer"), topics, settings, conversations, stats, deadLetters, time);
        clientMeters = new ClientMeters(registry);
        clientMeters.producer(producer);
        feed.bindMetrics(clientMeters);
        feed.start();
        QueuedThreadPool threads = new QueuedThreadPool(32, 2, 60_000);
        threads.setName("console-http");
        app = createApp(threads);
        if (settings.host().isEmpty()) {
            app.start(settings.port());
        } else {
            app.start(settings.host(), settings.port());
        }
        LOG.info("operator console on http://{}:{}/ (users: {})", settings.host().isEmpty() ? "localhost" : settings.host(), port(),
                users());
    }

    private String users() {
        List<String> users = new ArrayList<>();
        settings.viewerPassword().ifPresent(p -> users.add(ConsoleSettings.VIEWER + " (read-only)"));
        settings.operatorPassword().ifPresent(p -> users.add(ConsoleSettings.OPERATOR + " (may replay)"));
        return String.join(", ", users);
    }

    private List<String> groups() {
        return List.of(config.require(TopologySettings.APPLICATION_ID), config.require(LookupSettings.GROUP_ID),
                config.require(SinkSettings.GROUP_ID), config.require(IngressSettings.BRIDGE_GROUP_ID));
    }

    private Javalin createApp(QueuedThreadPool threads) {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.http.maxRequestSize = MAX_BODY;
            cfg.jetty.threadPool = threads;
            cfg.routes.before(this::guard);
            cfg.routes.get("/", ctx -> page(ctx, "index.html"));
            cfg.routes.get("/login", ctx -> page(ctx, "login.html"));
            cfg.routes.get("/assets/{name}", this::asset);
            cfg.routes.get("/favicon.ico", ctx -> ctx.status(204));
            cfg.routes.get("/health", ctx -> ctx.status(isRunning() ? 200 : 503).json(Map.of("status", isRunning() ? "UP" : "DOWN")));
            cfg.routes.post("/api/login", this::logIn);
            cfg.routes.post("/api/logout", this::logOut);
            cfg.routes.get("/api/session", ctx -> ctx.json(sessionJson(session(ctx))));
            cfg.routes.get("/api/conversations", this::conversationList);
            cfg.routes.get("/api/conversations/{id}", this::conversation);
            cfg.routes.get("/api/backends", this::backends);
            cfg.routes.get("/api/dead-letters", this::deadLetterList);
            cfg.routes.post("/api/dead-letters/replay", this::replay);
            cfg.routes.get("/api/audit", ctx -> ctx.json(Map.of("items", deadLetters.audit())));
            cfg.routes.exception(Refused.class, (e, ctx) -> refused(ctx, e));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("console request {} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(Map.of("error", "internal error; see the console's log"));
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    ctx.json(Map.of("error", "no such page"));
                }
            });
        });
    }

    /** A request refused with an HTTP status and a reason the page shows. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void refused(Context ctx, Refused e) {
        if (e.status == 401 && !ctx.path().startsWith("/api/")) {
            ctx.redirect("/login");
            return;
        }
        ctx.status(e.status).json(Map.of("error", e.getMessage()));
    }

    /** Security headers on every answer; a session on every path but the log-in page, its assets and /health; CSRF on POSTs. */
    private void guard(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        String path = ctx.path();
        boolean post = "POST".equals(ctx.method().name());
        if (post) {
            sameOrigin(ctx);
        }
        if (path.equals("/login") || path.startsWith("/assets/") || path.equals("/health") || path.equals("/api/login")
                || path.equals("/favicon.ico")) {
            return;
        }
        ConsoleAuth.Session session = session(ctx);
        if (post && !ConsoleAuth.csrfMatches(session, ctx.header(CSRF_HEADER))) {
            throw new Refused(403, "missing or wrong " + CSRF_HEADER + " header; reload the page");
        }
    }

    /** A POST whose Origin header names another site is refused (the CSRF token is the main guard). */
    private static void sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && host != null && !origin.equals("http://" + host) && !origin.equals("https://" + host)) {
            throw new Refused(403, "cross-origin request refused");
        }
    }

    private ConsoleAuth.Session session(Context ctx) {
        return auth.session(ctx.cookie(COOKIE)).orElseThrow(() -> new Refused(401, "log in first"));
    }

    private static Map<String, String> sessionJson(ConsoleAuth.Session s) {
        return Map.of("user", s.user(), "role", s.role().label(), "csrf", s.csrf());
    }

    private void logIn(Context ctx) throws IOException {
        JsonNode body = body(ctx);
        String user = body.path("user").asText("");
        String password = body.path("password").asText("");
        Optional<ConsoleAuth.Session> session;
        try {
            session = auth.logIn(user, password, ctx.ip());
        } catch (ConsoleAuth.LockedOut e) {
            LOG.warn("console log-in of '{}' refused: locked after failures", io.asyncflow.util.Mask.message(user));
            ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            throw new Refused(429, e.getMessage());
        }
        if (session.isEmpty()) {
            LOG.info("console log-in failed for '{}' from {}", io.asyncflow.util.Mask.message(user), ctx.ip());
            throw new Refused(401, "wrong user or password");
        }
        ConsoleAuth.Session s = session.get();
        LOG.info("console log-in: {} ({}) from {}", s.user(), s.role().label(), ctx.ip());
        ctx.header("Set-Cookie", COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict"
                + ("https".equals(ctx.scheme()) ? "; Secure" : ""));
        ctx.json(sessionJson(s));
    }

    private void logOut(Context ctx) {
        auth.logOut(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.status(204);
    }

    private JsonNode body(Context ctx) throws IOException {
        String text = ctx.body();
        if (text.length() > MAX_BODY) {
            throw new Refused(413, "request too large");
        }
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new Refused(400, "the body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Refused(400, "the body is not JSON");
        }
    }

    private void conversationList(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !status.isBlank() && !ConversationStore.STATUS_FILTERS.contains(status)) {
            throw new Refused(400, "status must be one of " + ConversationStore.STATUS_FILTERS);
        }
        int limit = limit(ctx.queryParam("limit"));
        ConversationStore.Page<ConversationStore.Summary> page = conversations.find(ctx.queryParam("q"), ctx.queryParam("type"),
                status, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("shown", page.items().size());
        out.put("window", settings.window().toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        out.put("max", settings.maxConversations());
        out.put("taskTypes", conversations.taskTypes());
        out.put("items", page.items());
        ctx.json(out);
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return 100;
        }
        try {
            return Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(text.trim())));
        } catch (NumberFormatException e) {
            throw new Refused(400, "limit must be a number");
        }
    }

    private void conversation(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.json(conversations.detail(id).orElseThrow(() -> new Refused(404, "conversation " + io.asyncflow.util.Mask.id(id)
                + " is not (or no longer) in the console's window")));
    }

    private void backends(Context ctx) {
        long now = System.currentTimeMillis();
        ConsumerLag.Snapshot lagNow = lag.get(now);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("windowSeconds", settings.statsWindow().toSeconds());
        out.put("backends", stats.backends(now));
        String sinkGroup = config.require(SinkSettings.GROUP_ID);
        Long backlog = lagNow.groups().stream().filter(g -> g.group().equals(sinkGroup)).map(ConsumerLag.GroupLag::lag)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        out.put("genesys", stats.genesys(now, budgetPerMinute, backlog));
        out.put("lag", lagNow.groups());
        out.put("lagReadAt", lagNow.readAt());
        ctx.json(out);
    }

    private void deadLetterList(Context ctx) {
        ctx.json(Map.of("items", deadLetters.entries(replayer::replayableTopic), "orphans", deadLetters.orphans()));
    }

    private void replay(Context ctx) throws IOException, InterruptedException {
        ConsoleAuth.Session session = session(ctx);
        if (session.role() != ConsoleAuth.Role.REPLAY) {
            LOG.warn("console user {} ({}) tried to replay dead letters; refused", session.user(), session.role().label());
            throw new Refused(403, "the " + session.role().label() + " role may not replay");
        }
        JsonNode body = body(ctx);
        if (!body.path("confirm").asBoolean(false)) {
            throw new Refused(400, "a replay must be confirmed (\"confirm\": true)");
        }
        List<String> ids = new ArrayList<>();
        body.path("ids").forEach(n -> ids.add(n.asText()));
        try {
            ctx.json(replayer.replay(session.user(), ids, body.path("force").asBoolean(false)));
        } catch (IllegalArgumentException e) {
            throw new Refused(400, e.getMessage());
        }
    }

    private void page(Context ctx, String name) {
        if (name.equals("index.html")) {
            session(ctx);
        }
        ctx.contentType("text/html; charset=utf-8").result(files.get(name));
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("name");
        String type = ASSETS.get(name);
        if (type == null) {
            throw new Refused(404, "no such asset");
        }
        ctx.contentType(type).result(files.get(name));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(WEB + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's page " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bound HTTP port (the real one when {@code console.port=0}). */
    public int port() {
        Javalin current = app;
        if (current == null) {
            throw new IllegalStateException("the console is not started");
        }
        return current.port();
    }

    /** The conversations held, for tests and the demo. */
    public int conversationCount() {
        return conversations == null ? 0 : conversations.size();
    }

    @Override
    public boolean isRunning() {
        Javalin current = app;
        ConsoleFeed currentFeed = feed;
        return current != null && current.jettyServer().server().isRunning() && currentFeed != null && currentFeed.isRunning();
    }

    @Override
    public synchronized void close() {
        if (clientMeters != null) {
            clientMeters.close();
            clientMeters = null;
        }
        if (app != null) {
            app.stop();
            app = null;
        }
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
        if (lag != null) {
            lag.close();
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
            admin = null;
        }
    }
}
