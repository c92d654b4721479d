package io.asyncflow.ingress.genesys;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of a {@code customer.start} or {@code customer.end} conversation detail event. Unlike
 * the SDK's model, {@code eventTime} is a {@code long}: Genesys sends epoch milliseconds.
 *
 * @param eventTime epoch milliseconds
 * @param conversationId conversation id (UUID)
 * @param participantId the customer participant's id
 * @param sessionId media session id
 * @param mediaType VOICE, CHAT, …
 * @param direction INBOUND or OUTBOUND
 * @param ani caller number as a tel: URI (personal data)
 * @param dnis dialled number as a tel: URI
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CustomerEventBody(
        Long eventTime,
        String conversationId,
        String participantId,
        String sessionId,
        String mediaType,
        String direction,
        String ani,
        String dnis) {
}
