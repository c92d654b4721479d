package io.asyncflow.app.embedded;

import io.asyncflow.runtime.Component;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker in a child JVM, for the demo and for running AsyncFlow
 * without installing Kafka. {@link #start()} writes {@code server.properties} and starts
 * {@link BrokerMain} in a JVM with this JVM's class path, which formats the storage on first use
 * ({@code kafka.tools.StorageTool format}) and runs {@code kafka.Kafka}; it then waits until the
 * port listens and an admin client lists topics.
 * The broker's log (warnings only) goes to {@code kafka.log} in the working directory.
 * {@link #close()} stops the child (SIGTERM, then a forced kill) and deletes a temporary working
 * directory; a shutdown hook does the same when the JVM exits, and the child stops by itself
 * when its parent dies.
 */
public final class EmbeddedKafka implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int LOG_TAIL_LINES = 30;

    /**
     * @param port broker port on 127.0.0.1, 0 for a free one
     * @param workDir working directory kept between runs (data, server.properties, kafka.log), or
     *                null for a temporary one deleted on close
     * @param heap maximum heap of the child JVM, e.g. 512m
     * @param startTimeout how long to wait for the broker to answer
     * @param overrides extra broker settings
     */
    public record Options(int port, Path workDir, String heap, Duration startTimeout, Map<String, String> overrides) {
        public Options {
            Objects.requireNonNull(heap, "heap");
            Objects.requireNonNull(startTimeout, "startTimeout");
            overrides = Map.copyOf(overrides);
        }

        public static Options defaults() {
            return new Options(0, null, "512m", Duration.ofSeconds(60), Map.of());
        }

        public Options withPort(int newPort) {
            return new Options(newPort, workDir, heap, startTimeout, overrides);
        }

        public Options withWorkDir(Path dir) {
            return new Options(port, dir, heap, startTimeout, overrides);
        }

        public Options withHeap(String newHeap) {
            return new Options(port, workDir, newHeap, startTimeout, overrides);
        }

        public Options withStartTimeout(Duration timeout) {
            return new Options(port, workDir, heap, timeout, overrides);
        }

        public Options withOverride(String key, String value) {
            Map<String, String> more = new java.util.HashMap<>(overrides);
            more.put(key, value);
            return new Options(port, workDir, heap, startTimeout, more);
        }
    }

    private final Options options;
    private Path workDir;
    private boolean temporary;
    private volatile Process process;
    private String bootstrapServers;
    private Duration startupTime;
    private Thread shutdownHook;

    public EmbeddedKafka(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public synchronized void start() {
        if (process != null) {
            return;
        }
        long begin = System.nanoTime();
        try {
            prepareWorkDir();
            int port = options.port() == 0 ? FreePort.pick() : FreePort.requireFree(options.port());
            Path serverProperties = writeServerProperties(port, FreePort.pick());
            List<String> args = new ArrayList<>(List.of(String.valueOf(ProcessHandle.current().pid()), serverProperties.toString()));
            if (!Files.exists(dataDir().resolve("meta.properties"))) {
                args.add(Uuid.randomUuid().toString());
            }
            shutdownHook = new Thread(this::stopChild, "embedded-kafka-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            process = ChildJvm.start(List.of("-Xmx" + options.heap(), "-Xms64m", "-XX:+UseSerialGC"),
                    BrokerMain.class.getName(), args, workDir, logFile());
            bootstrapServers = "127.0.0.1:" + port;
            awaitReady(begin + options.startTimeout().toNanos());
            startupTime = Duration.ofNanos(System.nanoTime() - begin);
            LOG.debug("Embedded Kafka broker ready at {} in {} ms (pid {}, log {})", bootstrapServers,
                    startupTime.toMillis(), process.pid(), logFile());
        } catch (IOException e) {
            close();
            throw new EmbeddedKafkaException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code 127.0.0.1:port} of the running broker. */
    public synchronized String bootstrapServers() {
        if (bootstrapServers == null || process == null) {
            throw new IllegalStateException("the embedded broker is not started");
        }
        return bootstrapServers;
    }

    /** Time from {@link #start()} until the broker answered, storage formatting included. */
    public synchronized Duration startupTime() {
        return startupTime;
    }

    /** Process id of the broker's JVM. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("the embedded broker is not started");
        }
        return process.pid();
    }

    public synchronized Path workDir() {
        return workDir;
    }

    public synchronized Path logFile() {
        return workDir.resolve("kafka.log");
    }

    /** True when the working directory is deleted on close. */
    public synchronized boolean isTemporary() {
        return temporary;
    }

    @Override
    public synchronized void close() {
        stopChild();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run; stopping twice is harmless
            }
            shutdownHook = null;
        }
        if (temporary && workDir != null) {
            deleteRecursively(workDir);
        }
        process = null;
    }

    private void prepareWorkDir() throws IOException {
        temporary = options.workDir() == null;
        workDir = temporary ? Files.createTempDirectory("asyncflow-kafka-") : options.workDir().toAbsolutePath();
        Files.createDirectories(dataDir());
    }

    private Path dataDir() {
        return workDir.resolve("data");
    }

    private Path writeServerProperties(int port, int controllerPort) throws IOException {
        Properties props = BrokerProperties.of(port, controllerPort, dataDir(), options.overrides());
        Path file = workDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "embedded AsyncFlow Kafka broker; rewritten at every start");
        }
        return file;
    }

    private void awaitReady(long deadlineNanos) {
        awaitListening(deadlineNanos);
        Map<String, Object> props = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 100,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw failure("the broker process exited with code " + process.exitValue() + " while starting");
                }
                try {
                    admin.listTopics().names().get(3, TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EmbeddedKafkaException("interrupted while waiting for the broker", e);
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadlineNanos) {
                        throw failure("the broker did not answer at " + bootstrapServers + " within "
                                + options.startTimeout().toSeconds() + " s");
                    }
                }
            }
        }
    }

    private void awaitListening(long deadlineNanos) {
        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        while (true) {
            if (!process.isAlive()) {
                throw failure("the broker process exited with code " + process.exitValue() + " while starting");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadlineNanos) {
                    throw failure("the broker did not listen on " + bootstrapServers + " within "
                            + options.startTimeout().toSeconds() + " s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private EmbeddedKafkaException failure(String problem) {
        return new EmbeddedKafkaException(problem + "; last lines of " + logFile() + ":" + System.lineSeparator()
                + ChildJvm.tail(logFile(), LOG_TAIL_LINES));
    }

    private void stopChild() {
        Process child = process;
        if (child == null || !child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                LOG.warn("Embedded Kafka broker (pid {}) did not stop within 20 s; killing it", child.pid());
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot delete the embedded broker's directory {}: {}", dir, e.getMessage());
        }
    }
}
