package io.asyncflow.processor.sink;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.trace.Trace;
import org.apache.kafka.common.TopicPartition;

/**
 * One status update waiting to be written, with where it was read (for the offset commit and the
 * dead letter) and its retry state.
 *
 * @param status the decoded update
 * @param partition topic partition it was read from
 * @param offset its offset
 * @param key the record's key bytes, kept for a dead letter
 * @param value the record's value bytes, kept for a dead letter
 * @param failedAttempts attempts that failed so far
 * @param throttled times the write was held back by a 429 (not counted as failed attempts)
 * @param notBeforeNanos {@link org.apache.kafka.common.utils.Time#nanoseconds()} before which it is not tried (backoff)
 * @param trace the record's trace, stamped when the sink read it
 */
record PendingWrite(StatusUpdate status, TopicPartition partition, long offset, byte[] key, byte[] value,
                    int failedAttempts, int throttled, long notBeforeNanos, Trace trace) {

    String taskId() {
        return status.getTaskId();
    }

    String conversationId() {
        return status.getConversationId();
    }

    int version() {
        return status.getVersion();
    }

    /** SUCCESS, NOT_FOUND, TIMEOUT and ERROR go before ONGOING. */
    boolean terminal() {
        return status.getStatus() != TaskStatus.ONGOING;
    }

    /** This write after one more failed attempt, not to be tried before {@code notBefore}. */
    PendingWrite failedOnce(long notBefore) {
        return new PendingWrite(status, partition, offset, key, value, failedAttempts + 1, throttled, notBefore, trace);
    }

    /** This write, rate-limited (not a failed attempt), not to be tried before {@code notBefore}. */
    PendingWrite deferred(long notBefore) {
        return new PendingWrite(status, partition, offset, key, value, failedAttempts, throttled + 1, notBefore, trace);
    }

    @Override
    public String toString() {
        return "PendingWrite[" + partition + "@" + offset + " task " + taskId() + " v" + version() + " "
                + status.getStatus() + ", failed " + failedAttempts + ", throttled " + throttled + "]";
    }
}
