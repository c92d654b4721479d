package io.asyncflow.console;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The console line format: one JSON object per record,
 * {@code {"topic","partition","offset","timestamp","key","headers":{…},"type","schema"?,"value"}}.
 * {@code type} is the full name of the Avro record type ({@code value} is then the record in Avro's
 * JSON encoding), {@code text} (a UTF-8 string value) or {@code bytes} ({@code {"base64": "…"}});
 * {@code schema} names the released schema version the record was written with (absent: the
 * current schema, not released yet). {@code error} says why an Avro-looking value is shown as bytes.
 */
final class RecordLine {
    static final String TOPIC = "topic";
    static final String PARTITION = "partition";
    static final String OFFSET = "offset";
    static final String TIMESTAMP = "timestamp";
    static final String KEY = "key";
    static final String HEADERS = "headers";
    static final String TYPE = "type";
    static final String SCHEMA = "schema";
    static final String VALUE = "value";
    static final String ERROR = "error";

    static final String TEXT = "text";
    static final String BYTES = "bytes";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RecordLine() {
    }

    /** True for a line in this format; anything else is read as a plain Genesys event. */
    static boolean isRecordLine(JsonNode line) {
        return line.has(VALUE) && (line.has(TYPE) || line.has(KEY));
    }
}
