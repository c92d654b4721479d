package io.asyncflow.ingress.genesys;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Genesys Cloud notification as the Notifications API sends it and as an EventBridge envelope
 * carries it in {@code detail}: {@code {topicName, version, eventBody, metadata}}.
 *
 * @param topicName e.g. {@code v2.detail.events.conversation.<id>.customer.start}
 * @param version schema version of the body
 * @param eventBody the event, read per topic by {@link GenesysEventMapper}
 * @param metadata e.g. {@code {"CorrelationId": "…"}}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenesysNotification(String topicName, String version, JsonNode eventBody, JsonNode metadata) {
}
