package io.asyncflow.app.bench;

import io.asyncflow.app.local.LocalStack;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.trace.HopMeter;
import io.asyncflow.trace.Stage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark scenario: a {@link LocalStack} on the shared broker with its own topics and
 * consumer groups (so scenarios never see each other's records), callers registered in the
 * simulated databases, and the tracking of participant-data writes.
 */
final class BenchStack implements AutoCloseable {
    /** Settings that keep the measured pipeline, not its default safety bounds, the limit. */
    static final Map<String, String> UNTHROTTLED = Map.of(
            "sink.rate-per-minute", "1000000",
            "lookup.max-in-flight", "4096",
            "backend.alpha.max-in-flight", "2048",
            "backend.beta.max-in-flight", "2048",
            "backend.gamma.max-in-flight", "2048");

    final LocalStack stack;
    final Callers callers;
    final WriteTracker tracker = new WriteTracker();
    final OpenLoop loop;
    private final PrintWriter out;
    private final StageLag lag;
    private final List<io.asyncflow.runtime.Component> extra = new java.util.ArrayList<>();
    private final HopMeter.Subscription traces;

    private BenchStack(LocalStack stack, Callers callers, PrintWriter out) {
        this.stack = stack;
        this.callers = callers;
        this.loop = new OpenLoop(callers, tracker);
        this.out = out;
        this.lag = new StageLag(stack.config(), stack.bootstrapServers());
        stack.genesys().onWrite(tracker);
        this.traces = HopMeter.of(stack.registry()).listen((stage, conversationId, trace) -> {
            if (stage == Stage.GENESYS_WRITTEN) {
                tracker.traced(conversationId, trace);
            }
        });
    }

    static BenchStack start(String bootstrap, String name, Map<String, String> overrides, SimulatedGenesys.Options genesys,
                            SimulatedBackends.Options backends, List<ComponentKind> components, PrintWriter out) {
        Map<String, String> all = new LinkedHashMap<>(isolation(name));
        all.putAll(overrides);
        LocalStack stack = new LocalStack(LocalStack.Options.defaults().withBootstrapServers(bootstrap)
                .withGenesys(genesys).withBackends(backends).withOverrides(all), components).start();
        BenchStack bench = new BenchStack(stack, Callers.register(stack.backends(), 2000), out);
        return bench;
    }

    /**
     * Waits until one conversation went through the whole pipeline (consumer groups joined,
     * transactions initialised), so no measured step pays for the start.
     */
    void awaitReady(OpenLoop.Starter starter) throws InterruptedException {
        for (int attempt = 0; attempt < 12; attempt++) {
            List<Conversation> probe = loop.run(1, Duration.ofSeconds(1), starter, started -> { });
            OpenLoop.awaitFinished(probe, Duration.ofSeconds(10));
            tracker.forget(probe);
            if (probe.stream().allMatch(Conversation::finished)) {
                return;
            }
        }
        throw new IllegalStateException("the pipeline did not complete a conversation within two minutes");
    }

    private static Map<String, String> isolation(String name) {
        String prefix = "bench-" + name + "-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, String> values = new LinkedHashMap<>();
        for (String topic : List.of("tasks", "raw-events", "lookups", "lookup-results", "status", "orphans", "dlq")) {
            values.put("topic." + topic, prefix + "." + topic);
        }
        values.put("processor.application-id", prefix + "-processor");
        values.put("lookup.group-id", prefix + "-lookup");
        values.put("sink.group-id", prefix + "-sink");
        values.put("bridge.group-id", prefix + "-bridge");
        return values;
    }

    /** Genesys API calls (conversation GETs and participant-data PATCHes) received so far. */
    long apiCalls() {
        return stack.genesys().conversationReads() + stack.genesys().attributePatches();
    }

    /**
     * How a step warms up before it is measured: at least {@code minimum} of load at the step's rate,
     * then more, {@link #CHUNK} at a time, while the JIT compilers of the watched JVMs still keep more
     * than {@link #QUIET_CORES} of a core busy, up to {@code jitLimit} more.
     */
    record Warmup(Duration minimum, Duration jitLimit) {
        static final Warmup NONE = new Warmup(Duration.ZERO, Duration.ZERO);
        static final Duration CHUNK = Duration.ofSeconds(5);
        static final double QUIET_CORES = 0.10;
    }

    /**
     * A warm-up (not measured, see {@link Warmup}), then {@code duration} of open-loop load at
     * {@code rate}, then up to {@code drain} for the last conversations to finish.
     */
    StepResult step(String label, int rate, Warmup warmup, Duration duration, Duration drain, OpenLoop.Starter starter,
                    Map<String, Long> pids) throws InterruptedException {
        if (!warmup.minimum().isZero()) {
            CompilerActivity jit = new CompilerActivity(pids.values());
            jit.start();
            warmUp(rate, warmup.minimum(), drain, starter);
            double busy = jit.coresSinceStart();
            // extra warm-up at a pace every step can carry, so a saturating step does not start on a backlog
            int pace = Math.min(rate, 100);
            for (Duration extra = Duration.ZERO; busy > Warmup.QUIET_CORES && extra.compareTo(warmup.jitLimit()) < 0;
                 extra = extra.plus(Warmup.CHUNK)) {
                out.printf("    %-22s warm-up: JIT compilers busy at %.2f cores; %d s more at %d/s%n", label + " " + rate + "/s",
                        busy, Warmup.CHUNK.toSeconds(), pace);
                out.flush();
                jit.start();
                warmUp(pace, Warmup.CHUNK, drain, starter);
                busy = jit.coresSinceStart();
            }
        }
        long callsBefore = apiCalls();
        CpuSampler cpu = new CpuSampler(pids);
        cpu.start();
        long began = System.nanoTime();
        int[] outstanding = new int[1];
        List<Conversation> conversations = loop.run(rate, duration, starter, started -> {
            int done = (int) started.stream().filter(Conversation::finished).count();
            outstanding[0] = started.size() - done;
            double elapsed = (System.nanoTime() - began) / 1e9;
            if (Math.round(elapsed) % 5 == 0) {
                out.printf("    %-22s %3.0f/%.0f s  started %6d  finished %6d  in flight %5d  not yet committed: %s%n", label + " " + rate + "/s",
                        elapsed, duration.toMillis() / 1000.0, started.size(), done, outstanding[0], lag.describe());
                out.flush();
            }
        });
        double seconds = (System.nanoTime() - began) / 1e9;
        CpuSampler.Usage usage = cpu.stop();
        int atEnd = (int) conversations.stream().filter(c -> !c.finished()).count();
        OpenLoop.awaitFinished(conversations, drain);
        tracker.forget(conversations);
        StepResult result = StepResult.of(label, rate, seconds, conversations, apiCalls() - callsBefore, atEnd, usage);
        out.println("  " + result.oneLine());
        if (!result.hops().isEmpty()) {
            out.printf("    traced hops p50/p99 (ms): %s; AsyncFlow's own hops summed p50 %.1f p99 %.1f%n", result.hopLine(),
                    result.tracedOverhead().p50(), result.tracedOverhead().p99());
        }
        out.flush();
        return result;
    }

    private void warmUp(int rate, Duration length, Duration drain, OpenLoop.Starter starter) throws InterruptedException {
        List<Conversation> warm = loop.run(rate, length, starter, started -> { });
        OpenLoop.awaitFinished(warm, drain);
        tracker.forget(warm);
    }

    /** Closes {@code component} (started here, e.g. a replacement sink) before the stack. */
    void closeWith(io.asyncflow.runtime.Component component) {
        extra.add(component);
    }

    @Override
    public void close() {
        traces.close();
        extra.forEach(io.asyncflow.runtime.Component::close);
        lag.close();
        stack.close();
    }
}
