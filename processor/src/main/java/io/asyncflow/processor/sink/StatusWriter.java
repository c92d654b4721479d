package io.asyncflow.processor.sink;

import io.asyncflow.avro.StatusUpdate;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * Makes one attempt to write one status: finds the customer participant (from the status, else
 * from a bounded cache, else with one GET per conversation) and PATCHes all its participant data
 * in one request. Classifies failures into retry-with-backoff, retry-after-the-rate-limit-pause,
 * or give up (permanent error, or the last allowed attempt). A 429 is Genesys pacing the client,
 * not a failed write: it never counts towards {@code sink.max-attempts}, so a long rate-limit
 * storm delays writes without dead-lettering them. Thread-safe; runs on the sink's
 * worker threads.
 */
final class StatusWriter {
    private final GenesysApi api;
    private final ParticipantDataMapper mapper;
    private final Map<String, String> participants;
    private final Backoff backoff;
    private final int maxAttempts;
    private final SinkMetrics metrics;

    StatusWriter(GenesysApi api, ParticipantDataMapper mapper, int participantCacheSize, Backoff backoff, int maxAttempts,
                 SinkMetrics metrics) {
        this.api = api;
        this.mapper = mapper;
        this.participants = Collections.synchronizedMap(new BoundedLru<>(participantCacheSize));
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
    }

    /** False for a status its task type does not write to participant data (ONGOING unless configured). */
    boolean written(StatusUpdate status) {
        return mapper.written(status);
    }

    WriteOutcome write(PendingWrite write) {
        StatusUpdate status = write.status();
        try {
            String participantId = participantId(status);
            api.patchAttributes(status.getConversationId(), participantId, mapper.attributes(status));
            return new WriteOutcome.Written();
        } catch (GenesysCallException e) {
            return onFailure(write, e.kind(), e.status(), e.getMessage(), e.correlationId());
        } catch (RuntimeException e) {
            return onFailure(write, GenesysCallException.Kind.TRANSIENT, 0, "unexpected error: " + e, null);
        }
    }

    private WriteOutcome onFailure(PendingWrite write, GenesysCallException.Kind kind, int httpStatus, String reason,
                                   String correlationId) {
        if (kind == GenesysCallException.Kind.RATE_LIMITED) {
            return new WriteOutcome.Retry(Duration.ZERO, kind, reason);
        }
        int failed = write.failedAttempts() + 1;
        if (kind == GenesysCallException.Kind.PERMANENT) {
            return new WriteOutcome.Failed(reason, httpStatus, correlationId);
        }
        if (failed >= maxAttempts) {
            return new WriteOutcome.Failed("gave up after " + failed + " attempts: " + reason, httpStatus, correlationId);
        }
        return new WriteOutcome.Retry(backoff.delay(failed), kind, reason);
    }

    private String participantId(StatusUpdate status) throws GenesysCallException {
        String conversationId = status.getConversationId();
        if (status.getParticipantId() != null && !status.getParticipantId().isBlank()) {
            participants.put(conversationId, status.getParticipantId());
            return status.getParticipantId();
        }
        String cached = participants.get(conversationId);
        if (cached != null) {
            return cached;
        }
        metrics.participantLookup();
        String resolved = api.customerParticipantId(conversationId);
        participants.put(conversationId, resolved);
        return resolved;
    }
}
