package io.asyncflow.processor.sink;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.Password;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Settings of the participant-data sink: where Genesys Cloud is, the OAuth client(s) and how many
 * tokens of each it uses, and how the sink stays within Genesys' rate limit (300 requests per
 * minute per token).
 *
 * @param apiUrl Genesys API base URL, e.g. {@code https://api.mypurecloud.com}
 * @param loginUrl OAuth token URL, e.g. {@code https://login.mypurecloud.com/oauth/token}
 * @param clientId OAuth client id (client credentials grant), or null when not configured
 * @param clientSecret OAuth client secret, or null when not configured
 * @param httpTimeout connect, read and connection-pool timeout of one Genesys request
 * @param groupId consumer group of the sink
 * @param ratePerMinute most Genesys API requests per minute (GETs and PATCHes)
 * @param maxAttempts attempts of one write before it is dead-lettered (5xx, network errors; 429s do not count)
 * @param backoffInitial backoff after the first failed attempt (doubles, with jitter)
 * @param backoffMax longest backoff
 * @param retryAfterDefault wait after a 429 that carries no Retry-After header
 * @param tokenRefreshMargin a token is replaced this long before it expires
 * @param maxInFlight most writes in progress at once (one per conversation)
 * @param maxPending status updates held before the consumer pauses
 * @param rateBurst requests that may go at once after a quiet spell, on top of the steady rate
 * @param pollTimeout longest wait of one consumer poll
 * @param participantCacheSize conversations whose customer participant id is remembered
 * @param versionCacheSize tasks whose last written version is remembered
 * @param endedCacheSize ended conversations remembered
 * @param closeTimeout how long close() waits for writes in progress
 * @param tokenPoolSize access tokens per OAuth client, each with its own budget
 * @param extraClients OAuth clients besides {@code genesys.client-id}, each with {@code tokenPoolSize} tokens
 */
public record SinkSettings(
        String apiUrl,
        String loginUrl,
        String clientId,
        Password clientSecret,
        Duration httpTimeout,
        String groupId,
        int ratePerMinute,
        int rateBurst,
        int maxAttempts,
        Duration backoffInitial,
        Duration backoffMax,
        Duration retryAfterDefault,
        Duration tokenRefreshMargin,
        int maxInFlight,
        int maxPending,
        Duration pollTimeout,
        int participantCacheSize,
        int versionCacheSize,
        int endedCacheSize,
        Duration closeTimeout,
        int tokenPoolSize,
        List<OAuthClient> extraClients) {

    /** The name of the OAuth client of {@code genesys.client-id} in logs. */
    public static final String DEFAULT_CLIENT = "default";

    public static final ConfigKey REGION = ConfigKey.string("genesys.region", "mypurecloud.com",
            "Genesys Cloud region domain (mypurecloud.com, mypurecloud.ie, euw2.pure.cloud, ...); gives the default API and login URLs.");
    public static final ConfigKey API_URL = ConfigKey.string("genesys.api-url", null,
            "Genesys API base URL; default https://api.<region>.");
    public static final ConfigKey LOGIN_URL = ConfigKey.string("genesys.login-url", null,
            "OAuth token URL (client credentials); default https://login.<region>/oauth/token.");
    public static final ConfigKey CLIENT_ID = ConfigKey.string("genesys.client-id", null,
            "OAuth client id (client credentials grant).");
    public static final ConfigKey CLIENT_SECRET = ConfigKey.password("genesys.client-secret", null,
            "OAuth client secret; keep it out of files: ${env:GENESYS_CLIENT_SECRET}.");
    public static final ConfigKey HTTP_TIMEOUT = ConfigKey.duration("genesys.timeout", "10s",
            "Connect, read and connection-pool timeout of one Genesys request.");
    public static final ConfigKey GROUP_ID = ConfigKey.string("sink.group-id", "asyncflow-sink",
            "Consumer group of the participant-data sink.");
    public static final ConfigKey RATE_PER_MINUTE = ConfigKey.integer("sink.rate-per-minute", "280",
            "Most Genesys API requests per minute, GETs included (Genesys allows 300 per token).");
    public static final ConfigKey RATE_BURST = ConfigKey.integer("sink.rate-burst", "10",
            "Requests that may go at once after a quiet spell; rate-per-minute + rate-burst must stay within Genesys's 300 per minute per token.");
    public static final ConfigKey MAX_ATTEMPTS = ConfigKey.integer("sink.max-attempts", "8",
            "Attempts of one write (after 5xx, network errors; 429s wait for Retry-After and do not count) before it goes to the dead-letter topic.");
    public static final ConfigKey BACKOFF_INITIAL = ConfigKey.duration("sink.backoff-initial", "500ms",
            "Backoff after a failed write (5xx, network); doubles per attempt, with jitter.");
    public static final ConfigKey BACKOFF_MAX = ConfigKey.duration("sink.backoff-max", "30s",
            "Longest backoff between two attempts of a write.");
    public static final ConfigKey RETRY_AFTER_DEFAULT = ConfigKey.duration("sink.retry-after-default", "3s",
            "Pause of the requests of a token answered 429 without a Retry-After header (the pool's other tokens go on).");
    public static final ConfigKey TOKEN_REFRESH_MARGIN = ConfigKey.duration("sink.token-refresh-margin", "5m",
            "An access token is replaced this long before it expires.");
    public static final ConfigKey MAX_IN_FLIGHT = ConfigKey.integer("sink.max-in-flight", null,
            "Most writes in progress at once, one per conversation; default 2 per token of the pool "
                    + "(each token's SDK client keeps 2 connections per host).");
    public static final ConfigKey TOKEN_POOL_SIZE = ConfigKey.integer("sink.token-pool-size", "1",
            "Access tokens per OAuth client; each has its own budget at Genesys (300 requests/min), "
                    + "its own limiter at sink.rate-per-minute, refresh and 429 hold.");
    public static final ConfigKey EXTRA_CLIENT_ID = ConfigKey.string("genesys.client.*.id", null,
            "Id of one more OAuth client (client credentials) of the same org, named *; it brings sink.token-pool-size more tokens.");
    public static final ConfigKey EXTRA_CLIENT_SECRET = ConfigKey.password("genesys.client.*.secret", null,
            "Secret of the OAuth client named *: ${env:...}.");
    public static final ConfigKey MAX_PENDING = ConfigKey.integer("sink.max-pending", "10000",
            "Status updates held in memory before the sink pauses its consumer.");
    public static final ConfigKey POLL_TIMEOUT = ConfigKey.duration("sink.poll-timeout", "50ms",
            "Longest wait of one consumer poll while a write slot is free (with every slot busy, a finished write wakes the sink at once).");
    public static final ConfigKey PARTICIPANT_CACHE_SIZE = ConfigKey.integer("sink.participant-cache-size", "10000",
            "Conversations whose customer participant id is remembered (one GET per conversation at most).");
    public static final ConfigKey VERSION_CACHE_SIZE = ConfigKey.integer("sink.version-cache-size", "100000",
            "Tasks whose last written status version is remembered (an older version is never written after it).");
    public static final ConfigKey ENDED_CACHE_SIZE = ConfigKey.integer("sink.ended-cache-size", "100000",
            "Ended conversations remembered (their later updates are not written).");
    public static final ConfigKey CLOSE_TIMEOUT = ConfigKey.duration("sink.close-timeout", "10s",
            "How long closing the sink waits for writes in progress.");

    public static final List<ConfigKey> KEYS = List.of(REGION, API_URL, LOGIN_URL, CLIENT_ID, CLIENT_SECRET,
            EXTRA_CLIENT_ID, EXTRA_CLIENT_SECRET, HTTP_TIMEOUT,
            GROUP_ID, RATE_PER_MINUTE, RATE_BURST, TOKEN_POOL_SIZE, MAX_ATTEMPTS, BACKOFF_INITIAL, BACKOFF_MAX, RETRY_AFTER_DEFAULT,
            TOKEN_REFRESH_MARGIN, MAX_IN_FLIGHT, MAX_PENDING, POLL_TIMEOUT, PARTICIPANT_CACHE_SIZE,
            VERSION_CACHE_SIZE, ENDED_CACHE_SIZE, CLOSE_TIMEOUT);
    private static final String EXTRA_CLIENT_PREFIX = "genesys.client.";
    private static final int IN_FLIGHT_PER_TOKEN = 2;

    /**
     * One OAuth client (client credentials grant) of the org.
     *
     * @param name {@value #DEFAULT_CLIENT} for {@code genesys.client-id}, else the * of {@code genesys.client.*.id}
     * @param id client id
     * @param secret client secret
     */
    public record OAuthClient(String name, String id, Password secret) {
        @Override
        public String toString() {
            return "OAuthClient[" + name + ", id=" + id + ", secret=****]";
        }
    }

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    /** Reads and validates the sink's settings; credentials are checked only where they are used. */
    public static SinkSettings from(AsyncFlowConfig config) {
        String region = config.require(REGION).trim().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(region).matches()) {
            throw ConfigException.forKey(REGION.name(), "expected a domain such as mypurecloud.com or euw2.pure.cloud, got '" + region + "'");
        }
        String apiUrl = url(config, API_URL, "https://api." + region);
        String loginUrl = url(config, LOGIN_URL, "https://login." + region + "/oauth/token");
        Duration backoffInitial = config.getPositiveDuration(BACKOFF_INITIAL);
        Duration backoffMax = config.getPositiveDuration(BACKOFF_MAX);
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw ConfigException.forKey(BACKOFF_MAX.name(), "must not be shorter than " + BACKOFF_INITIAL.name());
        }
        int tokenPoolSize = config.getInt(TOKEN_POOL_SIZE, 1);
        List<OAuthClient> extraClients = extraClients(config);
        int tokens = tokens(tokenPoolSize, extraClients);
        int maxInFlight = config.isSet(MAX_IN_FLIGHT.name()) ? config.getInt(MAX_IN_FLIGHT, 1) : IN_FLIGHT_PER_TOKEN * tokens;
        return new SinkSettings(apiUrl, loginUrl, blankToNull(config.get(CLIENT_ID)), password(config.get(CLIENT_SECRET)),
                config.getPositiveDuration(HTTP_TIMEOUT), config.require(GROUP_ID),
                config.getInt(RATE_PER_MINUTE, 1), config.getInt(RATE_BURST, 0), config.getInt(MAX_ATTEMPTS, 1), backoffInitial, backoffMax,
                config.getPositiveDuration(RETRY_AFTER_DEFAULT), config.getDuration(TOKEN_REFRESH_MARGIN),
                maxInFlight, config.getInt(MAX_PENDING, 1), config.getPositiveDuration(POLL_TIMEOUT),
                config.getInt(PARTICIPANT_CACHE_SIZE, 1), config.getInt(VERSION_CACHE_SIZE, 1),
                config.getInt(ENDED_CACHE_SIZE, 1), config.getPositiveDuration(CLOSE_TIMEOUT), tokenPoolSize, extraClients);
    }

    /** Access tokens the sink writes with: the pool of each OAuth client. */
    public int tokens() {
        return tokens(tokenPoolSize, extraClients);
    }

    /** Genesys API requests per minute the sink allows itself over all its tokens. */
    public int requestsPerMinute() {
        return ratePerMinute * tokens();
    }

    private static int tokens(int tokenPoolSize, List<OAuthClient> extraClients) {
        return tokenPoolSize * (1 + extraClients.size());
    }

    /**
     * Every OAuth client the sink takes tokens from: {@code genesys.client-id} first, then the
     * extra ones by name; a {@link ConfigException} when {@code genesys.client-id} is not configured.
     */
    public List<OAuthClient> oauthClients() {
        List<OAuthClient> all = new ArrayList<>();
        all.add(new OAuthClient(DEFAULT_CLIENT, requireClientId(), requireClientSecret()));
        all.addAll(extraClients);
        return all;
    }

    private static List<OAuthClient> extraClients(AsyncFlowConfig config) {
        List<OAuthClient> clients = new ArrayList<>();
        for (String name : config.namesUnder(EXTRA_CLIENT_PREFIX)) {
            String id = requireSet(blankToNull(config.get(EXTRA_CLIENT_ID.forName(name), null)), EXTRA_CLIENT_ID.forName(name));
            Password secret = new Password(requireSet(blankToNull(config.get(EXTRA_CLIENT_SECRET.forName(name), null)), EXTRA_CLIENT_SECRET.forName(name)));
            clients.add(new OAuthClient(name, id, secret));
        }
        return List.copyOf(clients);
    }

    /** The OAuth client id, or a {@link ConfigException} when it is not configured. */
    public String requireClientId() {
        return requireSet(clientId, CLIENT_ID);
    }

    /** The OAuth client secret, or a {@link ConfigException} when it is not configured. */
    public Password requireClientSecret() {
        if (clientSecret == null) {
            throw ConfigException.forKey(CLIENT_SECRET.name(), "is required but not set (or " + AsyncFlowConfig.envName(CLIENT_SECRET.name()) + ")");
        }
        return clientSecret;
    }

    private static Password password(String value) {
        String v = blankToNull(value);
        return v == null ? null : new Password(v);
    }

    @Override
    public String toString() {
        return "SinkSettings[apiUrl=" + apiUrl + ", loginUrl=" + loginUrl + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? "null" : "****") + ", groupId=" + groupId
                + ", ratePerMinute=" + ratePerMinute + ", tokenPoolSize=" + tokenPoolSize + ", extraClients=" + extraClients
                + ", maxAttempts=" + maxAttempts + ", maxInFlight=" + maxInFlight + "]";
    }

    private static String requireSet(String value, ConfigKey key) {
        return requireSet(value, key.name());
    }

    private static String requireSet(String value, String key) {
        if (value == null) {
            throw ConfigException.forKey(key, "is required but not set (or " + AsyncFlowConfig.envName(key) + ")");
        }
        return value;
    }

    private static String url(AsyncFlowConfig config, ConfigKey key, String derived) {
        String value = blankToNull(config.get(key));
        String url = value == null ? derived : value.trim();
        try {
            URI uri = URI.create(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw ConfigException.forKey(key.name(), "expected an http(s) URL, got '" + url + "'");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }



    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
