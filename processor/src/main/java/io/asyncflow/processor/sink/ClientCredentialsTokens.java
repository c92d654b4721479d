package io.asyncflow.processor.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth client-credentials tokens for Genesys Cloud, fetched with the JDK HTTP client from a
 * configurable token URL (the SDK's own helper always calls {@code https://login.<domain>}).
 * {@code POST grant_type=client_credentials} with HTTP Basic client id and secret; the answer is
 * {@code {"access_token", "token_type", "expires_in"}}. A token is replaced {@code refreshMargin}
 * before it expires (at most half its lifetime before) and after {@link #invalidate} (a 401).
 * Thread-safe: concurrent callers share one fetch. Tokens and secrets are never logged.
 */
final class ClientCredentialsTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCredentialsTokens.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

    private final URI tokenUrl;
    private final String basicAuth;
    private final Duration refreshMargin;
    private final Duration timeout;
    private final Time time;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private String token;
    private Instant refreshAt = Instant.MIN;

    ClientCredentialsTokens(URI tokenUrl, String clientId, String clientSecret, Duration refreshMargin, Duration timeout, Time time) {
        this.tokenUrl = tokenUrl;
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.refreshMargin = refreshMargin;
        this.timeout = timeout;
        this.time = time;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A valid access token, fetched when there is none or the current one is about to expire. */
    synchronized String current() throws GenesysCallException {
        if (token == null || !Instant.ofEpochMilli(time.milliseconds()).isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    /** Forgets {@code rejected} (the API answered 401 to it) so the next call fetches a new token. */
    synchronized void invalidate(String rejected) {
        if (rejected != null && rejected.equals(token)) {
            token = null;
        }
    }

    private void fetch() throws GenesysCallException {
        Instant requestedAt = Instant.ofEpochMilli(time.milliseconds());
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(timeout)
                .header("Authorization", basicAuth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
        } catch (IOException e) {
            throw GenesysCallException.transientFailure("token request to " + tokenUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GenesysCallException.transientFailure("interrupted while fetching a token", e);
        }
        if (response.statusCode() != 200) {
            throw new GenesysCallException(GenesysCallException.Kind.TRANSIENT, response.statusCode(),
                    "token request to " + tokenUrl + " answered HTTP " + response.statusCode(), null);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new GenesysCallException(GenesysCallException.Kind.TRANSIENT, 200, "token response larger than " + MAX_BODY_BYTES + " bytes", null);
        }
        accept(body, requestedAt);
    }

    private void accept(byte[] body, Instant requestedAt) throws GenesysCallException {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (IOException e) {
            throw new GenesysCallException(GenesysCallException.Kind.TRANSIENT, 200, "token response is not JSON", null);
        }
        String accessToken = answer == null ? "" : answer.path("access_token").asText("");
        if (accessToken.isBlank()) {
            throw new GenesysCallException(GenesysCallException.Kind.TRANSIENT, 200, "token response has no access_token", null);
        }
        String type = answer.path("token_type").asText("bearer");
        if (!"bearer".equalsIgnoreCase(type)) {
            LOG.warn("token endpoint {} returned token_type '{}', using it as a bearer token", tokenUrl, type);
        }
        long seconds = answer.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        Duration margin = refreshMargin.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : refreshMargin;
        token = accessToken;
        refreshAt = requestedAt.plus(lifetime).minus(margin);
        LOG.info("fetched a Genesys access token from {}, valid for {} s, replaced after {}", tokenUrl, lifetime.toSeconds(), refreshAt);
    }
}
