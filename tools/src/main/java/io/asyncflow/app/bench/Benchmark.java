package io.asyncflow.app.bench;

import io.asyncflow.app.embedded.EmbeddedKafka;
import io.asyncflow.app.embedded.FreePort;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.app.run.Components;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskTypeConfig;
import io.asyncflow.processor.topology.TopologySettings;
import io.asyncflow.runtime.Component;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs every part of the benchmark on one embedded broker, one scenario ({@link BenchStack}) after
 * the other, and gathers the figures into a {@link BenchReport}.
 */
final class Benchmark {
    private final BenchPlan plan;
    private final PrintWriter out;
    private final Path resultsDir;
    private final HttpClient http;
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private String bootstrap;

    Benchmark(BenchPlan plan, PrintWriter out, Path resultsDir) {
        this.plan = plan;
        this.out = out;
        this.resultsDir = resultsDir;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    BenchReport run() throws Exception {
        long began = System.nanoTime();
        BenchReport.Builder report = new BenchReport.Builder(plan);
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults().withPort(0))) {
            kafka.start();
            bootstrap = kafka.bootstrapServers();
            pids.put("bench JVM", ProcessHandle.current().pid());
            pids.put("broker", kafka.pid());
            say("Broker " + bootstrap + " started in " + kafka.startupTime().toMillis() + " ms; " + plan.mode() + " mode");
            if (plan.parts().contains(BenchPlan.Part.LATENCY)) {
                for (String guarantee : plan.guarantees()) {
                    latencyScenario(guarantee, report);
                }
            }
            if (plan.parts().contains(BenchPlan.Part.THROUGHPUT)) {
                throughputScenario(report);
            }
            if (plan.parts().contains(BenchPlan.Part.PASSTHROUGH)) {
                passThrough(report);
            }
            if (plan.parts().contains(BenchPlan.Part.RATE_LIMITED)) {
                rateLimited(report);
            }
            if (plan.parts().contains(BenchPlan.Part.BOUNDARY)) {
                GenesysBoundary boundary = new GenesysBoundary(plan, out, http, bootstrap, resultsDir);
                report.boundary(boundary.bursts(), boundary.waiting());
            }
            if (plan.parts().contains(BenchPlan.Part.FOOTPRINT)) {
                footprint(report);
            }
        } finally {
            httpThreads.shutdownNow();
        }
        report.wallSeconds((System.nanoTime() - began) / 1e9);
        return report.build();
    }

    private void latencyScenario(String guarantee, BenchReport.Builder report) throws Exception {
        say("Latency, " + guarantee + ": open-loop load through the HTTP ingress");
        Map<String, String> overrides = settings();
        overrides.put("processor.processing-guarantee", guarantee);
        try (BenchStack s = BenchStack.start(bootstrap, guarantee.substring(0, 3), overrides, SimulatedGenesys.Options.defaults(),
                plan.profile().backends(), ComponentKind.PIPELINE, out)) {
            IngressStarter ingress = new IngressStarter(http, s.stack.ingressUrl(), s.stack.ingressToken(), null);
            s.awaitReady(ingress);
            if (BenchPlan.EXACTLY_ONCE.equals(guarantee)) {
                say("Baseline: the sequential workflow (alpha, then beta, then gamma, then one PATCH) on the same simulators");
                SequentialStarter sequential = SequentialStarter.login(http, s.stack.backends().baseUrl(), s.stack.genesys().baseUrl(),
                        s.stack.genesys().options().clientId(), s.stack.genesys().options().clientSecret());
                report.sequential(s.step("sequential", plan.baselineRate(), warmup(), plan.step(), plan.drain(), sequential, pids));
                backlog(s, ingress, report);
            }
            for (int rate : plan.latencyRates()) {
                report.latency(guarantee, s.step(guarantee, rate, warmup(), plan.step(), plan.drain(), ingress, pids));
            }
        }
    }

    /**
     * The throughput steps run AsyncFlow (ingress, topology, lookup worker, sink) in a JVM of its
     * own, so the CPU each step costs is split between AsyncFlow's own process, the broker and the
     * bench JVM (load generator and simulators), and AsyncFlow's CPU per conversation is measured alone.
     */
    private void throughputScenario(BenchReport.Builder report) throws Exception {
        Path dir = Files.createDirectories(resultsDir.resolve("throughput"));
        Map<String, String> overrides = settings();
        int port = FreePort.pick();
        overrides.put("ingress.port", Integer.toString(port));
        try (BenchStack s = BenchStack.start(bootstrap, "thr", overrides, SimulatedGenesys.Options.defaults(),
                plan.profile().backends(), List.of(), out);
             ProcessorProcess asyncflow = ProcessorProcess.start(s.stack.config(), dir, BenchCommand.childJvmOptions(),
                     "ingress,processor,lookups,sink")) {
            IngressStarter ingress = new IngressStarter(http, "http://127.0.0.1:" + port, s.stack.ingressToken(), null);
            s.awaitReady(ingress);
            Map<String, Long> watched = new LinkedHashMap<>(pids);
            watched.put(StepResult.ASYNCFLOW_JVM, asyncflow.pid());
            throughput(s, ingress, report, watched);
        }
    }

    private void throughput(BenchStack s, IngressStarter ingress, BenchReport.Builder report, Map<String, Long> watched) throws Exception {
        say("Throughput: step the rate up, " + plan.throughputStep().toSeconds() + " s per step, stop at the first failure");
        // the processor JVM starts cold: a longer first warm-up, extended until its JIT settles
        BenchStack.Warmup warmup = new BenchStack.Warmup(plan.warmup().multipliedBy(3), plan.jitSettleLimit());
        for (int rate : plan.throughputRates()) {
            StepResult step = s.step("throughput", rate, warmup, plan.throughputStep(), plan.drain(), ingress, watched);
            warmup = BenchStack.Warmup.NONE; // the steps follow each other: the first one warmed everything
            boolean sustained = BenchReport.sustained(step);
            report.throughput(step, sustained);
            say("  " + rate + "/s " + (sustained ? "sustained" : "NOT sustained") + "; CPU per conversation " + BenchReport.cpuCost(step));
            if (!sustained) {
                break;
            }
        }
    }

    private void backlog(BenchStack s, IngressStarter ingress, BenchReport.Builder report) throws Exception {
        int n = plan.backlogConversations();
        say("API economy under backlog: sink stopped, " + n + " conversations, sink started again");
        Component sink = s.stack.component(ComponentKind.SINK);
        sink.close();
        List<Conversation> conversations = s.loop.run(200, Duration.ofMillis(n * 1000L / 200), ingress, started -> { });
        awaitDecided(s, conversations);
        long before = s.apiCalls();
        Component restarted = Components.create(ComponentKind.SINK, s.stack.config(), s.stack.registry());
        long start = System.nanoTime();
        restarted.start();
        s.closeWith(restarted);
        OpenLoop.awaitFinished(conversations, Duration.ofSeconds(120));
        double drainSeconds = (System.nanoTime() - start) / 1e9;
        long finished = conversations.stream().filter(Conversation::finished).count();
        report.backlog(conversations.size(), (int) finished, s.apiCalls() - before, drainSeconds);
        say(String.format("  %d conversations, %d finished; %.2f API calls per conversation; drained in %.1f s (%.0f writes/s)",
                conversations.size(), finished, (double) (s.apiCalls() - before) / Math.max(1, finished), drainSeconds,
                (s.apiCalls() - before) / drainSeconds));
    }

    /** Waits until the topology has decided every conversation (its lookups have answered). */
    private void awaitDecided(BenchStack s, List<Conversation> conversations) throws InterruptedException {
        long slowest = SimulatedBackends.databases().stream().mapToLong(db -> s.stack.backends().latency(db).toMillis()).max().orElse(0);
        Thread.sleep(Math.max(2000, slowest * 10));
    }

    private void passThrough(BenchReport.Builder report) throws Exception {
        String commit = plan.overrides().getOrDefault(TopologySettings.COMMIT_INTERVAL.name(), TopologySettings.COMMIT_INTERVAL.defaultValue());
        PassThroughBaseline baseline = new PassThroughBaseline(bootstrap, AsyncFlowConfig.parseDuration(commit));
        for (String guarantee : plan.guarantees()) {
            say("Baseline: Kafka Streams pass-through, " + guarantee + ", " + plan.baselineRate() + "/s");
            PassThroughBaseline.StepResultLite r = baseline.run(guarantee, plan.baselineRate(), plan.warmup(), plan.step());
            say(String.format("  %s: p50 %.1f p95 %.1f p99 %.1f max %.1f ms (%d records)", r.label(), r.latency().p50(), r.latency().p95(),
                    r.latency().p99(), r.latency().max(), r.latency().count()));
            report.passThrough(guarantee, r);
        }
    }

    private void rateLimited(BenchReport.Builder report) throws Exception {
        say("API economy at the Genesys rate limit: sink and simulated Genesys held to 300 requests per minute, "
                + plan.rateLimitedRate() + " conversations/s");
        Map<String, String> overrides = settings();
        overrides.put("sink.rate-per-minute", "300");
        try (BenchStack s = BenchStack.start(bootstrap, "limited", overrides, SimulatedGenesys.Options.defaults().withRateLimit(300),
                plan.profile().backends(), ComponentKind.PIPELINE, out)) {
            IngressStarter ingress = new IngressStarter(http, s.stack.ingressUrl(), s.stack.ingressToken(), null);
            s.awaitReady(ingress);
            StepResult step = s.step("rate-limited", plan.rateLimitedRate(), BenchStack.Warmup.NONE, plan.rateLimitedStep(), Duration.ofSeconds(90),
                    ingress, pids);
            report.rateLimited(step, s.stack.genesys().tooManyRequests());
        }
    }

    private void footprint(BenchReport.Builder report) throws Exception {
        int n = plan.footprintConversations();
        say("Footprint: the processor (topology, lookups, sink) in its own JVM with " + n + " conversations in flight");
        Map<String, String> overrides = settings();
        overrides.put("task.identify-caller.deadline", "5m");
        // a conversation counts as in flight once its ONGOING reached Genesys, so this part writes ONGOING (off by default)
        overrides.put(TaskTypeConfig.WRITE_ONGOING.forName("identify-caller"), "true");
        SimulatedBackends.Options slow = SimulatedBackends.Options.defaults();
        for (String db : SimulatedBackends.databases()) {
            overrides.put("backend." + db + ".timeout", "4m");
            slow = slow.withLatency(db, Duration.ofMinutes(3));
        }
        Path dir = Files.createDirectories(resultsDir.resolve("footprint"));
        try (BenchStack s = BenchStack.start(bootstrap, "footprint", overrides, SimulatedGenesys.Options.defaults(), slow,
                List.of(ComponentKind.INGRESS), out);
             ProcessorProcess processor = ProcessorProcess.start(s.stack.config(), dir, List.of(BenchCommand.COMMON_POOL_OPTION))) {
            double idleHeap = processor.heapAfterGcMb();
            double idleRss = processor.rssMb();
            IngressStarter ingress = new IngressStarter(http, s.stack.ingressUrl(), s.stack.ingressToken(), null);
            int rate = Math.min(1000, n);
            List<Conversation> conversations = s.loop.run(rate, Duration.ofMillis(n * 1000L / rate), ingress, started -> { });
            long end = System.nanoTime() + plan.drain().multipliedBy(8).toNanos();
            long ongoing = 0;
            while (System.nanoTime() < end && (ongoing = conversations.stream().filter(c -> c.ongoingNanos != 0).count()) < n) {
                Thread.sleep(200);
            }
            long inFlight = conversations.stream().filter(c -> c.ongoingNanos != 0 && !c.finished()).count();
            double heap = processor.heapAfterGcMb();
            double rss = processor.rssMb();
            report.footprint(new BenchReport.Footprint((int) inFlight, idleHeap, idleRss, heap, rss, Runtime.version().toString()));
            say(String.format("  %d in flight (ONGOING written, no result yet): heap after GC %.1f MB (idle %.1f), RSS %.0f MB (idle %.0f)",
                    inFlight, heap, idleHeap, rss, idleRss));
        }
    }

    /** The plan's warm-up of a latency step, extended while the JIT compilers are still busy. */
    private BenchStack.Warmup warmup() {
        return new BenchStack.Warmup(plan.warmup(), plan.jitSettleLimit());
    }

    /** The benchmark's settings, then the profile's, then the plan's overrides ({@code --set}); each scenario adds its own last. */
    private Map<String, String> settings() {
        Map<String, String> all = new LinkedHashMap<>(BenchStack.UNTHROTTLED);
        all.putAll(plan.profile().overrides());
        all.putAll(plan.overrides());
        return all;
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
