package io.asyncflow.app.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how hard each part of the benchmark runs: {@link #full()} for figures worth
 * publishing (about 12 minutes), {@link #quick()} to check the harness (under a minute).
 */
record BenchPlan(String mode, List<Integer> latencyRates, Duration warmup, Duration step, List<String> guarantees,
                 int baselineRate, List<Integer> throughputRates, Duration throughputStep,
                 int backlogConversations, int rateLimitedRate, Duration rateLimitedStep, int footprintConversations) {

    static final String EXACTLY_ONCE = "exactly_once_v2";
    static final String AT_LEAST_ONCE = "at_least_once";

    static BenchPlan full() {
        return new BenchPlan("full", List.of(50, 200, 1000), Duration.ofSeconds(5), Duration.ofSeconds(15),
                List.of(EXACTLY_ONCE, AT_LEAST_ONCE), 200, List.of(100, 200, 400, 800, 1200, 1600, 2000, 2500), Duration.ofSeconds(60),
                3000, 4, Duration.ofSeconds(30), 10_000);
    }

    static BenchPlan quick() {
        return new BenchPlan("quick", List.of(50, 200, 1000), Duration.ofSeconds(1), Duration.ofSeconds(2),
                List.of(EXACTLY_ONCE, AT_LEAST_ONCE), 200, List.of(100), Duration.ofSeconds(3),
                200, 4, Duration.ofSeconds(5), 1_000);
    }

    /** Time allowed for the last conversations of a step to finish. */
    Duration drain() {
        return Duration.ofSeconds("quick".equals(mode) ? 5 : 15);
    }
}
