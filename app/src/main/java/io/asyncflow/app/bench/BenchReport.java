package io.asyncflow.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every figure of one benchmark run, the targets they are held to, and their rendering as Markdown and CSV. */
record BenchReport(BenchPlan plan, Map<String, List<StepResult>> latency, StepResult sequential,
                   Map<String, PassThroughBaseline.StepResultLite> passThrough, List<StepResult> throughput, int sustainedRate,
                   Backlog backlog, StepResult rateLimited, long tooManyRequests, Footprint footprint, double wallSeconds) {

    static final double OVERHEAD_P50_MS = 20;
    static final double OVERHEAD_P99_MS = 50;
    static final int THROUGHPUT_TARGET = 2000;
    static final double IDLE_CALLS = 2;
    static final double BACKLOG_CALLS = 1.2;
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
        StepResult bound = throughputBound();
        if (bound != null) {
            targets.add(new Target("sustained throughput", ">= 2,000 conversations/s", sustainedRate + " conversations/s"
                    + (bound.cpuCeiling() <= 0 ? "" : fmt(" (CPU ceiling %.0f/s)", bound.cpuCeiling())),
                    sustainedRate >= THROUGHPUT_TARGET));
        }
        if (latencyAt(BenchPlan.EXACTLY_ONCE, plan.latencyRates().get(0)) != null) {
            targets.add(new Target("participant-data calls per conversation, idle", "<= 2",
                    fmt("%.2f", idleCallsPerConversation()), idleCallsPerConversation() > 0 && idleCallsPerConversation() <= IDLE_CALLS));
        }
        if (backlog != null) {
            targets.add(new Target("participant-data calls per conversation, backlog", "<= 1.2",
                    fmt("%.2f", backlog.callsPerConversation()), backlog.finished() > 0 && backlog.callsPerConversation() <= BACKLOG_CALLS));
        }
        if (footprint != null) {
            targets.add(new Target("processor heap with " + footprint.inFlight() + " in flight", "<= 256 MB",
                    fmt("%.1f MB", footprint.heapMb()), footprint.heapMb() <= HEAP_MB));
        }
        return targets;
    }

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

        void footprint(Footprint result) {
            footprint = result;
        }

        void wallSeconds(double seconds) {
            wallSeconds = seconds;
        }

        BenchReport build() {
            return new BenchReport(plan, latency, sequential, passThrough, throughput, sustainedRate, backlog, rateLimited,
                    tooManyRequests, footprint, wallSeconds);
        }
    }
}
