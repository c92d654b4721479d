package io.asyncflow.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configured lookup backend: how to call it and how to read its answer. Inputs are named in
 * templates as {@code {{ani}}}; the lookup worker URL-encodes them into the URL and JSON-escapes
 * them into the body.
 *
 * @param name backend name, e.g. alpha
 * @param method HTTP method
 * @param urlTemplate URL with {@code {{input}}} placeholders
 * @param bodyTemplate request body for POST/PUT with placeholders, or null
 * @param contentType content type of the body
 * @param headers extra request headers (secrets resolved from the environment)
 * @param timeout per-attempt timeout
 * @param retries retries after the first attempt (within the task's deadline)
 * @param retryBackoff base backoff between attempts (exponential, with jitter)
 * @param maxInFlight most requests in flight to this backend per worker instance
 * @param hitPointer JSON pointer that must hold a non-empty value for a hit; "" = the whole body
 * @param failurePointer JSON pointer that, when present and not false/null/empty in a 2xx, makes it an error; or null
 * @param attributes participant-data key → JSON pointer picked from the body of a hit
 */
public record BackendConfig(
        String name,
        String method,
        String urlTemplate,
        String bodyTemplate,
        String contentType,
        Map<String, String> headers,
        Duration timeout,
        int retries,
        Duration retryBackoff,
        int maxInFlight,
        String hitPointer,
        String failurePointer,
        Map<String, String> attributes) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_-]+)}}");

    public static final String PREFIX = "backend.";
    public static final ConfigKey URL = ConfigKey.string("backend.*.url", null, "Backend URL template; inputs as {{ani}}, URL-encoded.");
    public static final ConfigKey METHOD = ConfigKey.string("backend.*.method", "GET", "HTTP method.");
    public static final ConfigKey BODY = ConfigKey.string("backend.*.body", null, "Body template for POST/PUT; inputs as {{transcript}}, JSON-escaped.");
    public static final ConfigKey CONTENT_TYPE = ConfigKey.string("backend.*.content-type", "application/json", "Content type of the body.");
    public static final ConfigKey HEADER = ConfigKey.string("backend.*.header.*", null, "Extra request header, e.g. backend.alpha.header.X-Api-Key=${env:ALPHA_KEY}.");
    public static final ConfigKey TIMEOUT = ConfigKey.duration("backend.*.timeout", "2s", "Timeout of one attempt.");
    public static final ConfigKey RETRIES = ConfigKey.integer("backend.*.retries", "2", "Retries after a 5xx, timeout or garbage answer, within the task's deadline.");
    public static final ConfigKey RETRY_BACKOFF = ConfigKey.duration("backend.*.retry-backoff", "100ms", "Base backoff between attempts (doubles, with jitter).");
    public static final ConfigKey MAX_IN_FLIGHT = ConfigKey.integer("backend.*.max-in-flight", "64", "Most requests in flight to this backend per worker instance.");
    public static final ConfigKey HIT_POINTER = ConfigKey.string("backend.*.hit-pointer", "", "JSON pointer that must hold a non-empty value for a hit (empty = whole body).");
    public static final ConfigKey FAILURE_POINTER = ConfigKey.string("backend.*.failure-pointer", null, "JSON pointer that marks a 2xx as a failure when it holds true or a non-empty value.");
    public static final ConfigKey ATTRIBUTES = ConfigKey.string("backend.*.attributes", "", "Result attributes: participantDataKey=/json/pointer pairs, comma separated.");

    public static final List<ConfigKey> KEYS = List.of(URL, METHOD, BODY, CONTENT_TYPE, HEADER, TIMEOUT, RETRIES,
            RETRY_BACKOFF, MAX_IN_FLIGHT, HIT_POINTER, FAILURE_POINTER, ATTRIBUTES);

    public BackendConfig {
        headers = Map.copyOf(headers);
        attributes = Map.copyOf(attributes);
    }

    /** Reads and validates backend {@code name}. */
    public static BackendConfig from(AsyncFlowConfig config, String name) {
        String url = config.require(URL.forName(name), null);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw ConfigException.forKey(URL.forName(name), "must be an http:// or https:// URL template, got '" + url + "'");
        }
        String method = config.get(METHOD.forName(name), METHOD.defaultValue()).toUpperCase(java.util.Locale.ROOT);
        if (!List.of("GET", "POST", "PUT").contains(method)) {
            throw ConfigException.forKey(METHOD.forName(name), "must be GET, POST or PUT, got '" + method + "'");
        }
        int retries = config.getInt(RETRIES.forName(name), RETRIES.defaultValue());
        int maxInFlight = config.getInt(MAX_IN_FLIGHT.forName(name), MAX_IN_FLIGHT.defaultValue());
        if (retries < 0) {
            throw ConfigException.forKey(RETRIES.forName(name), "must be 0 or more");
        }
        if (maxInFlight < 1) {
            throw ConfigException.forKey(MAX_IN_FLIGHT.forName(name), "must be at least 1");
        }
        String hitPointer = pointer(config, HIT_POINTER.forName(name), HIT_POINTER.defaultValue());
        String failurePointer = pointer(config, FAILURE_POINTER.forName(name), null);
        return new BackendConfig(name, method, url,
                config.get(BODY.forName(name), null),
                config.get(CONTENT_TYPE.forName(name), CONTENT_TYPE.defaultValue()),
                config.withPrefix(PREFIX + name + ".header."),
                config.getDuration(TIMEOUT.forName(name), TIMEOUT.defaultValue()),
                retries,
                config.getDuration(RETRY_BACKOFF.forName(name), RETRY_BACKOFF.defaultValue()),
                maxInFlight,
                hitPointer == null ? "" : hitPointer,
                failurePointer,
                attributes(config, ATTRIBUTES.forName(name)));
    }

    /** Input names used in the URL and body templates. */
    public List<String> placeholders() {
        Matcher m = PLACEHOLDER.matcher(urlTemplate + (bodyTemplate == null ? "" : bodyTemplate));
        return m.results().map(r -> r.group(1)).distinct().toList();
    }

    /** Replaces each {@code {{input}}} with {@code encode(value)}; a missing input becomes "". */
    public static String fill(String template, Map<String, String> inputs, java.util.function.UnaryOperator<String> encode) {
        if (template == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(encode.apply(inputs.getOrDefault(m.group(1), ""))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String pointer(AsyncFlowConfig config, String key, String defaultValue) {
        String p = config.get(key, defaultValue);
        if (p != null && !p.isEmpty() && !p.startsWith("/")) {
            throw ConfigException.forKey(key, "must be a JSON pointer starting with '/', got '" + p + "'");
        }
        return p;
    }

    private static Map<String, String> attributes(AsyncFlowConfig config, String key) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : config.getList(key, "")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !pair.substring(eq + 1).trim().startsWith("/")) {
                throw ConfigException.forKey(key, "expected participantDataKey=/json/pointer pairs, got '" + pair + "'");
            }
            result.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return result;
    }
}
