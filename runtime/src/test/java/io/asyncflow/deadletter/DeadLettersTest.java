package io.asyncflow.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every stage builds its dead letters here: the reason is masked, the record is kept whole for replay. */
class DeadLettersTest {
    private static final byte[] VALUE = "{\"ani\":\"tel:+33611111103\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldMaskTheReasonOfARecordsDeadLetterAndKeepTheRecord() {
        DeadLetter letter = DeadLetters.forRecord("lookup", "undecodable: tel:+33611111103\u0000", "asyncflow.lookups", 1, 7L,
                "conv-1".getBytes(StandardCharsets.UTF_8), VALUE);

        assertThat(letter.getReason()).isEqualTo("undecodable: tel:+33*******03 ");
        assertThat(letter.getValue().array()).isEqualTo(VALUE);
    }

    @Test
    void shouldMaskTheReasonOfAnUpdatesDeadLetter() {
        DeadLetter letter = DeadLetters.forUpdate("sink", "HTTP 400: 0611111103 refused", "conv-1", "corr", "asyncflow.status", VALUE);

        assertThat(letter.getReason()).isEqualTo("HTTP 400: 061*****03 refused");
        assertThat(letter.getValue().array()).isEqualTo(VALUE);
    }
}
