package io.asyncflow.app.cli;

import io.asyncflow.trace.HopMeter;
import io.asyncflow.trace.Stage;
import io.asyncflow.app.demo.CallResult;
import io.asyncflow.app.demo.DemoReport;
import io.asyncflow.app.demo.DemoRunner;
import io.asyncflow.app.demo.DemoScenario;
import io.asyncflow.app.local.LocalStack;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.operator.ConsoleSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code asyncflow demo}: everything on this machine (an embedded Kafka broker, the simulated
 * Genesys Cloud and backends, all AsyncFlow components) and six scripted calls through the real
 * HTTP ingress, each with the timeline the call flow would see.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start an embedded Kafka broker, the simulated Genesys Cloud and backends and every AsyncFlow component, "
                + "place six scripted calls through the HTTP ingress and show what the call flow sees.",
                "Exits 0 when every call ends as scripted. Nothing to install but Java 17; nothing leaves this machine."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of starting the embedded broker.")
    private String bootstrapServers;

    @Option(names = "--keep-running", description = "After the calls, keep everything running until Ctrl-C (try the ingress yourself).")
    private boolean keepRunning;

    @Option(names = "--no-console", description = "Do not start the operator web console (on by default; its URL and log-ins are printed).")
    private boolean noConsole;

    @Option(names = {"-v", "--verbose"}, description = "Also print every participant-data write the simulated Genesys receives, "
            + "with the time each hop of its path took.")
    private boolean verbose;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        DemoScenario scenario = DemoScenario.standard();
        out.println(bootstrapServers == null
                ? "Starting an embedded Kafka broker, the simulated Genesys Cloud and databases, and AsyncFlow..."
                : "Using Kafka at " + bootstrapServers + "; starting the simulators and AsyncFlow...");
        out.flush();
        long started = System.nanoTime();
        LocalStack.Options options = LocalStack.Options.defaults().withBootstrapServers(bootstrapServers);
        List<ComponentKind> components = new ArrayList<>(ComponentKind.PIPELINE);
        if (!noConsole) {
            components.add(ComponentKind.CONSOLE);
        }
        try (LocalStack stack = new LocalStack(options, components).start(); DemoRunner runner = new DemoRunner(stack)) {
            stack.runner().closeOnShutdown();
            printStack(out, stack, started);
            out.print("  warming up (consumer groups join, the sink fetches its Genesys token, then " + DemoRunner.WARM_UP_BURST
                    + " calls whose callers hang up at once, so the JVM compiles the hot path)... ");
            out.flush();
            CallResult warmUp = runner.warmUp();
            out.println(warmUp.asExpected() ? "ready (first call " + warmUp.resultMillis() + " ms)" : "failed: " + warmUp.problems());
            HopMeter.Subscription hops = null;
            if (verbose) {
                stack.genesys().onWrite(write -> {
                    out.println("      genesys: " + write);
                    out.flush();
                });
                hops = HopMeter.of(stack.registry()).listen((stage, conversationId, trace) -> {
                    if (stage == Stage.GENESYS_WRITTEN) {
                        out.println("      hops:    " + DemoReport.hops(trace));
                        out.flush();
                    }
                });
            }
            List<CallResult> results = new ArrayList<>();
            for (DemoScenario.DemoCall call : scenario.calls()) {
                out.printf("%n[%d/%d] %s: %s%n", call.number(), scenario.calls().size(), call.name(), call.label());
                out.flush();
                CallResult result = runner.place(call);
                DemoReport.timeline(out, result);
                results.add(result);
            }
            DemoReport.summary(out, results);
            long failed = results.stream().filter(r -> !r.asExpected()).count();
            out.println(failed == 0
                    ? "All " + results.size() + " calls ended as scripted."
                    : failed + " of " + results.size() + " calls did NOT end as scripted.");
            if (!noConsole) {
                out.println();
                printConsole(out, stack);
                out.println(keepRunning ? "  Open it to see what happened to each call: search a conversation id or the last digits of a number."
                        : "  It closes with the demo: run ./asyncflow demo --keep-running to look at these calls in it.");
            }
            if (keepRunning) {
                out.println("Everything keeps running; the ingress is " + stack.ingressUrl() + " (Authorization: Bearer "
                        + stack.ingressToken() + "). Stop with Ctrl-C.");
                out.flush();
                stack.runner().awaitStop(Duration.ofSeconds(1));
            }
            out.flush();
            if (hops != null) {
                hops.close();
            }
            return failed == 0 ? 0 : 1;
        }
    }

    private static void printConsole(PrintWriter out, LocalStack stack) {
        out.printf("  %-22s %s  (log in as %s / %s, or %s / %s: read-only)%n", "operator console", stack.consoleUrl(),
                ConsoleSettings.OPERATOR, stack.consolePassword(ConsoleSettings.OPERATOR), ConsoleSettings.VIEWER,
                stack.consolePassword(ConsoleSettings.VIEWER));
    }

    private static void printStack(PrintWriter out, LocalStack stack, long started) {
        if (stack.embeddedKafka() != null) {
            out.printf("  %-22s %s (started in %.1f s, log %s)%n", "Kafka broker", stack.bootstrapServers(),
                    stack.embeddedKafka().startupTime().toMillis() / 1000.0, stack.embeddedKafka().logFile());
        }
        out.printf("  %-22s %s%n", "simulated Genesys", stack.genesys().baseUrl());
        out.printf("  %-22s %s (alpha %d ms, beta %d ms, gamma %d ms, intent-ai %d ms)%n", "simulated backends", stack.backends().baseUrl(),
                stack.backends().latency("alpha").toMillis(), stack.backends().latency("beta").toMillis(),
                stack.backends().latency("gamma").toMillis(), stack.backends().latency("intent-ai").toMillis());
        out.printf("  %-22s %s%n", "AsyncFlow ingress", stack.ingressUrl());
        if (stack.component(ComponentKind.CONSOLE) != null) {
            printConsole(out, stack);
        }
        out.printf("  %-22s %s (ready in %.1f s)%n", "components", String.join(", ", stack.runner().names()),
                (System.nanoTime() - started) / 1e9);
        out.flush();
    }
}
