package io.asyncflow.processor.lookup;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.asyncflow.config.BackendConfig;
import io.asyncflow.config.ConfigException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the HTTP request of one backend call from the backend's templates and the task inputs.
 * Inputs are untrusted caller data: in the URL each is percent-encoded ({@link URLEncoder}, with
 * spaces as {@code %20} and a value made only of dots encoded so it can never be a {@code ..} path
 * segment); in the body each is JSON-string-escaped with Jackson, so a template such as
 * {@code {"text": "{{transcript}}"}} stays valid JSON whatever the transcript holds.
 */
public final class BackendRequests {
    private final BackendConfig backend;

    /** Fails with a {@link ConfigException} when the backend's templates or headers cannot make a request. */
    public BackendRequests(BackendConfig backend) {
        this.backend = backend;
        try {
            build(Map.of(), backend.timeout());
        } catch (IllegalArgumentException e) {
            throw ConfigException.forKey(BackendConfig.PREFIX + backend.name(),
                    "cannot build a request from the configured URL, body or headers: " + e.getMessage());
        }
    }

    /** The request for {@code inputs}, with {@code timeout} as its response timeout. */
    public HttpRequest build(Map<String, String> inputs, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(BackendConfig.fill(backend.urlTemplate(), inputs, BackendRequests::urlEncode)))
                .timeout(timeout)
                .header("Accept", "application/json");
        backend.headers().forEach(builder::header);
        String body = body(inputs);
        if (body == null || backend.method().equals("GET")) {
            return builder.method(backend.method(), HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", backend.contentType())
                .method(backend.method(), HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    /** The request body for {@code inputs} (the body template with each input JSON-escaped), or null without a template. */
    public String body(Map<String, String> inputs) {
        return BackendConfig.fill(backend.bodyTemplate(), inputs, BackendRequests::jsonEscape);
    }

    /** Percent-encodes one input for any part of a URL (path segment or query value). */
    public static String urlEncode(String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.chars().allMatch(c -> c == '.') ? encoded.replace(".", "%2E") : encoded;
    }

    /** Escapes one input for the inside of a JSON string (the template supplies the quotes). */
    public static String jsonEscape(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }
}
