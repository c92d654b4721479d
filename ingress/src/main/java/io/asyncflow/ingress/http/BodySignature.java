package io.asyncflow.ingress.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The optional HMAC-SHA256 signature of a request body, sent as
 * {@code X-AsyncFlow-Signature: sha256=<hex>}. When a secret is configured every body must carry
 * a valid one; the comparison is constant-time.
 */
public final class BodySignature {
    /** The header carrying the signature. */
    public static final String HEADER = "X-AsyncFlow-Signature";
    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private final Optional<SecretKeySpec> key;

    private BodySignature(Optional<SecretKeySpec> key) {
        this.key = key;
    }

    public static BodySignature of(Optional<String> secret) {
        return new BodySignature(secret.map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), ALGORITHM)));
    }

    /** The header value for {@code body} signed with {@code secret} (what a caller sends). */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM), body));
    }

    /** Throws {@link RequestRejected} (401) unless no secret is configured or {@code header} signs {@code body}. */
    public void verify(String header, byte[] body) {
        if (key.isEmpty()) {
            return;
        }
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw RequestRejected.unauthorized("invalid-signature", "send '" + HEADER + ": sha256=<hex HMAC-SHA256 of the body>'");
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            throw RequestRejected.unauthorized("invalid-signature", "the signature is not hexadecimal");
        }
        if (!MessageDigest.isEqual(presented, mac(key.get(), body))) {
            throw RequestRejected.unauthorized("invalid-signature", "the signature does not match the body");
        }
    }

    private static byte[] mac(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
