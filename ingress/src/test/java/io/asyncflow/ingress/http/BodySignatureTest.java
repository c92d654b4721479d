package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodySignatureTest {
    private static final String SECRET = "signing-secret-0123456789";
    private static final byte[] BODY = "{\"conversationId\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldMatchAKnownHmacSha256Vector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertThat(BodySignature.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void shouldAcceptTheSignatureOfTheExactBodyInEitherHexCase() {
        BodySignature signature = BodySignature.of(Optional.of(SECRET));
        String header = BodySignature.sign(SECRET, BODY);
        assertThatCode(() -> signature.verify(header, BODY)).doesNotThrowAnyException();
        assertThatCode(() -> signature.verify(header.toUpperCase().replace("SHA256=", "sha256="), BODY)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseMissingMalformedOrForeignSignatures() {
        BodySignature signature = BodySignature.of(Optional.of(SECRET));
        byte[] changed = "{\"conversationId\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> signature.verify(null, BODY)).isInstanceOf(RequestRejected.class);
        assertThatThrownBy(() -> signature.verify("sha1=abcd", BODY)).isInstanceOf(RequestRejected.class);
        assertThatThrownBy(() -> signature.verify("sha256=xyz", BODY)).isInstanceOf(RequestRejected.class);
        assertThatThrownBy(() -> signature.verify(BodySignature.sign(SECRET, BODY), changed))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.code()).isEqualTo("invalid-signature"));
    }

    @Test
    void shouldIgnoreSignaturesWhenNoSecretIsConfigured() {
        assertThatCode(() -> BodySignature.of(Optional.empty()).verify(null, BODY)).doesNotThrowAnyException();
    }
}
