package io.asyncflow.app.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.asyncflow.runtime.Component;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A local stand-in for the parts of Genesys Cloud AsyncFlow uses:
 * <ul>
 *   <li>{@code POST /oauth/token} — client credentials (HTTP Basic), answers a bearer token;</li>
 *   <li>{@code GET /api/v2/conversations/{cid}} — the conversation with an IVR participant and the
 *       customer participant ({@code "purpose": "customer"}) and their attributes;</li>
 *   <li>{@code PATCH /api/v2/conversations/{cid}/participants/{pid}/attributes} with
 *       {@code {"attributes": {…}}} (string values) — merged into the participant, answered 202,
 *       recorded with its arrival time.</li>
 * </ul>
 * API calls need a token it issued; every token request gets a token of its own, as Genesys issues
 * them, so a client may hold several. With a rate limit set, more than N API calls per minute and
 * token are answered 429 with {@code Retry-After}, as the real service does (300 per
 * client-credentials token); each token has its own budget. Writes are kept for
 * queries ({@link #writes()}, {@link #writesFor}) and passed to {@link #onWrite listeners}. A conversation
 * never {@link #registerConversation registered} is created on first use: its customer is the
 * participant of the first write, or one derived from the conversation id.
 *
 * <p>For failure tests: {@link #setTokenLifetime short-lived tokens} (an expired token is answered
 * 401), {@link #revokeTokens() revoking} every token issued so far, and {@link #failApiCalls
 * failing every API call} with a chosen status (a 429 storm, a period of 503s) until
 * {@link #clearApiFailures()}.
 */
public final class SimulatedGenesys implements Component {
    /**
     * @param host address to bind
     * @param port port, 0 for a free one
     * @param clientId accepted OAuth client id
     * @param clientSecret accepted OAuth client secret
     * @param rateLimitPerMinute API calls allowed per token and minute, 0 for no limit
     */
    public record Options(String host, int port, String clientId, String clientSecret, int rateLimitPerMinute) {
        public static final String DEMO_CLIENT_ID = "asyncflow-demo";
        public static final String DEMO_CLIENT_SECRET = "demo-secret";

        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
        }

        public static Options defaults() {
            return new Options("127.0.0.1", 0, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, 0);
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, clientId, clientSecret, rateLimitPerMinute);
        }

        public Options withRateLimit(int perMinute) {
            return new Options(host, port, clientId, clientSecret, perMinute);
        }
    }

    private static final String CONVERSATIONS = "/api/v2/conversations/";
    private static final long TOKEN_SECONDS = 86_400;

    private final Options options;
    private final RateLimit rateLimit;
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong failedOnPurpose = new AtomicLong();
    private volatile long tokenSeconds = TOKEN_SECONDS;
    private volatile ApiFailure apiFailure;
    private final Map<String, SimConversation> conversations = new ConcurrentHashMap<>();
    private final List<GenesysWrite> writes = new CopyOnWriteArrayList<>();
    private final List<Consumer<GenesysWrite>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong tooManyRequests = new AtomicLong();
    private final AtomicLong conversationReads = new AtomicLong();
    private final Map<String, AtomicLong> conversationReadsById = new ConcurrentHashMap<>();
    private final AtomicLong attributePatches = new AtomicLong();
    private volatile Javalin server;

    public SimulatedGenesys(Options options) {
        this.options = options;
        this.rateLimit = new RateLimit(options.rateLimitPerMinute(), System::nanoTime);
    }

    @Override
    public String name() {
        return "simulated-genesys";
    }

    /** Path prefix of the control endpoints (faults, token revocation and lifetime, counters). */
    public static final String CONTROL = "/_simulator/";

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Javalin app = SimServer.create(options.host(), routes -> {
            routes.post("/oauth/token", this::token);
            routes.get(CONVERSATIONS + "{cid}", this::conversation);
            routes.patch(CONVERSATIONS + "{cid}/participants/{pid}/attributes", this::patchAttributes);
            // control of the simulated faults, for a user's own tests against a failing Genesys (docs/testing.md)
            routes.post(CONTROL + "faults", ctx -> control(ctx, () -> failApiCalls(
                    ctx.queryParamAsClass("status", Integer.class).check(st -> st >= 400 && st <= 599, "a 4xx or 5xx status").get(),
                    ctx.queryParamAsClass("retryAfterSeconds", Long.class).getOrDefault(1L))));
            routes.delete(CONTROL + "faults", ctx -> control(ctx, this::clearApiFailures));
            routes.post(CONTROL + "revoke-tokens", ctx -> control(ctx, this::revokeTokens));
            routes.put(CONTROL + "token-lifetime", ctx -> control(ctx, () -> setTokenLifetime(
                    Duration.ofSeconds(ctx.queryParamAsClass("seconds", Long.class).check(n -> n >= 1, "at least 1").get()))));
            routes.get(CONTROL + "stats", ctx -> control(ctx, () -> { }));
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
    }

    /** Base URL of both the login and the API, e.g. {@code http://127.0.0.1:41235}. */
    public String baseUrl() {
        Javalin app = server;
        if (app == null) {
            throw new IllegalStateException(name() + " is not started");
        }
        return SimServer.baseUrl(options.host(), app);
    }

    public Options options() {
        return options;
    }

    /** Declares a conversation and its customer participant, as a call entering the IVR would. */
    public void registerConversation(String conversationId, String customerParticipantId, String ani) {
        conversations.put(conversationId, new SimConversation(conversationId, customerParticipantId, ani));
    }

    /** The customer participant id of a conversation (registered, written to, or derived). */
    public String customerParticipantId(String conversationId) {
        return conversationFor(conversationId, null).customerId;
    }

    /** The current attributes of a participant, after every write so far. */
    public Map<String, String> attributes(String conversationId, String participantId) {
        SimConversation c = conversations.get(conversationId);
        Map<String, String> attrs = c == null ? null : c.attributes.get(participantId);
        return attrs == null ? Map.of() : Map.copyOf(attrs);
    }

    /** Every accepted write, in arrival order. */
    public List<GenesysWrite> writes() {
        return List.copyOf(writes);
    }

    /** Accepted writes of one conversation, in arrival order. */
    public List<GenesysWrite> writesFor(String conversationId) {
        return writes.stream().filter(w -> w.conversationId().equals(conversationId)).toList();
    }

    /** Calls {@code listener} on the server thread for every accepted write from now on. */
    public void onWrite(Consumer<GenesysWrite> listener) {
        listeners.add(listener);
    }

    /** API calls answered 429 so far (rate limit and {@link #failApiCalls} alike). */
    public long tooManyRequests() {
        return tooManyRequests.get();
    }

    /** Lifetime of the tokens issued from now on (announced as {@code expires_in}); later calls with one are answered 401. */
    public void setTokenLifetime(Duration lifetime) {
        if (lifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("a token lives at least one second, not " + lifetime);
        }
        tokenSeconds = lifetime.toSeconds();
    }

    /** Invalidates every token issued so far, as an early expiry or a revoked client would. */
    public void revokeTokens() {
        tokens.clear();
    }

    /** Tokens issued so far. */
    public long tokensIssued() {
        return tokensIssued.get();
    }

    /** API calls answered 401 (missing, unknown, expired or revoked token) so far. */
    public long unauthorized() {
        return unauthorized.get();
    }

    /**
     * Answers every API call (not the token endpoint) with {@code status} until {@link #clearApiFailures()};
     * a 429 carries {@code Retry-After: retryAfterSeconds}, as Genesys' rate limiter does.
     */
    public void failApiCalls(int status, long retryAfterSeconds) {
        apiFailure = new ApiFailure(status, retryAfterSeconds);
    }

    /** Ends {@link #failApiCalls}. */
    public void clearApiFailures() {
        apiFailure = null;
    }

    /** API calls answered with the status of {@link #failApiCalls} so far. */
    public long failedOnPurpose() {
        return failedOnPurpose.get();
    }

    /** {@code GET /api/v2/conversations/{cid}} requests received so far, answered or not. */
    public long conversationReads() {
        return conversationReads.get();
    }

    /** {@code GET /api/v2/conversations/{cid}} requests received so far for one conversation, answered or not. */
    public long conversationReads(String conversationId) {
        AtomicLong reads = conversationReadsById.get(conversationId);
        return reads == null ? 0 : reads.get();
    }

    /** Participant-data {@code PATCH} requests received so far, answered or not (429s included). */
    public long attributePatches() {
        return attributePatches.get();
    }

    /**
     * Runs a control action of {@code /_simulator/...} for a caller holding the simulator's client
     * credentials (Basic, as the token endpoint takes them), then answers the counters.
     */
    private void control(Context ctx, Runnable action) {
        if (!validClient(ctx.header("Authorization"))) {
            SimServer.json(ctx, 401, Map.of("error", "invalid_client", "description", "send the simulator's client id and secret as Basic auth"));
            return;
        }
        action.run();
        SimServer.json(ctx, 200, Map.of("tokensIssued", tokensIssued(), "unauthorized", unauthorized(),
                "failedOnPurpose", failedOnPurpose(), "tooManyRequests", tooManyRequests(),
                "conversationReads", conversationReads(), "attributePatches", attributePatches(),
                "failing", apiFailure == null ? "no" : Integer.toString(apiFailure.status())));
    }

    private void token(Context ctx) {
        if (!validClient(ctx.header("Authorization"))) {
            SimServer.json(ctx, 401, Map.of("error", "invalid_client", "description", "client authentication failed"));
            return;
        }
        if (!"client_credentials".equals(ctx.formParam("grant_type"))) {
            SimServer.json(ctx, 400, Map.of("error", "unsupported_grant_type", "description", "grant_type must be client_credentials"));
            return;
        }
        String token = UUID.randomUUID().toString();
        long seconds = tokenSeconds;
        tokens.put(token, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
        tokensIssued.incrementAndGet();
        SimServer.json(ctx, 200, Map.of("access_token", token, "token_type", "bearer", "expires_in", seconds));
    }

    private void conversation(Context ctx) {
        conversationReads.incrementAndGet();
        conversationReadsById.computeIfAbsent(ctx.pathParam("cid"), cid -> new AtomicLong()).incrementAndGet();
        if (!admitted(ctx)) {
            return;
        }
        SimServer.json(ctx, 200, conversationFor(ctx.pathParam("cid"), null).toJson());
    }

    private void patchAttributes(Context ctx) {
        long arrival = System.nanoTime();
        Instant arrivedAt = Instant.now();
        attributePatches.incrementAndGet();
        if (!admitted(ctx)) {
            return;
        }
        String cid = ctx.pathParam("cid");
        String pid = ctx.pathParam("pid");
        Map<String, String> attributes;
        try {
            attributes = stringAttributes(SimServer.JSON.readTree(ctx.body()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            SimServer.json(ctx, 400, Map.of("code", "bad.request", "status", 400,
                    "message", "body must be {\"attributes\": {\"key\": \"string value\"}}"));
            return;
        }
        SimConversation conversation = conversationFor(cid, pid);
        if (!conversation.hasParticipant(pid)) {
            SimServer.json(ctx, 404, Map.of("code", "not.found", "status", 404,
                    "message", "participant " + pid + " is not in conversation " + cid));
            return;
        }
        conversation.attributes.computeIfAbsent(pid, p -> new ConcurrentHashMap<>()).putAll(attributes);
        GenesysWrite write = new GenesysWrite(arrival, arrivedAt, cid, pid, attributes);
        writes.add(write);
        listeners.forEach(l -> l.accept(write));
        ctx.status(202);
    }

    private boolean admitted(Context ctx) {
        String auth = ctx.header("Authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        Long expiresAt = token == null ? null : tokens.get(token);
        if (expiresAt != null && System.nanoTime() - expiresAt >= 0) {
            tokens.remove(token);
            expiresAt = null;
        }
        if (expiresAt == null) {
            unauthorized.incrementAndGet();
            SimServer.json(ctx, 401, Map.of("code", "bad.credentials", "status", 401, "message", "missing or unknown bearer token"));
            return false;
        }
        ApiFailure failure = apiFailure;
        if (failure != null) {
            failedOnPurpose.incrementAndGet();
            failure.answer(ctx, tooManyRequests);
            return false;
        }
        OptionalLong retryAfter = rateLimit.acquire(token);
        if (retryAfter.isPresent()) {
            tooManyRequests.incrementAndGet();
            ctx.header("Retry-After", String.valueOf(retryAfter.getAsLong()));
            SimServer.json(ctx, 429, Map.of("code", "too.many.requests.retry.after", "status", 429,
                    "message", "Rate limit exceeded the maximum. Retry the request in [" + retryAfter.getAsLong() + "] seconds"));
            return false;
        }
        return true;
    }

    private boolean validClient(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (options.clientId() + ":" + options.clientSecret()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    private SimConversation conversationFor(String cid, String firstWriter) {
        return conversations.computeIfAbsent(cid, id -> new SimConversation(id,
                firstWriter != null ? firstWriter : derivedId("customer", id), null));
    }

    private static Map<String, String> stringAttributes(JsonNode body) {
        JsonNode attrs = body == null ? null : body.get("attributes");
        if (attrs == null || !attrs.isObject()) {
            throw new IllegalArgumentException("no attributes object");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : attrs.properties()) {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " is not a string");
            }
            result.put(e.getKey(), e.getValue().asText());
        }
        return result;
    }

    private static String derivedId(String role, String conversationId) {
        return UUID.nameUUIDFromBytes((role + ":" + conversationId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The answer {@link #failApiCalls} gives every API call. */
    private record ApiFailure(int status, long retryAfterSeconds) {
        void answer(Context ctx, AtomicLong tooManyRequests) {
            if (status == 429) {
                tooManyRequests.incrementAndGet();
                ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
                SimServer.json(ctx, 429, Map.of("code", "too.many.requests.retry.after", "status", 429,
                        "message", "Rate limit exceeded the maximum. Retry the request in [" + retryAfterSeconds + "] seconds"));
            } else {
                SimServer.json(ctx, status, Map.of("code", "service.unavailable", "status", status,
                        "message", "simulated failure " + status));
            }
        }
    }

    /** One conversation: an IVR participant and the customer, with their attributes. */
    private static final class SimConversation {
        final String id;
        final String customerId;
        final String ivrId;
        final String ani;
        final Map<String, Map<String, String>> attributes = new ConcurrentHashMap<>();

        SimConversation(String id, String customerId, String ani) {
            this.id = id;
            this.customerId = customerId;
            this.ivrId = derivedId("ivr", id);
            this.ani = ani;
        }

        boolean hasParticipant(String pid) {
            return customerId.equals(pid) || ivrId.equals(pid);
        }

        Map<String, Object> toJson() {
            List<Map<String, Object>> participants = new ArrayList<>();
            participants.add(participant(customerId, "customer"));
            participants.add(participant(ivrId, "ivr"));
            return Map.of("id", id, "participants", participants, "selfUri", CONVERSATIONS + id);
        }

        private Map<String, Object> participant(String pid, String purpose) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", pid);
            p.put("purpose", purpose);
            if ("customer".equals(purpose) && ani != null) {
                p.put("ani", ani);
                p.put("address", ani);
            }
            p.put("attributes", Map.copyOf(attributes.getOrDefault(pid, Map.of())));
            return p;
        }
    }
}
