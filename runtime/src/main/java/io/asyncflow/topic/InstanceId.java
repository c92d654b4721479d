package io.asyncflow.topic;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The stable identity of one AsyncFlow process: the {@code group.instance.id} stem of its consumer
 * groups ({@link GroupMembership}) and the name of its Kafka Streams state directory.
 *
 * <p>An explicit {@code asyncflow.instance-id} wins. Otherwise the id is {@code <host>-<slot>} (with the
 * role of a process that runs only some components: {@link #acquireFor}), the
 * slot being the lowest number whose lock file under {@code <asyncflow.data-dir>/instances} this
 * process can lock ({@link FileChannel#tryLock()}). The operating system releases the lock when the
 * process dies, even by {@code kill -9}, so a process restarted on the same host takes the same slot,
 * the same id and the same state directory, while a second process running beside it takes the next
 * slot. An explicit id is locked the same way, so two live processes on one host cannot share it.
 * The lock is held until {@link #close()}.
 */
public final class InstanceId implements AutoCloseable {
    public static final ConfigKey INSTANCE_ID = ConfigKey.string("asyncflow.instance-id", null,
            "Stable id of this process: group.instance.id of its consumer groups (<id>-topology, <id>-lookup-worker, "
                    + "<id>-sink, <id>-bridge) and name of its state directory. Unset = <host name>-<n> (<host name>-<components>-<n> "
                    + "for run --components), n the lowest slot "
                    + "free on this host (a file lock under asyncflow.data-dir), the same after a restart. In containers set it "
                    + "per replica (a StatefulSet pod name) or keep the default (container host name); never share one between live processes.");
    public static final ConfigKey DATA_DIR = ConfigKey.string("asyncflow.data-dir", "~/.asyncflow",
            "Directory that must survive restarts: instance slots (instances/) and, unless processor.state-dir is set, "
                    + "the topology's state (state/<instance id>). ~ is the user's home directory.");

    /** Processes one host can run with a default id. */
    static final int MAX_SLOTS = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern INVALID_CHARS = Pattern.compile("[^A-Za-z0-9._-]");

    private final String id;
    private final Path dataDir;
    private final FileChannel channel;

    private InstanceId(String id, Path dataDir, FileChannel channel) {
        this.id = id;
        this.dataDir = dataDir;
        this.channel = channel;
    }

    /**
     * Takes this process's id: the explicit {@code asyncflow.instance-id}, else the lowest free slot
     * of this host. Hold the result for the life of the process and close it at exit.
     *
     * @throws ConfigException naming the key when the id is invalid or in use, or the data directory unusable
     */
    public static InstanceId acquire(AsyncFlowConfig config) {
        return acquire(config, hostName());
    }

    /**
     * As {@link #acquire(AsyncFlowConfig)}, for a process that runs only some components, named by
     * {@code role} (e.g. {@code processor.lookups}): its default id is {@code <host>-<role>-<slot>},
     * its slots its own, so processes of different roles on one host keep their ids whatever order
     * they restart in. An empty role is the all-in-one process ({@code <host>-<slot>}).
     */
    public static InstanceId acquireFor(AsyncFlowConfig config, String role) {
        String host = hostName();
        return acquire(config, role == null || role.isBlank() ? host : host + "-" + validate(role.trim()));
    }

    static InstanceId acquire(AsyncFlowConfig config, String host) {
        Path dataDir = dataDir(config);
        Path slots = dataDir.resolve("instances");
        try {
            Files.createDirectories(slots);
        } catch (IOException e) {
            throw ConfigException.forKey(DATA_DIR.name(), "cannot create " + slots + ": " + e);
        }
        String explicit = config.get(INSTANCE_ID);
        if (explicit != null && !explicit.isBlank()) {
            String id = validate(explicit.trim());
            FileChannel channel = tryLock(slots.resolve(id + ".lock"));
            if (channel == null) {
                throw ConfigException.forKey(INSTANCE_ID.name(), "'" + id + "' is in use by another process on this host");
            }
            return new InstanceId(id, dataDir, channel);
        }
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            String id = host + "-" + slot;
            FileChannel channel = tryLock(slots.resolve(id + ".lock"));
            if (channel != null) {
                return new InstanceId(id, dataDir, channel);
            }
        }
        throw ConfigException.forKey(INSTANCE_ID.name(), "all " + MAX_SLOTS + " default slots of host " + host
                + " are in use under " + slots + "; set an explicit id");
    }

    /** The id, e.g. {@code host-0}. */
    public String id() {
        return id;
    }

    /** This instance's own Kafka Streams state directory: {@code <data-dir>/state/<id>}. */
    public Path stateDir() {
        return stateDir(dataDir, id);
    }

    /**
     * The default state directory of the configured instance ({@code <data-dir>/state/<id>}), or null
     * when no {@code asyncflow.instance-id} is set (Kafka Streams' own default then applies).
     */
    public static Path defaultStateDir(AsyncFlowConfig config) {
        String id = config.get(INSTANCE_ID);
        return id == null || id.isBlank() ? null : stateDir(dataDir(config), validate(id.trim()));
    }

    private static Path stateDir(Path dataDir, String id) {
        return dataDir.resolve("state").resolve(id);
    }

    /** The data directory with {@code ~} expanded. */
    static Path dataDir(AsyncFlowConfig config) {
        String dir = config.require(DATA_DIR).trim();
        if (dir.equals("~") || dir.startsWith("~/")) {
            dir = System.getProperty("user.home") + dir.substring(1);
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /** {@code text} if it is a valid id (letters, digits, '.', '_', '-'; at most 200), else a {@link ConfigException}. */
    static String validate(String text) {
        if (!VALID.matcher(text).matches()) {
            throw ConfigException.forKey(INSTANCE_ID.name(), "'" + text
                    + "' must be 1 to 200 letters, digits, '.', '_' or '-'");
        }
        return text;
    }

    /** This host's name reduced to the characters an id allows, lower case. */
    static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        String clean = INVALID_CHARS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_");
        return clean.isEmpty() ? "localhost" : clean.substring(0, Math.min(clean.length(), 150));
    }

    private static FileChannel tryLock(Path file) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return channel;
            }
        } catch (OverlappingFileLockException held) {
            // locked by this very JVM
        } catch (IOException e) {
            throw ConfigException.forKey(DATA_DIR.name(), "cannot lock " + file + ": " + e);
        }
        closeQuietly(channel);
        return null;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    /** Releases the slot (the operating system does it too when the process dies). */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return id;
    }
}
