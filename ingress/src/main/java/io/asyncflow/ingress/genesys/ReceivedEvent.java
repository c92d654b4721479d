package io.asyncflow.ingress.genesys;

/**
 * One Genesys notification as received, with the shape it came in.
 *
 * @param origin the envelope shape
 * @param envelopeId the EventBridge event id, or null for a Notifications message
 * @param notification the notification itself
 */
public record ReceivedEvent(Origin origin, String envelopeId, GenesysNotification notification) {

    /** The shape an event arrived in. */
    public enum Origin {
        /** An Amazon EventBridge envelope around the notification. */
        EVENTBRIDGE("eventbridge"),
        /** A bare Notifications API message. */
        NOTIFICATION("notification");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        /** The {@code source} written into Avro records. */
        public String label() {
            return label;
        }
    }
}
