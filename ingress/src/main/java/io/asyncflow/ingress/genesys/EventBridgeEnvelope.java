package io.asyncflow.ingress.genesys;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An Amazon EventBridge event from the Genesys Cloud partner event source.
 *
 * @param version envelope version ("0")
 * @param id EventBridge event id (the same on redelivery)
 * @param detailType e.g. {@code v2.detail.events.conversation.{id}.customer.start}
 * @param source {@code aws.partner/genesys.com/cloud/<orgId>/<suffix>}
 * @param account AWS account
 * @param time ISO-8601 time of the event
 * @param region AWS region
 * @param resources always empty for Genesys events
 * @param detail the Genesys notification
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventBridgeEnvelope(
        String version,
        String id,
        @JsonProperty("detail-type") String detailType,
        String source,
        String account,
        String time,
        String region,
        List<String> resources,
        GenesysNotification detail) {
}
