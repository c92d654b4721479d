package io.asyncflow.processor.sink;

import java.util.Map;

/**
 * The two Genesys Cloud calls the sink makes. The production implementation is
 * {@link SdkGenesysApi} (the Genesys Java SDK, rate-limited, with its own OAuth token); tests of
 * the sink's coalescing and ordering use a recording fake.
 */
public interface GenesysApi extends AutoCloseable {

    /**
     * Writes participant data: {@code PATCH /api/v2/conversations/{cid}/participants/{pid}/attributes}
     * with all {@code attributes} in one request.
     *
     * @throws GenesysCallException when the write failed; its kind says whether to retry
     */
    void patchAttributes(String conversationId, String participantId, Map<String, String> attributes) throws GenesysCallException;

    /**
     * The id of the conversation's customer participant ({@code purpose == "customer"}), read with
     * {@code GET /api/v2/conversations/{cid}}.
     *
     * @throws GenesysCallException when the conversation cannot be read or has no customer participant
     */
    String customerParticipantId(String conversationId) throws GenesysCallException;

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
