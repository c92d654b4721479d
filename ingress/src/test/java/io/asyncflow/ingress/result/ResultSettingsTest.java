package io.asyncflow.ingress.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The result endpoint's keys: defaults and the bound on the longest wait. */
class ResultSettingsTest {

    @Test
    void shouldDefaultToTheTopologysRetentionAndAWaitBelowTheDataActionTimeout() {
        // given no result keys
        // when the settings are read
        ResultSettings settings = ResultSettings.from(AsyncFlowConfig.of(Map.of()));

        // then tasks stay answerable 15 min and a poll waits at most 10 s (a Data Action times out after 60 s unless set lower)
        assertThat(settings.retention()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.maxWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxWaiting()).isEqualTo(5000);
        assertThat(settings.maxTasks()).isEqualTo(100_000);
    }

    @Test
    void shouldRefuseALongestWaitBeyondWhatJettyKeepsAnIdleConnectionFor() {
        // given a longest wait of 30 s
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of("ingress.max-wait", "30s"));

        // when / then the start fails naming the key
        assertThatThrownBy(() -> ResultSettings.from(config)).isInstanceOf(ConfigException.class).hasMessageContaining("ingress.max-wait");
    }
}
