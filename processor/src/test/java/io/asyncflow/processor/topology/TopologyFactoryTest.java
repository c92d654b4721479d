package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.topic.Topics;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class TopologyFactoryTest {

    @Test
    void shouldNameEveryNodeAndLetTheAggregatorOwnBothStores() {
        // given
        AsyncFlowConfig config = TopologyFixture.config(Map.of());

        // when
        TopologyDescription description = TopologyFactory.build(TopologySettings.from(config), Topics.from(config),
                TaskCatalog.from(config)).describe();

        // then
        List<TopologyDescription.Node> nodes = description.subtopologies().stream()
                .flatMap(s -> s.nodes().stream()).toList();
        assertThat(description.subtopologies()).hasSize(1);
        assertThat(description.globalStores()).isEmpty();
        assertThat(nodes).extracting(TopologyDescription.Node::name).containsExactlyInAnyOrder(
                TopologyFactory.TASKS_SOURCE, TopologyFactory.LOOKUP_RESULTS_SOURCE, TopologyFactory.DECODE_TASK_EVENTS,
                TopologyFactory.DECODE_LOOKUP_RESULTS, TopologyFactory.AGGREGATOR, TopologyFactory.LOOKUPS_SINK,
                TopologyFactory.STATUS_SINK, TopologyFactory.ORPHANS_SINK, TopologyFactory.DEAD_LETTERS_SINK);
        Stream<TopologyDescription.Processor> processors = nodes.stream()
                .filter(TopologyDescription.Processor.class::isInstance).map(TopologyDescription.Processor.class::cast);
        assertThat(processors).filteredOn(p -> !p.stores().isEmpty()).singleElement().satisfies(aggregator -> {
            assertThat(aggregator.name()).isEqualTo(TopologyFactory.AGGREGATOR);
            assertThat(aggregator.stores()).containsExactlyInAnyOrder(FirstMatchAggregator.TASKS_STORE, FirstMatchAggregator.TIMERS_STORE);
        });
    }
}
