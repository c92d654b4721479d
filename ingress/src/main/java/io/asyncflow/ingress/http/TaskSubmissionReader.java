package io.asyncflow.ingress.http;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.config.TaskTypeConfig;
import io.asyncflow.ingress.TaskIds;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses and validates a {@code POST /v1/tasks} body; every problem is a 400 with its own code:
 * {@code malformed-json}, {@code missing-field}, {@code invalid-field}, {@code unknown-task-type},
 * {@code missing-input}. Empty strings count as absent (Architect sends "" for unset variables),
 * and so does a {@code deadlineMs} of 0. Ids come out in lower case.
 */
public final class TaskSubmissionReader {
    static final int MAX_KEY_LENGTH = 200;

    private final ObjectMapper json;
    private final TaskCatalog catalog;
    private final Duration maxDeadline;

    public TaskSubmissionReader(ObjectMapper json, TaskCatalog catalog, Duration maxDeadline) {
        this.json = json;
        this.catalog = catalog;
        this.maxDeadline = maxDeadline;
    }

    /** The validated, normalised submission in {@code body}. */
    public TaskSubmission read(byte[] body) {
        TaskSubmission raw = parse(body);
        String cid = required(raw.conversationId(), "conversationId");
        if (!TaskIds.isUuid(cid)) {
            throw invalid("conversationId must be a UUID");
        }
        String participantId = blankToNull(raw.participantId());
        if (participantId != null && !TaskIds.isUuid(participantId)) {
            throw invalid("participantId must be a UUID");
        }
        TaskTypeConfig type = taskType(required(raw.taskType(), "taskType"));
        Map<String, String> inputs = inputs(raw.inputs(), type);
        Long deadline = raw.deadlineMs() == null || raw.deadlineMs() == 0 ? null : raw.deadlineMs();
        if (deadline != null && (deadline < 0 || deadline > maxDeadline.toMillis())) {
            throw invalid("deadlineMs must be between 1 and " + maxDeadline.toMillis());
        }
        String key = idempotencyKey(raw.idempotencyKey());
        return new TaskSubmission(cid.toLowerCase(Locale.ROOT),
                participantId == null ? null : participantId.toLowerCase(Locale.ROOT),
                type.name(), inputs, deadline, key);
    }

    private TaskSubmission parse(byte[] body) {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            throw malformed(e);
        }
        if (tree == null || !tree.isObject()) {
            throw RequestRejected.badRequest("malformed-json", "the body must be a JSON object");
        }
        try {
            return json.treeToValue(tree, TaskSubmission.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(f -> f != null).collect(Collectors.joining("."));
            throw invalid("field '" + field + "' has the wrong type");
        } catch (IOException e) {
            throw RequestRejected.badRequest("malformed-json", "the body is not valid JSON");
        }
    }

    /**
     * 400 {@code malformed-json} with our own words: a repeated key or content after the object get
     * a reason of their own (a proxy reading the first of two keys would see another request); the
     * parser's message, which quotes the body, is never sent back.
     */
    static RequestRejected malformed(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Duplicate field")) {
            return RequestRejected.badRequest("malformed-json", "a key appears twice in one JSON object" + at(e));
        }
        if (message.startsWith("Trailing token")) {
            return RequestRejected.badRequest("malformed-json", "the body holds more than one JSON value");
        }
        return RequestRejected.badRequest("malformed-json", "the body is not valid JSON" + at(e));
    }

    private static String at(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            return " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
        }
        return "";
    }

    /** An idempotency key: null when absent or blank, 400 {@code invalid-field} when longer than 200 characters. */
    public static String idempotencyKey(String raw) {
        String key = blankToNull(raw);
        if (key != null && key.length() > MAX_KEY_LENGTH) {
            throw invalid("idempotencyKey must be at most " + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

    /** The configured task type of this name, or 400 {@code unknown-task-type}. */
    public TaskTypeConfig taskType(String name) {
        return catalog.taskType(name).orElseThrow(() -> RequestRejected.badRequest("unknown-task-type",
                (name.length() <= 64 ? "unknown task type '" + name + "'" : "unknown task type")
                        + "; configured: " + catalog.taskTypes().keySet().stream().sorted().toList()));
    }

    private static Map<String, String> inputs(Map<String, String> raw, TaskTypeConfig type) {
        Map<String, String> inputs = new LinkedHashMap<>();
        if (raw != null) {
            for (Map.Entry<String, String> e : raw.entrySet()) {
                if (e.getKey().isBlank() || e.getValue() == null) {
                    throw invalid("inputs must map names to strings");
                }
                inputs.put(e.getKey(), e.getValue());
            }
        }
        List<String> missing = type.requiredInputs().stream()
                .filter(name -> blankToNull(inputs.get(name)) == null).toList();
        if (!missing.isEmpty()) {
            throw RequestRejected.badRequest("missing-input", "task type " + type.name() + " requires input"
                    + (missing.size() > 1 ? "s " : " ") + missing);
        }
        return inputs;
    }

    private static String required(String value, String field) {
        String v = blankToNull(value);
        if (v == null) {
            throw RequestRejected.badRequest("missing-field", field + " is required");
        }
        return v;
    }

    private static RequestRejected invalid(String message) {
        return RequestRejected.badRequest("invalid-field", message);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
