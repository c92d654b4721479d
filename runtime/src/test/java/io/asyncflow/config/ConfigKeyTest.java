package io.asyncflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

    private static final ConfigKey PORT = ConfigKey.integer("ingress.port", "8080", "port").atLeast(1);
    private static final ConfigKey WAIT = ConfigKey.duration("ingress.max-wait", "10s", "wait").atLeast(1);
    private static final ConfigKey FLAG = ConfigKey.bool("topic.create", "true", "create");
    private static final ConfigKey MODE = ConfigKey.choice("lookup.isolation-level", "read_uncommitted", "mode",
            List.of("read_uncommitted", "read_committed"));
    private static final ConfigKey SECRET = ConfigKey.password("genesys.client-secret", null, "secret");
    private static final ConfigKey URL = ConfigKey.string("backend.*.url", null, "url");
    private static final List<ConfigKey> DECLARED = List.of(PORT, WAIT, FLAG, MODE, SECRET, URL);

    @Test
    void shouldReadEachValueAsItsKeysType() {
        assertThat(PORT.parse(PORT.name(), " 9090 ")).isEqualTo(9090);
        assertThat(WAIT.parse(WAIT.name(), "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(FLAG.parse(FLAG.name(), "FALSE")).isEqualTo(false);
        assertThat(MODE.parse(MODE.name(), "read_committed")).isEqualTo("read_committed");
    }

    @Test
    void shouldRefuseAValueOfTheWrongTypeNamingTheKey() {
        assertThatThrownBy(() -> PORT.parse(PORT.name(), "80a")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingress.port").hasMessageContaining("an integer").hasMessageContaining("80a");
        assertThatThrownBy(() -> WAIT.parse(WAIT.name(), "ten seconds")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingress.max-wait").hasMessageContaining("a duration");
        assertThatThrownBy(() -> FLAG.parse(FLAG.name(), "yes")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("true or false");
    }

    @Test
    void shouldRefuseAValueItsValidatorDoesNotAllow() {
        assertThatThrownBy(() -> PORT.parse(PORT.name(), "0")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingress.port").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> MODE.parse(MODE.name(), "dirty")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be one of [read_uncommitted, read_committed]");
        assertThat(PORT.validValues()).isEqualTo("at least 1");
        assertThat(WAIT.validValues()).isEqualTo("at least 1ms");
        assertThat(MODE.validValues()).isEqualTo("read_uncommitted, read_committed");
        assertThat(URL.validValues()).isEmpty();
    }

    @Test
    void shouldValidateEverySetValueIncludingWildcardKeys() {
        AsyncFlowConfig good = AsyncFlowConfig.of(Map.of("ingress.port", "9090", "backend.alpha.url", "http://a", "kafka.acks", "all"));
        good.validate(DECLARED);

        AsyncFlowConfig bad = AsyncFlowConfig.of(Map.of("ingress.port", "9090", "ingress.max-wait", "soon"));
        assertThatThrownBy(() -> bad.validate(DECLARED)).isInstanceOf(ConfigException.class).hasMessageContaining("ingress.max-wait");
    }

    @Test
    void shouldNeverShowAPasswordInToString() {
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of("genesys.client-secret", "s3cret-value"));

        Password password = config.getPassword(SECRET);

        assertThat(password.value()).isEqualTo("s3cret-value");
        assertThat(password).hasToString(Password.HIDDEN);
        assertThat(password.matches("s3cret-value")).isTrue();
        assertThat(password.matches("s3cret-valuf")).isFalse();
        assertThat(config.getPassword(ConfigKey.password("ingress.hmac-secret", null, "none"))).isNull();
    }

    @Test
    void shouldReadTheEnvironmentOnceAgainstTheDeclaredKeys() {
        ConfigKey clientId = ConfigKey.string("genesys.client-id", null, "id");
        ConfigKey hit = ConfigKey.string("backend.*.hit-pointer", "", "hit");
        Map<String, String> env = Map.of(
                "ASYNCFLOW_GENESYS_CLIENT_ID", "from-env",          // dash in the key: found by the declared key
                "ASYNCFLOW_BACKEND_INTENT_AI_HIT_POINTER", "/hit",  // wildcard: the name comes from the overrides' layer below
                "ASYNCFLOW_KAFKA_ACKS", "all",                      // pass-through: underscores as dots
                "ASYNCFLOW_OPTS", "-Xmx1g");                        // the launcher's own

        AsyncFlowConfig config = AsyncFlowConfig.load(null, env, Map.of(), List.of(clientId, hit), Set.of("ASYNCFLOW_OPTS"));

        assertThat(config.get(clientId)).isEqualTo("from-env");
        assertThat(config.get("kafka.acks", null)).isEqualTo("all");
        assertThat(config.explicitValues()).doesNotContainKey("opts").doesNotContainValue("-Xmx1g");
    }
}
