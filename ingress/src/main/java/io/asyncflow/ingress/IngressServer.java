package io.asyncflow.ingress;

import io.asyncflow.runtime.ClientMeters;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.Password;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.genesys.GenesysEventMapper;
import io.asyncflow.ingress.genesys.GenesysEventReader;
import io.asyncflow.ingress.http.AcceptedTasks;
import io.asyncflow.ingress.http.AsyncAnswer;
import io.asyncflow.ingress.http.BodySignature;
import io.asyncflow.ingress.http.Credentials;
import io.asyncflow.ingress.http.ErrorAnswers;
import io.asyncflow.ingress.http.EventIntake;
import io.asyncflow.ingress.http.ReadinessProbe;
import io.asyncflow.ingress.http.RequestBody;
import io.asyncflow.ingress.http.RequestGuard;
import io.asyncflow.ingress.http.RequestRejected;
import io.asyncflow.ingress.http.TaskIntake;
import io.asyncflow.ingress.http.TaskSubmissionMapper;
import io.asyncflow.ingress.http.TaskSubmissionReader;
import io.asyncflow.ingress.kafka.AckingProducer;
import io.asyncflow.ingress.result.LongPoll;
import io.asyncflow.ingress.result.ResultEndpoint;
import io.asyncflow.ingress.result.ResultSettings;
import io.asyncflow.ingress.result.StatusFeed;
import io.asyncflow.ingress.result.StatusView;
import io.asyncflow.runtime.Component;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.TopicAdmin;
import io.asyncflow.topic.Topics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashSet;
import java.util.Set;
import io.asyncflow.trace.HopMeter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Time;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticated HTTP ingress (Javalin): {@code POST /v1/tasks} (execution requests from
 * Architect Data Actions), {@code POST /v1/events} (Genesys events: EventBridge envelopes, batches,
 * Notifications messages), {@code GET /v1/tasks/{taskId}} and
 * {@code GET /v1/conversations/{conversationId}/tasks/{taskType}} (a task's status and result, with
 * an optional long poll; answered from a {@link StatusView} that every instance rebuilds from Kafka),
 * {@code GET /health}, {@code GET /ready} and {@code GET /metrics} (Prometheus). Every accepted
 * request is answered 202 only after the broker acknowledged its records; an unreachable broker
 * gives 503 within {@code ingress.produce-timeout}. See docs/DESIGN.md "Ingress HTTP API" for the
 * contract and {@link IngressSettings} and {@link ResultSettings} for the keys.
 */
public final class IngressServer implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(IngressServer.class);
    private static final String TASKS = "/v1/tasks";
    private static final String EVENTS = "/v1/events";
    private static final String HEALTH = "/health";
    private static final String READY = "/ready";
    private static final String METRICS = "/metrics";
    private static final java.time.Duration CATCH_UP_WAIT = java.time.Duration.ofSeconds(30);
    private static final Set<String> ROUTES = Set.of(TASKS, EVENTS, HEALTH, READY, METRICS,
            ResultEndpoint.BY_TASK, ResultEndpoint.BY_CONVERSATION);

    private final AsyncFlowConfig config;
    private final IngressSettings settings;
    private final ResultSettings resultSettings;
    private final TaskCatalog catalog;
    private final Topics topics;
    private final PrometheusMeterRegistry registry;
    private ClientMeters clientMeters;
    private final IngressMetrics metrics;
    private final ObjectMapper json = IngressJson.mapper();

    /** Entries of Jetty's per-connection header-field cache: none (a caller's few headers parse cheaply without it). */
    static final int HEADER_CACHE_SIZE = 0;

    private volatile Javalin app;
    private volatile AckingProducer producer;
    private volatile io.asyncflow.activity.ActivityLog activity = io.asyncflow.activity.ActivityLog.NONE;
    private volatile Admin admin;
    private volatile StatusView view;
    private volatile StatusFeed feed;

    /** An ingress with its own Prometheus registry. */
    public IngressServer(AsyncFlowConfig config) {
        this(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * An ingress publishing its metrics (and those of components sharing the registry) on /metrics.
     *
     * @throws io.asyncflow.config.ConfigException when the configuration is invalid, e.g. no ingress.token
     */
    public IngressServer(AsyncFlowConfig config, PrometheusMeterRegistry registry) {
        this.config = config;
        this.settings = IngressSettings.from(config);
        this.resultSettings = ResultSettings.from(config);
        this.catalog = TaskCatalog.from(config);
        this.topics = Topics.from(config);
        this.registry = registry;
        this.metrics = new IngressMetrics(registry);
    }

    @Override
    public String name() {
        return "ingress";
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

    /** Opens the Kafka clients, the status view and the HTTP server; {@link #start} closes what opened when one fails. */
    private void open() {
        KafkaSettings kafka = new KafkaSettings(config);
        admin = Admin.create(kafka.forClient("admin"));
        if (config.getBoolean(Topics.CREATE)) {
            TopicAdmin.ensureTopics(admin, topics, config);
        }
        producer = new AckingProducer(AckingProducer.settings(kafka, settings.produceTimeout(), "asyncflow-ingress"),
                settings.produceTimeout(), settings.maxInFlight(), metrics);
        view = new StatusView(Time.SYSTEM, resultSettings.retention(), resultSettings.maxTasks());
        feed = new StatusFeed(kafka.forClient("consumer"), topics, view, resultSettings.retention(), Time.SYSTEM,
                HopMeter.of(registry));
        clientMeters = new ClientMeters(registry);
        producer.bindMetrics(clientMeters);
        feed.bindMetrics(clientMeters);
        feed.start();
        if (!feed.awaitCaughtUp(CATCH_UP_WAIT)) {
            LOG.warn("the status view has not read the status and tasks topics up to their end within {}; "
                    + "it goes on, and /ready and the result endpoint answer 503 until it has", CATCH_UP_WAIT);
        }
        QueuedThreadPool jettyThreads = new QueuedThreadPool(64, 4, 60_000);
        jettyThreads.setName("ingress-http");
        app = createApp(jettyThreads);
        if (settings.host().isEmpty()) {
            app.start(settings.port());
        } else {
            app.start(settings.host(), settings.port());
        }
        if (settings.token().isEmpty()) {
            LOG.warn("ingress.token is not set and {} is true: the ingress accepts unauthenticated requests",
                    IngressSettings.ALLOW_UNAUTHENTICATED.name());
        }
        LOG.info("ingress listening on {}:{} ({}), producing to {}",
                settings.host().isEmpty() ? "0.0.0.0 (all interfaces; set ingress.host to bind one)" : settings.host(),
                port(), settings, topics.tasks());
    }

    private Javalin createApp(QueuedThreadPool jettyThreads) {
        ErrorAnswers errors = new ErrorAnswers(metrics);
        AsyncAnswer answer = new AsyncAnswer(jettyThreads, errors);
        RequestBody body = new RequestBody(settings.maxBodyBytes(), BodySignature.of(settings.hmacSecret().map(Password::value)));
        AcceptedTasks accepted = new AcceptedTasks(settings.idempotencyWindow(), settings.idempotencyCacheSize());
        TaskSubmissionReader submissions = new TaskSubmissionReader(json, catalog, settings.maxDeadline());
        TaskIntake taskIntake = new TaskIntake(topics.tasks(), new TaskSubmissionMapper(Time.SYSTEM), accepted, producer,
                a -> view.acceptedNow(a.taskId(), a.conversationId(), a.taskType()));
        activity = producer.activityLog(topics.activity());
        ResultEndpoint results = new ResultEndpoint(new LongPoll(view, resultSettings, registry), submissions, answer,
                activity);
        ObjectMapper events = IngressJson.eventMapper();
        EventIntake eventIntake = new EventIntake(new GenesysEventReader(events),
                new GenesysEventMapper(events, catalog, Time.SYSTEM), topics.tasks(), accepted, producer, metrics);
        ReadinessProbe readiness = new ReadinessProbe(admin, topics.tasks().name(), settings.produceTimeout());
        Set<String> publicPaths = new HashSet<>(Set.of(HEALTH, READY));
        if (settings.metricsPublic()) {
            publicPaths.add(METRICS);
        }
        RequestGuard guard = new RequestGuard(settings.allowedCidrs(), Credentials.of(settings.token().map(Password::value)), publicPaths);

        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = settings.maxBodyBytes();
            cfg.jetty.threadPool = jettyThreads;
            // Jetty keeps a header-field cache per connection (1,024 entries by default, about 90 KB of
            // char[] each): with thousands of long polls open that was 100 KB of heap per waiting poll
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setHeaderCacheSize(HEADER_CACHE_SIZE);
                // slow uploads: a blocking body read waits at most this long for more bytes, and a body
                // slower than the minimum rate is cut with 408, so a trickling caller frees its thread
                http.setIdleTimeout(settings.bodyReadTimeout().toMillis());
                http.setMinRequestDataRate(settings.minBodyRate());
            });
            cfg.requestLogger.http((ctx, ms) -> metrics.request(route(ctx), ctx.statusCode()));
            cfg.routes.before(guard);
            cfg.routes.post(TASKS, ctx -> answer.json(ctx, 202, taskIntake.submit(submissions.read(body.read(ctx)))));
            cfg.routes.post(EVENTS, ctx -> answer.json(ctx, 202, eventIntake.submit(body.read(ctx))));
            cfg.routes.get(ResultEndpoint.BY_TASK, results::byTask);
            cfg.routes.get(ResultEndpoint.BY_CONVERSATION, results::byConversation);
            cfg.routes.get(HEALTH, ctx -> ctx.json(new ReadinessProbe.Readiness(isRunning() ? "UP" : "DOWN", null))
                    .status(isRunning() ? 200 : 503));
            cfg.routes.get(READY, ctx -> ctx.future(() -> readiness.check()
                    .thenApply(r -> r.up() && !view.caughtUp() ? new ReadinessProbe.Readiness("DOWN", "still reading task statuses from Kafka") : r)
                    .thenAcceptAsync(r -> ctx.status(r.up() && isRunning() ? 200 : 503).json(r), jettyThreads)));
            cfg.routes.get(METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
            cfg.routes.exception(Exception.class, (e, ctx) -> errors.write(ctx, e));
            cfg.routes.error(404, ctx -> errors.writeUnlessAnswered(ctx, new RequestRejected(404, "not-found", "no such endpoint")));
            cfg.routes.error(405, ctx -> errors.writeUnlessAnswered(ctx, new RequestRejected(405, "method-not-allowed", "method not allowed here")));
        });
    }

    /** The route template of a request (ids left out), or "other" for paths the ingress does not serve. */
    private static String route(Context ctx) {
        String path;
        try {
            io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            path = matched == null ? ctx.path() : matched.path;
        } catch (RuntimeException e) {
            path = ctx.path();
        }
        return ROUTES.contains(path) ? path : "other";
    }

    /** The bound HTTP port (the real one when {@code ingress.port=0}). */
    public int port() {
        Javalin current = app;
        if (current == null) {
            throw new IllegalStateException("the ingress is not started");
        }
        return current.port();
    }

    @Override
    public boolean isRunning() {
        Javalin current = app;
        StatusFeed currentFeed = feed;
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
        activity.close();
        if (producer != null) {
            producer.close(settings.produceTimeout());
            producer = null;
        }
        if (admin != null) {
            admin.close(settings.produceTimeout());
            admin = null;
        }
        LOG.info("ingress stopped");
    }
}
