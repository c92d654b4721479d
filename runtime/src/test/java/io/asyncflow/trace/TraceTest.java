package io.asyncflow.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceTest {

    @Test
    void stampsSurviveTheTripThroughRecordHeaders() {
        Trace trace = Trace.empty().with(Stage.ACCEPTED, 1_000).with(Stage.TASK_READ, 3_500);
        Headers headers = trace.writeTo(new RecordHeaders());

        assertThat(Trace.from(headers)).isEqualTo(trace);
        assertThat(headers.lastHeader("asyncflow-trace-accepted").value()).hasSize(8);
    }

    @Test
    void restampingReplacesTheHeaderInsteadOfAddingASecond() {
        Headers headers = Trace.empty().with(Stage.STATUS_EMITTED, 10).writeTo(new RecordHeaders());
        Trace.empty().with(Stage.STATUS_EMITTED, 20).writeTo(headers);

        assertThat(headers.headers(Stage.STATUS_EMITTED.header())).hasSize(1);
        assertThat(Trace.from(headers).at(Stage.STATUS_EMITTED)).hasValue(20);
    }

    @Test
    void foreignOrMalformedHeadersAreIgnored() {
        Headers headers = new RecordHeaders();
        headers.add(Stage.ACCEPTED.header(), new byte[]{1, 2, 3});
        headers.add("traceparent", "00-abc".getBytes());

        assertThat(Trace.from(headers).isEmpty()).isTrue();
        assertThat(Trace.from(null).isEmpty()).isTrue();
    }

    @Test
    void aHopNeedsBothEndsAndNeverGoesNegative() {
        Trace trace = Trace.empty().with(Stage.ACCEPTED, 5_000).with(Stage.TASK_READ, 4_000).with(Stage.LOOKUP_READ, 9_000);

        assertThat(trace.micros(Hop.INGRESS_TO_TOPOLOGY)).hasValue(0);
        assertThat(trace.micros(Hop.TOPOLOGY_TO_WORKER)).hasValue(5_000);
        assertThat(trace.micros(Hop.BACKEND)).isEmpty();
    }

    @Test
    void aStatusDecidedWithoutAResultMeasuresItsDecisionFromTheTask() {
        Trace ongoing = Trace.empty().with(Stage.TASK_READ, 100).with(Stage.STATUS_EMITTED, 350);
        Trace decided = ongoing.with(Stage.RESULT_READ, 300);

        assertThat(ongoing.micros(Hop.DECISION)).hasValue(250);
        assertThat(decided.micros(Hop.DECISION)).hasValue(50);
    }

    @Test
    void thePathHopsAddUpToTheTotal() {
        Trace trace = Trace.empty();
        long t = 1_000_000;
        for (Stage stage : List.of(Stage.ACCEPTED, Stage.TASK_READ, Stage.LOOKUP_READ, Stage.BACKEND_SENT, Stage.BACKEND_ANSWERED,
                Stage.RESULT_READ, Stage.STATUS_EMITTED, Stage.STATUS_READ, Stage.GENESYS_WRITTEN)) {
            trace = trace.with(stage, t);
            t += 1_000 + stage.ordinal();
        }
        Trace complete = trace;
        long sum = Hop.PATH.stream().mapToLong(h -> complete.micros(h).orElseThrow()).sum();

        assertThat(complete.micros(Hop.TOTAL)).hasValue(sum);
        long own = Hop.PATH.stream().filter(Hop::ours).mapToLong(h -> complete.micros(h).orElseThrow()).sum();
        assertThat(complete.ownMicros()).isEqualTo(own)
                .isEqualTo(sum - complete.micros(Hop.BACKEND).orElseThrow() - complete.micros(Hop.GENESYS_WRITE).orElseThrow());
    }

    @Test
    void aLaterHeaderOfTheSameStageWinsAndOtherHeadersStay() {
        Headers headers = new RecordHeaders();
        headers.add("traceparent", "00-abc".getBytes());
        headers.add(Stage.TASK_READ.header(), java.nio.ByteBuffer.allocate(8).putLong(10).array());
        headers.add(Stage.TASK_READ.header(), java.nio.ByteBuffer.allocate(8).putLong(20).array());

        assertThat(Trace.from(headers).at(Stage.TASK_READ)).hasValue(20);
        assertThat(Trace.from(headers).stamps()).containsOnlyKeys(Stage.TASK_READ);
    }

    @Test
    void theMeterRecordsOnlyTheHopsEndingAtTheStageAndTellsListeners() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HopMeter meter = HopMeter.of(registry);
        List<Stage> heard = new ArrayList<>();
        Trace trace = Trace.empty().with(Stage.ACCEPTED, 0).with(Stage.TASK_READ, 2_000).with(Stage.STATUS_EMITTED, 2_500)
                .with(Stage.STATUS_READ, 10_000).with(Stage.GENESYS_WRITTEN, 30_000);

        try (HopMeter.Subscription ignored = meter.listen((stage, conversationId, t) -> heard.add(stage))) {
            meter.record(Stage.GENESYS_WRITTEN, "c-1", trace);
        }
        meter.record(Stage.TASK_READ, "c-1", trace);

        assertThat(HopMeter.of(registry)).isSameAs(meter);
        assertThat(heard).containsExactly(Stage.GENESYS_WRITTEN);
        assertThat(timer(registry, Hop.GENESYS_WRITE).count()).isEqualTo(1);
        assertThat(timer(registry, Hop.GENESYS_WRITE).totalTime(TimeUnit.MICROSECONDS)).isEqualTo(20_000);
        assertThat(timer(registry, Hop.TOTAL).totalTime(TimeUnit.MICROSECONDS)).isEqualTo(30_000);
        assertThat(timer(registry, Hop.INGRESS_TO_TOPOLOGY).count()).isEqualTo(1);
        assertThat(timer(registry, Hop.TOPOLOGY_TO_SINK).count()).isZero();
    }

    private static Timer timer(SimpleMeterRegistry registry, Hop hop) {
        return registry.get(HopMeter.TIMER).tag("hop", hop.id()).timer();
    }
}
