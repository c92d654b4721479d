package io.asyncflow.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.ConfigLoader;
import io.asyncflow.app.run.Components;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.BackendConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.config.TaskTypeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {
    private static final Map<String, String> VALUES = DemoConfig.values("127.0.0.1:9092", "http://127.0.0.1:7001",
            "http://127.0.0.1:7002", "id", "secret");

    @Test
    void shouldDescribeTheDemoTaskTypesAndBackendsWithTheSimulatorAddresses() {
        // when
        TaskCatalog catalog = ConfigLoader.validate(AsyncFlowConfig.of(DemoConfig.render(VALUES)), Components.declaredKeys());

        // then
        TaskTypeConfig identify = catalog.taskType("identify-caller").orElseThrow();
        assertThat(identify.backends()).containsExactly("alpha", "beta", "gamma");
        assertThat(identify.requiredInputs()).containsExactly("ani");
        assertThat(identify.autoStart()).isFalse();
        assertThat(identify.deadline()).isEqualTo(Duration.ofSeconds(5));
        TaskTypeConfig intent = catalog.taskType("classify-intent").orElseThrow();
        assertThat(intent.backends()).containsExactly("intent-ai");
        assertThat(intent.requiredInputs()).containsExactly("transcript");
        assertThat(intent.deadline()).isEqualTo(Duration.ofMillis(1500));

        BackendConfig gamma = catalog.backend("gamma");
        assertThat(gamma.urlTemplate()).isEqualTo("http://127.0.0.1:7001/gamma/customers?phone={{ani}}");
        assertThat(gamma.hitPointer()).isEqualTo("/customer");
        assertThat(gamma.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "customerId", "/customer/id", "customerName", "/customer/name", "segment", "/customer/segment"));
        BackendConfig ai = catalog.backend("intent-ai");
        assertThat(ai.method()).isEqualTo("POST");
        assertThat(ai.placeholders()).containsExactly("transcript");
        assertThat(BackendConfig.fill(ai.bodyTemplate(), Map.of("transcript", "my card"), t -> t)).isEqualTo("{\"text\":\"my card\"}");
        assertThat(ai.hitPointer()).isEqualTo("/intent");
        assertThat(ai.attributes()).containsEntry("intent", "/intent").containsEntry("confidence", "/confidence");
        assertThat(DemoConfig.render(VALUES)).containsEntry("kafka.bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void shouldNameAPlaceholderLeftWithoutValue() {
        assertThatThrownBy(() -> DemoConfig.renderText(Map.of("kafka.bootstrap.servers", "k:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("${backends.url}");
    }

    @Test
    void shouldLeaveNoPlaceholderInTheRenderedText() {
        String text = DemoConfig.renderText(VALUES);

        assertThat(text).doesNotContain("${").contains("backend.alpha.url=http://127.0.0.1:7001/alpha/customers?phone={{ani}}");
        assertThat(List.of(text.split("\n"))).anyMatch(l -> l.startsWith("task.identify-caller.backends="));
    }
}
