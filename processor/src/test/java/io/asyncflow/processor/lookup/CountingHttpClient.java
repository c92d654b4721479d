package io.asyncflow.processor.lookup;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that delegates to a real one and records how many requests were in flight
 * at once, in all and per backend (the first path segment, e.g. {@code alpha}).
 */
final class CountingHttpClient extends HttpClient {
    private final HttpClient delegate;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> currentByBackend = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxByBackend = new ConcurrentHashMap<>();

    CountingHttpClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    static CountingHttpClient wrapping() {
        return new CountingHttpClient(HttpClient.newBuilder().version(Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build());
    }

    /** Most requests in flight at once. */
    int maxConcurrent() {
        return max.get();
    }

    /** Most requests in flight at once to one backend. */
    int maxConcurrent(String backend) {
        AtomicInteger m = maxByBackend.get(backend);
        return m == null ? 0 : m.get();
    }

    /** Requests sent. */
    int total() {
        return total.get();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        String backend = backendOf(request);
        AtomicInteger perBackend = currentByBackend.computeIfAbsent(backend, b -> new AtomicInteger());
        AtomicInteger perBackendMax = maxByBackend.computeIfAbsent(backend, b -> new AtomicInteger());
        total.incrementAndGet();
        max.accumulateAndGet(current.incrementAndGet(), Math::max);
        perBackendMax.accumulateAndGet(perBackend.incrementAndGet(), Math::max);
        // the caller sees the answer only after it stopped counting as in flight
        return delegate.sendAsync(request, handler).whenComplete((r, e) -> {
            current.decrementAndGet();
            perBackend.decrementAndGet();
        });
    }

    private static String backendOf(HttpRequest request) {
        String path = request.uri().getPath();
        String[] segments = path.split("/");
        return segments.length > 1 ? segments[1] : "";
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return sendAsync(request, handler);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("the lookup worker must not block on HTTP");
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
