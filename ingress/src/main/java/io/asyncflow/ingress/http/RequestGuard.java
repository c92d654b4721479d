package io.asyncflow.ingress.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Set;

/**
 * Runs before every handler: a source outside the CIDR allowlist gets 403 ({@code forbidden-source}),
 * a request without valid credentials 401 ({@code unauthorized}). Public paths (probes, and
 * {@code /metrics} when configured public) skip both. The source is the TCP peer address;
 * {@code X-Forwarded-For} is not trusted.
 */
public final class RequestGuard implements Handler {
    private final CidrAllowlist allowlist;
    private final Credentials credentials;
    private final Set<String> publicPaths;

    public RequestGuard(CidrAllowlist allowlist, Credentials credentials, Set<String> publicPaths) {
        this.allowlist = allowlist;
        this.credentials = credentials;
        this.publicPaths = Set.copyOf(publicPaths);
    }

    @Override
    public void handle(Context ctx) {
        if (publicPaths.contains(ctx.path())) {
            return;
        }
        if (!allowlist.allows(ctx.req().getRemoteAddr())) {
            throw new RequestRejected(403, "forbidden-source", "requests from this address are not allowed");
        }
        credentials.check(ctx.header("Authorization"), ctx.header("X-API-Key"));
    }
}
