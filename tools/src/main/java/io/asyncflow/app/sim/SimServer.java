package io.asyncflow.app.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The HTTP server under each simulator: Javalin bound to one host, small bodies, JSON answers. */
final class SimServer {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BODY_BYTES = 64 * 1024;

    private SimServer() {
    }

    /** A configured, not yet started Javalin bound to {@code host}, with the routes {@code routes} adds. */
    static Javalin create(String host, java.util.function.Consumer<io.javalin.config.RoutesConfig> routes) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.jetty.host = host;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            routes.accept(config.routes);
        });
    }

    /** True while {@code app} was started and its Jetty server runs. */
    static boolean isRunning(Javalin app) {
        return app != null && app.jettyServer().server().isRunning();
    }

    static String baseUrl(String host, Javalin app) {
        return "http://" + host + ":" + app.port();
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).json(body);
    }

    static Map<String, String> error(String code, String message) {
        return Map.of("error", code, "message", message);
    }

    /**
     * Answers after {@code delay} without holding a server thread: the response is completed by
     * {@code scheduler} when the delay has passed.
     */
    static void answerLater(Context ctx, Duration delay, ScheduledExecutorService scheduler, int status, Object body) {
        Executor later = CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS, scheduler);
        ctx.future(() -> CompletableFuture.runAsync(() -> json(ctx, status, body), later));
    }
}
