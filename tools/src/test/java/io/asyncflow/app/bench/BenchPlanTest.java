package io.asyncflow.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.asyncflow.app.AsyncFlowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Narrowing a benchmark plan from the command line, and the CPU cost of a step. */
class BenchPlanTest {

    @Test
    void shouldKeepOnlyTheChosenPartsRatesAndGuaranteesAndMarkThePlanPartial() {
        // given
        BenchPlan full = BenchPlan.full();

        // when
        BenchPlan narrowed = full.withParts(EnumSet.of(BenchPlan.Part.LATENCY, BenchPlan.Part.THROUGHPUT))
                .withGuarantees(List.of(BenchPlan.AT_LEAST_ONCE)).withRates(List.of(300)).withStep(Duration.ofSeconds(7))
                .withOverrides(Map.of("processor.commit-interval", "50ms"));

        // then
        assertThat(full.complete()).isTrue();
        assertThat(narrowed.complete()).isFalse();
        assertThat(narrowed.parts()).containsExactlyInAnyOrder(BenchPlan.Part.LATENCY, BenchPlan.Part.THROUGHPUT);
        assertThat(narrowed.guarantees()).containsExactly(BenchPlan.AT_LEAST_ONCE);
        assertThat(narrowed.latencyRates()).containsExactly(300);
        assertThat(narrowed.throughputRates()).containsExactly(400, 800, 1200, 1600, 2000, 2500);
        assertThat(narrowed.step()).isEqualTo(Duration.ofSeconds(7));
        assertThat(narrowed.throughputStep()).isEqualTo(Duration.ofSeconds(7));
        assertThat(narrowed.overrides()).containsEntry("processor.commit-interval", "50ms");
        assertThat(narrowed.mode()).isEqualTo("full (partial)");
    }

    @Test
    void shouldStartTheThroughputStepsAtAHighRateGivenAlone() {
        assertThat(BenchPlan.quick().withRates(List.of(5000)).throughputRates()).containsExactly(5000);
    }

    @Test
    void shouldChargeTheMachinesCpuToEachStartedConversation() {
        // given 100 conversations in 10 s while the machine was half busy and the broker used a tenth of it
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            conversations.add(new Conversation(new Callers.Caller("+33100000" + i, "alpha", Duration.ofMillis(40)), i));
        }
        CpuSampler.Usage usage = new CpuSampler.Usage(50, Map.of("broker", 10.0), 2.0, 4.0, 1.0);

        // when
        StepResult step = StepResult.of("throughput", 10, 10, conversations, 0, 0, usage);

        // then: half of all cores for 10 s over 100 conversations
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(step.cpuMsPerConversation().get("machine")).isCloseTo(0.5 * cores * 10_000 / 100, within(1e-9));
        assertThat(step.cpuMsPerConversation().get("broker")).isCloseTo(0.1 * cores * 10_000 / 100, within(1e-9));
        assertThat(step.cpuCeiling()).isCloseTo(cores * 1000 / (0.5 * cores * 100), within(1e-9));
        assertThat(BenchReport.cpuCost(step)).contains("broker").contains("carry at most 20/s");
        assertThat(usage.describe()).isEqualTo("machine 50% (steal 4%), broker 10% (JIT 2%), load 1.00");
    }

    @Test
    void shouldSettleTheJitOnlyInFullMode() {
        assertThat(BenchPlan.full().jitSettleLimit()).isEqualTo(Duration.ofMinutes(2));
        assertThat(BenchPlan.quick().jitSettleLimit()).isZero();
        assertThat(BenchPlan.full().withRates(List.of(200)).jitSettleLimit()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void shouldRejectBadNarrowingWithUsageErrors() {
        assertThat(run("--rate", "0")).startsWith("2:").contains("--rate");
        assertThat(run("--only", "speed")).startsWith("2:").contains("'speed' is not a part").contains("rate-limited");
        assertThat(run("--guarantee", "exactly_once")).startsWith("2:").contains("neither exactly_once_v2 nor at_least_once");
        assertThat(run("--step", "-1")).startsWith("2:").contains("--step");
    }

    @Test
    void shouldAcceptPartNamesAsTyped() {
        assertThat(new BenchCommand.PartConverter().convert("rate-limited")).isEqualTo(BenchPlan.Part.RATE_LIMITED);
        assertThat(new BenchCommand.PartConverter().convert("Latency")).isEqualTo(BenchPlan.Part.LATENCY);
    }

    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = AsyncFlowCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        int exit = cli.execute(all.toArray(String[]::new));
        return exit + ":" + err;
    }

    @Test
    void theRealisticProfileSlowsTheDatabasesAndGivesThemTimeToAnswer() {
        BenchPlan realistic = BenchPlan.full().withProfile(BenchPlan.Profile.REALISTIC);

        assertThat(realistic.profile().backends().latencies()).containsEntry("alpha", Duration.ofMillis(300))
                .containsEntry("beta", Duration.ofMillis(800)).containsEntry("gamma", Duration.ofMillis(1500));
        assertThat(realistic.profile().overrides()).containsEntry("backend.gamma.timeout", "3000ms")
                .containsEntry("backend.beta.timeout", "1600ms").doesNotContainKey("backend.alpha.timeout");
        assertThat(BenchPlan.Profile.FAST.overrides()).isEmpty();
        assertThat(realistic.complete()).as("a run with another profile is partial").isFalse();
        assertThat(BenchPlan.full().withProfile(BenchPlan.Profile.FAST).complete()).isTrue();
    }
}
