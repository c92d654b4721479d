package io.asyncflow.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every figure of one benchmark run, the targets they are held to, and their rendering as Markdown and CSV. */
record BenchReport(BenchPlan plan, Map<String, List<StepResult>> latency, StepResult sequential,
                   Map<String, PassThroughBaseline.StepResultLite> passThrough, List<StepResult> throughput, int sustainedRate,
                   Backlog backlog, StepResult rateLimited, long tooManyRequests, List<GenesysBoundary.BurstResult> bursts,
                   GenesysBoundary.Waiting waiting, Footprint footprint, double wallSeconds) {

    static final double OVERHEAD_P50_MS = 20;
    static final double OVERHEAD_P99_MS = 50;
    static final double IDLE_OVERHEAD_P50_MS = 15;
    /** AsyncFlow's own CPU per conversation at 200/s. */
    static final double OWN_CPU_MS = 2;
    static final int THROUGHPUT_TARGET = 2000;
    static final double IDLE_CALLS = 1.05;
    static final double BACKLOG_CALLS = 1.0;
    /** A flow's long poll answers within this much of the topology's decision. */
    static final double POLL_AFTER_DECISION_MS = 50;
    static final double HEAP_MB = 256;
    static final double SUSTAINED_P99_MS = 1000;

    /** API economy with the sink stopped while conversations were decided, then started. */
    record Backlog(int conversations, int finished, long apiCalls, double drainSeconds) {
        double callsPerConversation() {
            return finished == 0 ? 0 : (double) apiCalls / finished;
        }
    }

    /** Memory of the processor JVM, idle and with {@code inFlight} conversations in flight. */
    record Footprint(int inFlight, double idleHeapMb, double idleRssMb, double heapMb, double rssMb, String javaVersion) {
    }

    /** A target, its threshold and whether this run met it. */
    record Target(String name, String goal, String measured, boolean met) {
    }

    /**
     * A rate is sustained when every conversation finished with SUCCESS, the p99 from due time to
     * result stayed under one second, and no more than one second of arrivals was still in flight
     * when the last one arrived (no growing backlog).
     */
    static boolean sustained(StepResult step) {
        return step.allSucceeded() && step.total().p99() < SUSTAINED_P99_MS && step.outstandingAtEnd() <= step.rate();
    }

    StepResult latencyAt(String guarantee, int rate) {
        return latency.getOrDefault(guarantee, List.of()).stream().filter(s -> s.rate() == rate).findFirst().orElse(null);
    }

    double idleCallsPerConversation() {
        StepResult idle = latencyAt(BenchPlan.EXACTLY_ONCE, plan.latencyRates().get(0));
        return idle == null ? 0 : idle.apiCallsPerConversation();
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        StepResult eos200 = latencyAt(BenchPlan.EXACTLY_ONCE, 200);
        if (eos200 != null) {
            targets.add(new Target("overhead at 200/s, exactly-once", "p50 <= 20 ms, p99 <= 50 ms",
                    fmt("p50 %.1f ms, p99 %.1f ms", eos200.overhead().p50(), eos200.overhead().p99()),
                    eos200.overhead().p50() <= OVERHEAD_P50_MS && eos200.overhead().p99() <= OVERHEAD_P99_MS));
        }
        StepResult idle = latencyAt(BenchPlan.EXACTLY_ONCE, BenchPlan.IDLE_RATE);
        if (idle != null) {
            targets.add(new Target("overhead at idle (" + BenchPlan.IDLE_RATE + "/s), exactly-once", "p50 <= 15 ms",
                    fmt("p50 %.1f ms, p99 %.1f ms", idle.overhead().p50(), idle.overhead().p99()),
                    idle.overhead().p50() <= IDLE_OVERHEAD_P50_MS));
        }
        StepResult at200 = throughput.stream().filter(s -> s.rate() == 200 && s.asyncFlowCpuMs() >= 0).findFirst().orElse(null);
        if (at200 != null) {
            targets.add(new Target("AsyncFlow's own CPU per conversation at 200/s", "<= 2 ms",
                    fmt("%.2f ms", at200.asyncFlowCpuMs()), at200.asyncFlowCpuMs() <= OWN_CPU_MS));
        }
        StepResult bound = throughputBound();
        if (bound != null) {
            targets.add(new Target("sustained throughput", ">= 2,000 conversations/s", sustainedRate + " conversations/s"
                    + (bound.cpuCeiling() <= 0 ? "" : fmt(" (CPU ceiling %.0f/s)", bound.cpuCeiling())),
                    sustainedRate >= THROUGHPUT_TARGET));
        }
        if (latencyAt(BenchPlan.EXACTLY_ONCE, plan.latencyRates().get(0)) != null) {
            targets.add(new Target("participant-data calls per conversation, idle", "<= 1.05",
                    fmt("%.2f", idleCallsPerConversation()), idleCallsPerConversation() > 0 && idleCallsPerConversation() <= IDLE_CALLS));
        }
        if (backlog != null) {
            targets.add(new Target("participant-data calls per conversation, backlog", "<= 1.0",
                    fmt("%.2f", backlog.callsPerConversation()), backlog.finished() > 0 && backlog.callsPerConversation() <= BACKLOG_CALLS));
        }
        boundaryTargets(targets);
        if (footprint != null) {
            targets.add(new Target("processor heap with " + footprint.inFlight() + " in flight", "<= 256 MB",
                    fmt("%.1f MB", footprint.heapMb()), footprint.heapMb() <= HEAP_MB));
        }
        return targets;
    }

    private void boundaryTargets(List<Target> targets) {
        for (GenesysBoundary.BurstResult b : bursts) {
            int n = b.burst().conversations();
            targets.add(new Target("burst " + b.burst().label() + ": long poll", "every flow answered within decision + 50 ms",
                    fmt("%d/%d answered, decision → answer max %.0f ms (p99 %.0f)", b.polled(), n, b.decisionToPoll().max(),
                            b.decisionToPoll().p99()),
                    b.polled() == n && b.decisionToPoll().max() <= POLL_AFTER_DECISION_MS));
            targets.add(new Target("burst " + b.burst().label() + ": participant data", fmt("all within the pool's budget, %.0f s",
                    b.budgetSeconds()), fmt("%d/%d in %.1f s", b.written(), n, b.writtenSeconds()),
                    b.written() == n && b.writtenSeconds() <= b.budgetSeconds() + BOUND_SLACK_SECONDS));
            targets.add(new Target("burst " + b.burst().label() + ": API calls per conversation", "<= 1.05",
                    fmt("%.2f (%d GETs)", b.callsPerConversation(), b.gets()), b.written() > 0 && b.callsPerConversation() <= IDLE_CALLS));
        }
    }

    /**
     * Slack on the pool's budget: the burst itself lasts {@code conversations / rate} seconds and the
     * last decision comes a lookup after the last request, so a pool faster than the arrivals cannot
     * finish before them.
     */
    static final double BOUND_SLACK_SECONDS = 5;

    /** "4.1 ms (processor JVM 1.2, broker 1.5, bench JVM 1.3); the cores carry at most 490/s at that cost". */
    static String cpuCost(StepResult step) {
        Map<String, Double> cost = step.cpuMsPerConversation();
        Double machine = cost.get("machine");
        if (machine == null) {
            return "unknown";
        }
        StringBuilder parts = new StringBuilder();
        cost.forEach((name, ms) -> {
            if (!"machine".equals(name)) {
                parts.append(parts.length() == 0 ? "" : ", ").append(name).append(' ').append(fmt("%.2f", ms));
            }
        });
        return fmt("%.2f ms (%s); %d cores carry at most %.0f/s at that cost", machine, parts,
                Runtime.getRuntime().availableProcessors(), step.cpuCeiling());
    }

    /** The throughput step whose CPU cost bounds the rate best: the highest sustained one, else the first. */
    StepResult throughputBound() {
        StepResult bound = throughput.isEmpty() ? null : throughput.get(0);
        for (StepResult s : throughput) {
            if (sustained(s)) {
                bound = s;
            }
        }
        return bound;
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Collects results while the benchmark runs. */
    static final class Builder {
        private final BenchPlan plan;
        private final Map<String, List<StepResult>> latency = new LinkedHashMap<>();
        private final Map<String, PassThroughBaseline.StepResultLite> passThrough = new LinkedHashMap<>();
        private final List<StepResult> throughput = new ArrayList<>();
        private StepResult sequential;
        private int sustainedRate;
        private Backlog backlog;
        private StepResult rateLimited;
        private long tooManyRequests;
        private List<GenesysBoundary.BurstResult> bursts = List.of();
        private GenesysBoundary.Waiting waiting;
        private Footprint footprint;
        private double wallSeconds;

        Builder(BenchPlan plan) {
            this.plan = plan;
        }

        void latency(String guarantee, StepResult step) {
            latency.computeIfAbsent(guarantee, g -> new ArrayList<>()).add(step);
        }

        void sequential(StepResult step) {
            sequential = step;
        }

        void passThrough(String guarantee, PassThroughBaseline.StepResultLite result) {
            passThrough.put(guarantee, result);
        }

        void throughput(StepResult step, boolean sustained) {
            throughput.add(step);
            if (sustained) {
                sustainedRate = Math.max(sustainedRate, step.rate());
            }
        }

        void backlog(int conversations, int finished, long apiCalls, double drainSeconds) {
            backlog = new Backlog(conversations, finished, apiCalls, drainSeconds);
        }

        void rateLimited(StepResult step, long rejected) {
            rateLimited = step;
            tooManyRequests = rejected;
        }

        void boundary(List<GenesysBoundary.BurstResult> results, GenesysBoundary.Waiting longPolls) {
            bursts = List.copyOf(results);
            waiting = longPolls;
        }

        void footprint(Footprint result) {
            footprint = result;
        }

        void wallSeconds(double seconds) {
            wallSeconds = seconds;
        }

        BenchReport build() {
            return new BenchReport(plan, latency, sequential, passThrough, throughput, sustainedRate, backlog, rateLimited,
                    tooManyRequests, bursts, waiting, footprint, wallSeconds);
        }
    }
}
