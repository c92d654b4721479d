package io.asyncflow.processor.lookup;

import io.asyncflow.avro.LookupOutcome;
import java.util.Map;

/**
 * How one HTTP attempt turned out.
 *
 * @param outcome HIT, MISS or ERROR
 * @param attributes on a hit, the attributes picked from the body
 * @param error on an error, the reason (never personal data)
 * @param retryable true when another attempt may succeed (5xx, timeout, connection error, unreadable body)
 */
public record Classification(LookupOutcome outcome, Map<String, String> attributes, String error, boolean retryable) {

    public Classification {
        attributes = Map.copyOf(attributes);
    }

    public static Classification hit(Map<String, String> attributes) {
        return new Classification(LookupOutcome.HIT, attributes, null, false);
    }

    public static Classification miss() {
        return new Classification(LookupOutcome.MISS, Map.of(), null, false);
    }

    public static Classification error(String reason, boolean retryable) {
        return new Classification(LookupOutcome.ERROR, Map.of(), reason, retryable);
    }
}
