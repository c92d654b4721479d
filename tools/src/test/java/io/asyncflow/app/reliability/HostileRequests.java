package io.asyncflow.app.reliability;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generates requests the ingress must refuse, from a seeded {@link Random}: unauthenticated,
 * malformed, wrongly typed, invalid, oversized, of the wrong media type or method, random bytes, and
 * malformed Genesys events. Every conversation id it puts in a request is remembered, so a test can
 * check that none reached the tasks topic.
 */
final class HostileRequests {
    /** What a generated request is, and the statuses the ingress may answer it with. */
    record Hostile(String kind, HttpRequest request, Set<Integer> expected) {
    }

    private static final int OVERSIZED_BYTES = 300 * 1024;
    private static final List<String> KINDS = List.of("no-token", "wrong-token", "wrong-scheme", "truncated-json",
            "wrong-type", "not-a-uuid", "unknown-task-type", "missing-input", "wrong-deadline", "oversized",
            "wrong-media-type", "random-bytes", "wrong-method", "unknown-path", "event-truncated", "event-wrong-type",
            "event-random-bytes", "event-no-token");

    private final Random random;
    private final String baseUrl;
    private final String token;
    private final Set<String> conversationIds = ConcurrentHashMap.newKeySet();

    HostileRequests(long seed, String baseUrl, String token) {
        this.random = new Random(seed);
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Conversation ids used in hostile requests so far. */
    Set<String> conversationIds() {
        return conversationIds;
    }

    Hostile next() {
        String kind = KINDS.get(random.nextInt(KINDS.size()));
        String cid = newConversationId();
        String valid = task(quoted(cid), quoted("identify-caller"), "{\"ani\":\"tel:+3361234" + random.nextInt(10000) + "\"}", "");
        return switch (kind) {
            case "no-token" -> new Hostile(kind, post("/v1/tasks", valid, null), Set.of(401));
            case "wrong-token" -> new Hostile(kind, post("/v1/tasks", valid, "Bearer " + token + randomText(1 + random.nextInt(4))), Set.of(401));
            case "wrong-scheme" -> new Hostile(kind, post("/v1/tasks", valid, "Basic " + token), Set.of(401));
            case "truncated-json" -> new Hostile(kind, post("/v1/tasks", valid.substring(0, 1 + random.nextInt(valid.length() - 1)),
                    bearer()), Set.of(400));
            case "wrong-type" -> new Hostile(kind, post("/v1/tasks", wronglyTyped(cid), bearer()), Set.of(400));
            // a cut id with letters after it; the last one is past 'f', so the cut can never happen to complete a UUID
            case "not-a-uuid" -> new Hostile(kind, post("/v1/tasks", task(quoted(cid.substring(0, random.nextInt(cid.length()))
                    + randomText(2) + "z"), quoted("identify-caller"), "{\"ani\":\"tel:+33611111103\"}", ""), bearer()), Set.of(400));
            case "unknown-task-type" -> new Hostile(kind, post("/v1/tasks", task(quoted(cid), quoted("x-" + randomText(8)),
                    "{\"ani\":\"tel:+33611111103\"}", ""), bearer()), Set.of(400));
            case "missing-input" -> new Hostile(kind, post("/v1/tasks", task(quoted(cid), quoted("identify-caller"),
                    "{\"transcript\":\"" + randomText(10) + "\"}", ""), bearer()), Set.of(400));
            case "wrong-deadline" -> new Hostile(kind, post("/v1/tasks", task(quoted(cid), quoted("identify-caller"),
                    "{\"ani\":\"tel:+33611111103\"}", ",\"deadlineMs\":" + (random.nextBoolean() ? -1 - random.nextInt(1000) : 86_400_000L * 365)),
                    bearer()), Set.of(400));
            case "oversized" -> new Hostile(kind, post("/v1/tasks", task(quoted(cid), quoted("identify-caller"),
                    "{\"ani\":\"" + "9".repeat(OVERSIZED_BYTES) + "\"}", ""), bearer()), Set.of(413));
            case "wrong-media-type" -> new Hostile(kind, request("/v1/tasks", "POST", valid.getBytes(StandardCharsets.UTF_8),
                    random.nextBoolean() ? "text/plain" : "application/x-www-form-urlencoded", bearer()), Set.of(415));
            case "random-bytes" -> new Hostile(kind, request("/v1/tasks", "POST", randomBytes(1 + random.nextInt(2000)),
                    "application/json", bearer()), Set.of(400));
            case "wrong-method" -> new Hostile(kind, request("/v1/tasks", random.nextBoolean() ? "PUT" : "DELETE",
                    valid.getBytes(StandardCharsets.UTF_8), "application/json", bearer()), Set.of(404, 405));
            case "unknown-path" -> new Hostile(kind, post("/v1/" + randomText(6), valid, bearer()), Set.of(404, 405));
            case "event-truncated" -> {
                String event = event(cid);
                yield new Hostile(kind, post("/v1/events", event.substring(0, 1 + random.nextInt(event.length() - 1)), bearer()), Set.of(400));
            }
            case "event-wrong-type" -> new Hostile(kind, post("/v1/events", event(cid).replace("\"conversationId\":\"" + cid + "\"",
                    "\"conversationId\":" + random.nextInt()), bearer()), Set.of(400));
            case "event-random-bytes" -> new Hostile(kind, request("/v1/events", "POST", randomBytes(1 + random.nextInt(2000)),
                    "application/json", bearer()), Set.of(400));
            case "event-no-token" -> new Hostile(kind, post("/v1/events", event(cid), null), Set.of(401));
            default -> throw new IllegalStateException(kind);
        };
    }

    private String wronglyTyped(String cid) {
        return switch (random.nextInt(5)) {
            case 0 -> task(String.valueOf(random.nextLong()), quoted("identify-caller"), "{\"ani\":\"tel:+33611111103\"}", "");
            case 1 -> task("[" + quoted(cid) + "]", quoted("identify-caller"), "{\"ani\":\"tel:+33611111103\"}", "");
            case 2 -> task(quoted(cid), String.valueOf(random.nextInt()), "{\"ani\":\"tel:+33611111103\"}", "");
            case 3 -> task(quoted(cid), quoted("identify-caller"), "[\"tel:+33611111103\"]", "");
            default -> task(quoted(cid), quoted("identify-caller"), "{\"ani\":\"tel:+33611111103\"}", ",\"deadlineMs\":\"soon\"");
        };
    }

    private String newConversationId() {
        String cid = UUID.randomUUID().toString();
        conversationIds.add(cid);
        return cid;
    }

    private static String task(String conversationId, String taskType, String inputs, String more) {
        return "{\"conversationId\":" + conversationId + ",\"taskType\":" + taskType + ",\"inputs\":" + inputs + more + "}";
    }

    private static String event(String cid) {
        return "{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"v2.detail.events.conversation." + cid
                + ".customer.start\",\"source\":\"aws.partner/genesys.com/cloud/org/suffix\",\"time\":\"2025-01-01T00:00:00Z\","
                + "\"region\":\"eu-west-1\",\"resources\":[],\"detail\":{\"topicName\":\"v2.detail.events.conversation." + cid
                + ".customer.start\",\"version\":\"2\",\"eventBody\":{\"eventTime\":" + System.currentTimeMillis()
                + ",\"conversationId\":\"" + cid + "\",\"participantId\":\"" + UUID.randomUUID()
                + "\",\"sessionId\":\"s\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\",\"ani\":\"tel:+33611111103\","
                + "\"dnis\":\"tel:+33100000000\"},\"metadata\":{\"CorrelationId\":\"c\"},\"timestamp\":\"2025-01-01T00:00:00Z\"}}";
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private String bearer() {
        return "Bearer " + token;
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        bytes[0] = (byte) (1 + random.nextInt(8));
        return bytes;
    }

    private HttpRequest post(String path, String body, String authorization) {
        return request(path, "POST", body.getBytes(StandardCharsets.UTF_8), "application/json", authorization);
    }

    private HttpRequest request(String path, String method, byte[] body, String contentType, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }
}
