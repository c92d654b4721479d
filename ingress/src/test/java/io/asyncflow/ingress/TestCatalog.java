package io.asyncflow.ingress;

import java.util.HashMap;
import java.util.Map;

/** Configuration shared by the ingress tests: two task types (one auto-started) and a token. */
public final class TestCatalog {
    public static final String TOKEN = "test-token-5f0c2a9e7b41d3c8";

    private TestCatalog() {
    }

    /** Task types, backends and ingress settings; {@code more} wins. */
    public static Map<String, String> config(Map<String, String> more) {
        Map<String, String> values = new HashMap<>();
        values.put("task.identify-caller.backends", "alpha,beta,gamma");
        values.put("task.identify-caller.required-inputs", "ani");
        values.put("task.identify-caller.auto-start", "true");
        values.put("task.classify-intent.backends", "intent");
        values.put("task.classify-intent.required-inputs", "transcript");
        values.put("backend.alpha.url", "http://127.0.0.1:9/alpha/customers?phone={{ani}}");
        values.put("backend.beta.url", "http://127.0.0.1:9/beta/customers?phone={{ani}}");
        values.put("backend.gamma.url", "http://127.0.0.1:9/gamma/customers?phone={{ani}}");
        values.put("backend.intent.url", "http://127.0.0.1:9/intent/classify");
        values.put("backend.intent.method", "POST");
        values.put("ingress.token", TOKEN);
        values.put("ingress.host", "127.0.0.1");
        values.put("ingress.port", "0");
        values.put("ingress.max-body-bytes", "4096");
        values.put("ingress.produce-timeout", "3s");
        values.putAll(more);
        return values;
    }

    public static Map<String, String> config() {
        return config(Map.of());
    }
}
