package io.asyncflow.ingress.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks the caller's token, sent as {@code Authorization: Bearer <token>} or
 * {@code X-API-Key: <token>}. Both sides are hashed with SHA-256 and the digests compared with
 * {@link MessageDigest#isEqual}, so the time taken reveals neither the token nor its length.
 */
public final class Credentials {
    private static final String BEARER = "bearer ";

    private final Optional<byte[]> expected;

    private Credentials(Optional<byte[]> expected) {
        this.expected = expected;
    }

    /** Credentials that accept {@code token}, or everything when it is empty (authentication disabled). */
    public static Credentials of(Optional<String> token) {
        return new Credentials(token.map(Credentials::sha256));
    }

    public boolean required() {
        return expected.isPresent();
    }

    /**
     * Throws {@link RequestRejected} (401) unless one of the headers holds the token.
     *
     * @param authorization the Authorization header, or null
     * @param apiKey the X-API-Key header, or null
     */
    public void check(String authorization, String apiKey) {
        if (expected.isEmpty()) {
            return;
        }
        String presented = apiKey;
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            presented = authorization.substring(BEARER.length()).trim();
        }
        if (presented == null || presented.isEmpty()) {
            throw RequestRejected.unauthorized("unauthorized", "send 'Authorization: Bearer <token>' or 'X-API-Key: <token>'");
        }
        if (!MessageDigest.isEqual(sha256(presented), expected.get())) {
            throw RequestRejected.unauthorized("unauthorized", "invalid credentials");
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
