package io.asyncflow.app.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code asyncflow bench}: latency, throughput, Genesys API economy and footprint of the whole
 * pipeline on this machine, beside the sequential workflow and a bare Kafka Streams hop.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark AsyncFlow on this machine: an embedded broker, the simulated Genesys and backends, "
                + "open-loop load through the HTTP ingress; baselines in the same run.",
                "Prints the figures and writes results.csv, latency.png and BENCHMARKS.md to the results folder."})
public final class BenchCommand implements Callable<Integer> {
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
    /**
     * With 2 cores the common pool has parallelism 1, and {@code CompletableFuture} then starts a new
     * thread for every async step — which the JDK HttpClient takes for every response it completes.
     */
    static final String COMMON_POOL_OPTION = "-D" + COMMON_POOL_PARALLELISM + "=2";

    @Spec
    private CommandSpec spec;

    @Option(names = "--quick", description = "Short steps (under a minute): checks the harness, figures are rough.")
    private boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results", description = "Results folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also write the report here, keeping its analysis section (default: BENCHMARKS.md in full mode, none with --quick).")
    private Path markdown;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        quietLogs();
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
        BenchPlan plan = quick ? BenchPlan.quick() : BenchPlan.full();
        String machine = machine();
        console.println("AsyncFlow benchmark, " + plan.mode() + " mode. " + machine);
        console.flush();
        BenchReport report = new Benchmark(plan, console, out).run();
        Path projectMarkdown = markdown != null ? markdown : (quick ? null : Path.of("BENCHMARKS.md"));
        String command = "./asyncflow bench" + (quick ? " --quick" : "");
        ResultsWriter.write(report, out, projectMarkdown, command, machine);
        console.println();
        console.println("Targets:");
        for (BenchReport.Target t : report.targets()) {
            console.printf("  %-52s %-28s %-24s %s%n", t.name(), t.goal(), t.measured(), t.met() ? "met" : "NOT MET");
        }
        console.println("Results: " + out.toAbsolutePath() + (projectMarkdown == null ? "" : " and " + projectMarkdown.toAbsolutePath()));
        console.flush();
        return 0;
    }

    /** Component logs at WARN (when Logback is the binding), so the progress stays readable. */
    private static void quietLogs() {
        Object root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try {
            Class<?> level = Class.forName("ch.qos.logback.classic.Level");
            root.getClass().getMethod("setLevel", level).invoke(root, level.getField("WARN").get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another binding: its own configuration applies
        }
    }

    private static String machine() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return BenchReport.fmt("Machine: %d cores, %.1f GB RAM, %s %s, Java %s; load average at start %.2f.",
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / 1e9, System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), CpuSampler.loadAverage());
    }
}
