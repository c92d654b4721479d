package io.asyncflow.processor.lookup;

import io.asyncflow.avro.LookupRequest;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.BackendConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Backend configurations and lookup requests for tests. */
final class TestBackends {
    private TestBackends() {
    }

    /** The customer-database settings of DESIGN.md for backend {@code name} at {@code baseUrl}, plus {@code more}. */
    static Map<String, String> customerDb(String name, String baseUrl, Map<String, String> more) {
        return prefixed(name, Map.of(
                "url", baseUrl + "/" + name + "/customers?phone={{ani}}",
                "hit-pointer", "/customer",
                "attributes", "customerId=/customer/id, customerName=/customer/name, segment=/customer/segment",
                "timeout", "2s",
                "retries", "2",
                "retry-backoff", "10ms"), more);
    }

    /** The intent AI of DESIGN.md at {@code baseUrl}, plus {@code more}. */
    static Map<String, String> intentAi(String name, String baseUrl, Map<String, String> more) {
        return prefixed(name, Map.of(
                "url", baseUrl + "/intent/classify",
                "method", "POST",
                "body", "{\"text\": \"{{transcript}}\"}",
                "hit-pointer", "/intent",
                "attributes", "intent=/intent, confidence=/confidence",
                "timeout", "2s",
                "retries", "1",
                "retry-backoff", "10ms"), more);
    }

    private static Map<String, String> prefixed(String name, Map<String, String> settings, Map<String, String> more) {
        Map<String, String> values = new HashMap<>();
        settings.forEach((k, v) -> values.put("backend." + name + "." + k, v));
        more.forEach((k, v) -> values.put("backend." + name + "." + k, v));
        return values;
    }

    static BackendConfig backend(String name, Map<String, String> values) {
        return BackendConfig.from(AsyncFlowConfig.of(values), name);
    }

    static LookupRequest lookup(String backend, Map<String, String> inputs, long deadline) {
        String taskId = UUID.randomUUID().toString();
        return LookupRequest.newBuilder()
                .setLookupId(taskId + ":" + backend)
                .setTaskId(taskId)
                .setTaskType("identify-caller")
                .setConversationId(UUID.randomUUID().toString())
                .setBackend(backend)
                .setInputs(inputs)
                .setDeadline(deadline)
                .setRequestedAt(System.currentTimeMillis())
                .build();
    }

    static long inSeconds(int seconds) {
        return System.currentTimeMillis() + seconds * 1000L;
    }
}
