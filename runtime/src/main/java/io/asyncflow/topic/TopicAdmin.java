package io.asyncflow.topic;

import io.asyncflow.config.AsyncFlowConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates AsyncFlow's topics when they are missing. */
public final class TopicAdmin {
    private TopicAdmin() {
    }

    /**
     * Creates every missing topic of {@code topics} with the configured partitions, replication and
     * retention ({@code topic.retention.*}). A topic that exists keeps its settings: change its
     * retention with {@code kafka-configs --alter} (docs/data-flow.md).
     */
    public static void ensureTopics(Admin admin, Topics topics, AsyncFlowConfig config) {
        Map<String, Duration> retention = Topics.retention(config);
        ensureTopics(admin, topics.all().stream().map(Topic::name).toList(),
                config.getInt(Topics.PARTITIONS), (short) config.getInt(Topics.REPLICATION), retention);
    }

    /** Creates the missing topics of {@code names}; those in {@code retention} get that {@code retention.ms}. */
    public static void ensureTopics(Admin admin, List<String> names, int partitions, short replication,
                                    Map<String, Duration> retention) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().distinct().filter(n -> !existing.contains(n))
                    .map(n -> {
                        NewTopic topic = new NewTopic(n, partitions, replication);
                        Duration keep = retention.get(n);
                        return keep == null ? topic : topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(keep.toMillis())));
                    }).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + names + ": " + e.getMessage(), e);
        }
    }
}
