package io.asyncflow.app.run;

import io.asyncflow.app.AppException;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.TopicAdmin;
import io.asyncflow.topic.Topics;
import org.apache.kafka.clients.admin.Admin;

/** Creates AsyncFlow's missing topics before components start, when {@code topic.create} is on. */
public final class TopicSetup {
    private TopicSetup() {
    }

    /** Creates the missing topics; returns false (and does nothing) when {@code topic.create=false}. */
    public static boolean ensureTopics(AsyncFlowConfig config) {
        if (!config.getBoolean(Topics.CREATE)) {
            return false;
        }
        KafkaSettings kafka = new KafkaSettings(config);
        try (Admin admin = Admin.create(kafka.forClient("admin"))) {
            TopicAdmin.ensureTopics(admin, Topics.from(config), config);
        } catch (IllegalStateException e) {
            throw new AppException("cannot create AsyncFlow's topics on Kafka at " + kafka.bootstrapServers()
                    + " (is the broker running?): " + e.getMessage(), e);
        }
        return true;
    }
}
