package io.asyncflow.processor.sink;

import io.asyncflow.config.Password;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkSettingsTest {

    @Test
    void shouldDeriveApiAndLoginUrlsFromTheRegion() {
        // when
        SinkSettings defaults = SinkSettings.from(AsyncFlowConfig.of(Map.of()));
        SinkSettings london = SinkSettings.from(AsyncFlowConfig.of(Map.of("genesys.region", "euw2.pure.cloud")));

        // then
        assertThat(defaults.apiUrl()).isEqualTo("https://api.mypurecloud.com");
        assertThat(defaults.loginUrl()).isEqualTo("https://login.mypurecloud.com/oauth/token");
        assertThat(london.apiUrl()).isEqualTo("https://api.euw2.pure.cloud");
        assertThat(london.loginUrl()).isEqualTo("https://login.euw2.pure.cloud/oauth/token");
        assertThat(defaults.ratePerMinute()).isLessThan(300);
    }

    @Test
    void shouldPreferExplicitUrlsAndReadTheSecretFromTheEnvironment() {
        // given
        AsyncFlowConfig config = AsyncFlowConfig.load(null, Map.of("GENESYS_CLIENT_SECRET", "from-env"), Map.of(
                "genesys.api-url", "http://localhost:8089/",
                "genesys.login-url", "http://localhost:8089/oauth/token",
                "genesys.client-id", "abc",
                "genesys.client-secret", "${env:GENESYS_CLIENT_SECRET}"));

        // when
        SinkSettings settings = SinkSettings.from(config);

        // then
        assertThat(settings.apiUrl()).isEqualTo("http://localhost:8089");
        assertThat(settings.loginUrl()).isEqualTo("http://localhost:8089/oauth/token");
        assertThat(settings.requireClientSecret().value()).isEqualTo("from-env");
        assertThat(settings.requireClientSecret().toString()).isEqualTo(Password.HIDDEN);
        assertThat(settings.toString()).doesNotContain("from-env");
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(() -> SinkSettings.from(AsyncFlowConfig.of(Map.of("sink.rate-per-minute", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.rate-per-minute");
        assertThatThrownBy(() -> SinkSettings.from(AsyncFlowConfig.of(Map.of("genesys.region", "https://api.mypurecloud.com"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("genesys.region");
        assertThatThrownBy(() -> SinkSettings.from(AsyncFlowConfig.of(Map.of("genesys.api-url", "ftp://x"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("genesys.api-url");
        assertThatThrownBy(() -> SinkSettings.from(AsyncFlowConfig.of(Map.of("sink.backoff-max", "10ms"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.backoff-max");
    }

    @Test
    void shouldRequireCredentialsOnlyWhereTheyAreUsed() {
        // given
        SinkSettings settings = SinkSettings.from(AsyncFlowConfig.of(Map.of()));

        // when / then
        assertThat(settings.clientId()).isNull();
        assertThatThrownBy(settings::requireClientId).isInstanceOf(ConfigException.class)
                .hasMessageContaining("genesys.client-id").hasMessageContaining("ASYNCFLOW_GENESYS_CLIENT_ID");
    }

    @Test
    void shouldDeclareEveryKeyItReads() {
        // given every declared key set to a valid value
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.ofEntries(
                Map.entry("genesys.region", "mypurecloud.ie"), Map.entry("genesys.api-url", "https://api.mypurecloud.ie"),
                Map.entry("genesys.login-url", "https://login.mypurecloud.ie/oauth/token"), Map.entry("genesys.client-id", "id"),
                Map.entry("genesys.client-secret", "secret"), Map.entry("genesys.timeout", "5s"), Map.entry("sink.group-id", "g"),
                Map.entry("sink.rate-per-minute", "200"), Map.entry("sink.max-attempts", "3"), Map.entry("sink.backoff-initial", "1s"),
                Map.entry("sink.backoff-max", "2s"), Map.entry("sink.retry-after-default", "4s"),
                Map.entry("sink.token-refresh-margin", "1m"), Map.entry("sink.max-in-flight", "3"), Map.entry("sink.max-pending", "50"),
                Map.entry("sink.poll-timeout", "20ms"), Map.entry("sink.participant-cache-size", "5"),
                Map.entry("sink.version-cache-size", "6"), Map.entry("sink.ended-cache-size", "7"), Map.entry("sink.close-timeout", "3s"),
                Map.entry("sink.token-pool-size", "2"), Map.entry("genesys.client.second.id", "id2"),
                Map.entry("genesys.client.second.secret", "secret2")));

        // when
        config.rejectUnknownKeys(SinkSettings.KEYS);
        SinkSettings settings = SinkSettings.from(config);

        // then
        assertThat(settings).isEqualTo(new SinkSettings("https://api.mypurecloud.ie", "https://login.mypurecloud.ie/oauth/token",
                "id", new Password("secret"), Duration.ofSeconds(5), "g", 200, 10, 3, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofMinutes(1), 3, 50, Duration.ofMillis(20), 5, 6, 7, Duration.ofSeconds(3),
                2, List.of(new SinkSettings.OAuthClient("second", "id2", new Password("secret2")))));
    }

    @Test
    void shouldTakeTokensOfEveryConfiguredClientAndScaleWritesInFlightWithThem() {
        // given two OAuth clients, three tokens each, sink.max-in-flight not set
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of("genesys.client-id", "main", "genesys.client-secret", "s1",
                "genesys.client.backup.id", "backup", "genesys.client.backup.secret", "s2", "sink.token-pool-size", "3"));

        // when
        SinkSettings settings = SinkSettings.from(config);

        // then
        assertThat(settings.oauthClients()).extracting(SinkSettings.OAuthClient::name, SinkSettings.OAuthClient::id)
                .containsExactly(tuple("default", "main"), tuple("backup", "backup"));
        assertThat(settings.tokenPoolSize()).isEqualTo(3);
        assertThat(settings.maxInFlight()).isEqualTo(12);
        assertThat(SinkSettings.from(AsyncFlowConfig.of(Map.of())).maxInFlight()).isEqualTo(2);
        assertThat(settings.toString()).doesNotContain("s1").doesNotContain("s2");
    }

    @Test
    void shouldNameTheMissingSecretOfAnExtraClient() {
        assertThatThrownBy(() -> SinkSettings.from(AsyncFlowConfig.of(Map.of("genesys.client.backup.id", "backup"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("genesys.client.backup.secret");
        assertThatThrownBy(() -> SinkSettings.from(AsyncFlowConfig.of(Map.of("sink.token-pool-size", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.token-pool-size");
    }
}
