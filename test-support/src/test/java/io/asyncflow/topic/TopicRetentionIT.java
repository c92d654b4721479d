package io.asyncflow.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** AsyncFlow creates each topic with the retention chosen for what it holds, not the broker's default. */
class TopicRetentionIT {

    @Test
    void shouldCreateEveryTopicWithItsConfiguredRetention() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        AsyncFlowConfig config = cluster.freshConfig(Map.of("topic.retention.lookups", "90m"));
        Topics topics = Topics.from(config);

        Map<String, Long> retention = retentionMs(cluster, topics.all().stream().map(Topic::name).toList());

        assertThat(retention).containsEntry(topics.tasks().name(), Duration.ofHours(24).toMillis())
                .containsEntry(topics.rawEvents().name(), Duration.ofHours(24).toMillis())
                .containsEntry(topics.lookups().name(), Duration.ofMinutes(90).toMillis())
                .containsEntry(topics.lookupResults().name(), Duration.ofHours(6).toMillis())
                .containsEntry(topics.status().name(), Duration.ofHours(24).toMillis())
                .containsEntry(topics.orphans().name(), Duration.ofDays(14).toMillis())
                .containsEntry(topics.deadLetters().name(), Duration.ofDays(14).toMillis());
    }

    private static Map<String, Long> retentionMs(KafkaTestCluster cluster, List<String> names) throws Exception {
        try (Admin admin = cluster.admin()) {
            List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            return configs.entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> e.getKey().name(),
                    e -> Long.parseLong(e.getValue().get(TopicConfig.RETENTION_MS_CONFIG).value())));
        }
    }
}
