package io.asyncflow.ingress.genesys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Genesys events from JSON: one EventBridge envelope (an object with {@code detail}), a JSON
 * array of envelopes or messages, or one Notifications message (an object with {@code topicName}).
 * It checks the shape only; what a topic's body must hold is {@link GenesysEventMapper}'s job.
 */
public final class GenesysEventReader {
    private final ObjectMapper json;

    public GenesysEventReader(ObjectMapper json) {
        this.json = json;
    }

    /** The events in {@code body}, in order; never empty. */
    public List<ReceivedEvent> read(byte[] body) throws MalformedEventException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new MalformedEventException("not valid JSON" + where(e), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedEventException("empty body");
        }
        if (!root.isArray()) {
            return List.of(readOne(root, ""));
        }
        if (root.isEmpty()) {
            throw new MalformedEventException("empty batch");
        }
        List<ReceivedEvent> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            events.add(readOne(root.get(i), "event [" + i + "]: "));
        }
        return events;
    }

    private ReceivedEvent readOne(JsonNode node, String where) throws MalformedEventException {
        if (!node.isObject()) {
            throw new MalformedEventException(where + "expected a JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
            if (node.has("detail")) {
                EventBridgeEnvelope envelope = json.treeToValue(node, EventBridgeEnvelope.class);
                return new ReceivedEvent(ReceivedEvent.Origin.EVENTBRIDGE, envelope.id(),
                        checked(envelope.detail(), where + "EventBridge detail"));
            }
            if (node.has("topicName")) {
                return new ReceivedEvent(ReceivedEvent.Origin.NOTIFICATION, null,
                        checked(json.treeToValue(node, GenesysNotification.class), where + "notification"));
            }
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(where + "unexpected field type" + field(e), e);
        }
        throw new MalformedEventException(where
                + "neither an EventBridge envelope (no 'detail') nor a Notifications message (no 'topicName')");
    }

    private static GenesysNotification checked(GenesysNotification n, String what) throws MalformedEventException {
        if (n == null || n.topicName() == null || n.topicName().isBlank()) {
            throw new MalformedEventException(what + " has no topicName");
        }
        return n;
    }

    /**
     * Where the parser stopped, in our words: its own message quotes the body (caller data) and
     * names its classes, so it goes neither into the answer nor into a dead letter's reason.
     */
    private static String where(Exception e) {
        if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            String what = e instanceof com.fasterxml.jackson.core.exc.StreamReadException
                    && e.getMessage() != null && e.getMessage().startsWith("Duplicate field") ? " (a key appears twice)" : "";
            return " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + what;
        }
        return "";
    }

    /** The field whose value has the wrong type, e.g. {@code : field 'detail.eventBody.participants'}. */
    private static String field(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            String path = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
            return ": field '" + path + "'";
        }
        return "";
    }
}
