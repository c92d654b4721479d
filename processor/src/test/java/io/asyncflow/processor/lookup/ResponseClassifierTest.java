package io.asyncflow.processor.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.LookupOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseClassifierTest {
    private final ResponseClassifier classifier = new ResponseClassifier(TestBackends.backend("alpha",
            TestBackends.customerDb("alpha", "http://db", Map.of("failure-pointer", "/error"))));

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldMapAttributesOfAHitAsTextAndLeaveOutMissingOnes() {
        // given a customer with a numeric id and no segment
        byte[] body = json("{\"customer\": {\"id\": 1001, \"name\": \"Zoë \\\"Z\\\" Martin\", \"segment\": null}}");

        // when
        Classification c = classifier.classify(200, body);

        // then
        assertThat(c.outcome()).isEqualTo(LookupOutcome.HIT);
        assertThat(c.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("customerId", "1001", "customerName", "Zoë \"Z\" Martin"));
        assertThat(c.error()).isNull();
    }

    @Test
    void shouldKeepNestedValuesAsJsonText() {
        ResponseClassifier nested = new ResponseClassifier(TestBackends.backend("alpha",
                TestBackends.customerDb("alpha", "http://db", Map.of("attributes", "tags=/customer/tags"))));

        Classification c = nested.classify(200, json("{\"customer\": {\"tags\": [\"vip\", \"fr\"]}}"));

        assertThat(c.attributes()).containsEntry("tags", "[\"vip\",\"fr\"]");
    }

    @Test
    void shouldTreatNotFoundAsMiss() {
        assertThat(classifier.classify(404, json("{\"message\": \"no such customer\"}")).outcome()).isEqualTo(LookupOutcome.MISS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n", "null", "{}", "[]", "{\"customer\": null}", "{\"customer\": {}}", "{\"customer\": \"\"}",
            "{\"other\": 1}"})
    void shouldTreatAnEmptyResultAsMiss(String body) {
        Classification c = classifier.classify(200, json(body));

        assertThat(c.outcome()).isEqualTo(LookupOutcome.MISS);
        assertThat(c.attributes()).isEmpty();
    }

    @Test
    void shouldTreatNoContentAsMiss() {
        assertThat(classifier.classify(204, null).outcome()).isEqualTo(LookupOutcome.MISS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"error\": true, \"customer\": {\"id\": 1}}", "{\"error\": \"account locked\", \"customer\": {\"id\": 1}}",
            "{\"error\": {\"code\": 7}}"})
    void shouldTreatAFailureReportedInA2xxAsANonRetryableError(String body) {
        Classification c = classifier.classify(200, json(body));

        assertThat(c.outcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(c.retryable()).isFalse();
        assertThat(c.error()).contains("/error");
        assertThat(c.attributes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"error\": false, \"customer\": {\"id\": 1}}", "{\"error\": \"\", \"customer\": {\"id\": 1}}",
            "{\"error\": null, \"customer\": {\"id\": 1}}", "{\"error\": [], \"customer\": {\"id\": 1}}"})
    void shouldNotTreatAnEmptyFailureFieldAsAFailure(String body) {
        assertThat(classifier.classify(200, json(body)).outcome()).isEqualTo(LookupOutcome.HIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>Service Unavailable</html>", "{\"customer\": {\"id\": 1", "{\"customer\": {}} trailing", "42", "\"ok\""})
    void shouldTreatAnUnreadableBodyAsARetryableError(String body) {
        Classification c = classifier.classify(200, json(body));

        assertThat(c.outcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(c.retryable()).isTrue();
        assertThat(c.error()).startsWith("unreadable body");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408, 429})
    void shouldTreatServerErrorsAsRetryable(int status) {
        Classification c = classifier.classify(status, json("{\"customer\": {\"id\": 1}}"));

        assertThat(c.outcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(c.retryable()).isTrue();
        assertThat(c.error()).isEqualTo("HTTP " + status);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 409, 302, 101})
    void shouldTreatOtherStatusesAsNonRetryableErrors(int status) {
        Classification c = classifier.classify(status, json("{\"customer\": {\"id\": 1}}"));

        assertThat(c.outcome()).isEqualTo(LookupOutcome.ERROR);
        assertThat(c.retryable()).isFalse();
    }

    @Test
    void shouldTreatAWholeNonEmptyBodyAsHitWhenNoHitPointerIsConfigured() {
        ResponseClassifier whole = new ResponseClassifier(TestBackends.backend("ai",
                TestBackends.intentAi("ai", "http://ai", Map.of("hit-pointer", ""))));

        assertThat(whole.classify(200, json("{\"intent\": \"billing\", \"confidence\": 0.93}")).attributes())
                .containsExactlyInAnyOrderEntriesOf(Map.of("intent", "billing", "confidence", "0.93"));
        assertThat(whole.classify(200, json("{}")).outcome()).isEqualTo(LookupOutcome.MISS);
    }
}
