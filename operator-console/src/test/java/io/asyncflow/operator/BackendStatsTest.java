package io.asyncflow.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.testing.SampleRecords;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendStatsTest {
    static {
        io.asyncflow.serde.AvroTrust.install(); // the records below are built without a serde, which installs it
    }

    private static final long NOW = 1_800_000_000_000L;
    private final BackendStats stats = new BackendStats(300_000);

    @Test
    void shouldCountOutcomesAndTimeoutsAndGivePercentilesPerBackend() {
        // given 100 answers of alpha, 1 to 100 ms: 20 hits, 70 misses, 10 errors of which 4 timed out
        for (int i = 1; i <= 100; i++) {
            LookupOutcome outcome = i <= 20 ? LookupOutcome.HIT : i <= 90 ? LookupOutcome.MISS : LookupOutcome.ERROR;
            String error = outcome != LookupOutcome.ERROR ? null : i <= 92 ? "timed out after 250 ms"
                    : i <= 94 ? "deadline reached: no answer within the 40 ms left" : "HTTP 503 from tel:+33612345678";
            stats.lookupResult(result("alpha", outcome, i, error, NOW - 1000));
        }

        // when
        BackendStats.BackendFigures alpha = stats.backends(NOW).get(0);

        // then
        assertThat(alpha.name()).isEqualTo("alpha");
        assertThat(alpha.calls()).isEqualTo(100);
        assertThat(alpha.hit()).isEqualTo(20);
        assertThat(alpha.miss()).isEqualTo(70);
        assertThat(alpha.error()).isEqualTo(10);
        assertThat(alpha.timeout()).isEqualTo(4);
        assertThat(alpha.hitRate()).isEqualTo(0.2);
        assertThat(alpha.p50Ms()).isEqualTo(50);
        assertThat(alpha.p95Ms()).isEqualTo(95);
        assertThat(alpha.p99Ms()).isEqualTo(99);
        assertThat(alpha.lastErrors()).hasSize(BackendStats.LAST_ERRORS);
        assertThat(alpha.lastErrors()).allSatisfy(e -> assertThat(e.reason()).doesNotContain("612345678"));
    }

    @Test
    void shouldForgetAnswersOlderThanTheWindow() {
        stats.lookupResult(result("beta", LookupOutcome.HIT, 10, null, NOW - 400_000));
        stats.lookupResult(result("beta", LookupOutcome.MISS, 30, null, NOW - 1_000));

        BackendStats.BackendFigures beta = stats.backends(NOW).get(0);

        assertThat(beta.calls()).isEqualTo(1);
        assertThat(beta.miss()).isEqualTo(1);
        assertThat(beta.p50Ms()).isEqualTo(30);
    }

    @Test
    void shouldCountGenesysWritesThrottlesAndDeadLettersOfTheLastMinute() {
        stats.activity(write("written", 0, NOW - 90_000));
        stats.activity(write("written", 3, NOW - 10_000));
        stats.activity(write("written", 0, NOW - 5_000));
        stats.activity(write("dead-lettered", 1, NOW - 1_000));
        stats.activity(Activity.newBuilder(write("answered", 0, NOW)).setKind(ActivityKind.LONG_POLL).build());

        BackendStats.GenesysFigures genesys = stats.genesys(NOW, 280, 7L);

        assertThat(genesys.writesLastMinute()).isEqualTo(2);
        assertThat(genesys.throttledLastMinute()).isEqualTo(4);
        assertThat(genesys.deadLetteredLastMinute()).isEqualTo(1);
        assertThat(genesys.writesInWindow()).isEqualTo(3);
        assertThat(genesys.budgetPerMinute()).isEqualTo(280);
        assertThat(genesys.backlog()).isEqualTo(7L);
    }

    @Test
    void shouldGiveNoPercentileWithoutSamples() {
        assertThat(BackendStats.percentile(new long[0], 50)).isNull();
        assertThat(BackendStats.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    private static LookupResult result(String backend, LookupOutcome outcome, long latencyMs, String error, long completedAt) {
        LookupRequest request = SampleRecords.lookupRequest(SampleRecords.conversationId(), backend);
        return LookupResult.newBuilder(SampleRecords.lookupResult(request, outcome, Map.of())).setLatencyMs(latencyMs)
                .setError(error).setCompletedAt(completedAt).build();
    }

    private static Activity write(String outcome, int throttled, long at) {
        return Activity.newBuilder().setKind(ActivityKind.WRITE).setConversationId(SampleRecords.conversationId())
                .setOutcome(outcome).setThrottled(throttled).setAt(at).build();
    }
}
