package io.asyncflow.app.cli;

import io.asyncflow.app.config.ConfigLoader;
import io.asyncflow.app.demo.DemoConfig;
import io.asyncflow.app.demo.DemoScenario;
import io.asyncflow.app.embedded.EmbeddedKafka;
import io.asyncflow.app.run.ComponentRunner;
import io.asyncflow.app.run.Components;
import io.asyncflow.app.run.TopicSetup;
import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.TaskCatalog;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code asyncflow demo}: everything on this machine — an embedded Kafka broker, the simulated
 * Genesys Cloud and backends, and the demo configuration pointing at them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start an embedded Kafka broker, the simulated Genesys Cloud and the simulated backends, "
                + "configure AsyncFlow for them and show the scripted calls of the demo.",
                "Nothing to install but Java 17; nothing leaves this machine."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--keep-running", description = "Keep the broker and the simulators running until Ctrl-C.")
    private boolean keepRunning;

    @Option(names = {"-v", "--verbose"}, description = "Print every participant-data write the simulated Genesys receives.")
    private boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Options.defaults());
        SimulatedGenesys genesys = new SimulatedGenesys(SimulatedGenesys.Options.defaults());
        SimulatedBackends backends = new SimulatedBackends(SimulatedBackends.Options.defaults());
        if (verbose) {
            genesys.onWrite(write -> {
                out.println("genesys: " + write);
                out.flush();
            });
        }
        out.println("Starting an embedded Kafka broker and the simulators...");
        out.flush();
        try (ComponentRunner runner = new ComponentRunner()) {
            runner.closeOnShutdown();
            runner.startAll(List.of(kafka, backends, genesys));
            out.printf("%-24s %s  (started in %.1f s)%n", "Kafka broker", kafka.bootstrapServers(),
                    kafka.startupTime().toMillis() / 1000.0);
            SimulatorsDescription.print(out, genesys, backends);

            AsyncFlowConfig config = AsyncFlowConfig.of(DemoConfig.render(DemoConfig.values(kafka.bootstrapServers(),
                    backends.baseUrl(), genesys.baseUrl(), genesys.options().clientId(), genesys.options().clientSecret())));
            TaskCatalog catalog = ConfigLoader.validate(config, Components.declaredKeys());
            TopicSetup.ensureTopics(config);
            DemoScenario scenario = DemoScenario.standard();
            scenario.registerWith(genesys);
            out.println("Demo configuration: task types " + String.join(", ", catalog.taskTypes().keySet().stream().sorted().toList())
                    + "; topics created.");
            out.println("Scripted calls:");
            scenario.calls().forEach(call -> out.println("  - " + call.label() + " (" + call.ani() + ")"));
            out.println("Placing these calls needs the AsyncFlow components (ingress, processor, lookups, sink), "
                    + "which this build does not contain yet: no call is placed.");
            if (keepRunning) {
                out.println("Broker and simulators keep running; stop with Ctrl-C.");
                out.flush();
                return runner.awaitStop(Duration.ofSeconds(1)).isPresent() ? 1 : 0;
            }
            out.println("Stopping.");
            out.flush();
            return 0;
        }
    }
}
