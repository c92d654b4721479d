package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The trace stamps travel through the topology: task to lookups, result to status. */
class TopologyTraceTest {
    private static final long ACCEPTED = 1_700_000_000_000_000L;

    private final TopologyFixture fixture = new TopologyFixture();
    private final String conversation = SampleRecords.conversationId();

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void lookupsCarryTheTasksStampsAndTheStatusCarriesTheDecidingLookupsPath() {
        // given: a task the ingress stamped
        TaskRequest request = fixture.identify(conversation);
        fixture.tasks.pipeInput(new TestRecord<>(conversation, SampleRecords.task(request),
                Trace.empty().with(Stage.ACCEPTED, ACCEPTED).writeTo(new RecordHeaders()), fixture.now()));

        // when: gamma's worker answers with the lookup's stamps and its own
        List<TestRecord<String, LookupRequest>> lookups = fixture.lookups.readRecordsToList();
        StatusUpdate ongoing = fixture.status.readValue();
        TestRecord<String, LookupRequest> gamma = lookups.stream().filter(r -> r.value().getBackend().equals("gamma")).findFirst().orElseThrow();
        Trace lookupTrace = Trace.from(gamma.headers());
        Trace answered = lookupTrace.with(Stage.LOOKUP_READ, ACCEPTED + 10).with(Stage.BACKEND_SENT, ACCEPTED + 20)
                .with(Stage.BACKEND_ANSWERED, ACCEPTED + 30);
        fixture.results.pipeInput(new TestRecord<>(conversation,
                SampleRecords.lookupResult(gamma.value(), LookupOutcome.HIT, Map.of("customerId", "C-1")),
                answered.writeTo(new RecordHeaders()), fixture.now()));

        // then
        assertThat(ongoing.getStatus()).isEqualTo(TaskStatus.ONGOING);
        assertThat(lookups).hasSize(3).allSatisfy(lookup -> {
            Trace trace = Trace.from(lookup.headers());
            assertThat(trace.at(Stage.ACCEPTED)).hasValue(ACCEPTED);
            assertThat(trace.at(Stage.TASK_READ)).isPresent();
            assertThat(trace.stamps()).containsOnlyKeys(Stage.ACCEPTED, Stage.TASK_READ);
        });
        TestRecord<String, StatusUpdate> success = fixture.status.readRecord();
        assertThat(success.value().getStatus()).isEqualTo(TaskStatus.SUCCESS);
        Trace status = Trace.from(success.headers());
        assertThat(status.stamps()).containsOnlyKeys(Stage.ACCEPTED, Stage.TASK_READ, Stage.LOOKUP_READ, Stage.BACKEND_SENT,
                Stage.BACKEND_ANSWERED, Stage.RESULT_READ, Stage.STATUS_EMITTED);
        assertThat(status.at(Stage.BACKEND_SENT)).hasValue(ACCEPTED + 20);
        assertThat(status.at(Stage.STATUS_EMITTED).getAsLong()).isGreaterThanOrEqualTo(status.at(Stage.RESULT_READ).getAsLong());
    }

    @Test
    void aStatusNoRecordDecidedCarriesOnlyItsEmission() {
        // given
        fixture.send(fixture.identify(conversation));
        fixture.status.readValue();

        // when
        fixture.end(conversation);

        // then
        TestRecord<String, StatusUpdate> cancelled = fixture.status.readRecord();
        assertThat(cancelled.value().getStatus()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(Trace.from(cancelled.headers()).stamps()).containsOnlyKeys(Stage.STATUS_EMITTED);
    }
}
