package io.asyncflow.app.sim;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The baseline AsyncFlow is compared with, in the demo and in the benchmark: what a sequential
 * workflow (the native Genesys one) does, asking the simulated backends one after another until one
 * answers {@code 200}. Customer databases are asked {@code GET /{db}/customers?phone={ani}}, the
 * intent AI {@code POST /intent/classify} with {@code {"text": transcript}}, as the lookup worker
 * asks them.
 */
public final class SequentialLookups {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String backendsUrl;

    /** @param backendsUrl base URL of {@link SimulatedBackends} */
    public SequentialLookups(HttpClient http, String backendsUrl) {
        this.http = http;
        this.backendsUrl = backendsUrl;
    }

    /**
     * Asks {@code backends} in order with {@code inputs} ({@code ani}, or {@code transcript} for the
     * intent AI), without blocking; completes with the first backend that answered {@code 200}, or
     * null when none did.
     */
    public CompletableFuture<String> firstAnswering(List<String> backends, Map<String, String> inputs) {
        return ask(backends, 0, inputs);
    }

    private CompletableFuture<String> ask(List<String> backends, int index, Map<String, String> inputs) {
        if (index == backends.size()) {
            return CompletableFuture.completedFuture(null);
        }
        String backend = backends.get(index);
        return http.sendAsync(request(backend, inputs), HttpResponse.BodyHandlers.discarding())
                .thenCompose(r -> r.statusCode() == 200 ? CompletableFuture.completedFuture(backend) : ask(backends, index + 1, inputs));
    }

    private HttpRequest request(String backend, Map<String, String> inputs) {
        if (backend.equals(SimulatedBackends.INTENT_AI)) {
            String body = SimServer.JSON.createObjectNode().put("text", inputs.get("transcript")).toString();
            return HttpRequest.newBuilder(URI.create(backendsUrl + "/intent/classify")).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
        return HttpRequest.newBuilder(URI.create(backendsUrl + "/" + backend + "/customers?phone="
                + URLEncoder.encode(inputs.get("ani"), StandardCharsets.UTF_8))).timeout(TIMEOUT).GET().build();
    }
}
