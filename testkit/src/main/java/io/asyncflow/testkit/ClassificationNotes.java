package io.asyncflow.testkit;

import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.config.BackendConfig;
import io.asyncflow.processor.lookup.Classification;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Says, for the timeline of a failed test, how a canned answer was classified and which
 * configuration key decided it: a 2xx that is a miss names the backend's {@code hit-pointer}, a hit
 * missing an attribute names the {@code attributes} pointer that found nothing.
 */
final class ClassificationNotes {
    private ClassificationNotes() {
    }

    static String describe(BackendConfig backend, CannedResponse response, Classification c) {
        String answer = response + " = " + c.outcome();
        if (c.outcome() == LookupOutcome.ERROR) {
            return answer + " (" + c.error() + (c.retryable() ? ", retried " + backend.retries() + " time(s)" : "") + ")";
        }
        boolean ok = response.statusCode() >= 200 && response.statusCode() < 300;
        if (c.outcome() == LookupOutcome.MISS) {
            return ok && response.body() != null && !response.body().isBlank()
                    ? answer + ": nothing at " + BackendConfig.HIT_POINTER.forName(backend.name()) + "='" + backend.hitPointer() + "'"
                    : answer;
        }
        Map<String, String> missing = backend.attributes().entrySet().stream()
                .filter(e -> !c.attributes().containsKey(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return missing.isEmpty()
                ? answer + " " + c.attributes()
                : answer + " " + c.attributes() + "; nothing at " + BackendConfig.ATTRIBUTES.forName(backend.name()) + " " + missing;
    }
}
