package io.asyncflow.ingress.genesys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.config.TaskTypeConfig;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.util.Mask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from Genesys events to Avro task events, shared by the HTTP ingress and the
 * raw-event bridge. {@code customer.start} becomes a {@link ConversationEvent} STARTED followed by
 * one {@link TaskRequest} per auto-start task type (inputs {@code ani} and {@code dnis} from the
 * event, task id derived from conversation and type so redeliveries start nothing new);
 * {@code customer.end} becomes a {@link ConversationEvent} ENDED; other topics map to nothing.
 */
public final class GenesysEventMapper {
    private static final Logger LOG = LoggerFactory.getLogger(GenesysEventMapper.class);

    private final ObjectMapper json;
    private final TaskCatalog catalog;
    private final Time time;

    public GenesysEventMapper(ObjectMapper json, TaskCatalog catalog, Time time) {
        this.json = json;
        this.catalog = catalog;
        this.time = time;
    }

    /**
     * Maps one event.
     *
     * @param event the event as read
     * @param source the {@code source} written into the records (eventbridge, notification, bridge)
     * @throws MalformedEventException when a customer event lacks a valid conversation id or has fields of the wrong type
     */
    public MappedEvent map(ReceivedEvent event, String source) throws MalformedEventException {
        EventTopic topic = EventTopic.parse(event.notification().topicName());
        return switch (topic.kind()) {
            case CUSTOMER_START -> started(topic, body(event, topic), source);
            case CUSTOMER_END -> ended(topic, body(event, topic), source);
            case ATTRIBUTES, UNKNOWN -> new MappedEvent(topic.kind(), topic.conversationId(), List.of(), List.of());
        };
    }

    private MappedEvent started(EventTopic topic, CustomerEventBody body, String source) {
        String cid = body.conversationId();
        long now = time.milliseconds();
        List<TaskEvent> records = new ArrayList<>();
        records.add(conversationEvent(body, ConversationEventType.STARTED, source, now));
        List<String> taskIds = new ArrayList<>();
        for (TaskTypeConfig type : catalog.autoStartTypes()) {
            Map<String, String> inputs = inputs(body);
            List<String> missing = type.requiredInputs().stream().filter(i -> !inputs.containsKey(i)).toList();
            if (!missing.isEmpty()) {
                LOG.warn("not auto-starting {} for conversation {}: the customer.start event lacks {}", type.name(), cid, missing);
                continue;
            }
            String taskId = TaskIds.of(cid, type.name(), null);
            taskIds.add(taskId);
            records.add(TaskEvent.newBuilder().setEvent(TaskRequest.newBuilder()
                    .setTaskId(taskId)
                    .setTaskType(type.name())
                    .setConversationId(cid)
                    .setParticipantId(body.participantId())
                    .setInputs(inputs)
                    .setRequestedAt(now)
                    .setDeadline(null)
                    .setSource(source)
                    .build()).build());
        }
        LOG.debug("customer.start for conversation {} ani {}: {} task(s) to start", cid, Mask.phone(body.ani()), taskIds.size());
        return new MappedEvent(topic.kind(), cid, records, taskIds);
    }

    private MappedEvent ended(EventTopic topic, CustomerEventBody body, String source) {
        return new MappedEvent(topic.kind(), body.conversationId(),
                List.of(conversationEvent(body, ConversationEventType.ENDED, source, time.milliseconds())), List.of());
    }

    private static TaskEvent conversationEvent(CustomerEventBody body, ConversationEventType type, String source, long now) {
        return TaskEvent.newBuilder().setEvent(ConversationEvent.newBuilder()
                .setConversationId(body.conversationId())
                .setType(type)
                .setParticipantId(body.participantId())
                .setAni(blankToNull(body.ani()))
                .setDnis(blankToNull(body.dnis()))
                .setEventTime(body.eventTime() == null ? now : body.eventTime())
                .setSource(source)
                .build()).build();
    }

    private static Map<String, String> inputs(CustomerEventBody body) {
        Map<String, String> inputs = new LinkedHashMap<>();
        if (blankToNull(body.ani()) != null) {
            inputs.put("ani", body.ani());
        }
        if (blankToNull(body.dnis()) != null) {
            inputs.put("dnis", body.dnis());
        }
        return inputs;
    }

    /** The customer event body with a valid, lower-case conversation id that agrees with the topic. */
    private CustomerEventBody body(ReceivedEvent event, EventTopic topic) throws MalformedEventException {
        String what = topic.kind().label() + " event";
        if (event.notification().eventBody() == null || !event.notification().eventBody().isObject()) {
            throw new MalformedEventException(what + " has no eventBody object");
        }
        CustomerEventBody body;
        try {
            body = json.treeToValue(event.notification().eventBody(), CustomerEventBody.class);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(what + " has a field of the wrong type: " + e.getOriginalMessage(), e);
        }
        String cid = body.conversationId() == null ? topic.conversationId() : body.conversationId();
        if (!TaskIds.isUuid(cid)) {
            throw new MalformedEventException(what + " has no valid conversationId (a UUID)");
        }
        if (!cid.equalsIgnoreCase(topic.conversationId())) {
            throw new MalformedEventException(what + ": the conversationId of the body and of the topic differ");
        }
        if (body.participantId() != null && !TaskIds.isUuid(body.participantId())) {
            throw new MalformedEventException(what + " has a participantId that is not a UUID");
        }
        return new CustomerEventBody(body.eventTime(), cid.toLowerCase(Locale.ROOT),
                body.participantId() == null ? null : body.participantId().toLowerCase(Locale.ROOT),
                body.sessionId(), body.mediaType(), body.direction(), body.ani(), body.dnis());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
