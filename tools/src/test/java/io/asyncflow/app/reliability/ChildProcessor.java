package io.asyncflow.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * {@code asyncflow run} (by default {@code --components processor}) in a child JVM with this JVM's class path, so a test
 * can kill it the hard way ({@link Process#destroyForcibly()}: SIGKILL, no shutdown hook, no commit,
 * open transactions left behind) as a crashed pod would be.
 */
final class ChildProcessor implements AutoCloseable {
    private static final String RUNNING = "AsyncFlow running";

    private final Process process;
    private final Path log;

    private ChildProcessor(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the processor with {@code configFile} and waits until it says it runs. */
    static ChildProcessor start(Path configFile, Path log, Duration timeout) {
        return run(List.of("--components", "processor", "--config", configFile.toString()), log, timeout);
    }

    /** Starts {@code asyncflow run} with {@code runArguments} (all components unless they say otherwise) and waits until it says it runs. */
    static ChildProcessor run(List<String> runArguments, Path log, Duration timeout) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), "io.asyncflow.app.AsyncFlowCli", "run"));
        command.addAll(runArguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ChildProcessor child = new ChildProcessor(process, log);
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the processor exited with " + process.exitValue() + ":\n" + child.logText());
                }
                return child.logText().contains(RUNNING);
            });
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("processor " + process.pid() + " survived SIGKILL");
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
