package io.asyncflow.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * Every released version of the AsyncFlow schemas, as shipped under
 * {@code io/asyncflow/avro/history/vN/}. Records written with any of them can be decoded.
 */
public final class SchemaHistory {
    private static final String ROOT = "/io/asyncflow/avro/history/";
    /** Files of one version in the order they must be parsed (referenced types first). */
    static final List<String> PARSE_ORDER = List.of(
            "TaskStatus", "LookupOutcome", "ConversationEventType", "TaskRequest", "ConversationEvent",
            "TaskEvent", "LookupRequest", "LookupResult", "StatusUpdate", "DeadLetter", "StoredConversation", "ActivityKind", "Activity");

    private static final SchemaHistory INSTANCE = load();

    private final Map<String, Map<String, Schema>> versions;
    private final SchemaStore.Cache store = new SchemaStore.Cache();

    private SchemaHistory(Map<String, Map<String, Schema>> versions) {
        this.versions = versions;
        versions.values().forEach(v -> v.values().stream()
                .filter(s -> s.getType() == Schema.Type.RECORD)
                .forEach(store::addSchema));
    }

    /** The history shipped in this module. */
    public static SchemaHistory shipped() {
        return INSTANCE;
    }

    /** Released version names, oldest first. */
    public List<String> versions() {
        return new ArrayList<>(versions.keySet());
    }

    /** The schemas of one released version by simple name. */
    public Map<String, Schema> version(String name) {
        Map<String, Schema> v = versions.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no released schema version " + name + "; known: " + versions.keySet());
        }
        return v;
    }

    /** A store holding every released record schema, keyed by fingerprint. */
    public SchemaStore store() {
        return store;
    }

    private static SchemaHistory load() {
        Map<String, Map<String, Schema>> versions = new LinkedHashMap<>();
        for (String version : read(ROOT + "versions.txt").split("\\R")) {
            if (version.isBlank()) {
                continue;
            }
            Schema.Parser parser = new Schema.Parser();
            Map<String, Schema> schemas = new LinkedHashMap<>();
            for (String name : PARSE_ORDER) {
                String path = ROOT + version.trim() + "/" + name + ".avsc";
                if (SchemaHistory.class.getResource(path) != null) {
                    schemas.put(name, parser.parse(read(path)));
                }
            }
            versions.put(version.trim(), Map.copyOf(schemas));
        }
        return new SchemaHistory(versions);
    }

    private static String read(String resource) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema history resource missing: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
