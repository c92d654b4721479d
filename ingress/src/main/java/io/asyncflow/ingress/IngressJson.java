package io.asyncflow.ingress;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The JSON mapper of the ingress and the bridge. Unknown fields are ignored (Genesys adds fields
 * over time), but the JSON itself is read strictly, so that AsyncFlow and any proxy in front of it
 * cannot read one body two ways:
 * <ul>
 *   <li>a key twice in one object is an error (the last one would otherwise win);</li>
 *   <li>anything after the top-level value is an error;</li>
 *   <li>in a caller's request ({@link #mapper()}), a number or boolean where text is expected is an
 *   error, not turned into text.</li>
 * </ul>
 * Genesys's own events ({@link #eventMapper()}) keep scalar coercion: a field Genesys turns from
 * text into a number must not make AsyncFlow drop its events.
 */
public final class IngressJson {
    private IngressJson() {
    }

    /** For callers' requests (tasks, results): strict JSON, no scalar coercion. */
    public static ObjectMapper mapper() {
        JsonMapper mapper = eventMapper();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** For Genesys events (webhook and bridge): strict JSON, Genesys's field types taken as they come. */
    public static JsonMapper eventMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
