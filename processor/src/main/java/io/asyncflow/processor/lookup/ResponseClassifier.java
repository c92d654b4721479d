package io.asyncflow.processor.lookup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.config.BackendConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a backend's HTTP answer into a {@link Classification}, following the backend's
 * configuration:
 * <ul>
 *   <li>404, or a 2xx with an empty result (no body, {@code null}, {@code {}}, {@code []}, or nothing
 *       non-empty at {@code hitPointer}) is a MISS;</li>
 *   <li>5xx, 408, 429 and a 2xx whose body is not a JSON object, array or {@code null} are
 *       retryable ERRORs;</li>
 *   <li>a 2xx whose {@code failurePointer} holds {@code true} or any non-empty value other than
 *       {@code false} is an ERROR (not retried), never a hit;</li>
 *   <li>other 4xx, 1xx and 3xx are ERRORs (not retried);</li>
 *   <li>any other 2xx is a HIT whose attributes are the values at the configured JSON pointers
 *       (as text; an attribute whose pointer is missing or null is left out).</li>
 * </ul>
 * Thread-safe.
 */
public final class ResponseClassifier {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final BackendConfig backend;

    public ResponseClassifier(BackendConfig backend) {
        this.backend = backend;
    }

    /** Classifies a complete response; {@code body} may be null or empty. */
    public Classification classify(int status, byte[] body) {
        if (status == 404) {
            return Classification.miss();
        }
        if (status >= 500 || status == 408 || status == 429) {
            return Classification.error("HTTP " + status, true);
        }
        if (status < 200 || status >= 300) {
            return Classification.error("HTTP " + status, false);
        }
        if (body == null || isBlank(body)) {
            return Classification.miss();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return Classification.error("unreadable body: HTTP " + status + " without valid JSON", true);
        } catch (IOException e) {
            return Classification.error("unreadable body: " + e.getClass().getSimpleName(), true);
        }
        if (!root.isContainerNode() && !root.isNull()) {
            return Classification.error("unreadable body: HTTP " + status + " with a JSON " + root.getNodeType()
                    + " instead of an object or array", true);
        }
        if (backend.failurePointer() != null && !backend.failurePointer().isEmpty()
                && reportsFailure(root.at(backend.failurePointer()))) {
            return Classification.error("HTTP " + status + " reports a failure at " + backend.failurePointer(), false);
        }
        if (isEmpty(root) || isEmpty(root.at(backend.hitPointer()))) {
            return Classification.miss();
        }
        return Classification.hit(attributes(root));
    }

    private Map<String, String> attributes(JsonNode root) {
        Map<String, String> result = new LinkedHashMap<>();
        backend.attributes().forEach((key, pointer) -> {
            JsonNode node = root.at(pointer);
            if (!node.isMissingNode() && !node.isNull()) {
                result.put(key, node.isValueNode() ? node.asText() : node.toString());
            }
        });
        return result;
    }

    private static boolean reportsFailure(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return !isEmpty(node);
    }

    private static boolean isEmpty(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull()
                || (node.isContainerNode() && node.isEmpty())
                || (node.isTextual() && node.textValue().isEmpty());
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
