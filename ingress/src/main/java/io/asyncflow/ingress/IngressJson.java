package io.asyncflow.ingress;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON mapper of the ingress and the bridge: unknown fields are ignored (Genesys adds fields over time). */
public final class IngressJson {
    private IngressJson() {
    }

    public static ObjectMapper mapper() {
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }
}
