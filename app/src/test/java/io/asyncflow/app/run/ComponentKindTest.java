package io.asyncflow.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentKindTest {

    @Test
    void shouldStartTheTopologyFirstThenDownstreamComponentsWhateverTheOrderGiven() {
        assertThat(ComponentKind.startOrder(List.of(ComponentKind.INGRESS, ComponentKind.SINK, ComponentKind.PROCESSOR,
                ComponentKind.SINK)))
                .containsExactly(ComponentKind.PROCESSOR, ComponentKind.SINK, ComponentKind.INGRESS);
        assertThat(ComponentKind.startOrder(List.of(ComponentKind.values())))
                .containsExactly(ComponentKind.PROCESSOR, ComponentKind.SINK, ComponentKind.LOOKUPS, ComponentKind.BRIDGE,
                        ComponentKind.INGRESS, ComponentKind.CONSOLE);
    }

    @Test
    void shouldParseCommandLineNamesAndRejectOthers() {
        assertThat(ComponentKind.parse(" Lookups ")).isEqualTo(ComponentKind.LOOKUPS);
        assertThatThrownBy(() -> ComponentKind.parse("lookup"))
                .hasMessageContaining("unknown component 'lookup'")
                .hasMessageContaining("ingress, bridge, processor, lookups, sink");
    }
}
