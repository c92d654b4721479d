package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private final Credentials credentials = Credentials.of(Optional.of(TOKEN));

    @Test
    void shouldAcceptTheTokenAsBearerInAnyCaseOrAsApiKey() {
        assertThatCode(() -> credentials.check("Bearer " + TOKEN, null)).doesNotThrowAnyException();
        assertThatCode(() -> credentials.check("bearer " + TOKEN, null)).doesNotThrowAnyException();
        assertThatCode(() -> credentials.check(null, TOKEN)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseMissingWrongOrTruncatedTokensWith401() {
        assertThatThrownBy(() -> credentials.check(null, null)).isInstanceOfSatisfying(RequestRejected.class,
                r -> org.assertj.core.api.Assertions.assertThat(r.status()).isEqualTo(401));
        assertThatThrownBy(() -> credentials.check("Bearer " + TOKEN.substring(1), null)).isInstanceOf(RequestRejected.class);
        assertThatThrownBy(() -> credentials.check("Bearer " + TOKEN + "0", null)).isInstanceOf(RequestRejected.class);
        assertThatThrownBy(() -> credentials.check("Basic " + TOKEN, null)).isInstanceOf(RequestRejected.class);
        assertThatThrownBy(() -> credentials.check(null, "")).isInstanceOf(RequestRejected.class);
    }

    @Test
    void shouldLetEverythingThroughOnlyWhenNoTokenIsConfigured() {
        Credentials none = Credentials.of(Optional.empty());
        assertThatCode(() -> none.check(null, null)).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(none.required()).isFalse();
        org.assertj.core.api.Assertions.assertThat(credentials.required()).isTrue();
    }
}
