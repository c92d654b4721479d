package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyServiceTest {

    @Test
    void shouldRejectInvalidConfigurationBeforeConnecting() {
        assertThatThrownBy(() -> new TopologyService(TopologyFixture.config(Map.of("task.identify-caller.backends", "alpha,delta"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.identify-caller.backends")
                .hasMessageContaining("delta");
        assertThatThrownBy(() -> new TopologyService(TopologyFixture.config(Map.of("processor.commit-interval", "fast"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("processor.commit-interval");
    }

    @Test
    void shouldNotBeRunningBeforeStartNorAfterClose() {
        // given
        TopologyService service = new TopologyService(TopologyFixture.config(Map.of()));

        // when / then
        assertThat(service.name()).isEqualTo("topology");
        assertThat(service.isRunning()).isFalse();
        assertThat(service.state()).isNull();
        service.close();
        assertThat(service.isRunning()).isFalse();
    }
}
