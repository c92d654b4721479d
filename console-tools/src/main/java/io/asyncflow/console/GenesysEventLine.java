package io.asyncflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A plain Genesys event line for the raw events topic: an EventBridge envelope (conversation id at
 * {@code detail.eventBody.conversationId}) or a Notifications message ({@code eventBody.conversationId}).
 */
final class GenesysEventLine {
    private GenesysEventLine() {
    }

    /** The conversation id the event is about, if it names one. */
    static Optional<String> conversationId(JsonNode event) {
        for (String pointer : new String[]{"/detail/eventBody/conversationId", "/eventBody/conversationId"}) {
            JsonNode id = event.at(pointer);
            if (id.isTextual() && !id.textValue().isBlank()) {
                return Optional.of(id.textValue());
            }
        }
        return Optional.empty();
    }
}
