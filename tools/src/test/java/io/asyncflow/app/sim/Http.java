package io.asyncflow.app.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small blocking HTTP client for simulator tests. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    static HttpResponse<String> get(String url, String... headers) {
        return send(request(url, headers).GET().build());
    }

    static java.util.concurrent.CompletableFuture<HttpResponse<String>> getAsync(String url) {
        return CLIENT.sendAsync(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String url, String body, String... headers) {
        return send(request(url, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> send(String method, String url, String... headers) {
        return send(request(url, headers).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static HttpResponse<String> patch(String url, String body, String... headers) {
        return send(request(url, headers).method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpRequest.Builder request(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
