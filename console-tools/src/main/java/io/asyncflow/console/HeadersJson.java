package io.asyncflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Record headers as a JSON object: name → value as in {@link BytesJson}. A name that occurs more
 * than once maps to an array of its values, in order.
 */
final class HeadersJson {
    private HeadersJson() {
    }

    static ObjectNode toJson(Headers headers) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Header header : headers) {
            JsonNode value = BytesJson.toJson(header.value());
            JsonNode existing = node.get(header.key());
            if (existing == null) {
                node.set(header.key(), value);
            } else if (existing.isArray()) {
                ((ArrayNode) existing).add(value);
            } else {
                node.set(header.key(), node.arrayNode().add(existing).add(value));
            }
        }
        return node;
    }

    static Headers fromJson(JsonNode node) {
        RecordHeaders headers = new RecordHeaders();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("headers must be a JSON object, not " + node.getNodeType());
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String what = "header " + entry.getKey();
            if (entry.getValue().isArray()) {
                entry.getValue().forEach(v -> headers.add(entry.getKey(), BytesJson.fromJson(v, what)));
            } else {
                headers.add(entry.getKey(), BytesJson.fromJson(entry.getValue(), what));
            }
        }
        return headers;
    }
}
