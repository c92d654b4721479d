package io.asyncflow.app.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.ParameterException;
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
    /**
     * Extra JVM options for AsyncFlow's own JVM in the throughput steps, space-separated, e.g. a
     * profiler: {@code ASYNCFLOW_BENCH_JVM_OPTS="-XX:StartFlightRecording=filename=af.jfr"}.
     */
    static final String CHILD_OPTS_ENV = "ASYNCFLOW_BENCH_JVM_OPTS";

    /** The options of AsyncFlow's own JVM in the throughput steps: the common pool's, then {@link #CHILD_OPTS_ENV}'s. */
    static List<String> childJvmOptions() {
        List<String> options = new java.util.ArrayList<>(List.of(COMMON_POOL_OPTION));
        String extra = System.getenv(CHILD_OPTS_ENV);
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--quick", description = "Short steps (under a minute): checks the harness, figures are rough.")
    private boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "PART", converter = PartConverter.class, completionCandidates = PartNames.class,
            description = "Run only these parts: ${COMPLETION-CANDIDATES} (default: all). A partial run does not rewrite BENCHMARKS.md.")
    private List<BenchPlan.Part> only;

    @Option(names = "--guarantee", split = ",", paramLabel = "G",
            description = "Latency steps under these processing guarantees only: exactly_once_v2, at_least_once.")
    private List<String> guarantees;

    @Option(names = "--rate", split = ",", paramLabel = "N", description = "Latency steps at these conversations/s only (e.g. 200).")
    private List<Integer> rates;

    @Option(names = "--step", paramLabel = "SECONDS", description = "Length of each latency and throughput step.")
    private Integer stepSeconds;

    @Option(names = "--profile", paramLabel = "P",
            description = "Database latencies: fast (alpha 40, beta 80, gamma 120 ms; the default: AsyncFlow's own overhead shows) "
                    + "or realistic (300, 800, 1,500 ms: legacy CRMs and an AI model; the fan-out's gain shows).")
    private String profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "An AsyncFlow setting for every stack of the run (e.g. processor.commit-interval=50ms); repeatable.")
    private Map<String, String> settings;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results folder (default: a fresh " + RUNS + "/<date-time>, which git ignores). "
                    + "--out " + PUBLISHED + " replaces the committed results and, after a complete full run, BENCHMARKS.md.")
    private Path out;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also write the report here, keeping its analysis section (default: BENCHMARKS.md after a complete "
                    + "full run with --out " + PUBLISHED + ", else none).")
    private Path markdown;

    /** The committed results, changed only when asked for with {@code --out bench-results}. */
    static final String PUBLISHED = "bench-results";
    /** Where each run writes by default: a new folder per run. */
    static final String RUNS = "bench-results/runs";
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        quietLogs();
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
        BenchPlan plan = plan();
        String machine = machine();
        console.println("AsyncFlow benchmark, " + plan.mode() + " mode. " + machine);
        console.flush();
        Path folder = resultsFolder(out, Path.of(RUNS), Instant.now());
        console.println("Results go to " + folder.toAbsolutePath());
        BenchReport report = new Benchmark(plan, console, folder).run();
        boolean publish = out != null && out.normalize().equals(Path.of(PUBLISHED));
        Path projectMarkdown = markdown != null ? markdown : (publish && !quick && plan.complete() ? Path.of("BENCHMARKS.md") : null);
        String command = "./asyncflow bench" + (quick ? " --quick" : "") + (plan.complete() ? "" : " (partial: " + plan.mode() + ")");
        ResultsWriter.write(report, folder, projectMarkdown, command, machine);
        console.println();
        console.println("Targets:");
        for (BenchReport.Target t : report.targets()) {
            console.printf("  %-52s %-28s %-24s %s%n", t.name(), t.goal(), t.measured(), t.met() ? "met" : "NOT MET");
        }
        console.println("Results: " + folder.toAbsolutePath() + (projectMarkdown == null ? "" : " and " + projectMarkdown.toAbsolutePath()));
        console.flush();
        return 0;
    }

    /**
     * The folder a run writes to: {@code out} when given, else a new {@code bench-results/runs/<UTC
     * date-time>} (with {@code -2}, {@code -3}... when a run of the same second already has it).
     */
    static Path resultsFolder(Path out, Path runs, Instant now) {
        if (out != null) {
            return out;
        }
        String name = RUN_NAME.format(now);
        Path folder = runs.resolve(name);
        for (int n = 2; Files.exists(folder); n++) {
            folder = runs.resolve(name + "-" + n);
        }
        return folder;
    }

    /** Part names as typed: {@code latency}, {@code rate-limited}. */
    static final class PartConverter implements ITypeConverter<BenchPlan.Part> {
        @Override
        public BenchPlan.Part convert(String value) {
            for (BenchPlan.Part part : BenchPlan.Part.values()) {
                if (name(part).equalsIgnoreCase(value.trim())) {
                    return part;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a part; one of " + String.join(", ", new PartNames()));
        }

        static String name(BenchPlan.Part part) {
            return part.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    static final class PartNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(BenchPlan.Part.values()).map(PartConverter::name).iterator();
        }
    }

    private BenchPlan plan() {
        BenchPlan plan = quick ? BenchPlan.quick() : BenchPlan.full();
        if (only != null && !only.isEmpty()) {
            plan = plan.withParts(EnumSet.copyOf(only));
        }
        if (guarantees != null && !guarantees.isEmpty()) {
            for (String g : guarantees) {
                if (!BenchPlan.EXACTLY_ONCE.equals(g) && !BenchPlan.AT_LEAST_ONCE.equals(g)) {
                    throw new ParameterException(spec.commandLine(), "--guarantee: '" + g + "' is neither exactly_once_v2 nor at_least_once");
                }
            }
            plan = plan.withGuarantees(guarantees);
        }
        if (rates != null && !rates.isEmpty()) {
            if (rates.stream().anyMatch(r -> r <= 0)) {
                throw new ParameterException(spec.commandLine(), "--rate: every rate must be at least 1 conversation/s, got " + rates);
            }
            plan = plan.withRates(rates);
        }
        if (stepSeconds != null) {
            if (stepSeconds <= 0) {
                throw new ParameterException(spec.commandLine(), "--step: must be at least 1 second, got " + stepSeconds);
            }
            plan = plan.withStep(Duration.ofSeconds(stepSeconds));
        }
        if (settings != null && !settings.isEmpty()) {
            plan = plan.withOverrides(settings);
        }
        if (profile != null) {
            plan = plan.withProfile(profile(profile));
        }
        return plan;
    }

    private BenchPlan.Profile profile(String name) {
        for (BenchPlan.Profile p : BenchPlan.Profile.values()) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new ParameterException(spec.commandLine(), "--profile: '" + name + "' is neither fast nor realistic");
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
