package io.asyncflow.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.IngressMetrics;
import io.asyncflow.ingress.bridge.RawEventTranslator;
import io.asyncflow.ingress.genesys.GenesysEventMapper;
import io.asyncflow.ingress.genesys.GenesysEventReader;
import io.asyncflow.ingress.kafka.Outgoing;
import io.asyncflow.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Time;

/**
 * Stands in for the raw-event bridge: a Genesys event (EventBridge envelope, a batch of them, or a
 * Notifications message) becomes the task events, or the dead letter, that the bridge's own
 * {@link RawEventTranslator} makes of it, with the ingress's {@link GenesysEventMapper} on the
 * kit's clock (auto-started task types, task ids, {@code customer.end} cancelling).
 */
final class GenesysEvents {
    private static final String TOPIC_PREFIX = "v2.detail.events.conversation.";

    private final ObjectMapper json = IngressJson.eventMapper();
    private final RawEventTranslator translator;
    private final String rawTopic;
    private long offset;

    GenesysEvents(TaskCatalog catalog, Topics topics, Time time) {
        this.translator = new RawEventTranslator(new GenesysEventReader(json), new GenesysEventMapper(json, catalog, time), topics,
                new IngressMetrics(new SimpleMeterRegistry()));
        this.rawTopic = topics.rawEvents().name();
    }

    /** What the bridge produces for one raw-topic record: task events, or one dead letter. */
    List<Outgoing<?, ?>> translate(byte[] key, byte[] event) {
        return translator.translate(new ConsumerRecord<>(rawTopic, 0, offset++, key, event));
    }

    /** A Notifications {@code customer.end} message for the conversation, at {@code eventTime}. */
    byte[] customerEnd(String conversationId, long eventTime) {
        ObjectNode message = json.createObjectNode();
        message.put("topicName", TOPIC_PREFIX + conversationId + ".customer.end");
        message.put("version", "2");
        message.putObject("eventBody").put("eventTime", eventTime).put("conversationId", conversationId);
        return message.toString().getBytes(StandardCharsets.UTF_8);
    }
}
