package io.asyncflow.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngressSettingsTest {

    @Test
    void shouldRefuseToStartWithoutATokenAndSayHowToFixIt() {
        // given a configuration without ingress.token
        AsyncFlowConfig config = AsyncFlowConfig.of(TestCatalog.config(Map.of("ingress.token", "")));

        // then building the ingress fails, naming the key, its environment variable and the opt-out
        assertThatThrownBy(() -> new IngressServer(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingress.token")
                .hasMessageContaining("ASYNCFLOW_INGRESS_TOKEN")
                .hasMessageContaining("ingress.allow-unauthenticated");
    }

    @Test
    void shouldRunWithoutATokenOnlyWhenExplicitlyAllowed() {
        IngressSettings settings = IngressSettings.from(AsyncFlowConfig.of(
                TestCatalog.config(Map.of("ingress.token", "", "ingress.allow-unauthenticated", "true"))));
        assertThat(settings.token()).isEmpty();
    }

    @Test
    void shouldNotRequireATokenForTheBridge() {
        IngressSettings settings = IngressSettings.forBridge(AsyncFlowConfig.of(Map.of()));
        assertThat(settings.bridgeGroupId()).isEqualTo("asyncflow-ingress-bridge");
    }

    @Test
    void shouldRefuseShortSecretsAndBadCidrs() {
        assertThatThrownBy(() -> IngressSettings.from(AsyncFlowConfig.of(Map.of("ingress.token", "short"))))
                .hasMessageContaining("ingress.token").hasMessageContaining("16");
        assertThatThrownBy(() -> IngressSettings.from(AsyncFlowConfig.of(TestCatalog.config(Map.of("ingress.hmac-secret", "tiny")))))
                .hasMessageContaining("ingress.hmac-secret");
        assertThatThrownBy(() -> IngressSettings.from(AsyncFlowConfig.of(TestCatalog.config(Map.of("ingress.allowed-cidrs", "10.0.0.0/40")))))
                .hasMessageContaining("ingress.allowed-cidrs");
    }

    @Test
    void shouldReadDefaultsAndNeverPrintSecrets() {
        IngressSettings settings = IngressSettings.from(AsyncFlowConfig.of(Map.of("ingress.token", TestCatalog.TOKEN)));
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.host()).isEmpty();
        assertThat(settings.produceTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxBodyBytes()).isEqualTo(262144);
        assertThat(settings.allowedCidrs().allowsAny()).isTrue();
        assertThat(settings.metricsPublic()).isFalse();
        assertThat(settings.toString()).doesNotContain(TestCatalog.TOKEN);
    }

    @Test
    void shouldDeclareEveryKeyItReads() {
        assertThat(IngressSettings.KEYS).extracting(k -> k.name()).contains("ingress.host", "ingress.port", "ingress.token",
                "ingress.hmac-secret", "ingress.allowed-cidrs", "ingress.max-body-bytes", "ingress.produce-timeout",
                "ingress.idempotency-window", "bridge.group-id");
        assertThat(IngressSettings.KEYS).allSatisfy(k -> assertThat(k.doc()).isNotBlank());
    }
}
