package io.asyncflow.app.bench;

import io.asyncflow.app.AsyncFlowCli;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.topic.InstanceId;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AsyncFlow components in a child JVM — by default the processor module's (topology, lookup worker,
 * participant-data sink): {@code asyncflow run --components processor,lookups,sink} with the
 * scenario's configuration — so their heap, resident memory and CPU are measured alone.
 */
final class ProcessorProcess implements AutoCloseable {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final Path log;

    private ProcessorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ProcessorProcess start(AsyncFlowConfig config, Path dir, List<String> jvmOptions) throws IOException, InterruptedException {
        return start(config, dir, jvmOptions, "processor,lookups,sink");
    }

    /** Runs {@code components} (a {@code --components} list) in a child JVM; its files are named after the first. */
    static ProcessorProcess start(AsyncFlowConfig config, Path dir, List<String> jvmOptions, String components)
            throws IOException, InterruptedException {
        String name = components.split(",")[0];
        Path file = dir.resolve(name + ".properties");
        Properties props = new Properties();
        props.putAll(config.explicitValues());
        props.putIfAbsent(InstanceId.DATA_DIR.name(), dir.resolve("data").toString());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "benchmark scenario");
        }
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AsyncFlowCli.class.getName());
        command.addAll(List.of("run", "--config", file.toString(), "--components", components));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        ProcessorProcess child = new ProcessorProcess(process, log);
        child.awaitLog("AsyncFlow running", Duration.ofSeconds(90));
        return child;
    }

    long pid() {
        return process.pid();
    }

    private void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + log.getFileName() + " JVM exited with " + process.exitValue() + "; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the " + log.getFileName() + " JVM did not start within " + timeout + "; see " + log);
    }

    /** Heap in use after a full GC, in MB (jcmd GC.run then GC.heap_info). */
    double heapAfterGcMb() throws IOException, InterruptedException {
        jcmd("GC.run");
        long usedKb = 0;
        for (String line : jcmd("GC.heap_info").split("\n")) {
            if (line.contains("Metaspace")) {
                break;
            }
            Matcher m = USED.matcher(line);
            if (m.find()) {
                usedKb += Long.parseLong(m.group(1));
            }
        }
        return usedKb / 1024.0;
    }

    /** Resident set size in MB ({@code VmRSS} of {@code /proc/<pid>/status}). */
    double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
