package io.asyncflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Bytes as JSON without loss: valid UTF-8 as a JSON string, anything else as
 * {@code {"base64": "…"}}, no bytes as {@code null}. Used for keys, header values and non-Avro values.
 */
final class BytesJson {
    static final String BASE64 = "base64";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BytesJson() {
    }

    static JsonNode toJson(byte[] bytes) {
        if (bytes == null) {
            return NODES.nullNode();
        }
        String text = utf8(bytes);
        if (text != null) {
            return NODES.textNode(text);
        }
        return NODES.objectNode().put(BASE64, Base64.getEncoder().encodeToString(bytes));
    }

    /** The bytes a node stands for; throws {@link IllegalArgumentException} saying what was expected. */
    static byte[] fromJson(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue().getBytes(StandardCharsets.UTF_8);
        }
        if (node.isObject() && node.size() == 1 && node.path(BASE64).isTextual()) {
            try {
                return Base64.getDecoder().decode(node.path(BASE64).textValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " is not valid base64: " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(what + " must be a string, {\"base64\": \"…\"} or null, not " + node.getNodeType());
    }

    /** The text of valid UTF-8 bytes, or null when they are not valid UTF-8. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
