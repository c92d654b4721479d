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
        Map<String, String> values = new HashMap<>();
        String p = "backend." + name + ".";
        values.put(p + "url", baseUrl + "/" + name + "/customers?phone={{ani}}");
        values.put(p + "hit-pointer", "/customer");
        values.put(p + "attributes", "customerId=/customer/id, customerName=/customer/name, segment=/customer/segment");
        values.put(p + "timeout", "2s");
        values.put(p + "retries", "2");
        values.put(p + "retry-backoff", "10ms");
        more.forEach((k, v) -> values.put(p + k, v));
        return values;
    }

    /** The intent AI of DESIGN.md at {@code baseUrl}, plus {@code more}. */
    static Map<String, String> intentAi(String name, String baseUrl, Map<String, String> more) {
        Map<String, String> values = new HashMap<>();
        String p = "backend." + name + ".";
        values.put(p + "url", baseUrl + "/intent/classify");
        values.put(p + "method", "POST");
        values.put(p + "body", "{\"text\": \"{{transcript}}\"}");
        values.put(p + "hit-pointer", "/intent");
        values.put(p + "attributes", "intent=/intent, confidence=/confidence");
        values.put(p + "timeout", "2s");
        values.put(p + "retries", "1");
        values.put(p + "retry-backoff", "10ms");
        more.forEach((k, v) -> values.put(p + k, v));
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
