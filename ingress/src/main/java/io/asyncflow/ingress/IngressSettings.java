package io.asyncflow.ingress;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.Password;
import io.asyncflow.ingress.http.CidrAllowlist;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the HTTP ingress and the raw-event bridge, read once and validated at construction.
 * Authentication is mandatory: without {@code ingress.token} the ingress refuses to start unless
 * {@code ingress.allow-unauthenticated=true} says so explicitly (local demos only).
 *
 * @param host interface to bind; empty = every interface (IPv4 and IPv6)
 * @param port HTTP port; 0 picks a free one
 * @param token bearer token / API key, or empty when authentication is explicitly disabled
 * @param hmacSecret secret of the optional body signature, or empty
 * @param allowedCidrs source networks allowed to call; empty = any
 * @param maxBodyBytes largest request body accepted
 * @param produceTimeout bound on waiting for the broker's acknowledgement
 * @param idempotencyWindow how long accepted task ids are remembered locally
 * @param idempotencyCacheSize most task ids remembered locally
 * @param maxInFlight most produce requests waiting for acknowledgement at once
 * @param maxDeadline largest relative deadline a request may ask for
 * @param metricsPublic whether {@code /metrics} is served without credentials
 * @param bodyReadTimeout longest wait for the next bytes of a request body
 * @param minBodyRate slowest accepted request body, bytes per second from its first byte
 * @param bridgeGroupId consumer group of the raw-event bridge
 * @param bridgeRetryBackoff pause before the bridge retries a batch the broker did not acknowledge
 */
public record IngressSettings(
        String host,
        int port,
        Optional<Password> token,
        Optional<Password> hmacSecret,
        CidrAllowlist allowedCidrs,
        int maxBodyBytes,
        Duration produceTimeout,
        Duration idempotencyWindow,
        long idempotencyCacheSize,
        int maxInFlight,
        Duration maxDeadline,
        boolean metricsPublic,
        Duration bodyReadTimeout,
        int minBodyRate,
        String bridgeGroupId,
        Duration bridgeRetryBackoff) {

    /** Shortest accepted token or HMAC secret. */
    public static final int MIN_SECRET_LENGTH = 16;

    public static final ConfigKey HOST = ConfigKey.string("ingress.host", "", "Interface the HTTP ingress binds; empty = every interface (IPv4 and IPv6).");
    public static final ConfigKey PORT = ConfigKey.integer("ingress.port", "8080", "HTTP port of the ingress; 0 picks a free port.");
    public static final ConfigKey TOKEN = ConfigKey.password("ingress.token", null,
            "Required secret callers send as 'Authorization: Bearer <token>' or 'X-API-Key: <token>' (at least 16 characters; use ${env:NAME}).");
    public static final ConfigKey ALLOW_UNAUTHENTICATED = ConfigKey.bool("ingress.allow-unauthenticated", "false",
            "Run without ingress.token, accepting unauthenticated requests (local demos only).");
    public static final ConfigKey HMAC_SECRET = ConfigKey.password("ingress.hmac-secret", null,
            "When set, every POST must carry 'X-AsyncFlow-Signature: sha256=<hex HMAC-SHA256 of the raw body>'.");
    public static final ConfigKey ALLOWED_CIDRS = ConfigKey.list("ingress.allowed-cidrs", "",
            "Source networks allowed to call (IPv4/IPv6 CIDRs, comma separated); empty = any. Others get 403.");
    public static final ConfigKey MAX_BODY_BYTES = ConfigKey.integer("ingress.max-body-bytes", "262144",
            "Largest request body in bytes; larger bodies get 413 before they are read.");
    public static final ConfigKey PRODUCE_TIMEOUT = ConfigKey.duration("ingress.produce-timeout", "5s",
            "Bound on waiting for the broker's acknowledgement (sets the producer's max.block.ms, request and delivery timeouts); then 503.");
    public static final ConfigKey IDEMPOTENCY_WINDOW = ConfigKey.duration("ingress.idempotency-window", "10m",
            "How long an accepted task id is remembered so a repeat answers DUPLICATE without producing.");
    public static final ConfigKey IDEMPOTENCY_CACHE_SIZE = ConfigKey.integer("ingress.idempotency-cache-size", "100000",
            "Most task ids remembered for duplicate detection.");
    public static final ConfigKey MAX_IN_FLIGHT = ConfigKey.integer("ingress.max-in-flight", "2000",
            "Most requests waiting for the broker at once; more get 503 (overloaded).");
    public static final ConfigKey MAX_DEADLINE = ConfigKey.duration("ingress.max-deadline", "10m",
            "Largest deadlineMs a task request may ask for.");
    public static final ConfigKey METRICS_PUBLIC = ConfigKey.bool("ingress.metrics-public", "false",
            "Serve /metrics without credentials (by default it needs the same token as the API).");
    public static final ConfigKey BRIDGE_GROUP_ID = ConfigKey.string("bridge.group-id", "asyncflow-ingress-bridge",
            "Consumer group of the raw-event bridge.");
    public static final ConfigKey BRIDGE_RETRY_BACKOFF = ConfigKey.duration("bridge.retry-backoff", "1s",
            "Pause before the bridge retries a batch whose records the broker did not acknowledge.");

    public static final ConfigKey BODY_READ_TIMEOUT = ConfigKey.duration("ingress.body-read-timeout", "5s",
            "Longest wait for the next bytes of a request body; then 408 and the connection closes (a caller "
                    + "trickling its body must not hold a server thread).").atLeast(100);
    public static final ConfigKey MIN_BODY_RATE = ConfigKey.integer("ingress.min-body-rate", "4096",
            "Slowest accepted request body in bytes per second, counted from its first byte; slower uploads get 408 "
                    + "(0 = no minimum). Data Actions and EventBridge send their few kB at once.").atLeast(0);

    public static final List<ConfigKey> KEYS = List.of(BODY_READ_TIMEOUT, MIN_BODY_RATE, HOST, PORT, TOKEN, ALLOW_UNAUTHENTICATED, HMAC_SECRET,
            ALLOWED_CIDRS, MAX_BODY_BYTES, PRODUCE_TIMEOUT, IDEMPOTENCY_WINDOW, IDEMPOTENCY_CACHE_SIZE, MAX_IN_FLIGHT,
            MAX_DEADLINE, METRICS_PUBLIC, BRIDGE_GROUP_ID, BRIDGE_RETRY_BACKOFF);

    /**
     * Settings of the HTTP ingress: every key read and validated, {@code ingress.token} required
     * unless explicitly disabled; a problem is a {@link ConfigException} naming the key.
     */
    public static IngressSettings from(AsyncFlowConfig config) {
        return read(config, true);
    }

    /** Settings of the raw-event bridge, which serves no HTTP and so needs no token. */
    public static IngressSettings forBridge(AsyncFlowConfig config) {
        return read(config, false);
    }

    private static IngressSettings read(AsyncFlowConfig config, boolean http) {
        Optional<Password> token = secret(config, TOKEN);
        if (http && token.isEmpty() && !config.getBoolean(ALLOW_UNAUTHENTICATED)) {
            throw ConfigException.forKey(TOKEN.name(), "is required: the ingress does not accept unauthenticated requests (set "
                    + AsyncFlowConfig.envName(TOKEN.name()) + ", or " + ALLOW_UNAUTHENTICATED.name() + "=true for a local demo)");
        }
        int port = config.getInt(PORT);
        if (port < 0 || port > 65535) {
            throw ConfigException.forKey(PORT.name(), "must be between 0 and 65535");
        }
        CidrAllowlist cidrs;
        try {
            cidrs = CidrAllowlist.parse(config.getList(ALLOWED_CIDRS));
        } catch (IllegalArgumentException e) {
            throw ConfigException.forKey(ALLOWED_CIDRS.name(), e.getMessage());
        }
        return new IngressSettings(
                config.get(HOST).trim(),
                port,
                token,
                secret(config, HMAC_SECRET),
                cidrs,
                config.getInt(MAX_BODY_BYTES, 1024),
                config.getPositiveDuration(PRODUCE_TIMEOUT),
                config.getPositiveDuration(IDEMPOTENCY_WINDOW),
                config.getInt(IDEMPOTENCY_CACHE_SIZE, 1),
                config.getInt(MAX_IN_FLIGHT, 1),
                config.getPositiveDuration(MAX_DEADLINE),
                config.getBoolean(METRICS_PUBLIC),
                config.getPositiveDuration(BODY_READ_TIMEOUT),
                config.getInt(MIN_BODY_RATE, 0),
                config.require(BRIDGE_GROUP_ID),
                config.getPositiveDuration(BRIDGE_RETRY_BACKOFF));
    }

    private static Optional<Password> secret(AsyncFlowConfig config, ConfigKey key) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (value.length() < MIN_SECRET_LENGTH) {
            throw ConfigException.forKey(key.name(), "is too short: use at least " + MIN_SECRET_LENGTH + " characters");
        }
        return Optional.of(new Password(value));
    }



    @Override
    public String toString() {
        return "IngressSettings[host=" + host + ", port=" + port + ", token=" + (token.isPresent() ? "<set>" : "<none>")
                + ", hmacSecret=" + (hmacSecret.isPresent() ? "<set>" : "<none>") + ", allowedCidrs=" + allowedCidrs
                + ", maxBodyBytes=" + maxBodyBytes + ", produceTimeout=" + produceTimeout + "]";
    }
}
