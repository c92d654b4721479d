package io.asyncflow.app.bench;

import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.result.ResultSettings;
import io.asyncflow.processor.sink.SinkSettings;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Genesys boundary: how soon results reach call flows when Genesys holds the sink to
 * {@value #GENESYS_LIMIT} requests per minute per token and answers 429 beyond, with AsyncFlow's
 * documented defaults. Bursts of conversations arrive as a flow with EventBridge starts them
 * ({@link FlowStarter}); each result is timed twice: when the flow's long poll got it, and when it
 * reached participant data. A last part holds many long polls open at once on one ingress JVM.
 */
final class GenesysBoundary {
    /** Requests per minute Genesys Cloud allows one client-credentials token. */
    static final int GENESYS_LIMIT = 300;

    /** One burst: {@code conversations} at {@code rate}/s, the sink writing with {@code tokens} tokens. */
    record Burst(int conversations, int rate, int tokens) {
        String label() {
            return conversations + " at " + rate + "/s, " + tokens + (tokens == 1 ? " token" : " tokens");
        }

        /** Seconds Genesys's limit needs for one write per conversation: conversations / (tokens × 300/min). */
        double boundSeconds() {
            return budgetSeconds(GENESYS_LIMIT, 0);
        }

        /**
         * Seconds the pool's own budget needs for one write per conversation: each token writes
         * {@code burst} at once, then {@code perMinute} a minute (the sink's {@code sink.rate-burst}
         * and {@code sink.rate-per-minute}, 10 and 280 by default, a margin below Genesys's 300).
         */
        double budgetSeconds(int perMinute, int burst) {
            return Math.max(0, conversations - tokens * (double) burst) * 60.0 / (tokens * (double) perMinute);
        }
    }

    /**
     * What one burst measured. Long poll: {@code decisionToPoll} = the topology's decision
     * ({@code emittedAt}) → the final answer of the flow's long poll; {@code dueToPoll} = the
     * request's due time → that answer. Participant data: {@code writtenSeconds} = first due time →
     * the last conversation's result PATCH at Genesys.
     */
    record BurstResult(Burst burst, int accepted, int polled, int polledInDeadline, long deadlineMs, Samples.Summary decisionToPoll,
                       Samples.Summary dueToPoll, double polledSeconds, int written, double writtenSeconds, double budgetSeconds,
                       long apiCalls, long gets, long tooManyRequests, double pollsPerConversation) {
        double callsPerConversation() {
            return written == 0 ? 0 : (double) apiCalls / written;
        }
    }

    /** Many long polls waiting at once on one ingress JVM: its heap idle and with them waiting, and how fast they were answered. */
    record Waiting(int requests, int waitingAtPeak, double idleHeapMb, double heapMb, Samples.Summary decisionToPoll, int answered,
                   Map<String, Long> failures) {
    }

    private final BenchPlan plan;
    private final PrintWriter out;
    private final HttpClient http;
    private final String bootstrap;
    private final Path resultsDir;

    GenesysBoundary(BenchPlan plan, PrintWriter out, HttpClient http, String bootstrap, Path resultsDir) {
        this.plan = plan;
        this.out = out;
        this.http = http;
        this.bootstrap = bootstrap;
        this.resultsDir = resultsDir;
    }

    /** Runs the plan's bursts, each on its own stack with the documented defaults and a limit-enforcing Genesys. */
    List<BurstResult> bursts() throws Exception {
        if (!plan.mode().startsWith("quick")) {
            warmUp();
        }
        List<BurstResult> results = new ArrayList<>();
        for (Burst burst : plan.boundaryBursts()) {
            results.add(burst(burst));
        }
        return results;
    }

    /**
     * Flows at 30/s for three warm-ups' length on a stack of its own (Genesys unlimited there), so the
     * first burst meets JVMs that compiled the flow's path, as a running service's would be; the
     * measured stacks' token budgets stay untouched.
     */
    private void warmUp() throws Exception {
        Duration length = plan.warmup().multipliedBy(3);
        say("Genesys boundary: warm-up, " + length.toSeconds() + " s of flows at 30/s on a stack of its own");
        Map<String, String> overrides = new LinkedHashMap<>(BenchStack.UNTHROTTLED);
        overrides.putAll(plan.overrides());
        try (BenchStack s = BenchStack.start(bootstrap, "boundary-warm-up", overrides, SimulatedGenesys.Options.defaults(),
                SimulatedBackends.Options.defaults(), ComponentKind.PIPELINE, out)) {
            FlowStarter flow = new FlowStarter(http, s.stack.ingressUrl(), s.stack.ingressToken(), longestWait(s));
            s.awaitReady(flow);
            List<Conversation> warm = s.loop.run(30, length, flow, started -> { });
            OpenLoop.awaitFinished(warm, plan.drain());
            s.tracker.forget(warm);
        }
    }

    private BurstResult burst(Burst burst) throws Exception {
        say("Genesys boundary, " + burst.label() + ": Genesys answers 429 beyond " + GENESYS_LIMIT + " requests/min per token; "
                + "AsyncFlow defaults; participant data needs at least " + BenchReport.fmt("%.0f", burst.boundSeconds()) + " s");
        Map<String, String> overrides = new LinkedHashMap<>(plan.overrides());
        overrides.put(SinkSettings.TOKEN_POOL_SIZE.name(), Integer.toString(burst.tokens()));
        try (BenchStack s = BenchStack.start(bootstrap, "boundary" + burst.tokens(), overrides,
                SimulatedGenesys.Options.defaults().withRateLimit(GENESYS_LIMIT), SimulatedBackends.Options.defaults(),
                ComponentKind.PIPELINE, out);
             DecisionClock decisions = new DecisionClock(s.stack.config())) {
            FlowStarter flow = new FlowStarter(http, s.stack.ingressUrl(), s.stack.ingressToken(), longestWait(s));
            s.awaitReady(flow);
            long calls = s.apiCalls();
            long gets = s.stack.genesys().conversationReads();
            long rejected = s.stack.genesys().tooManyRequests();
            long began = System.nanoTime();
            List<Conversation> conversations = s.loop.run(burst.rate(), Duration.ofMillis(burst.conversations() * 1000L / burst.rate()),
                    flow, started -> { });
            long limit = began + Duration.ofSeconds((long) (burst.boundSeconds() * 2) + 60).toNanos();
            long nextReport = 0;
            while (System.nanoTime() < limit && !conversations.stream().allMatch(c -> (c.polled() && c.finished()) || c.failure != null)) {
                if (System.nanoTime() >= nextReport) {
                    say(BenchReport.fmt("    %-26s %5.0f s  long poll answered %4d/%d  in participant data %4d/%d  429s %d",
                            burst.label(), (System.nanoTime() - began) / 1e9, count(conversations, Conversation::polled), conversations.size(),
                            count(conversations, Conversation::finished), conversations.size(),
                            s.stack.genesys().tooManyRequests() - rejected));
                    nextReport = System.nanoTime() + 5_000_000_000L;
                }
                Thread.sleep(50);
            }
            s.tracker.forget(conversations);
            double budget = burst.budgetSeconds(s.stack.config().getInt(SinkSettings.RATE_PER_MINUTE, 1),
                    s.stack.config().getInt(SinkSettings.RATE_BURST, 0));
            BurstResult result = measure(burst, conversations, decisions, began, deadline(s), budget, s.apiCalls() - calls,
                    s.stack.genesys().conversationReads() - gets, s.stack.genesys().tooManyRequests() - rejected);
            say(BenchReport.fmt("  %s: long poll %d/%d final (%d within the %d ms deadline), decision → answer p50 %.1f p99 %.1f max %.1f ms; "
                            + "participant data %d/%d in %.1f s (pool budget %.1f s, Genesys bound %.1f s), %.2f API calls per conversation (%d GETs), %d answered 429",
                    burst.label(), result.polled(), burst.conversations(), result.polledInDeadline(), result.deadlineMs(),
                    result.decisionToPoll().p50(), result.decisionToPoll().p99(), result.decisionToPoll().max(), result.written(),
                    burst.conversations(), result.writtenSeconds(), result.budgetSeconds(), burst.boundSeconds(), result.callsPerConversation(), result.gets(),
                    result.tooManyRequests()));
            return result;
        }
    }

    private static BurstResult measure(Burst burst, List<Conversation> conversations, DecisionClock decisions, long began, long deadlineMs,
                                       double budgetSeconds, long apiCalls, long gets, long tooManyRequests) {
        Samples decisionToPoll = new Samples();
        Samples dueToPoll = new Samples();
        int accepted = 0;
        int polled = 0;
        int inDeadline = 0;
        int written = 0;
        long lastPoll = began;
        long lastWrite = began;
        int polls = 0;
        for (Conversation c : conversations) {
            accepted += c.accepted() ? 1 : 0;
            polls += c.polls.get();
            if (c.polled()) {
                polled++;
                dueToPoll.add(c.polledNanos - c.scheduledNanos);
                inDeadline += c.polledNanos - c.scheduledNanos <= Duration.ofMillis(deadlineMs).toNanos() ? 1 : 0;
                lastPoll = Math.max(lastPoll, c.polledNanos);
                long decided = decisions.decidedAtMs(c.id);
                if (decided > 0) {
                    decisionToPoll.add(Math.max(0, c.polledWallMs - decided) * 1_000_000L);
                }
            }
            if (c.finished()) {
                written++;
                lastWrite = Math.max(lastWrite, c.terminalNanos);
            }
        }
        return new BurstResult(burst, accepted, polled, inDeadline, deadlineMs, decisionToPoll.summary(), dueToPoll.summary(),
                (lastPoll - began) / 1e9, written, (lastWrite - began) / 1e9, budgetSeconds, apiCalls, gets, tooManyRequests,
                accepted == 0 ? 0 : (double) polls / accepted);
    }

    /**
     * {@link BenchPlan#waitingRequests()} conversations whose databases all answer after
     * {@link #SLOW_DATABASES}, each with a long poll waiting, on an ingress in its own JVM.
     */
    Waiting waiting() throws Exception {
        int n = plan.waitingRequests();
        say("Long-poll cost: " + n + " long polls waiting at once on one ingress JVM (databases answer after "
                + SLOW_DATABASES.toSeconds() + " s)");
        Map<String, String> overrides = new LinkedHashMap<>(BenchStack.UNTHROTTLED);
        overrides.putAll(plan.overrides());
        overrides.put("lookup.max-in-flight", Integer.toString(4 * n));
        overrides.put("task.identify-caller.deadline", "30s");
        SimulatedBackends.Options slow = SimulatedBackends.Options.defaults();
        for (String db : SimulatedBackends.databases()) {
            overrides.put("backend." + db + ".timeout", "20s");
            overrides.put("backend." + db + ".max-in-flight", Integer.toString(2 * n));
            slow = slow.withLatency(db, SLOW_DATABASES);
        }
        int port = freePort();
        overrides.put("ingress.port", Integer.toString(port));
        Path dir = Files.createDirectories(resultsDir.resolve("waiting"));
        List<ComponentKind> inProcess = ComponentKind.PIPELINE.stream().filter(k -> k != ComponentKind.INGRESS).toList();
        try (BenchStack s = BenchStack.start(bootstrap, "waiting", overrides, SimulatedGenesys.Options.defaults(), slow, inProcess, out);
             ProcessorProcess ingress = ProcessorProcess.start(s.stack.config(), dir, List.of(BenchCommand.COMMON_POOL_OPTION), "ingress");
             DecisionClock decisions = new DecisionClock(s.stack.config())) {
            String url = "http://127.0.0.1:" + port;
            FlowStarter flow = new FlowStarter(http, url, s.stack.ingressToken(), longestWait(s));
            double idleHeap = ingress.heapAfterGcMb();
            int rate = Math.max(1, n / 4);
            List<Conversation> conversations = s.loop.run(rate, Duration.ofMillis(n * 1000L / rate), flow, started -> { });
            long end = System.nanoTime() + SLOW_DATABASES.toNanos();
            int waiting = 0;
            // the peak: every poll waiting, or the first one answered (decisions begin)
            while (System.nanoTime() < end && (waiting = count(conversations, c -> c.accepted() && !c.polled())) < n
                    && conversations.stream().noneMatch(Conversation::polled)) {
                Thread.sleep(20);
            }
            double heap = ingress.heapAfterGcMb();
            say(BenchReport.fmt("  %d long polls waiting: ingress heap after GC %.1f MB (idle %.1f MB)", waiting, heap, idleHeap));
            long limit = System.nanoTime() + SLOW_DATABASES.multipliedBy(3).toNanos();
            while (System.nanoTime() < limit && !conversations.stream().allMatch(c -> c.polled() || c.failure != null)) {
                Thread.sleep(50);
            }
            s.tracker.forget(conversations);
            Samples decisionToPoll = new Samples();
            for (Conversation c : conversations) {
                long decided = decisions.decidedAtMs(c.id);
                if (c.polled() && decided > 0) {
                    decisionToPoll.add(Math.max(0, c.polledWallMs - decided) * 1_000_000L);
                }
            }
            Map<String, Long> failures = conversations.stream().filter(c -> c.failure != null)
                    .collect(java.util.stream.Collectors.groupingBy(c -> c.failure, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
            Waiting result = new Waiting(n, waiting, idleHeap, heap, decisionToPoll.summary(), count(conversations, Conversation::polled),
                    failures);
            say(BenchReport.fmt("  %d of %d answered; decision → answer p50 %.1f p99 %.1f max %.1f ms; failed: %s", result.answered(), n,
                    result.decisionToPoll().p50(), result.decisionToPoll().p99(), result.decisionToPoll().max(),
                    failures.isEmpty() ? "none" : failures));
            return result;
        }
    }

    /** Databases of the long-poll cost part answer this late, so every poll is waiting before the first decision. */
    static final Duration SLOW_DATABASES = Duration.ofSeconds(10);

    /** The flow waits as long as the ingress lets one long poll wait. */
    private static Duration longestWait(BenchStack s) {
        return s.stack.config().getDuration(ResultSettings.MAX_WAIT);
    }

    private static long deadline(BenchStack s) {
        return TaskCatalog.from(s.stack.config()).taskType("identify-caller").orElseThrow().deadline().toMillis();
    }

    private static int count(List<Conversation> conversations, java.util.function.Predicate<Conversation> test) {
        return (int) conversations.stream().filter(test).count();
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
