package io.asyncflow.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.StoredConversation;
import io.asyncflow.avro.TaskEvent;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails the build when a change to {@code src/main/avro} makes today's readers unable to read data
 * written with any released schema (see {@code history/README.md}): topic records and the
 * topology's stored state alike.
 */
class SchemaCompatibilityTest {

    static Stream<Arguments> releasedTopLevelSchemas() {
        Map<String, Schema> current = Map.of(
                "TaskEvent", TaskEvent.getClassSchema(),
                "LookupRequest", LookupRequest.getClassSchema(),
                "LookupResult", LookupResult.getClassSchema(),
                "StatusUpdate", StatusUpdate.getClassSchema(),
                "DeadLetter", DeadLetter.getClassSchema(),
                "StoredConversation", StoredConversation.getClassSchema(),
                "Activity", io.asyncflow.avro.Activity.getClassSchema());
        SchemaHistory history = SchemaHistory.shipped();
        return history.versions().stream().flatMap(version -> current.entrySet().stream()
                .filter(e -> history.version(version).containsKey(e.getKey()))
                .map(e -> Arguments.of(version, e.getKey(), history.version(version).get(e.getKey()), e.getValue())));
    }

    @ParameterizedTest(name = "{1} written with {0} is readable now")
    @MethodSource("releasedTopLevelSchemas")
    void currentReaderShouldReadEveryReleasedWriter(String version, String name, Schema released, Schema current) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(current, released);

        assertThat(result.getType())
                .as("%s %s: %s", version, name, result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "the store knows {1} of {0}")
    @MethodSource("releasedTopLevelSchemas")
    void storeShouldHoldEveryReleasedRecordSchema(String version, String name, Schema released, Schema current) {
        long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(released);

        assertThat(SchemaHistory.shipped().store().findByFingerprint(fingerprint)).isNotNull();
    }
}
