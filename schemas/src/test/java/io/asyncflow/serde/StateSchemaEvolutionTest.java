package io.asyncflow.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * The state store's format changes only in ways that read released state correctly: the check
 * {@link SchemaCompatibilityTest} runs fails on a renamed field, where the JSON state of earlier
 * releases read it as 0.
 */
class StateSchemaEvolutionTest {
    private static final Schema RELEASED = SchemaHistory.shipped().version("v3").get("StoredConversation");

    @Test
    void shouldFailTheCompatibilityCheckWhenAFieldIsRenamed() {
        // given a reader that renamed every task's deadline
        Schema renamed = edited("{\"name\": \"deadline\", \"type\": \"long\"", "{\"name\": \"deadlineAt\", \"type\": \"long\"");

        // when
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(renamed, RELEASED);

        // then
        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities().toString()).contains("deadlineAt");
    }

    @Test
    void shouldFailTheCompatibilityCheckWhenAFieldIsAddedWithoutADefault() {
        // given a reader expecting a field released state does not have
        Schema added = edited("{\"name\": \"endedAt\", \"type\": \"long\"",
                "{\"name\": \"startedAt\", \"type\": \"long\"}, {\"name\": \"endedAt\", \"type\": \"long\"");

        // when
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(added, RELEASED);

        // then
        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
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
