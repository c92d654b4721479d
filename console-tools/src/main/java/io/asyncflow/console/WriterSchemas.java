package io.asyncflow.console;

import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.serde.SchemaHistory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The Avro schemas a record on an AsyncFlow topic may have been written with: the current schemas
 * of the generated classes, and every released schema of {@link SchemaHistory} (found by the
 * fingerprint in a single-object encoded value). A console line names the record type by its full
 * name and the released version that holds its writer schema; a line without a version is read
 * with the current schema (records written with a schema not released yet).
 */
final class WriterSchemas {
    /** The schema a value was written with and the released version holding it (null: current, unreleased). */
    record Writer(Schema schema, String version) {
        String type() {
            return schema.getFullName();
        }
    }

    private static final List<Schema> CURRENT = List.of(TaskEvent.getClassSchema(), TaskRequest.getClassSchema(),
            ConversationEvent.getClassSchema(), LookupRequest.getClassSchema(), LookupResult.getClassSchema(),
            StatusUpdate.getClassSchema(), DeadLetter.getClassSchema());

    private final Map<String, Schema> currentByName = new LinkedHashMap<>();
    private final Map<Long, Schema> currentByFingerprint = new LinkedHashMap<>();
    private final SchemaHistory history;

    WriterSchemas(SchemaHistory history) {
        this.history = history;
        for (Schema schema : CURRENT) {
            currentByName.put(schema.getFullName(), schema);
            currentByFingerprint.put(SchemaNormalization.parsingFingerprint64(schema), schema);
        }
    }

    static WriterSchemas shipped() {
        return new WriterSchemas(SchemaHistory.shipped());
    }

    /**
     * The writer of a value whose single-object header carries {@code fingerprint}, if known: the
     * newest released version holding that schema, else the current (not yet released) schema.
     * Naming the released version keeps a recorded line readable after later schema changes.
     */
    Optional<Writer> byFingerprint(long fingerprint) {
        Schema released = history.store().findByFingerprint(fingerprint);
        if (released != null && released.getType() == Schema.Type.RECORD) {
            List<String> newestFirst = new ArrayList<>(history.versions());
            Collections.reverse(newestFirst);
            Optional<Writer> writer = newestFirst.stream()
                    .filter(v -> fingerprintOf(history.version(v).get(released.getName())) == fingerprint)
                    .findFirst()
                    .map(v -> new Writer(released, v));
            if (writer.isPresent()) {
                return writer;
            }
        }
        return Optional.ofNullable(currentByFingerprint.get(fingerprint)).map(s -> new Writer(s, null));
    }

    /**
     * The schema a line names: {@code type} is a full record name, {@code version} a released version
     * or null for the current schema.
     */
    Writer forLine(String type, String version) {
        if (version == null) {
            Schema schema = currentByName.get(type);
            if (schema == null) {
                throw new IllegalArgumentException("unknown record type '" + type + "'; known: " + currentByName.keySet()
                        + ", text, bytes");
            }
            return new Writer(schema, null);
        }
        if (!history.versions().contains(version)) {
            throw new IllegalArgumentException("unknown schema version '" + version + "'; released: " + history.versions());
        }
        return history.version(version).values().stream()
                .filter(s -> s.getFullName().equals(type))
                .findFirst()
                .map(s -> new Writer(s, version))
                .orElseThrow(() -> new IllegalArgumentException("schema version " + version + " has no record type '" + type + "'"));
    }

    private static long fingerprintOf(Schema schema) {
        return schema == null ? 0L : SchemaNormalization.parsingFingerprint64(schema);
    }
}
