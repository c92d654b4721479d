package io.asyncflow.console;

import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Time;

/**
 * Moves the times of replayed records by one offset, so that the first record happens now and the
 * others keep their distance to it (a deadline stays 1.5 s after its request, an end event 50 ms
 * after it). The anchor is the first record's timestamp, or, without one, its first time field.
 * Time fields are the epoch-millisecond fields of the AsyncFlow schemas, found by name at any depth.
 */
final class TimeRebase {
    static final Set<String> TIME_FIELDS = Set.of("requestedAt", "deadline", "eventTime", "emittedAt", "completedAt", "failedAt");

    private final boolean enabled;
    private final Time time;
    private Long offset;

    TimeRebase(boolean enabled, Time time) {
        this.enabled = enabled;
        this.time = time;
    }

    /** Rebases the record's time fields in place (when enabled) and returns its rebased timestamp. */
    Long apply(Long timestamp, GenericRecord record) {
        if (!enabled) {
            return timestamp;
        }
        if (offset == null) {
            Long anchor = timestamp != null ? timestamp : record == null ? null : firstTime(record);
            if (anchor != null) {
                offset = time.milliseconds() - anchor;
            }
        }
        if (offset == null) {
            return timestamp;
        }
        if (record != null) {
            shift(record, offset);
        }
        return timestamp == null ? null : timestamp + offset;
    }

    private static Long firstTime(GenericRecord record) {
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (TIME_FIELDS.contains(field.name()) && value instanceof Long time) {
                return time;
            }
            if (value instanceof GenericRecord nested) {
                Long time = firstTime(nested);
                if (time != null) {
                    return time;
                }
            }
        }
        return null;
    }

    private static void shift(GenericRecord record, long offset) {
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (TIME_FIELDS.contains(field.name()) && value instanceof Long time) {
                record.put(field.pos(), time + offset);
            } else if (value instanceof GenericRecord nested) {
                shift(nested, offset);
            }
        }
    }
}
