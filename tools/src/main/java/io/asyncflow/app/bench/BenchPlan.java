package io.asyncflow.app.bench;

import io.asyncflow.app.sim.SimulatedBackends;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How long and how hard each part of the benchmark runs: {@link #full()} for figures worth
 * publishing (about 12 minutes), {@link #quick()} to check the harness (under a minute); the
 * {@code with...} methods narrow a plan to some parts, guarantees or rates, for profiling one step.
 */
record BenchPlan(String mode, Set<Part> parts, List<Integer> latencyRates, Duration warmup, Duration step, List<String> guarantees,
                 int baselineRate, List<Integer> throughputRates, Duration throughputStep,
                 int backlogConversations, int rateLimitedRate, Duration rateLimitedStep, int footprintConversations,
                 Map<String, String> overrides, Profile profile) {

    static final String EXACTLY_ONCE = "exactly_once_v2";
    static final String AT_LEAST_ONCE = "at_least_once";
    /** Conversations/s of the idle step: one at a time, as a new user tries it. */
    static final int IDLE_RATE = 5;

    /**
     * The simulated databases' latencies: {@code fast} (alpha 40, beta 80, gamma 120 ms) shows
     * AsyncFlow's own overhead; {@code realistic} (300, 800, 1,500 ms: legacy CRMs and an AI model)
     * shows what the parallel fan-out saves a caller.
     */
    enum Profile {
        FAST(40, 80, 120), REALISTIC(300, 800, 1500);

        private final List<Duration> latencies;

        Profile(long alphaMs, long betaMs, long gammaMs) {
            this.latencies = List.of(Duration.ofMillis(alphaMs), Duration.ofMillis(betaMs), Duration.ofMillis(gammaMs));
        }

        /** The simulated backends with this profile's latencies. */
        SimulatedBackends.Options backends() {
            SimulatedBackends.Options options = SimulatedBackends.Options.defaults();
            List<String> databases = SimulatedBackends.databases();
            for (int i = 0; i < databases.size(); i++) {
                options = options.withLatency(databases.get(i), latencies.get(i));
            }
            return options;
        }

        List<Duration> latencies() {
            return latencies;
        }

        /**
         * AsyncFlow settings the profile needs: each database's timeout twice its latency (the demo
         * configuration's 1 s would time the realistic profile's slower databases out).
         */
        Map<String, String> overrides() {
            Map<String, String> settings = new LinkedHashMap<>();
            List<String> databases = SimulatedBackends.databases();
            for (int i = 0; i < databases.size(); i++) {
                Duration timeout = latencies.get(i).multipliedBy(2);
                if (timeout.compareTo(Duration.ofSeconds(1)) > 0) {
                    settings.put("backend." + databases.get(i) + ".timeout", timeout.toMillis() + "ms");
                }
            }
            return settings;
        }

        /** "alpha 40 ms, beta 80 ms, gamma 120 ms". */
        String describe() {
            List<String> databases = SimulatedBackends.databases();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < databases.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(databases.get(i)).append(' ').append(latencies.get(i).toMillis()).append(" ms");
            }
            return text.toString();
        }
    }

    /** The parts of a run, in the order they run. */
    enum Part {
        LATENCY, THROUGHPUT, PASSTHROUGH, RATE_LIMITED, BOUNDARY, FOOTPRINT
    }

    BenchPlan {
        parts = Set.copyOf(parts);
        latencyRates = List.copyOf(latencyRates);
        guarantees = List.copyOf(guarantees);
        throughputRates = List.copyOf(throughputRates);
        overrides = Map.copyOf(overrides);
    }

    static BenchPlan full() {
        return new BenchPlan("full", EnumSet.allOf(Part.class), List.of(IDLE_RATE, 50, 200, 1000), Duration.ofSeconds(10), Duration.ofSeconds(15),
                List.of(EXACTLY_ONCE, AT_LEAST_ONCE), 200, List.of(100, 200, 400, 800, 1200, 1600, 2000, 2500), Duration.ofSeconds(60),
                3000, 4, Duration.ofSeconds(30), 10_000, Map.of(), Profile.FAST);
    }

    static BenchPlan quick() {
        return new BenchPlan("quick", EnumSet.allOf(Part.class), List.of(IDLE_RATE, 200), Duration.ofSeconds(1), Duration.ofSeconds(2),
                List.of(EXACTLY_ONCE, AT_LEAST_ONCE), 200, List.of(100), Duration.ofSeconds(3),
                200, 4, Duration.ofSeconds(5), 1_000, Map.of(), Profile.FAST);
    }

    /** True when every part runs with its planned rates and guarantees (the figures make a whole report). */
    boolean complete() {
        return parts.size() == Part.values().length && !mode.endsWith("(partial)");
    }

    BenchPlan withParts(Set<Part> only) {
        return new BenchPlan(partial(), only, latencyRates, warmup, step, guarantees, baselineRate, throughputRates, throughputStep,
                backlogConversations, rateLimitedRate, rateLimitedStep, footprintConversations, overrides, profile);
    }

    BenchPlan withGuarantees(List<String> only) {
        return new BenchPlan(partial(), parts, latencyRates, warmup, step, only, baselineRate, throughputRates, throughputStep,
                backlogConversations, rateLimitedRate, rateLimitedStep, footprintConversations, overrides, profile);
    }

    /** Latency steps at {@code rates}; the throughput steps start at the lowest of them. */
    BenchPlan withRates(List<Integer> rates) {
        int lowest = rates.stream().mapToInt(Integer::intValue).min().orElseThrow();
        List<Integer> throughput = throughputRates.stream().filter(r -> r >= lowest).toList();
        return new BenchPlan(partial(), parts, rates, warmup, step, guarantees, baselineRate,
                throughput.isEmpty() ? List.of(lowest) : throughput, throughputStep,
                backlogConversations, rateLimitedRate, rateLimitedStep, footprintConversations, overrides, profile);
    }

    /** Every latency and throughput step lasts {@code length}. */
    BenchPlan withStep(Duration length) {
        return new BenchPlan(partial(), parts, latencyRates, warmup, length, guarantees, baselineRate, throughputRates, length,
                backlogConversations, rateLimitedRate, rateLimitedStep, footprintConversations, overrides, profile);
    }

    /** AsyncFlow settings applied to every stack of the run, over the benchmark's own. */
    BenchPlan withOverrides(Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(settings);
        return new BenchPlan(partial(), parts, latencyRates, warmup, step, guarantees, baselineRate, throughputRates, throughputStep,
                backlogConversations, rateLimitedRate, rateLimitedStep, footprintConversations, all, profile);
    }

    /** The databases answer with {@code latencies}; a run with another profile than the default is partial. */
    BenchPlan withProfile(Profile latencies) {
        return new BenchPlan(latencies == profile ? mode : partial(), parts, latencyRates, warmup, step, guarantees, baselineRate,
                throughputRates, throughputStep, backlogConversations, rateLimitedRate, rateLimitedStep, footprintConversations,
                overrides, latencies);
    }

    private String partial() {
        return mode.endsWith("(partial)") ? mode : mode + " (partial)";
    }

    /**
     * Longest extra warm-up of a step while the JIT compilers are still busy (full mode: two minutes;
     * quick mode: none, it only checks the harness).
     */
    Duration jitSettleLimit() {
        return mode.startsWith("quick") ? Duration.ZERO : Duration.ofMinutes(2);
    }

    /**
     * The Genesys boundary's bursts: 300 conversations at 30/s with one token (an ordinary peak), then
     * 1,000 at 50/s with token pools of 1, 2 and 4; quick mode: one small burst that checks the harness.
     */
    List<GenesysBoundary.Burst> boundaryBursts() {
        if (mode.startsWith("quick")) {
            return List.of(new GenesysBoundary.Burst(60, 30, 2));
        }
        return List.of(new GenesysBoundary.Burst(300, 30, 1), new GenesysBoundary.Burst(1000, 50, 1),
                new GenesysBoundary.Burst(1000, 50, 2), new GenesysBoundary.Burst(1000, 50, 4));
    }

    /** Long polls held open at once on one ingress in the long-poll cost part. */
    int waitingRequests() {
        return mode.startsWith("quick") ? 200 : 2000;
    }

    /** Time allowed for the last conversations of a step to finish. */
    Duration drain() {
        return Duration.ofSeconds(mode.startsWith("quick") ? 5 : 15);
    }
}
