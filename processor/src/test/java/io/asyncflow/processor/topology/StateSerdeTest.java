package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StateSerdeTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final String IDENTIFY = "9b2f6c1e-3d4a-4f5b-8c7d-6e5f4a3b2c1d";
    private static final String CLASSIFY = "1a2b3c4d-0000-4000-8000-00000000000a";

    private final StateSerde serde = new StateSerde();

    @Test
    void shouldReadAnInFlightConversationThePreviousReleaseWroteAsJson() throws IOException {
        // when
        ConversationState read = serde.deserialize("", golden("in-flight.json"));

        // then every time and answer is as written, none read as 0
        TaskState task = read.task(IDENTIFY).orElseThrow();
        assertThat(task.deadline()).isEqualTo(T0 + 8_000);
        assertThat(task.requestedAt()).isEqualTo(T0);
        assertThat(task.status()).isEqualTo(TaskStatus.ONGOING);
        assertThat(task.version()).isEqualTo(1);
        assertThat(task.backends()).containsExactly("alpha", "beta", "gamma");
        assertThat(task.answers()).containsEntry("alpha", new TaskState.Answer(LookupOutcome.MISS, null))
                .containsEntry("beta", new TaskState.Answer(LookupOutcome.ERROR, "HTTP 503"));
        assertThat(read.timerAt()).isEqualTo(T0 + 8_000);
        assertThat(read.participantId()).isEqualTo("p-1");
        assertThat(read.participantSince()).isEqualTo(T0);
        assertThat(read.ended()).isFalse();
    }

    @Test
    void shouldReadAnEndedConversationWithAnOrphanThePreviousReleaseWroteAsJson() throws IOException {
        // when
        ConversationState read = serde.deserialize("", golden("ended-with-orphan.json"));

        // then
        assertThat(read.endedAt()).isEqualTo(T0 + 500);
        assertThat(read.timerAt()).isEqualTo(T0 + 600_500);
        TaskState done = read.task(CLASSIFY).orElseThrow();
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(done.finishedAt()).isEqualTo(T0 + 300);
        assertThat(done.participantId()).isNull();
        TaskState cancelled = read.task(IDENTIFY).orElseThrow();
        assertThat(cancelled.orphaned()).isTrue();
        assertThat(cancelled.version()).isEqualTo(3);
        assertThat(read.participantId()).isNull();
    }

    @Test
    void shouldReadAParticipantRememberedAloneThePreviousReleaseWroteAsJson() throws IOException {
        // when
        ConversationState read = serde.deserialize("", golden("participant-only.json"));

        // then
        assertThat(read.tasks()).isEmpty();
        assertThat(read.participantId()).isEqualTo("p-only");
        assertThat(read.participantSince()).isEqualTo(T0);
        assertThat(read.timerAt()).isEqualTo(T0 + 600_000);
    }

    @Test
    void shouldWriteGoldenStateBackAsAvroThatReadsTheSame() throws IOException {
        for (String name : new String[] {"in-flight.json", "ended-with-orphan.json", "participant-only.json"}) {
            // given
            ConversationState fromJson = serde.deserialize("", golden(name));

            // when
            byte[] avro = serde.serialize("", fromJson);

            // then
            assertThat(avro[0]).as(name).isEqualTo((byte) 0xC3);
            assertThat(serde.deserialize("", avro)).as(name).isEqualTo(fromJson);
        }
    }

    @Test
    void shouldRejectBytesThatAreNeitherFormat() {
        assertThatThrownBy(() -> serde.deserialize("", "garbage".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("neither Avro");
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream in = StateSerdeTest.class.getResourceAsStream("/state-golden/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
