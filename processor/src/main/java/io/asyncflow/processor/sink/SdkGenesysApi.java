package io.asyncflow.processor.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.api.ConversationsApi;
import com.mypurecloud.sdk.v2.model.Conversation;
import com.mypurecloud.sdk.v2.model.Participant;
import com.mypurecloud.sdk.v2.model.ParticipantAttributes;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GenesysApi} through the Genesys Java SDK ({@code ConversationsApi}, Apache HttpClient
 * connector, the SDK's retry off), over a {@link TokenPool} of access tokens: every request takes
 * a permit from a token with budget (each token has its own {@link RequestLimiter} at
 * {@code sink.rate-per-minute}, Genesys counting 300 per token), and a 429 holds only that token
 * for its Retry-After. Each token comes from its own {@link ClientCredentialsTokens} (refreshed
 * before expiry and after a 401, which repeats the request once) and is carried by its own SDK
 * {@link ApiClient}, whose connection pool serves it. SDK exceptions become
 * {@link GenesysCallException}s with the HTTP status, Genesys' message and the
 * {@code ININ-Correlation-Id} of the response.
 */
public final class SdkGenesysApi implements GenesysApi {
    private static final Logger LOG = LoggerFactory.getLogger(SdkGenesysApi.class);
    private static final String CORRELATION_HEADER = "ININ-Correlation-Id";
    private static final int MAX_MESSAGE_CHARS = 300;

    private final TokenPool<PooledToken> pool;
    private final Duration retryAfterDefault;
    private final ObjectMapper json = new ObjectMapper();

    SdkGenesysApi(TokenPool<PooledToken> pool, Duration retryAfterDefault) {
        this.pool = pool;
        this.retryAfterDefault = retryAfterDefault;
    }

    /** The production client for {@code settings}; needs the OAuth client id and secret. */
    public static SdkGenesysApi create(SinkSettings settings) {
        return create(settings, Time.SYSTEM);
    }

    static SdkGenesysApi create(SinkSettings settings, Time time) {
        List<PooledToken> tokens = new ArrayList<>();
        for (SinkSettings.OAuthClient oauth : settings.oauthClients()) {
            for (int i = 1; i <= settings.tokenPoolSize(); i++) {
                ClientCredentialsTokens credentials = new ClientCredentialsTokens(URI.create(settings.loginUrl()), oauth.id(),
                        oauth.secret().value(), settings.tokenRefreshMargin(), settings.httpTimeout(), time);
                tokens.add(new PooledToken(oauth.name() + "#" + i, credentials,
                        new RequestLimiter(settings.ratePerMinute(), settings.rateBurst(), time), apiClient(settings)));
            }
        }
        LOG.info("Genesys token pool: {} token(s) of {} OAuth client(s), {} requests/min each", tokens.size(),
                settings.oauthClients().size(), settings.ratePerMinute());
        return new SdkGenesysApi(new TokenPool<>(tokens, PooledToken::limiter), settings.retryAfterDefault());
    }

    private static ApiClient apiClient(SinkSettings settings) {
        ApiClient.RetryConfiguration noRetry = new ApiClient.RetryConfiguration();
        noRetry.setMaxRetryTimeSec(0);
        noRetry.setRetryMax(0);
        return ApiClient.Builder.standard()
                .withBasePath(settings.apiUrl())
                .withConnectionTimeout((int) settings.httpTimeout().toMillis())
                .withRetryConfiguration(noRetry)
                .withShouldThrowErrors(true)
                .withShouldRefreshAccessToken(false)
                .withUserAgent("asyncflow-sink")
                .build();
    }

    @Override
    public void patchAttributes(String conversationId, String participantId, Map<String, String> attributes) throws GenesysCallException {
        ParticipantAttributes body = new ParticipantAttributes().attributes(new HashMap<>(attributes));
        call("PATCH participant attributes", conversations -> {
            conversations.patchConversationParticipantAttributes(conversationId, participantId, body);
            return null;
        });
    }

    @Override
    public String customerParticipantId(String conversationId) throws GenesysCallException {
        Conversation conversation = call("GET conversation", conversations -> conversations.getConversation(conversationId));
        List<Participant> participants = conversation == null || conversation.getParticipants() == null
                ? List.of() : conversation.getParticipants();
        return participants.stream()
                .filter(p -> "customer".equalsIgnoreCase(p.getPurpose()) && p.getId() != null)
                .map(Participant::getId)
                .findFirst()
                .orElseThrow(() -> new GenesysCallException(GenesysCallException.Kind.PERMANENT, 200,
                        "conversation " + conversationId + " has no customer participant", null));
    }

    @Override
    public void close() {
        pool.members().forEach(PooledToken::close);
    }

    /** The tokens of the pool, in the order they are tried. */
    List<String> tokenNames() {
        return pool.members().stream().map(PooledToken::name).toList();
    }

    private <T> T call(String what, SdkCall<T> call) throws GenesysCallException {
        PooledToken member = awaitBudget(pool::acquire);
        String token = member.apply();
        try {
            return send(member, call);
        } catch (ApiException e) {
            if (e.getStatusCode() != 401) {
                throw classify(member, what, e);
            }
            LOG.info("Genesys answered 401 to {} with token {}; fetching a new one and trying once more", what, member.name());
            member.credentials().invalidate(token);
            member.apply();
            awaitBudget(() -> {
                member.limiter().acquire();
                return member;
            });
            try {
                return send(member, call);
            } catch (ApiException again) {
                throw classify(member, what, again);
            } catch (IOException again) {
                throw GenesysCallException.transientFailure(what + " failed: " + again, again);
            }
        } catch (IOException e) {
            throw GenesysCallException.transientFailure(what + " failed: " + e, e);
        }
    }

    private static PooledToken awaitBudget(Wait wait) throws GenesysCallException {
        try {
            return wait.member();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GenesysCallException.transientFailure("interrupted while waiting for a token with budget", e);
        }
    }

    private static <T> T send(PooledToken member, SdkCall<T> call) throws ApiException, IOException, GenesysCallException {
        try {
            return call.run(member.conversations());
        } catch (RuntimeException e) {
            throw GenesysCallException.transientFailure("Genesys SDK failed: " + e, e);
        }
    }

    private GenesysCallException classify(PooledToken member, String what, ApiException e) {
        int status = e.getStatusCode();
        String correlationId = header(e.getHeaders(), CORRELATION_HEADER);
        String reason = what + ": HTTP " + status + describe(e);
        if (status == 429) {
            Duration pause = retryAfter(header(e.getHeaders(), "Retry-After"));
            member.limiter().holdFor(pause);
            LOG.warn("Genesys rate limit hit (429, correlation id {}): no request with token {} for {} ms", correlationId,
                    member.name(), pause.toMillis());
            return new GenesysCallException(GenesysCallException.Kind.RATE_LIMITED, status, reason, correlationId);
        }
        boolean retryable = status <= 0 || status >= 500 || status == 401 || status == 408;
        return new GenesysCallException(retryable ? GenesysCallException.Kind.TRANSIENT : GenesysCallException.Kind.PERMANENT,
                status, reason, correlationId);
    }

    private String describe(ApiException e) {
        String raw = e.getRawBody();
        if (raw != null && !raw.isBlank()) {
            try {
                JsonNode body = json.readTree(raw);
                String code = body.path("code").asText("");
                String message = body.path("message").asText("");
                if (!message.isEmpty() || !code.isEmpty()) {
                    return truncate(" " + (code.isEmpty() ? "" : "[" + code + "] ") + message);
                }
            } catch (IOException | RuntimeException notJson) {
                return truncate(" " + raw);
            }
        }
        if (e.getStatusCode() <= 0 && e.getCause() != null) {
            return " " + truncate(e.getCause().toString());
        }
        return e.getStatusReasonPhrase() == null ? "" : " " + e.getStatusReasonPhrase();
    }

    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return retryAfterDefault;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException notDate) {
                return retryAfterDefault;
            }
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream()
                .filter(h -> name.equalsIgnoreCase(h.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static String truncate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_MESSAGE_CHARS ? oneLine : oneLine.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    @FunctionalInterface
    private interface Wait {
        PooledToken member() throws InterruptedException;
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T run(ConversationsApi conversations) throws ApiException, IOException;
    }
}
