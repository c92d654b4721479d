package io.asyncflow.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The state store's format changes only in ways that read released state correctly: the check
 * {@link SchemaCompatibilityTest} runs fails on a renamed field, where the JSON state of earlier
 * releases read it as 0.
 */
class StateSchemaEvolutionTest {
    private static final Schema RELEASED = SchemaHistory.shipped().version("v3").get("StoredConversation");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a task's deadline renamed | {\"name\": \"deadline\", \"type\": \"long\" | {\"name\": \"deadlineAt\", \"type\": \"long\"",
            "a field added without a default | {\"name\": \"endedAt\", \"type\": \"long\" "
                    + "| {\"name\": \"startedAt\", \"type\": \"long\"}, {\"name\": \"endedAt\", \"type\": \"long\""})
    void shouldFailTheCompatibilityCheckWhereReleasedStateWouldReadAsZero(String change, String from, String to) {
        // given a reader with the change
        Schema changed = edited(from, to);

        // when
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(changed, RELEASED);

        // then
        assertThat(result.getType()).as(change).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities().toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void shouldPassTheCompatibilityCheckWhenARenamedFieldKeepsItsOldNameAsAlias() {
        // given
        Schema aliased = edited("{\"name\": \"deadline\", \"type\": \"long\"",
                "{\"name\": \"deadlineAt\", \"aliases\": [\"deadline\"], \"type\": \"long\"");

        // when
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(aliased, RELEASED);

        // then
        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    /** The released state schema with one piece of its JSON replaced, parsed with the types it refers to. */
    private static Schema edited(String from, String to) {
        String json = RELEASED.toString(true);
        String compact = json.replaceAll("\\s+", " ").replace("{ \"name\" : ", "{\"name\": ").replace(", \"type\" : ", ", \"type\": ");
        assertThat(compact).contains(from);
        return new Schema.Parser().parse(compact.replace(from, to));
    }
}
