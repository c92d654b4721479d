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
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GenesysApi} through the Genesys Java SDK ({@code ConversationsApi}, Apache HttpClient
 * connector, the SDK's retry off). Every request first takes a permit from the shared
 * {@link RequestLimiter}; a 429 holds the limiter for its Retry-After. The access token comes from
 * {@link ClientCredentialsTokens} and is handed to the SDK's {@link ApiClient#setAccessToken}; a
 * 401 replaces the token and repeats the request once. SDK exceptions become
 * {@link GenesysCallException}s with the HTTP status, Genesys' message and the
 * {@code ININ-Correlation-Id} of the response.
 */
public final class SdkGenesysApi implements GenesysApi {
    private static final Logger LOG = LoggerFactory.getLogger(SdkGenesysApi.class);
    private static final String CORRELATION_HEADER = "ININ-Correlation-Id";
    private static final int MAX_MESSAGE_CHARS = 300;

    private final ApiClient client;
    private final ConversationsApi conversations;
    private final ClientCredentialsTokens tokens;
    private final RequestLimiter limiter;
    private final Duration retryAfterDefault;
    private final ObjectMapper json = new ObjectMapper();
    private String appliedToken;

    SdkGenesysApi(ApiClient client, ClientCredentialsTokens tokens, RequestLimiter limiter, Duration retryAfterDefault) {
        this.client = client;
        this.conversations = new ConversationsApi(client);
        this.tokens = tokens;
        this.limiter = limiter;
        this.retryAfterDefault = retryAfterDefault;
    }

    /** The production client for {@code settings}; needs the OAuth client id and secret. */
    public static SdkGenesysApi create(SinkSettings settings) {
        return create(settings, Clock.systemUTC());
    }

    static SdkGenesysApi create(SinkSettings settings, Clock clock) {
        ClientCredentialsTokens tokens = new ClientCredentialsTokens(URI.create(settings.loginUrl()), settings.requireClientId(),
                settings.requireClientSecret(), settings.tokenRefreshMargin(), settings.httpTimeout(), clock);
        ApiClient.RetryConfiguration noRetry = new ApiClient.RetryConfiguration();
        noRetry.setMaxRetryTimeSec(0);
        noRetry.setRetryMax(0);
        ApiClient client = ApiClient.Builder.standard()
                .withBasePath(settings.apiUrl())
                .withConnectionTimeout((int) settings.httpTimeout().toMillis())
                .withRetryConfiguration(noRetry)
                .withShouldThrowErrors(true)
                .withShouldRefreshAccessToken(false)
                .withUserAgent("asyncflow-sink")
                .build();
        return new SdkGenesysApi(client, tokens, new RequestLimiter(settings.ratePerMinute(), settings.rateBurst(), System::nanoTime), settings.retryAfterDefault());
    }

    @Override
    public void patchAttributes(String conversationId, String participantId, Map<String, String> attributes) throws GenesysCallException {
        ParticipantAttributes body = new ParticipantAttributes().attributes(new HashMap<>(attributes));
        call("PATCH participant attributes", () -> {
            conversations.patchConversationParticipantAttributes(conversationId, participantId, body);
            return null;
        });
    }

    @Override
    public String customerParticipantId(String conversationId) throws GenesysCallException {
        Conversation conversation = call("GET conversation", () -> conversations.getConversation(conversationId));
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
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("cannot close the Genesys SDK client: {}", e.toString());
        }
    }

    private <T> T call(String what, SdkCall<T> call) throws GenesysCallException {
        String token = applyToken();
        try {
            return send(call);
        } catch (ApiException e) {
            if (e.getStatusCode() != 401) {
                throw classify(what, e);
            }
            LOG.info("Genesys answered 401 to {}; fetching a new token and trying once more", what);
            tokens.invalidate(token);
            applyToken();
            try {
                return send(call);
            } catch (ApiException again) {
                throw classify(what, again);
            } catch (IOException again) {
                throw GenesysCallException.transientFailure(what + " failed: " + again, again);
            }
        } catch (IOException e) {
            throw GenesysCallException.transientFailure(what + " failed: " + e, e);
        }
    }

    private <T> T send(SdkCall<T> call) throws ApiException, IOException, GenesysCallException {
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GenesysCallException.transientFailure("interrupted while waiting for the rate limiter", e);
        }
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw GenesysCallException.transientFailure("Genesys SDK failed: " + e, e);
        }
    }

    private String applyToken() throws GenesysCallException {
        String token = tokens.current();
        synchronized (this) {
            if (!token.equals(appliedToken)) {
                client.setAccessToken(token);
                appliedToken = token;
            }
        }
        return token;
    }

    private GenesysCallException classify(String what, ApiException e) {
        int status = e.getStatusCode();
        String correlationId = header(e.getHeaders(), CORRELATION_HEADER);
        String reason = what + ": HTTP " + status + describe(e);
        if (status == 429) {
            Duration pause = retryAfter(header(e.getHeaders(), "Retry-After"));
            limiter.holdFor(pause);
            LOG.warn("Genesys rate limit hit (429, correlation id {}): no request for {} ms", correlationId, pause.toMillis());
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
    private interface SdkCall<T> {
        T run() throws ApiException, IOException;
    }
}
