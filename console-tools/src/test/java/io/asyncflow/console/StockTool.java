package io.asyncflow.console;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs one of Kafka's stock console tools in a child JVM, as {@code bin/kafka-*.sh} would: the tool's
 * own {@code main} (which ends in {@code System.exit}), standard input from a file, standard output
 * captured. The class path is the Kafka side of the test class path (the tools and their
 * dependencies, test libraries removed) plus exactly what docs/console-tools.md puts in
 * {@code CLASSPATH}: the asyncflow-schemas classes and the Avro jar, without Avro's own
 * dependencies (Kafka ships Jackson; commons-compress is not needed).
 */
final class StockTool {
    /** What the tool did: its exit code and what it printed. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static final Pattern TEST_ONLY = Pattern.compile(
            ".*/(test-classes|junit-[^/]*|junit-jupiter[^/]*|junit-platform[^/]*|opentest4j[^/]*|apiguardian[^/]*|assertj[^/]*"
                    + "|awaitility[^/]*|hamcrest[^/]*|logback[^/]*|byte-buddy[^/]*|asyncflow-schemas-[^/]*-tests\\.jar)$");
    private static final Pattern AVRO_DEPENDENCY = Pattern.compile(".*/(commons-compress|commons-codec|commons-io|commons-lang3)-[^/]*\\.jar$");
    private static final Pattern PLUGIN = Pattern.compile(".*/(classes|asyncflow-schemas-[^/]*(?<!-tests)\\.jar|avro-1\\.[^/]*\\.jar)$");

    private StockTool() {
    }

    static Result run(Class<?> mainClass, Path stdin, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath(), mainClass.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("stock-tool-", ".out");
        Path err = Files.createTempFile("stock-tool-", ".err");
        Process process = new ProcessBuilder(command)
                .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(mainClass.getSimpleName() + " did not finish within " + timeout + "; stderr:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The Kafka side of the class path, then the console plug-in's jars (as CLASSPATH adds them). */
    static String classpath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kafka = new ArrayList<>();
        List<String> plugin = new ArrayList<>();
        for (String entry : full.split(File.pathSeparator)) {
            String path = entry.replace('\\', '/');
            if (TEST_ONLY.matcher(path).matches() || AVRO_DEPENDENCY.matcher(path).matches()) {
                continue;
            }
            (PLUGIN.matcher(path).matches() ? plugin : kafka).add(entry);
        }
        if (plugin.size() != 2) {
            throw new IllegalStateException("expected the asyncflow-schemas classes and the Avro jar on the test class path, found " + plugin);
        }
        kafka.addAll(plugin);
        return String.join(File.pathSeparator, kafka);
    }
}
