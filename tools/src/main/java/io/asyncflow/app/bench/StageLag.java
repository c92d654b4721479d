package io.asyncflow.app.bench;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.processor.lookup.LookupSettings;
import io.asyncflow.processor.sink.SinkSettings;
import io.asyncflow.processor.topology.TopologySettings;
import io.asyncflow.topic.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Records each stage has not committed yet (end offset minus committed offset of its consumer
 * group): the topology on tasks + lookup results, the lookup worker on lookups, the sink on status.
 * Shown with the progress, so a step that falls behind says which stage holds the backlog. Under
 * exactly-once, transaction markers count as records, so an idle stage may show a few.
 */
final class StageLag implements AutoCloseable {
    private final Admin admin;
    private final Map<String, Stage> stages = new LinkedHashMap<>();

    private record Stage(String group, Set<String> topics) {
    }

    StageLag(AsyncFlowConfig config, String bootstrap) {
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        Topics topics = Topics.from(config);
        stages.put("topology", new Stage(config.get(TopologySettings.APPLICATION_ID),
                Set.of(topics.tasks().name(), topics.lookupResults().name())));
        stages.put("lookups", new Stage(config.get(LookupSettings.GROUP_ID), Set.of(topics.lookups().name())));
        stages.put("sink", new Stage(config.get(SinkSettings.GROUP_ID), Set.of(topics.status().name())));
    }

    /** "topology 3, lookups 0, sink 12", or why it could not be read. */
    String describe() {
        StringBuilder text = new StringBuilder();
        try {
            for (Map.Entry<String, Stage> e : stages.entrySet()) {
                text.append(text.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(lag(e.getValue()));
            }
            return text.toString();
        } catch (Exception e) {
            return "lag unknown (" + e.getClass().getSimpleName() + ")";
        }
    }

    private long lag(Stage stage) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stage.group())
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        List<TopicPartition> partitions = admin.describeTopics(stage.topics()).allTopicNames().get(5, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList();
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(5, TimeUnit.SECONDS);
        long lag = 0;
        for (TopicPartition p : partitions) {
            OffsetAndMetadata at = committed.get(p);
            lag += ends.get(p).offset() - (at == null ? 0 : at.offset());
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
