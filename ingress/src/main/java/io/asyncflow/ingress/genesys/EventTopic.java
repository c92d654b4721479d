package io.asyncflow.ingress.genesys;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a notification's {@code topicName} says: which kind of event, for which conversation.
 *
 * @param kind the kind of event
 * @param conversationId the conversation id in the topic, or null for unknown topics
 */
public record EventTopic(Kind kind, String conversationId) {
    private static final Pattern CONVERSATION_TOPIC =
            Pattern.compile("v2\\.detail\\.events\\.conversation\\.([^.]+)\\.(customer\\.start|customer\\.end|attributes)");

    /** The topics AsyncFlow reads; everything else is acknowledged and counted as unknown. */
    public enum Kind {
        CUSTOMER_START("customer.start"),
        CUSTOMER_END("customer.end"),
        /** Participant data changed (confirms a write); read but nothing to do. */
        ATTRIBUTES("attributes"),
        UNKNOWN("unknown");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Topic suffix, also the metric tag. */
        public String label() {
            return label;
        }
    }

    public static EventTopic parse(String topicName) {
        Matcher m = topicName == null ? null : CONVERSATION_TOPIC.matcher(topicName);
        if (m == null || !m.matches()) {
            return new EventTopic(Kind.UNKNOWN, null);
        }
        Kind kind = switch (m.group(2)) {
            case "customer.start" -> Kind.CUSTOMER_START;
            case "customer.end" -> Kind.CUSTOMER_END;
            default -> Kind.ATTRIBUTES;
        };
        return new EventTopic(kind, m.group(1));
    }
}
