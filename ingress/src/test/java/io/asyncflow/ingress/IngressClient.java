package io.asyncflow.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Calls the ingress with the JDK HttpClient (HTTP/1.1), as a Data Action or EventBridge would. */
public final class IngressClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public IngressClient(String host, int port) {
        this.base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** POST of a JSON body with the test token. */
    public Answer postJson(String path, byte[] body) {
        return post(path, HttpRequest.BodyPublishers.ofByteArray(body),
                "Content-Type", "application/json", "Authorization", "Bearer " + TestCatalog.TOKEN);
    }

    public Answer postJson(String path, String body) {
        return postJson(path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** POST with exactly the given headers (name, value, name, value, …). */
    public Answer post(String path, HttpRequest.BodyPublisher body, String... headers) {
        return send(request(path, headers).POST(body).build());
    }

    public Answer get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    /** GET without blocking a thread while the ingress holds the answer (a long poll). */
    public java.util.concurrent.CompletableFuture<Answer> getAsync(String path, String... headers) {
        return http.sendAsync(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(IngressClient::answer);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    private Answer send(HttpRequest request) {
        try {
            return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer answer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Server").orElse(""));
    }

    /**
     * One HTTP answer.
     *
     * @param status status code
     * @param body body text
     * @param contentType Content-Type header
     * @param server Server header, "" when absent
     */
    public record Answer(int status, String body, String contentType, String server) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String field(String name) {
            JsonNode value = json().get(name);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    /** Header pairs with the test token added. */
    public static String[] withToken(String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.add("Authorization");
        all.add("Bearer " + TestCatalog.TOKEN);
        return all.toArray(String[]::new);
    }
}
