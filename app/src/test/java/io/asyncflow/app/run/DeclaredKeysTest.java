package io.asyncflow.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.asyncflow.config.ConfigKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every key the application declares is typed, and its own default is a valid value of that type. */
class DeclaredKeysTest {

    @Test
    void shouldHaveADefaultThatItsOwnTypeAndValidatorAccept() {
        List<ConfigKey> keys = Components.declaredKeys();

        assertThat(keys).hasSizeGreaterThan(80);
        for (ConfigKey key : keys) {
            if (key.defaultValue() != null && !key.defaultValue().isBlank()) {
                String concrete = key.name().replace("*", "x");
                assertThatCode(() -> key.parse(concrete, key.defaultValue())).as(key.name()).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void shouldDeclareEverySecretAsAPassword() {
        assertThat(Components.declaredKeys()).filteredOn(k -> k.name().matches(".*(secret|token)$"))
                .extracting(ConfigKey::name).contains("ingress.token", "ingress.hmac-secret", "genesys.client-secret", "genesys.client.*.secret");
        assertThat(Components.declaredKeys()).filteredOn(k -> k.name().matches(".*(secret|token)$"))
                .allSatisfy(k -> assertThat(k.type()).as(k.name()).isEqualTo(ConfigKey.Type.PASSWORD));
    }
}
