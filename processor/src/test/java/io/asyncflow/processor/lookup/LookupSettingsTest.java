package io.asyncflow.processor.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LookupSettingsTest {

    @Test
    void shouldReadEveryDeclaredKeyWithItsDefault() {
        LookupSettings settings = LookupSettings.from(AsyncFlowConfig.of(Map.of()));

        assertThat(settings.groupId()).isEqualTo("asyncflow-lookup");
        assertThat(settings.maxInFlight()).isEqualTo(256);
        assertThat(settings.pollTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.finishedTaskTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.httpVersion()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(settings.isolationLevel()).isEqualTo("read_uncommitted");
        assertThat(LookupSettings.KEYS).extracting(ConfigKey::name).allMatch(n -> n.startsWith("lookup.")).doesNotHaveDuplicates();
    }

    @Test
    void shouldReadConfiguredValues() {
        LookupSettings settings = LookupSettings.from(AsyncFlowConfig.of(Map.of(
                "lookup.group-id", "lookups-eu", "lookup.max-in-flight", "12", "lookup.http-version", "http_2",
                "lookup.isolation-level", "READ_COMMITTED")));

        assertThat(settings.groupId()).isEqualTo("lookups-eu");
        assertThat(settings.maxInFlight()).isEqualTo(12);
        assertThat(settings.httpVersion()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(settings.isolationLevel()).isEqualTo("read_committed");
    }

    @Test
    void shouldRejectInvalidValuesNamingTheKey() {
        assertThatThrownBy(() -> LookupSettings.from(AsyncFlowConfig.of(Map.of("lookup.max-in-flight", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lookup.max-in-flight");
        assertThatThrownBy(() -> LookupSettings.from(AsyncFlowConfig.of(Map.of("lookup.http-version", "HTTP_3"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lookup.http-version");
        assertThatThrownBy(() -> LookupSettings.from(AsyncFlowConfig.of(Map.of("lookup.poll-timeout", "0ms"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lookup.poll-timeout");
        assertThatThrownBy(() -> LookupSettings.from(AsyncFlowConfig.of(Map.of("lookup.isolation-level", "dirty"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lookup.isolation-level")
                .hasMessageContaining("must be one of [read_uncommitted, read_committed], got 'dirty'");
    }
}
